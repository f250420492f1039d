"""``licenselens scan [PATH]``: dependency trees, lock files, SBOMs and model repositories against a policy."""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_FINDINGS, EXIT_OK, deliver, guarded


class ScanOutput(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    CYCLONEDX = "cyclonedx"


def in_ci() -> bool:
    """True under CI (``CI=true`` or ``CI=1``): no progress bars, no colour by default."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def default_format(output: Path | None) -> ScanOutput:
    """Table for people (a terminal, or a CI log); JSON when the report is piped or written to a file."""
    if output is None and (sys.stdout.isatty() or in_ci()):
        return ScanOutput.TABLE
    return ScanOutput.JSON


def load_policy_for(path: Path | None, policy_file: Path | None, *, check: bool = False):
    """The policy given with ``--policy``, else the one found beside the scanned folder, else the default."""
    from licenselens.policy import Policy, find_policy, load_policy

    base = Policy.for_check() if check else Policy()
    if policy_file is not None:
        return load_policy(policy_file, base=base)
    folder = path if path is not None and path.is_dir() else (path.parent if path is not None else Path.cwd())
    found = find_policy(folder)
    return load_policy(found, base=base) if found is not None else base


@guarded
def scan(
    path: Annotated[Path | None, typer.Argument(help="Folder or file to scan: a project, site-packages or venv, node_modules, a lock or requirements file, an SBOM, a model repository.")] = None,
    python: Annotated[str | None, typer.Option("--python", help="Scan the environment of this Python interpreter.")] = None,
    format: Annotated[ScanOutput | None, typer.Option("--format", "-f", help="Output format (default: table on a terminal or in CI, json otherwise).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).", dir_okay=False)] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy file (TOML, or a pyproject.toml with [tool.licenselens]).")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Result cache database (default: in the user cache folder).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Analyse every text afresh; read and write no cache.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes for analysis (0: one per CPU).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
) -> None:
    """Scan everything a product ships and judge its licenses against a policy (exit 1 when it fails)."""
    from licenselens.errors import InputError
    from licenselens.report.scan import scan_formatter, summary_line
    from licenselens.scan import scan as run_scan

    if path is None and python is None:
        path = Path(".")
    if path is not None and not path.exists():
        raise InputError(str(path), "no such file or directory")
    chosen = load_policy_for(path, policy)
    progress = sys.stderr.isatty() and not quiet and not in_ci()
    result = run_scan(path, python=python, policy=chosen, cache_path=cache, use_cache=not no_cache, jobs=jobs,
                      progress=progress)
    fmt = format or default_format(output)
    color = fmt is ScanOutput.TABLE and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((120, 24)).columns if color else 120
    report = scan_formatter(fmt.value).format(result, color=color, width=width) if output is not None or not quiet else ""
    deliver(report, output, quiet=quiet, summary=summary_line(result))
    raise typer.Exit(EXIT_OK if result.passed else EXIT_FINDINGS)
