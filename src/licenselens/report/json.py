"""JSON: the stable contract of ``analyze`` (see DESIGN.md), byte-identical for the same input."""

from __future__ import annotations

import json as _json

from licenselens.model import Analysis
from licenselens.report.interface import AnalysisFormat


def to_json(analysis: Analysis) -> str:
    """The JSON document of an analysis, with a final newline."""
    return _json.dumps(analysis.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


class JsonFormat(AnalysisFormat):
    name = "json"
    suffix = ".json"

    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        return to_json(analysis)
