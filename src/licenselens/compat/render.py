"""Compatibility results as text for people and as the JSON contract of DESIGN.md."""

from __future__ import annotations

import json

from licenselens.model import CompatResult, CompatVerdict

_MARK = {
    CompatVerdict.COMPATIBLE: "compatible",
    CompatVerdict.CONDITIONAL: "conditional",
    CompatVerdict.INCOMPATIBLE: "INCOMPATIBLE",
    CompatVerdict.UNKNOWN: "unknown",
}


def to_json(result: CompatResult) -> str:
    """``{"outbound", "verdict", "inbound": [{"license", "verdict", "reasons"}]}``, with a final newline."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def to_text(result: CompatResult, *, use: str = "software") -> str:
    """One block per inbound license: verdict, reasons, then what must be done."""
    question = "release a derived model under" if use == "model" else "combine into a work under"
    lines = [f"{_MARK[result.verdict]}: {question} {result.outbound}", ""]
    for item in result.inbound:
        lines.append(f"{item.license}: {_MARK[item.verdict]}")
        for reason in item.reasons:
            if reason.startswith("must: "):
                continue
            lines.append(f"  - {reason}")
        musts = [r.removeprefix("must: ") for r in item.reasons if r.startswith("must: ")]
        if musts:
            lines.append("  must:")
            lines += [f"  * {m}" for m in musts]
        lines.append("")
    return "\n".join(lines)
