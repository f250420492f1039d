"""``licenselens schema``: the JSON Schema of the ``analyze`` output."""

from __future__ import annotations

import json

from licenselens.cli._common import emit, guarded


def analysis_schema() -> dict:
    """JSON Schema of ``licenselens analyze --format json``."""
    from licenselens.model import Analysis

    schema = Analysis.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


@guarded
def schema() -> None:
    """Print the JSON Schema of the analyze output (the JSON contract)."""
    emit(json.dumps(analysis_schema(), indent=2, ensure_ascii=False) + "\n")
