"""A table for people at a terminal (rich), followed by the violations and skip notes."""

from __future__ import annotations

import io

from licenselens.model import ScanResult, Verdict
from licenselens.report.scan.interface import ScanFormat, license_of, summary_line

_VERDICT_STYLE = {Verdict.OPEN: "green", Verdict.RESTRICTED: "bold red", Verdict.CLOSED: "red"}


class ScanTableFormat(ScanFormat):
    name = "table"

    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=color, no_color=not color, width=width or 120,
                          highlight=False, emoji=False)
        table = Table(title=f"licenselens scan: {result.root}", show_lines=False)
        for column in ("package", "version", "source", "license", "detected", "agree", "verdict", "findings"):
            table.add_column(column, overflow="fold")
        for p in result.packages:
            verdict = p.verdict.value if p.verdict else ("unresolved" if not p.resolved else "-")
            style = _VERDICT_STYLE.get(p.verdict, "") if p.verdict else "dim"
            findings = sum(len(t.findings) for t in p.texts)
            table.add_row(escape(p.name), escape(p.version or ""), p.source, escape(license_of(p)), escape(", ".join(p.detected)), p.agreement.value,
                          f"[{style}]{verdict}[/]" if style else verdict, str(findings) if findings else "")
        console.print(table)
        for v in result.violations:
            where = f" ({v.path}" + (f":{v.line}" if v.line else "") + ")" if v.path else ""
            mark = "[dim]excepted[/]" if v.excepted else "[bold red]violation[/]"
            console.print(f"{mark} {escape(v.package)}: {v.rule}: {escape(v.message)}{escape(where)}")
        for e in result.expired_exceptions:
            console.print(f"[yellow]expired exception[/] {escape(e.package)} (expired {e.expires}): {escape(e.reason)}")
        for s in result.skipped:
            console.print(f"[dim]skipped {escape(s.path)}: {escape(s.reason)}[/]")
        console.print(("[green]" if result.passed else "[bold red]") + summary_line(result) + "[/]")
        return buffer.getvalue()
