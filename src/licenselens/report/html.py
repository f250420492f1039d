"""HTML: one self-contained page (no scripts, no external resources) with the
freedoms, the verdict and the findings, each quoting its clause."""

from __future__ import annotations

from html import escape

from licenselens.model import Analysis
from licenselens.report.interface import AnalysisFormat, summary_line

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.granted{color:#17703a}.conditional{color:#0b6b80}.restricted,.error{color:#b3141b;font-weight:bold}
.absent,.warning{color:#8a6100}.unclear{color:#7a2d8c}.info{color:#2456a6}blockquote{margin:.2rem 0;color:#555}
"""


def freedom_rows(analysis: Analysis) -> str:
    """One table row per freedom: its name, its status (as a CSS class too) and its deciding findings."""
    e = escape
    return "".join(
        f"<tr><td>{e(f.value)}</td><td class='{e(v.status.value)}'>{e(v.status.value)}</td><td>{e(', '.join(v.findings) or '-')}</td></tr>"
        for f, v in analysis.freedoms.items()
    )


class HtmlFormat(AnalysisFormat):
    name = "html"
    suffix = ".html"

    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        e = escape
        source = analysis.source.path or "text"
        rows = freedom_rows(analysis)
        findings = "".join(
            f"<tr><td class='{e(f.severity.value)}'>{e(f.severity.value)}</td><td>{e(f.id)}<br><small>{e(f.rule)}</small></td>"
            f"<td>{e(f.clause)}<br><small>line {f.line}</small></td><td>{e(f.message)}<blockquote>{e(f.evidence)}</blockquote></td></tr>"
            for f in analysis.findings
        )
        wash = " <span class='restricted'>openwashing</span>" if analysis.openwashing else ""
        near = ""
        if analysis.identified is not None:
            i = analysis.identified
            near = f"<p>Nearest known license: {e(i.name)} (<code>{e(i.spdx or i.key)}</code>, score {i.score:.2f}); verdicts come from the clauses.</p>"
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>licenselens: {e(source)}</title><style>{_CSS}</style></head><body>"
            f"<h1>licenselens: <code>{e(source)}</code></h1>"
            f"{near}<p>Verdict: <span class='{e(analysis.verdict.value)}'>{e(analysis.verdict.value)}</span>{wash}</p>"
            f"<table><tr><th>freedom</th><th>status</th><th>findings</th></tr>{rows}</table>"
            + (f"<h2>Findings</h2><table><tr><th>severity</th><th>rule</th><th>clause</th><th>why</th></tr>{findings}</table>" if findings else "<p>No findings.</p>")
            + f"<p><small>{e(summary_line(analysis))}</small></p></body></html>\n"
        )
