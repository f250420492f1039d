"""The command line: a thin typer layer over the library, one module per subcommand."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from licenselens import __version__
from licenselens.cli import analyze, check, compat, diff, explain, identify, scan, schema, serve


class _CommandLine(typer.Typer):
    """The typer app, with usage errors on one line (like every other error) and exit 2."""

    def __call__(self, *args, **kwargs):
        from typer._click import exceptions as click_errors

        kwargs.setdefault("standalone_mode", False)
        try:
            code = super().__call__(*args, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            raise SystemExit(2) from None
        except click_errors.ClickException as exc:
            where = exc.ctx.command_path + ": " if getattr(exc, "ctx", None) is not None else ""
            message = " ".join(exc.format_message().split())
            sys.stderr.write(f"licenselens: error: {where}{message} (see --help)\n")
            raise SystemExit(exc.exit_code) from None
        except click_errors.Abort:
            sys.stderr.write("licenselens: error: aborted\n")
            raise SystemExit(2) from None
        raise SystemExit(code if isinstance(code, int) else 0)


app = _CommandLine(
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
app.command("diff")(diff.diff)
app.command("serve")(serve.serve)
