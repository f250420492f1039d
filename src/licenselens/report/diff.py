"""Output formats of ``diff``: what changed between two texts, in freedoms.

``render(result, name)`` with ``name`` one of ``FORMATS``; ``html_fragment``
is the part the local web page embeds.
"""

from __future__ import annotations

import json
from html import escape

from licenselens.model import Finding, LicenseDiff

FORMATS = ("text", "json", "markdown", "html")


def summary(result: LicenseDiff) -> str:
    """One line: the verdicts, the freedoms that moved, the findings added and removed."""
    moved = [f"{f.value} {c.before.value} -> {c.after.value}" for f, c in result.freedoms.items() if c.change != "unchanged"]
    verdict = f"{result.old.verdict.value} -> {result.new.verdict.value}"
    return (
        f"{verdict}; " + (", ".join(moved) if moved else "freedom statuses unchanged")
        + f"; {len(result.added_findings)} finding(s) added, {len(result.removed_findings)} removed"
        + f"; {sum(c.change == 'added' for c in result.clauses)} clause(s) added, "
        + f"{sum(c.change == 'removed' for c in result.clauses)} removed, {sum(c.change == 'changed' for c in result.clauses)} changed"
    )


def _name(side) -> str:
    return side.source.path or "text"


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def to_json(result: LicenseDiff) -> str:
    """The JSON document of a diff, keys in model order, with a final newline."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def to_text(result: LicenseDiff) -> str:
    """Plain text for a terminal or a log."""
    out = [f"licenselens diff: {_name(result.old)} -> {_name(result.new)}", summary(result), "", "Freedoms:"]
    for freedom, c in result.freedoms.items():
        extra = "".join(
            [f"  +{', '.join(c.added)}" if c.added else "", f"  -{', '.join(c.removed)}" if c.removed else ""]
        )
        out.append(f"  {freedom.value:<7} {c.before.value:>11} -> {c.after.value:<11} {c.change}{extra}")

    def finding(sign: str, f: Finding, where: str) -> list[str]:
        return [
            f"  {sign} {f.severity.value:<7} {f.id} {f.rule}: {where} clause {f.clause}, line {f.line}",
            f"      {_one_line(f.message)}",
            f"      \"{_one_line(f.evidence)}\"",
        ]

    if result.added_findings:
        out += ["", f"Findings added ({_name(result.new)}):"]
        for f in result.added_findings:
            out += finding("+", f, "NEW")
    if result.removed_findings:
        out += ["", f"Findings removed ({_name(result.old)}):"]
        for f in result.removed_findings:
            out += finding("-", f, "OLD")
    if result.clauses:
        out += ["", f"Clauses ({result.unchanged_clauses} unchanged, aligned by {result.aligned_by}):"]
        for c in result.clauses:
            out.append("  " + _clause_line(c))
    return "\n".join(out) + "\n"


def _clause_line(c) -> str:
    if c.change == "added":
        return f"+ {c.new} (NEW line {c.new_line})"
    if c.change == "removed":
        return f"- {c.old} (OLD line {c.old_line})"
    words = "; ".join([*(f"+\"{_one_line(s, 80)}\"" for s in c.inserted[:3]), *(f"-\"{_one_line(s, 80)}\"" for s in c.deleted[:3])])
    return f"~ {c.old} -> {c.new} (lines {c.old_line} -> {c.new_line}, similarity {c.similarity:.2f}) {words}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(result: LicenseDiff) -> str:
    """Markdown: for a pull-request comment."""
    out = [f"## licenselens diff: `{_cell(_name(result.old))}` -> `{_cell(_name(result.new))}`", "", _cell(summary(result)), ""]
    out += ["| freedom | before | after | change | findings added | findings removed |", "| --- | --- | --- | --- | --- | --- |"]
    for freedom, c in result.freedoms.items():
        out.append(f"| {freedom.value} | {c.before.value} | {c.after.value} | {c.change} | {', '.join(c.added) or '-'} | {', '.join(c.removed) or '-'} |")
    for title, findings in (("Findings added (cited in NEW)", result.added_findings), ("Findings removed (cited in OLD)", result.removed_findings)):
        if findings:
            out += ["", f"### {title}", "", "| severity | id | rule | clause | line | message | evidence |", "| --- | --- | --- | --- | --- | --- | --- |"]
            for f in findings:
                out.append(f"| {f.severity.value} | {f.id} | {f.rule} | `{_cell(f.clause)}` | {f.line} | {_cell(f.message)} | {_cell(f.evidence)} |")
    if result.clauses:
        out += ["", "### Clauses", "", "| change | OLD | NEW | words |", "| --- | --- | --- | --- |"]
        for c in result.clauses:
            words = "; ".join([*(f"+{s}" for s in c.inserted[:3]), *(f"-{s}" for s in c.deleted[:3])])
            out.append(f"| {c.change} | {'`' + _cell(c.old) + '`' if c.old else '-'} | {'`' + _cell(c.new) + '`' if c.new else '-'} | {_cell(_one_line(words, 200)) or '-'} |")
    return "\n".join(out) + "\n"


def html_fragment(result: LicenseDiff) -> str:
    """The body of the HTML report (every text escaped), for a page to embed."""
    e = escape
    rows = "".join(
        f"<tr><td>{e(f.value)}</td><td class='{e(c.before.value)}'>{e(c.before.value)}</td>"
        f"<td class='{e(c.after.value)}'>{e(c.after.value)}</td><td class='{e(c.change)}'>{e(c.change)}</td>"
        f"<td>{e(', '.join(c.added) or '-')}</td><td>{e(', '.join(c.removed) or '-')}</td></tr>"
        for f, c in result.freedoms.items()
    )
    parts = [
        f"<p>{e(summary(result))}</p>",
        "<table><tr><th>freedom</th><th>before</th><th>after</th><th>change</th><th>added</th><th>removed</th></tr>"
        f"{rows}</table>",
    ]
    for title, findings in (("Findings added (cited in NEW)", result.added_findings), ("Findings removed (cited in OLD)", result.removed_findings)):
        if findings:
            body = "".join(
                f"<tr><td class='{e(f.severity.value)}'>{e(f.severity.value)}</td><td>{e(f.id)}<br><small>{e(f.rule)}</small></td>"
                f"<td><code>{e(f.clause)}</code><br><small>line {f.line}</small></td><td>{e(f.message)}<blockquote>{e(f.evidence)}</blockquote></td></tr>"
                for f in findings
            )
            parts.append(f"<h3>{e(title)}</h3><table><tr><th>severity</th><th>rule</th><th>clause</th><th>why</th></tr>{body}</table>")
    if result.clauses:
        body = "".join(
            f"<tr><td class='{e(c.change)}'>{e(c.change)}</td><td><code>{e(c.old or '-')}</code></td><td><code>{e(c.new or '-')}</code></td>"
            "<td>" + "".join(f"<ins>{e(s)}</ins> " for s in c.inserted) + "".join(f"<del>{e(s)}</del> " for s in c.deleted) + "</td></tr>"
            for c in result.clauses
        )
        parts.append(f"<h3>Clauses ({result.unchanged_clauses} unchanged)</h3><table><tr><th>change</th><th>OLD</th><th>NEW</th><th>words</th></tr>{body}</table>")
    return "".join(parts)


def to_html(result: LicenseDiff) -> str:
    """One self-contained page (no scripts, no external resources)."""
    from licenselens.report.html import _CSS

    title = f"licenselens diff: {_name(result.old)} -> {_name(result.new)}"
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{_CSS}.worsened{{color:#b3141b;font-weight:bold}}.improved{{color:#17703a}}ins{{background:#e6ffec}}del{{background:#ffebe9}}</style></head>"
        f"<body><h1>{escape(title)}</h1>{html_fragment(result)}</body></html>\n"
    )


def render(result: LicenseDiff, name: str) -> str:
    """The diff in format ``name`` (one of ``FORMATS``)."""
    return {"text": to_text, "json": to_json, "markdown": to_markdown, "html": to_html}[name](result)
