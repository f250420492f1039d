"""Text for people: a table of the four freedoms, the verdict, then the findings
grouped by freedom with clause ids, lines and quoted evidence; colour only on a terminal."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from licenselens.model import Analysis, Finding
from licenselens.report.interface import SEVERITY_STYLE, STATUS_STYLE, AnalysisFormat, clause_headings, summary_line
from licenselens.taxonomy import Category, Freedom

_TESTS = {
    Freedom.USE: "use for any purpose, without permission",
    Freedom.STUDY: "study how it works, inspect it",
    Freedom.MODIFY: "modify for any purpose",
    Freedom.SHARE: "share, with or without changes",
}


def _console(color: bool, width: int | None) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or 100,
        highlight=False,
        emoji=False,
    )
    return console, buffer


def _finding_lines(f: Finding, headings: dict[str, str]) -> Group:
    head = Text("  ")
    head.append(f"{f.severity.value:<7}", style=SEVERITY_STYLE[f.severity])
    head.append(f" {f.id} ", style="bold")
    head.append(f"{f.rule}", style="dim")
    heading = headings.get(f.clause)
    head.append(f"  clause {f.clause}" + (f" ({heading})" if heading else "") + f", line {f.line}")
    # Indented blocks keep their indentation when a long line wraps.
    return Group(
        head,
        Padding(Text(f.message), (0, 0, 0, 10)),
        Padding(Text(f"\u201c{f.evidence}\u201d", style="italic"), (0, 0, 0, 10)),
    )


class TextFormat(AnalysisFormat):
    name = "text"
    suffix = ".txt"

    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        console, buffer = _console(color, width)
        source = analysis.source.path or "<text>"
        console.print(Text(f"licenselens analyze: {source}", style="bold"))
        if analysis.identified is not None:
            i = analysis.identified
            console.print(
                f"nearest known license: {i.name} ({i.spdx or i.key}, score {i.score:.2f}); verdicts come from the clauses",
                soft_wrap=True,
            )

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("freedom")
        table.add_column("status")
        table.add_column("test")
        table.add_column("findings")
        for freedom, verdict in analysis.freedoms.items():
            table.add_row(
                freedom.value,
                Text(verdict.status.value, style=STATUS_STYLE[verdict.status]),
                _TESTS[freedom],
                ", ".join(verdict.findings) or "-",
            )
        console.print(table)
        style = {"open": "bold green", "restricted": "bold red", "closed": "bold red"}[analysis.verdict.value]
        head = Text("verdict: ")
        head.append(analysis.verdict.value, style=style)
        head.append("   openwashing: ")
        head.append("yes" if analysis.openwashing else "no", style="bold red" if analysis.openwashing else "")
        console.print(head)

        headings = clause_headings(analysis)
        if analysis.findings:
            console.print()
            console.print(Text("Findings", style="bold underline"))
            for freedom in Freedom:
                mine = [f for f in analysis.findings if f.freedom is freedom]
                if not mine:
                    continue
                console.print(Text(f"{freedom.value.upper()} ({_TESTS[freedom]})", style="bold"))
                for f in mine:
                    console.print(_finding_lines(f, headings))
        else:
            console.print("\nNo findings: no clause restricts a freedom.")

        conditions = [t for t in analysis.terms if t.kind.category is Category.CONDITION]
        if conditions:
            console.print()
            console.print(Text("Conditions (allowed by the freedoms)", style="bold underline"))
            lines = {c.id: c.line for c in analysis.clauses}
            for t in conditions:
                heading = headings.get(t.clause)
                where = f"clause {t.clause}" + (f" ({heading})" if heading else "")
                console.print(f"  {t.kind.value:<22} {where}, line {lines.get(t.clause, '?')}")
        console.print()
        if analysis.findings:
            first = analysis.findings[0].id
            console.print(Text(f"Why a rule applies: licenselens explain {first}", style="dim"), soft_wrap=True)
        console.print(summary_line(analysis), soft_wrap=True)
        # Table cells and padding fill the width with spaces; keep lines clean.
        return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
