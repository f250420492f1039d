"""SARIF 2.1.0: each finding a result located on the license file and line, each
rule described from its documentation, so code scanning shows findings inline."""

from __future__ import annotations

import json

from licenselens import __version__
from licenselens.model import Analysis, Severity
from licenselens.reason import all_rules
from licenselens.report.interface import AnalysisFormat, original_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def sarif_rules() -> list[dict]:
    """The SARIF ``rules`` array: every freedom rule with its help text."""
    out = []
    for rule in all_rules():
        help_text = rule.doc()
        out.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.title()},
                "fullDescription": {"text": rule.rationale()},
                "help": {"text": help_text, "markdown": help_text},
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                "properties": {"freedom": rule.freedom.value, "principle": rule.principle.value, "tags": list(rule.groups)},
            }
        )
    return out


def to_sarif(analysis: Analysis) -> dict:
    """The SARIF log of one analysis, as a dict."""
    rules = sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    uri = analysis.source.path if analysis.source.path not in (None, "-") else "stdin"
    text = original_text(analysis)
    starts = _line_starts(text) if text is not None else None
    results = []
    for f in analysis.findings:
        region: dict = {"startLine": f.line, "charOffset": f.start, "charLength": f.end - f.start, "snippet": {"text": f.evidence}}
        if starts is not None:
            region["startColumn"] = f.start - starts[f.line - 1] + 1
            end_line = max(i for i, s in enumerate(starts) if s <= max(f.end - 1, f.start)) + 1
            region["endLine"] = end_line
            region["endColumn"] = f.end - starts[end_line - 1] + 1
        results.append(
            {
                "ruleId": f.id,
                "ruleIndex": index[f.id],
                "level": _LEVEL[f.severity],
                "message": {"text": f"{f.message} (clause {f.clause})"},
                "locations": [
                    {
                        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": region},
                        "logicalLocations": [{"name": f.clause, "kind": "clause"}],
                    }
                ],
                "partialFingerprints": {"licenselens/v1": f"{analysis.source.sha256}:{f.id}:{f.start}:{f.end}"},
                "properties": {"freedom": f.freedom.value, "principle": f.principle.value, "clause": f.clause},
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "licenselens",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": uri}, "hashes": {"sha-256": analysis.source.sha256}}],
                "results": results,
                "properties": {
                    "verdict": analysis.verdict.value,
                    "openwashing": analysis.openwashing,
                    "freedoms": {k.value: v.status.value for k, v in analysis.freedoms.items()},
                },
            }
        ],
    }


class SarifFormat(AnalysisFormat):
    name = "sarif"
    suffix = ".sarif"

    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        return json.dumps(to_sarif(analysis), indent=2, ensure_ascii=False) + "\n"
