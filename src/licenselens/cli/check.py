"""``licenselens check [FILES]``: the pre-commit entry point for model repositories.

Given the files a commit touches (or none: the current folder), it finds the
model repositories they belong to (a ``README.md`` model card, ``LICENSE*``,
``USE_POLICY*``, ``NOTICE*``) and checks them. By default it fails when the
README front matter is broken, when the license it declares disagrees with
the LICENSE text, or when the policy denies the license; freedom findings fail
only when a policy sets ``[findings] fail-at``. Fast and offline.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from licenselens.cli._common import EXIT_FINDINGS, EXIT_OK, emit, guarded


class CheckOutput(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def model_roots(files: list[Path]) -> list[Path]:
    """The model repository folders the given files belong to (card and license files only)."""
    from licenselens.scan.model_repo import is_model_file

    roots: list[Path] = []
    for file in files:
        if file.name == "README.md" or is_model_file(file.name):
            root = file.parent if str(file.parent) else Path(".")
            if root not in roots:
                roots.append(root)
    return roots


def render_text(result) -> str:
    """Linter-style lines: ``path:line: rule: message``, then the summary."""
    lines = []
    for v in result.violations:
        where = (v.path or v.package) + (f":{v.line}" if v.line else "")
        tag = " (excepted: " + (v.exception_reason or "") + ")" if v.excepted else ""
        lines.append(f"{where}: {v.rule}: {v.package}: {v.message}{tag}")
    for e in result.expired_exceptions:
        lines.append(f"policy: expired exception for {e.package} (expired {e.expires}): {e.reason}")
    for s in result.skipped:
        lines.append(f"{s.path}: skipped: {s.reason}")
    return "\n".join(lines) + ("\n" if lines else "")


@guarded
def check(
    files: Annotated[list[Path] | None, typer.Argument(help="Changed files (pre-commit passes them); none: the current folder.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy file (TOML, or a pyproject.toml with [tool.licenselens]).")] = None,
    format: Annotated[CheckOutput, typer.Option("--format", "-f", help="Output format.")] = CheckOutput.TEXT,
    cache: Annotated[Path | None, typer.Option("--cache", help="Result cache database.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Read and write no cache.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when the check passes.")] = False,
) -> None:
    """Check model repositories: README front matter, LICENSE and USE_POLICY agree and meet the policy."""
    roots = model_roots(files) if files else [Path(".")]
    if not roots:
        raise typer.Exit(EXIT_OK)  # the commit touches no model card or license file

    from licenselens.cli.scan import load_policy_for
    from licenselens.model import ScanResult, ScanStats
    from licenselens.report.scan.interface import summary_line
    from licenselens.scan import scan_sources
    from licenselens.scan.model_repo import ModelRepository

    results = []
    for root in roots:
        chosen = load_policy_for(root, policy, check=True)
        results.append(scan_sources([ModelRepository(root)], root=Path("."), policy=chosen, cache_path=cache,
                                    use_cache=not no_cache, label=str(root)))
    merged = ScanResult(
        root=", ".join(r.root for r in results),
        packages=[p for r in results for p in r.packages],
        violations=[v for r in results for v in r.violations],
        expired_exceptions=[e for r in results for e in r.expired_exceptions],
        skipped=[s for r in results for s in r.skipped],
        stats=ScanStats(packages=sum(r.stats.packages for r in results), texts=sum(r.stats.texts for r in results),
                        unique_texts=sum(r.stats.unique_texts for r in results),
                        analysed=sum(r.stats.analysed for r in results)),
        passed=all(r.passed for r in results),
    )
    if format is CheckOutput.TEXT:
        if not (quiet and merged.passed):
            emit(render_text(merged) + summary_line(merged) + "\n")
    else:
        from licenselens.report.scan import scan_formatter

        emit(scan_formatter(format.value).format(merged))
    raise typer.Exit(EXIT_OK if merged.passed else EXIT_FINDINGS)
