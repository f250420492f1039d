"""Python requirement and lock files, matched against an installed environment.

``requirements*.txt``, ``pyproject.toml`` (PEP 621 and Poetry tables), ``uv.lock``,
``poetry.lock`` and ``pylock.toml``. Licenses come from the installed
distribution; a requirement that matches nothing installed is reported as
unresolved, never guessed (nothing is fetched).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from licenselens.errors import InputError
from licenselens.scan.interface import Found, LicenseSource, Package, read_small, reason_of
from licenselens.scan.python_env import PythonEnvironment, canonical_name

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_PIN_RE = re.compile(r"===?\s*([A-Za-z0-9.+!_-]+)\s*(?:;|$)")


def is_requirement_file(path: Path) -> bool:
    """True for the file names this source reads."""
    name = path.name.lower()
    return (
        (name.startswith("requirements") and name.endswith((".txt", ".in")))
        or name in {"pyproject.toml", "uv.lock", "poetry.lock", "pylock.toml"}
        or (name.startswith("pylock.") and name.endswith(".toml"))
    )


class RequirementFile(LicenseSource):
    """The dependencies listed in one requirement or lock file."""

    name = "requirements"

    def __init__(self, path: Path, environment: PythonEnvironment | None) -> None:
        self.path = path
        self.environment = environment

    def collect(self) -> Iterator[Found]:
        wanted = list(_requirements(self.path))
        installed: dict[str, Package] = {}
        skipped = []
        if self.environment is not None:
            for found in self.environment.collect():
                if isinstance(found, Package):
                    installed[canonical_name(found.name)] = found
                else:
                    skipped.append(found)
        yield from skipped
        for name, version in wanted:
            match = installed.get(canonical_name(name))
            if match is None:
                yield Package(
                    name=name, version=version, source=self.name, location=str(self.path), resolved=False,
                    notes=["not installed in the scanned environment; license unknown offline"],
                )
                continue
            notes = list(match.notes)
            if version and match.version and version != match.version:
                notes.append(f"{self.path.name} pins {version}; installed {match.version} was read")
            yield replace(match, source=self.name, notes=notes)


def _requirements(path: Path) -> Iterator[tuple[str, str | None]]:
    name = path.name.lower()
    if name.endswith((".txt", ".in")):
        yield from _unique(_requirements_txt(path, set()))
        return
    data = _toml(path)
    if name == "pyproject.toml":
        yield from _unique(_pyproject(data))
    elif name in {"uv.lock", "poetry.lock"}:
        for pkg in data.get("package", []):
            if isinstance(pkg, dict) and "name" in pkg and not _is_local_root(pkg):
                yield str(pkg["name"]), _str_or_none(pkg.get("version"))
    else:  # pylock.toml (PEP 751)
        for pkg in data.get("packages", []):
            if isinstance(pkg, dict) and "name" in pkg:
                yield str(pkg["name"]), _str_or_none(pkg.get("version"))


def _is_local_root(pkg: dict) -> bool:
    # uv.lock lists the project itself with an editable/virtual source.
    source = pkg.get("source")
    return isinstance(source, dict) and ("editable" in source or "virtual" in source)


def _str_or_none(value: object) -> str | None:
    return str(value) if value is not None else None


def _unique(items: Iterator[tuple[str, str | None]]) -> Iterator[tuple[str, str | None]]:
    seen: set[str] = set()
    for name, version in items:
        key = canonical_name(name)
        if key not in seen:
            seen.add(key)
            yield name, version


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(read_small(path).decode("utf-8"))
    except OSError as exc:
        raise InputError(str(path), reason_of(exc)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"malformed TOML ({str(exc).splitlines()[0]})") from None


def _requirements_txt(path: Path, visiting: set[Path]) -> Iterator[tuple[str, str | None]]:
    resolved = path.resolve()
    if resolved in visiting:
        return
    visiting.add(resolved)
    try:
        lines = read_small(path).decode("utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(str(path), reason_of(exc)) from None
    except ValueError as exc:
        raise InputError(str(path), str(exc)) from None
    for raw in lines:
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            included = path.parent / line.split(None, 1)[1].strip()
            if included.is_file() and line.startswith(("-r", "--requirement")):
                yield from _requirements_txt(included, visiting)
            continue
        if line.startswith("-") or "://" in line.split(";")[0] and "@" not in line:
            continue  # options, editable paths and bare URLs name no project
        match = _NAME_RE.match(line)
        if match:
            pin = _PIN_RE.search(line.split("#")[0])
            yield match.group(1), pin.group(1) if pin else None


def _pyproject(data: dict) -> Iterator[tuple[str, str | None]]:
    project = data.get("project", {})
    specs: list[str] = list(project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        specs.extend(group or [])
    for group in (data.get("dependency-groups", {}) or {}).values():
        specs.extend(s for s in group or [] if isinstance(s, str))
    for spec in specs:
        match = _NAME_RE.match(str(spec))
        if match:
            pin = _PIN_RE.search(str(spec))
            yield match.group(1), pin.group(1) if pin else None
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in (poetry.get("group", {}) or {}).values() if isinstance(g, dict)]
    for table in tables:
        for name in table or {}:
            if name.lower() != "python":
                yield name, None
