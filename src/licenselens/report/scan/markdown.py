"""Markdown for a pull-request comment: the outcome, the violations, then every package."""

from __future__ import annotations

from licenselens.model import ScanResult
from licenselens.report.scan.interface import ScanFormat, license_of, summary_line


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


class ScanMarkdownFormat(ScanFormat):
    name = "markdown"

    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        out = [f"## licenselens scan: {_cell(result.root)}", "", f"**{summary_line(result)}**", ""]
        failing = [v for v in result.violations if not v.excepted]
        if failing:
            out += ["### Policy violations", "", "| package | rule | severity | where | message |", "| --- | --- | --- | --- | --- |"]
            for v in failing:
                where = f"`{v.path}`" + (f" line {v.line}" if v.line else "") if v.path else ""
                out.append(f"| {_cell(v.package)} | {v.rule} | {v.severity.value} | {_cell(where)} | {_cell(v.message)} |")
            out.append("")
        waived = [v for v in result.violations if v.excepted]
        if waived:
            out += ["### Excepted by policy", ""]
            out += [f"- {_cell(v.package)}: {v.rule} ({_cell(v.message)}); reason: {_cell(v.exception_reason)}" for v in waived]
            out.append("")
        if result.expired_exceptions:
            out += ["### Expired exceptions (no longer applied)", ""]
            out += [f"- {_cell(e.package)}: expired {e.expires} ({_cell(e.reason)})" for e in result.expired_exceptions]
            out.append("")
        out += ["### Packages", "", "| package | version | source | license | detected | agree | verdict | findings |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for p in result.packages:
            findings = sum(len(t.findings) for t in p.texts)
            out.append(
                f"| {_cell(p.name)} | {_cell(p.version or '')} | {p.source} | {_cell(license_of(p))} | "
                f"{_cell(', '.join(p.detected))} | {p.agreement.value} | {p.verdict.value if p.verdict else ''} | {findings} |"
            )
        if result.skipped:
            out += ["", "<details><summary>Skipped</summary>", ""]
            out += [f"- `{_cell(s.path)}`: {_cell(s.reason)}" for s in result.skipped]
            out += ["", "</details>"]
        return "\n".join(out) + "\n"
