"""``licenselens analyze [FILE|-]``: clauses, terms, freedom verdicts and findings."""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_FINDINGS, EXIT_OK, check_writable, deliver, emit, guarded
from licenselens.errors import InputError


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    HTML = "html"


class FailOn(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


def failing(findings, fail_on: FailOn) -> bool:
    """Whether any finding is at or above the failing severity."""
    from licenselens.report.interface import SEVERITY_ORDER

    if fail_on is FailOn.NEVER:
        return False
    order = [s.value for s in SEVERITY_ORDER]
    worst_allowed = order.index(fail_on.value)
    return any(order.index(f.severity.value) <= worst_allowed for f in findings)


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


@guarded
def analyze(
    file: Annotated[str, typer.Argument(help="License or policy file; '-' reads standard input.")] = "-",
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).", dir_okay=False)] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")] = FailOn.ERROR,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict line.")] = False,
    explain: Annotated[str | None, typer.Option("--explain", metavar="RULE", help="Print a rule's documentation and exit.")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Result cache file (default: the user cache folder).", dir_okay=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")] = False,
    identify: Annotated[bool, typer.Option("--identify/--no-identify", help="Name the nearest known license (it never changes the verdict).")] = True,
) -> None:
    """Read a license or acceptable-use policy and report, clause by clause, which freedoms survive."""
    if explain is not None:
        from licenselens.cli.explain import explanation

        emit(explanation(explain))
        raise typer.Exit(EXIT_OK)

    from licenselens.pipeline import analyze_bytes
    from licenselens.report import formatter, summary_line
    from licenselens.text import read_input

    if file == "-" and sys.stdin is not None and sys.stdin.isatty():
        raise InputError("-", "no input: give a FILE or pipe a text to standard input")
    if output is not None:
        check_writable(output)
    source, data = read_input(file)
    from licenselens.cache import open_cache

    with open_cache(cache, enabled=not no_cache) or nullcontext() as results:
        analysis = analyze_bytes(data, path=source, identify=identify, cache=results)

    color = _use_color(output)
    width = shutil.get_terminal_size((100, 24)).columns if color else 100
    report = formatter(format.value).format(analysis, color=color, width=width)
    deliver(report, output, quiet=quiet, summary=summary_line(analysis))
    raise typer.Exit(EXIT_FINDINGS if failing(analysis.findings, fail_on) else EXIT_OK)
