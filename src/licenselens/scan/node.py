"""JavaScript packages: ``node_modules/**/package.json`` with their license files, and ``package-lock.json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from licenselens.model import SkipNote
from licenselens.scan.interface import Found, LicenseSource, Package, TextRef, is_license_name, read_small, reason_of, text_kind


class NodeModules(LicenseSource):
    """Every package under a ``node_modules`` folder, nested ones included."""

    name = "node"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterator[Found]:
        seen: set[tuple[int, int]] = set()
        stack = [self.folder]
        while stack:
            modules = stack.pop()
            for package_dir in self._package_dirs(modules, seen):
                if isinstance(package_dir, SkipNote):
                    yield package_dir
                    continue
                found = self._read(package_dir)
                yield found
                nested = package_dir / "node_modules"
                if nested.is_dir():
                    stack.append(nested)

    def _package_dirs(self, modules: Path, seen: set[tuple[int, int]]) -> Iterator[Path | SkipNote]:
        try:
            entries = sorted(modules.iterdir())
        except OSError as exc:
            yield SkipNote(path=str(modules), reason=reason_of(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if not entry.is_dir():
                    continue
                info = entry.stat()
            except OSError as exc:
                yield SkipNote(path=str(entry), reason=reason_of(exc))
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen:
                yield SkipNote(path=str(entry), reason="symlink loop (folder already visited)")
                continue
            seen.add(key)
            if entry.name.startswith("@"):
                yield from self._package_dirs(entry, seen)
            else:
                yield entry

    def _read(self, package_dir: Path) -> Found:
        manifest_path = package_dir / "package.json"
        try:
            manifest = json.loads(read_small(manifest_path))
        except FileNotFoundError:
            return SkipNote(path=str(package_dir), reason="no package.json")
        except OSError as exc:
            return SkipNote(path=str(manifest_path), reason=reason_of(exc))
        except (ValueError, UnicodeDecodeError) as exc:
            return SkipNote(path=str(manifest_path), reason=_json_problem(exc))
        if not isinstance(manifest, dict):
            return SkipNote(path=str(manifest_path), reason="invalid package.json (not an object)")
        name = manifest.get("name") if isinstance(manifest.get("name"), str) else package_dir.name
        version = manifest.get("version") if isinstance(manifest.get("version"), str) else None
        package = _package(name, version, str(manifest_path), manifest)
        try:
            children = sorted(package_dir.iterdir())
        except OSError as exc:
            package.notes.append(f"cannot list {package_dir}: {reason_of(exc)}")
            children = []
        for child in children:
            if is_license_name(child.name) and child.is_file():
                package.texts.append(TextRef(child, text_kind(child.name)))
        return package


class PackageLock(LicenseSource):
    """The packages of a ``package-lock.json`` (lockfile v2/v3 record their licenses; v1 does not)."""

    name = "node"

    def __init__(self, path: Path) -> None:
        self.path = path

    def collect(self) -> Iterator[Found]:
        try:
            lock = json.loads(read_small(self.path, limit=64 * 1024 * 1024))
        except OSError as exc:
            yield SkipNote(path=str(self.path), reason=reason_of(exc))
            return
        except (ValueError, UnicodeDecodeError) as exc:
            yield SkipNote(path=str(self.path), reason=_json_problem(exc))
            return
        if not isinstance(lock, dict):
            yield SkipNote(path=str(self.path), reason="invalid package-lock.json (not an object)")
            return
        packages = lock.get("packages")
        if isinstance(packages, dict):
            for key, entry in sorted(packages.items()):
                if not key or not isinstance(entry, dict) or entry.get("link"):
                    continue  # "" is the root project; links point at another entry
                name = entry.get("name") or key.rsplit("node_modules/", 1)[-1]
                yield _package(str(name), entry.get("version"), f"{self.path}#{key}", entry)
            return
        for name, entry in sorted((lock.get("dependencies") or {}).items()):
            if isinstance(entry, dict):
                yield Package(name=name, version=entry.get("version"), source=self.name, location=str(self.path),
                              notes=["lockfile v1 records no license; install the packages to scan node_modules"])


def _json_problem(exc: Exception) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    # read_small refuses oversized files with a ValueError of its own.
    return message if message.startswith("file too large") else f"invalid JSON ({message})"


def _package(name: str, version: str | None, location: str, manifest: dict) -> Package:
    """A package whose declared license is read once from its package.json (or lockfile entry)."""
    from licenselens.declared import from_npm  # loaded only when a scan finds packages

    reading = from_npm(manifest)
    package = Package(name=name, version=version, source="node", location=location, declared=reading.original or None)
    package.read_declared(reading)
    return package
