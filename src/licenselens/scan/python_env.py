"""Installed Python distributions: ``*.dist-info`` and ``*.egg-info`` metadata and license files."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from email.parser import BytesHeaderParser
from pathlib import Path

from licenselens.errors import InputError
from licenselens.model import SkipNote
from licenselens.scan.interface import Found, LicenseSource, Package, TextRef, is_license_name, read_small, reason_of, text_kind

# A License field longer than this, or spanning lines, is the license text itself, not a name.
_MAX_LICENSE_NAME = 120


class PythonEnvironment(LicenseSource):
    """Every distribution installed in some ``site-packages`` folders."""

    name = "python-env"

    def __init__(self, site_dirs: list[Path]) -> None:
        self.site_dirs = site_dirs

    def collect(self) -> Iterator[Found]:
        seen: set[str] = set()
        for site in self.site_dirs:
            try:
                entries = sorted(site.iterdir())
            except OSError as exc:
                yield SkipNote(path=str(site), reason=reason_of(exc))
                continue
            for meta_dir in entries:
                if not meta_dir.name.endswith((".dist-info", ".egg-info")) or not meta_dir.is_dir():
                    continue
                found = read_distribution(meta_dir, self.name)
                if isinstance(found, Package):
                    # The first folder on the path wins, as it does for import.
                    key = canonical_name(found.name)
                    if key in seen:
                        continue
                    seen.add(key)
                yield found


def canonical_name(name: str) -> str:
    """PEP 503 normalized project name."""
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def read_distribution(meta_dir: Path, source: str) -> Found:
    """Read one ``.dist-info``/``.egg-info`` folder into a package (or a skip note)."""
    meta_file = meta_dir / ("METADATA" if meta_dir.name.endswith(".dist-info") else "PKG-INFO")
    try:
        headers = BytesHeaderParser().parsebytes(read_small(meta_file))
    except (OSError, ValueError) as exc:
        reason = reason_of(exc) if isinstance(exc, OSError) else str(exc)
        return SkipNote(path=str(meta_file), reason=reason)
    name = _header(headers, "Name") or meta_dir.name.split("-")[0]
    package = Package(name=name, version=_header(headers, "Version"), source=source, location=str(meta_dir))
    expression = _header(headers, "License-Expression")
    license_field = (_header(headers, "License") or "").strip()
    classifiers = [str(c).split("::")[-1].strip() for c in headers.get_all("Classifier") or [] if str(c).startswith("License ::")]
    classifiers = [c for c in classifiers if c.lower() not in {"osi approved", "other/proprietary license"}] or classifiers
    if expression:
        package.declared = str(expression).strip()
    elif license_field and license_field.upper() != "UNKNOWN" and len(license_field) <= _MAX_LICENSE_NAME and "\n" not in license_field:
        package.declared = license_field
    elif classifiers:
        package.declared = " OR ".join(classifiers)
    from licenselens.declared import from_python_metadata

    raw_classifiers = [str(c) for c in headers.get_all("Classifier") or []]
    # A License field holding the whole text is analysed as a text below, not read as a name.
    is_text = "\n" in license_field or len(license_field) > _MAX_LICENSE_NAME
    package.read_declared(from_python_metadata(expression, None if is_text else (license_field or None), raw_classifiers))
    if license_field and ("\n" in license_field or len(license_field) > _MAX_LICENSE_NAME):
        package.texts.append(TextRef(path=f"{meta_file}#License", kind="embedded", text=license_field))
    package.texts.extend(_license_files(meta_dir, [str(f) for f in headers.get_all("License-File") or []]))
    return package


def _header(headers, key: str) -> str | None:
    # Non-ASCII header values come back as email.header.Header objects.
    value = headers.get(key)
    return str(value) if value is not None else None


def _license_files(meta_dir: Path, declared_files: list[str]) -> list[TextRef]:
    found: dict[Path, TextRef] = {}
    for rel in declared_files:
        for candidate in (meta_dir / "licenses" / rel, meta_dir / rel):
            if candidate.is_file():
                found.setdefault(candidate, TextRef(candidate, text_kind(candidate.name)))
                break
    # Older wheels put license files beside METADATA without declaring them.
    for folder in (meta_dir, meta_dir / "licenses"):
        try:
            children = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for child in children:
            if child.is_file() and is_license_name(child.name):
                found.setdefault(child, TextRef(child, text_kind(child.name)))
    return list(found.values())


def site_dirs_of_python(python: str) -> list[Path]:
    """Ask an interpreter where its distributions live (purelib, platlib, then sys.path)."""
    code = (
        "import json, sys, sysconfig; p = sysconfig.get_paths();"
        "print(json.dumps([p['purelib'], p['platlib']] + sys.path))"
    )
    try:
        out = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, timeout=30, check=True).stdout
        paths = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise InputError(python, f"cannot query the Python interpreter ({type(exc).__name__})") from None
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if raw and path.is_dir() and path not in result and _holds_distributions(path):
            result.append(path)
    return result


def site_dirs_of_folder(folder: Path) -> list[Path]:
    """Site-packages folders of a virtual environment folder, or the folder itself when it is one."""
    if _holds_distributions(folder):
        return [folder]
    if (folder / "pyvenv.cfg").is_file():
        candidates = sorted(folder.glob("lib/python*/site-packages")) + sorted(folder.glob("Lib/site-packages"))
        return [c for c in candidates if c.is_dir()]
    return []


def _holds_distributions(folder: Path) -> bool:
    try:
        return any(c.name.endswith((".dist-info", ".egg-info")) for c in folder.iterdir())
    except OSError:
        return False
