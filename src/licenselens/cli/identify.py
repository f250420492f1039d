"""``licenselens identify [FILE|-]``: the nearest known licenses, with scores and differences."""

from __future__ import annotations

import hashlib
import sys
from enum import StrEnum
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_OK, TextOrJson, emit, guarded
from licenselens.errors import InputError
from licenselens.model import Identification, LicenseMatch


class ReferenceSet(StrEnum):
    CURATED = "curated"
    SCANCODE = "scancode"


_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
_EXCERPT = 100


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _EXCERPT else line[: _EXCERPT - 3] + "..."


def _describe(match: LicenseMatch) -> str:
    what = "notice of" if match.is_notice else "text of"
    if match.score >= 0.9999:
        closeness = "exact"
    elif match.score >= 0.9:
        closeness = "near"
    else:
        closeness = "partial"
    return f"{closeness} {what} {match.spdx or match.key}"


def render_text(result: Identification, source: str) -> str:
    """Plain text for people: one block per license found, then the runners-up."""
    lines: list[str] = []
    found = len(result.matches)
    lines.append(f"{source}: {found} known license{'s' if found != 1 else ''} found (reference: {result.reference_set})")
    for match in result.matches:
        lines.append(
            f"  lines {match.line}-{match.end_line}: {_describe(match)}  [{match.key}] {match.name}"
            f"  score {match.score:.3f}  coverage {match.coverage:.3f}"
        )
        for diff in match.differences:
            where = f"clause {diff.clause}, line {diff.line}" if diff.clause else f"line {diff.line}"
            if diff.kind == "added":
                detail = f'"{_excerpt(diff.text)}"'
            elif diff.kind == "removed":
                detail = f'reference had "{_excerpt(diff.reference)}"'
            else:
                detail = f'"{_excerpt(diff.text)}" instead of "{_excerpt(diff.reference)}"'
            lines.append(f"      {_SIGNS[diff.kind]} {diff.kind:<7} {where}: {detail}")
        for ref in match.referenced:
            lines.append(f"      -> {ref.name}: {ref.spdx or ref.key or 'no known license'}")
        if match.resolved_spdx and match.resolved_key != match.key:
            lines.append(f"      resolved through the files it names: {match.resolved_spdx}")
    if result.candidates:
        lines.append("  nearest references:")
        for candidate in result.candidates:
            lines.append(f"    {candidate.score:.3f}  {candidate.spdx or candidate.key:<40} {candidate.reference}")
    return "\n".join(lines) + "\n"


@guarded
def identify(
    file: Annotated[str, typer.Argument(help="License text file; '-' reads standard input.")] = "-",
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.TEXT,
    reference: Annotated[
        ReferenceSet,
        typer.Option("--reference", help="Reference texts: the curated corpus, or ScanCode's license database when installed."),
    ] = ReferenceSet.CURATED,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="How many nearest references to list.")] = 5,
    differences: Annotated[bool, typer.Option("--differences/--no-differences", help="List what differs from the reference.")] = True,
    follow: Annotated[
        bool,
        typer.Option("--follow-references/--no-follow-references",
                     help="Identify the files a notice names (\"see LICENSE.APACHE\") when they sit beside FILE."),
    ] = True,
) -> None:
    """Name the known licenses a text is (SPDX id or ScanCode key), where each sits, and what differs."""
    from licenselens.identify import identify as identify_text
    from licenselens.model import Source
    from licenselens.text import decode, read_input

    if file == "-" and sys.stdin is not None and sys.stdin.isatty():
        raise InputError("-", "no input: give a FILE or pipe a text to standard input")
    source, data = read_input(file)
    text = decode(data, source)
    result = identify_text(
        text,
        reference=reference.value,
        source=Source(path=source, sha256=hashlib.sha256(data).hexdigest()),
        differences=differences,
        max_candidates=top,
        references_from=file if follow and file != "-" else None,
    )
    if format is TextOrJson.JSON:
        emit(result.model_dump_json(indent=2) + "\n")
    else:
        emit(render_text(result, source))
    raise typer.Exit(EXIT_OK)
