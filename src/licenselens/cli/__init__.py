"""The command line: a thin typer layer over the library, one module per subcommand."""

from __future__ import annotations

from typing import Annotated

import typer

from licenselens import __version__
from licenselens.cli import analyze, explain, schema
from licenselens.cli import check, scan
from licenselens.cli import compat
from licenselens.cli import identify

app = typer.Typer(
    name="licenselens",
    help="Reads software and AI licenses clause by clause and tells which clause breaks which freedom.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"licenselens {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """licenselens: which clause breaks which freedom."""


# One line per subcommand.
app.command("analyze")(analyze.analyze)
app.command("explain")(explain.explain)
app.command("schema")(schema.schema)
app.command("scan")(scan.scan)
app.command("check")(check.check)
app.command("identify")(identify.identify)
app.command("compat")(compat.compat)
