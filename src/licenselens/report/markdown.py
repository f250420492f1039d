"""Markdown: for a pull-request comment or a review document."""

from __future__ import annotations

from licenselens.model import Analysis
from licenselens.report.interface import AnalysisFormat, summary_line
from licenselens.taxonomy import Category


def _cell(text: str) -> str:
    """Table cell text: pipes escaped, one line."""
    return " ".join(text.split()).replace("|", "\\|")


class MarkdownFormat(AnalysisFormat):
    name = "markdown"
    suffix = ".md"

    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        source = analysis.source.path or "text"
        out = [f"## licenselens: `{_cell(source)}`", ""]
        out.append(f"**Verdict: {analysis.verdict.value}**" + (" (openwashing: the text calls itself open)" if analysis.openwashing else ""))
        if analysis.identified is not None:
            i = analysis.identified
            out += ["", f"Nearest known license: {_cell(i.name)} (`{_cell(i.spdx or i.key)}`, score {i.score:.2f}); verdicts come from the clauses."]
        out += ["", "| freedom | status | findings |", "| --- | --- | --- |"]
        for freedom, verdict in analysis.freedoms.items():
            out.append(f"| {freedom.value} | {verdict.status.value} | {', '.join(verdict.findings) or '-'} |")
        out.append("")
        if analysis.findings:
            out += ["### Findings", "", "| severity | id | rule | freedom | clause | line | message | evidence |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
            for f in analysis.findings:
                out.append(
                    f"| {f.severity.value} | {f.id} | {f.rule} | {f.freedom.value} | `{_cell(f.clause)}` | {f.line} "
                    f"| {_cell(f.message)} | {_cell(f.evidence)} |"
                )
            out.append("")
        conditions = [t for t in analysis.terms if t.kind.category is Category.CONDITION]
        if conditions:
            out += ["### Conditions", ""]
            for t in conditions:
                out.append(f"- `{t.kind.value}` in clause `{_cell(t.clause)}`")
            out.append("")
        out.append(f"_{_cell(summary_line(analysis))}_")
        return "\n".join(out) + "\n"
