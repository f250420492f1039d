"""JSON: the stable contract of ``scan`` (``schema_version`` "1"), byte-identical for the same input."""

from __future__ import annotations

import json

from licenselens.model import ScanResult
from licenselens.report.scan.interface import ScanFormat


class ScanJsonFormat(ScanFormat):
    name = "json"

    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
