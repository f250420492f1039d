"""SARIF 2.1.0: freedom findings and policy violations, located on the license file and line."""

from __future__ import annotations

import json

from licenselens import __version__
from licenselens.model import ScanResult, Severity
from licenselens.report.scan.interface import ScanFormat

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_POLICY_RULES = {
    "denied-license": "The package's license is denied by the policy.",
    "not-allowed": "The package's license is not on the policy's allow list.",
    "freedom-finding": "A clause of the license breaks a freedom at a severity the policy fails on.",
    "license-mismatch": "The declared license disagrees with the license text shipped.",
    "broken-metadata": "The package metadata (e.g. README front matter) cannot be read.",
    "unresolved": "The requirement is not installed; its license is unknown.",
}


def _location(path: str | None, line: int | None) -> list[dict]:
    if not path:
        return []
    uri = path.split("#", 1)[0]
    physical: dict = {"artifactLocation": {"uri": uri}}
    if not uri.startswith("/"):
        physical["artifactLocation"]["uriBaseId"] = "SRCROOT"
    if line:
        physical["region"] = {"startLine": max(1, line)}
    return [{"physicalLocation": physical}]


def _finding_rules() -> list[dict]:
    try:
        from licenselens.report.sarif import sarif_rules
    except ImportError:
        return []
    return sarif_rules()


def to_sarif(result: ScanResult) -> dict:
    """The SARIF log of a scan, as a dict."""
    rules = _finding_rules()
    known = {r["id"] for r in rules}
    for rule, text in _POLICY_RULES.items():
        rules.append({"id": f"policy/{rule}", "name": rule, "shortDescription": {"text": text},
                      "defaultConfiguration": {"level": "error"}})
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict] = []
    failing_findings = {(v.package, v.path, v.finding, v.line): v for v in result.violations if v.rule == "freedom-finding"}
    for package in result.packages:
        for text in package.texts:
            for f in text.findings:
                entry: dict = {
                    "ruleId": f.id,
                    "level": _LEVEL[f.severity],
                    "message": {"text": f"{package.name}: {f.message} (clause {f.clause}: \"{f.evidence}\")"},
                    "locations": _location(text.path, f.line),
                    "properties": {"package": package.name, "freedom": f.freedom.value, "clause": f.clause},
                }
                if f.id in known:
                    entry["ruleIndex"] = index[f.id]
                violation = failing_findings.get((package.name, text.path, f.id, f.line))
                entry["properties"]["failsPolicy"] = bool(violation and not violation.excepted)
                if violation and violation.excepted:
                    entry["suppressions"] = [{"kind": "external", "justification": violation.exception_reason or ""}]
                results.append(entry)
    for v in result.violations:
        if v.rule == "freedom-finding":
            continue
        rule_id = f"policy/{v.rule}"
        entry = {
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": _LEVEL[v.severity],
            "message": {"text": f"{v.package}: {v.message}"},
            "locations": _location(v.path, v.line),
            "properties": {"package": v.package, "failsPolicy": not v.excepted},
        }
        if v.excepted:
            entry["suppressions"] = [{"kind": "external", "justification": v.exception_reason or ""}]
        results.append(entry)
    run = {
        "tool": {"driver": {"name": "licenselens", "version": __version__, "informationUri": "https://pypi.org/project/licenselens/",
                            "rules": rules}},
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The scanned folder."}}},
        "results": results,
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "note", "message": {"text": f"skipped {s.path}: {s.reason}"}} for s in result.skipped
        ]}],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


class ScanSarifFormat(ScanFormat):
    name = "sarif"

    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        return json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
