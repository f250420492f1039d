"""Batch scans: dependency trees, lock files, SBOMs and model repositories, against a policy.

Sources (one module each, one interface in ``interface.py``) find packages and
their license texts; the engine analyses each distinct text once (cached);
the policy decides what fails.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
from pathlib import Path

from licenselens.model import ScanResult, SkipNote
from licenselens.policy import Policy, evaluate
from licenselens.scan.directory import LicenseFiles
from licenselens.scan.engine import Analyser, analyse_all, build_package, collect, display_path, read_texts, stats
from licenselens.scan.interface import LicenseSource, Package
from licenselens.scan.model_repo import ModelRepository
from licenselens.scan.node import NodeModules, PackageLock
from licenselens.scan.python_env import PythonEnvironment, canonical_name
from licenselens.scan.requirements import RequirementFile
from licenselens.scan.sbom import Sbom

#: Every source, registered by name (one line each).
SOURCES: dict[str, type[LicenseSource]] = {
    "python-env": PythonEnvironment,
    "requirements": RequirementFile,
    "node": NodeModules,
    "node-lock": PackageLock,
    "sbom": Sbom,
    "model-repo": ModelRepository,
    "directory": LicenseFiles,
}

__all__ = ["SOURCES", "scan", "scan_sources"]


def scan(
    path: str | Path | None = None,
    *,
    python: str | None = None,
    policy: Policy | None = None,
    cache_path: str | Path | None = None,
    use_cache: bool = True,
    jobs: int = 1,
    progress: bool = False,
    analyser: Analyser | None = None,
    today: dt.date | None = None,
) -> ScanResult:
    """Scan a folder or file (or the ``python`` environment) and judge it against ``policy``.

    Raises ``InputError`` for a missing path, a malformed Python lock file or SBOM,
    or an unusable cache; hostile content inside the tree (an invalid
    ``package-lock.json`` included) becomes skip notes.
    """
    from licenselens.scan.discover import sources_for

    root = Path(path) if path is not None else None
    sources = sources_for(root, python=python)
    return scan_sources(sources, root=root if root is None or root.is_dir() else root.parent, policy=policy,
                        cache_path=cache_path, use_cache=use_cache, jobs=jobs, progress=progress,
                        analyser=analyser, today=today, label=str(path) if path is not None else str(python))


def scan_sources(
    sources: list[LicenseSource],
    *,
    root: Path | None,
    policy: Policy | None = None,
    cache_path: str | Path | None = None,
    use_cache: bool = True,
    jobs: int = 1,
    progress: bool = False,
    analyser: Analyser | None = None,
    today: dt.date | None = None,
    label: str = ".",
) -> ScanResult:
    """Run given sources: collect, read and dedupe texts, analyse (cached), apply the policy."""
    from licenselens.cache import open_cache

    collected = collect(sources)
    packages = _unique(collected.packages)
    per_package, texts, skipped = read_texts(packages, root)
    cache = open_cache(cache_path, enabled=use_cache) if texts else None
    try:
        analyses, analysed = analyse_all(texts, cache=cache, jobs=jobs, analyser=analyser, progress=progress)
    finally:
        if cache is not None:
            cache.close()
    scanned = [build_package(p, t, analyses) for p, t in zip(packages, per_package)]
    broken = {p.name: _broken(p) for p in packages if p.broken_metadata}
    violations, expired = evaluate(policy or Policy(), scanned, today=today, broken=broken)
    return ScanResult(
        root=label,
        packages=scanned,
        violations=violations,
        expired_exceptions=expired,
        skipped=_dedupe_notes(collected.skipped + skipped, root),
        stats=stats(scanned, len(texts), analysed),
        passed=not any(not v.excepted for v in violations),
    )


class _CallableModule(types.ModuleType):
    """This package, callable: ``licenselens.scan(path)`` runs ``scan``, ``licenselens.scan.engine`` still imports."""

    def __call__(self, *args, **kwargs) -> ScanResult:
        return scan(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule


def _broken(package: Package) -> tuple[str, int | None]:
    message = "; ".join(n for n in package.notes if "front matter" in n) or "broken metadata"
    line = re.search(r"\bline (\d+)", message)
    return message, int(line.group(1)) if line else None


def _unique(packages: list[Package]) -> list[Package]:
    # The same package read by two sources (requirements.txt and uv.lock) is reported once.
    seen: set[tuple[str, str | None, bool]] = set()
    out: list[Package] = []
    for package in packages:
        key = (canonical_name(package.name), package.version, package.resolved)
        if key in seen and package.source != "model-repo":
            continue
        seen.add(key)
        out.append(package)
    return out


def _dedupe_notes(notes: list[SkipNote], root: Path | None) -> list[SkipNote]:
    seen: set[tuple[str, str]] = set()
    out: list[SkipNote] = []
    for note in notes:
        shown = display_path(note.path, root)
        if (shown, note.reason) not in seen:
            seen.add((shown, note.reason))
            out.append(SkipNote(path=shown, reason=note.reason))
    return out
