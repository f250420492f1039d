"""Which sources apply to a path: the one place that maps a layout to its source."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from licenselens.errors import InputError
from licenselens.scan.directory import LicenseFiles
from licenselens.scan.interface import Found, LicenseSource, Package, TextRef, is_license_name, text_kind
from licenselens.scan.model_repo import ModelRepository, looks_like_model_repo
from licenselens.scan.node import NodeModules, PackageLock
from licenselens.scan.python_env import PythonEnvironment, site_dirs_of_folder, site_dirs_of_python
from licenselens.scan.requirements import RequirementFile, is_requirement_file
from licenselens.scan.sbom import Sbom, sbom_kind

# One lock file describes the project best; pyproject.toml only when there is none.
_LOCK_PREFERENCE = ("uv.lock", "poetry.lock", "pylock.toml", "pyproject.toml")


def environment_for(folder: Path | None, python: str | None) -> PythonEnvironment:
    """The installed environment requirements are matched against.

    ``--python`` when given; else a ``.venv``/``venv`` inside the scanned folder; else
    the environment licenselens runs in.
    """
    if python:
        return PythonEnvironment(site_dirs_of_python(python))
    if folder is not None:
        for name in (".venv", "venv"):
            dirs = site_dirs_of_folder(folder / name)
            if dirs:
                return PythonEnvironment(dirs)
    return PythonEnvironment(site_dirs_of_python(sys.executable))


def sources_for(path: Path | None, *, python: str | None = None) -> list[LicenseSource]:
    """The sources that read ``path`` (a file or folder), or the ``--python`` environment when no path."""
    if path is None:
        if not python:
            raise InputError(None, "nothing to scan: give a PATH or --python")
        return [environment_for(None, python)]
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        raise InputError(str(path), str(exc)) from None
    if not exists:
        raise InputError(str(path), "no such file or directory")
    if not is_dir:
        return [_file_source(path, python)]
    if path.name == "node_modules":
        return [NodeModules(path)]
    site_dirs = site_dirs_of_folder(path)
    if site_dirs:
        return [PythonEnvironment(site_dirs)]
    sources: list[LicenseSource] = []
    model_repo = looks_like_model_repo(path)
    if model_repo:
        sources.append(ModelRepository(path))
    if (path / "node_modules").is_dir():
        sources.append(NodeModules(path / "node_modules"))
    elif (path / "package-lock.json").is_file():
        sources.append(PackageLock(path / "package-lock.json"))
    top = sorted(p for p in path.iterdir() if _is_file(p))
    requirement_files = [p for p in top if is_requirement_file(p) and p.name.lower().startswith("requirements")]
    lock = next((path / n for n in _LOCK_PREFERENCE if (path / n).is_file()), None)
    if lock is not None:
        requirement_files.append(lock)
    if requirement_files:
        environment = environment_for(path, python)
        sources.extend(RequirementFile(p, environment) for p in requirement_files)
    sources.extend(Sbom(p) for p in top if sbom_kind(p))
    if not model_repo:
        sources.append(LicenseFiles(path))
    return sources


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _file_source(path: Path, python: str | None) -> LicenseSource:
    name = path.name.lower()
    if is_requirement_file(path):
        return RequirementFile(path, environment_for(path.parent, python))
    if name == "package-lock.json":
        return PackageLock(path)
    if sbom_kind(path):
        return Sbom(path)
    if name == "readme.md":
        return ModelRepository(path.parent)
    if is_license_name(path.name):
        return _SingleFolderFiles(path)
    raise InputError(str(path), "unknown file type (expected a folder, a requirement or lock file, an SBOM, "
                                "package-lock.json, a model card README.md or a license file)")


class _SingleFolderFiles(LicenseFiles):
    """One license file given on the command line."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.parent)
        self.path = path

    def collect(self) -> Iterator[Found]:
        yield Package(name=self.path.name, version=None, source=self.name, location=str(self.path),
                      texts=[TextRef(self.path, text_kind(self.path.name))])
