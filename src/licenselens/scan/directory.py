"""Any directory: license files found by name, each folder holding them one package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from licenselens.model import SkipNote
from licenselens.scan.interface import IGNORED_DIRS, Found, LicenseSource, Package, TextRef, is_license_name, text_kind, walk

# Trees handled by their own sources, or never the project's own licenses.
_PRUNED = IGNORED_DIRS | {"node_modules", "site-packages", ".venv", "venv", "dist-packages"}


class LicenseFiles(LicenseSource):
    """License files (LICENSE*, COPYING*, NOTICE*, ...) anywhere under a folder."""

    name = "directory"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterator[Found]:
        skipped: list[SkipNote] = []
        by_folder: dict[Path, list[Path]] = {}
        for path in walk(self.folder, skipped, prune=_PRUNED):
            if is_license_name(path.name):
                by_folder.setdefault(path.parent, []).append(path)
        yield from skipped
        for folder, files in sorted(by_folder.items()):
            rel = folder.relative_to(self.folder) if folder.is_relative_to(self.folder) else folder
            name = self.folder.resolve().name if str(rel) == "." else str(rel)
            yield Package(name=name, version=None, source=self.name, location=str(folder),
                          texts=[TextRef(f, text_kind(f.name)) for f in files])
