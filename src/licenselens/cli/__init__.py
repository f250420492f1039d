"""The command line: a thin typer layer over the library, one module per subcommand."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from licenselens import __version__


class _Subcommands(TyperGroup):
    """The subcommands, each imported and built only when it runs (or when help lists them all)."""

    def list_commands(self, ctx) -> list[str]:
        return list(app.subcommands)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in app.subcommands:
            from typer.main import get_command_from_info
            from typer.models import CommandInfo

            module, function = app.subcommands[cmd_name].split(":")
            info = CommandInfo(name=cmd_name, callback=getattr(importlib.import_module(module), function))
            self.add_command(get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                                   rich_markup_mode=app.rich_markup_mode))
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx, args):
        if args and self.get_command(ctx, args[0]) is None:
            # An unknown name: build them all, so that typer can suggest the nearest.
            for name in app.subcommands:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


class _CommandLine(typer.Typer):
    """The typer app, with usage errors on one line (like every other error) and exit 2."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cls=_Subcommands, **kwargs)
        self.subcommands: dict[str, str] = {}

    def subcommand(self, name: str, target: str) -> None:
        """Register subcommand ``name``, the function ``target`` ('module:function'), imported when it runs."""
        self.subcommands[name] = target

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
app.subcommand("analyze", "licenselens.cli.analyze:analyze")
app.subcommand("explain", "licenselens.cli.explain:explain")
app.subcommand("schema", "licenselens.cli.schema:schema")
app.subcommand("scan", "licenselens.cli.scan:scan")
app.subcommand("check", "licenselens.cli.check:check")
app.subcommand("identify", "licenselens.cli.identify:identify")
app.subcommand("compat", "licenselens.cli.compat:compat")
app.subcommand("diff", "licenselens.cli.diff:diff")
app.subcommand("serve", "licenselens.cli.serve:serve")
