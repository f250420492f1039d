"""``licenselens diff OLD NEW``: what changed between two versions of a license, clause by clause, in freedoms."""

from __future__ import annotations

from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_FINDINGS, EXIT_OK, check_writable, deliver, guarded
from licenselens.cli.analyze import FailOn, failing
from licenselens.errors import InputError


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


@guarded
def diff(
    old: Annotated[str, typer.Argument(help="The earlier text; '-' reads standard input.")],
    new: Annotated[str, typer.Argument(help="The later text; '-' reads standard input.")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).", dir_okay=False)] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when NEW adds a finding at or above this severity.")] = FailOn.ERROR,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    cache: Annotated[Path | None, typer.Option("--cache", help="Result cache file (default: the user cache folder).", dir_okay=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")] = False,
) -> None:
    """Compare two versions of a license or policy: each freedom before and after, the findings
    NEW adds (cited in NEW) and drops (cited in OLD), and the clauses added, removed or reworded.

    Exit 0 when NEW adds no finding at the failing severity (freedoms unchanged or improved),
    1 when it does (default: an error-severity restriction), 2 on bad input.
    """
    from licenselens.cache import open_cache
    from licenselens.diff import compare
    from licenselens.pipeline import analyze_bytes
    from licenselens.report.diff import render, summary
    from licenselens.text import read_input

    if old == "-" and new == "-":
        raise InputError("-", "standard input can be only one of OLD and NEW")
    if output is not None:
        check_writable(output)
    inputs = [read_input(old), read_input(new)]
    with open_cache(cache, enabled=not no_cache) or nullcontext() as results:
        before, after = (analyze_bytes(data, path=source, cache=results) for source, data in inputs)
    result = compare(before, after)
    report = render(result, format.value)
    deliver(report, output, quiet=quiet, summary=summary(result))
    raise typer.Exit(EXIT_FINDINGS if failing(result.added_findings, fail_on) else EXIT_OK)
