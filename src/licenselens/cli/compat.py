"""``licenselens compat INBOUND... --outbound EXPR``: may these licenses be combined under that one?"""

from __future__ import annotations

from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_FINDINGS, EXIT_OK, TextOrJson, emit, guarded


class Integration(StrEnum):
    LIBRARY = "library"
    SNIPPET = "snippet"


class Use(StrEnum):
    SOFTWARE = "software"
    MODEL = "model"


@guarded
def compat(
    inbound: Annotated[list[str], typer.Argument(help="Inbound licenses: SPDX ids or expressions, or license files ('-' reads standard input).", show_default=False)],
    outbound: Annotated[str, typer.Option("--outbound", help="Outbound license: SPDX expression or license file.", show_default=False)],
    use: Annotated[Use, typer.Option("--use", help="software: combine code; model: release a model derived from the inbound model.")] = Use.SOFTWARE,
    integration: Annotated[Integration, typer.Option("--integration", help="library: kept in its own files or library; snippet: copied into the work's files.")] = Integration.LIBRARY,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.TEXT,
    cache: Annotated[Path | None, typer.Option("--cache", help="Result cache database (default: in the user cache folder).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Analyse every license text afresh; read and write no cache.")] = False,
) -> None:
    """Tell whether the inbound licenses may go into a work (or a derived model) under the outbound license, citing clauses.

    Exit 0 when compatible or conditional, 1 when incompatible or unknown, 2 on bad input.
    """
    from licenselens.cache import open_cache
    from licenselens.compat import compat as run
    from licenselens.compat.render import to_json, to_text
    from licenselens.model import CompatVerdict

    with open_cache(cache, enabled=not no_cache) or nullcontext() as store:
        result = run(list(inbound), outbound, use=use.value, integration=integration.value, cache=store)
    emit(to_json(result) if format is TextOrJson.JSON else to_text(result, use=use.value))
    ok = result.verdict in (CompatVerdict.COMPATIBLE, CompatVerdict.CONDITIONAL)
    raise typer.Exit(EXIT_OK if ok else EXIT_FINDINGS)
