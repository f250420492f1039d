"""SBOMs: CycloneDX JSON and SPDX JSON documents, with the licenses they declare and embed."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path

from licenselens.errors import InputError
from licenselens.scan.interface import Found, LicenseSource, Package, TextRef, read_small, reason_of

_SPDX_NONE = {"NOASSERTION", "NONE", ""}


def sbom_kind(path: Path) -> str | None:
    """'cyclonedx' or 'spdx' when ``path`` is a JSON SBOM (sniffed from its first bytes), else None."""
    if not path.name.lower().endswith(".json"):
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if b'"bomFormat"' in head and b"CycloneDX" in head:
        return "cyclonedx"
    if b'"spdxVersion"' in head:
        return "spdx"
    return None


class Sbom(LicenseSource):
    """The components of a CycloneDX or SPDX JSON document."""

    name = "sbom"

    def __init__(self, path: Path) -> None:
        self.path = path

    def collect(self) -> Iterator[Found]:
        try:
            data = read_small(self.path, limit=256 * 1024 * 1024)
        except OSError as exc:
            raise InputError(str(self.path), reason_of(exc)) from None
        except ValueError as exc:  # over the size limit
            raise InputError(str(self.path), str(exc)) from None
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(str(self.path), f"invalid JSON ({str(exc).splitlines()[0]})") from None
        if not isinstance(document, dict):
            raise InputError(str(self.path), "not an SBOM (JSON object expected)")
        if document.get("bomFormat") == "CycloneDX":
            yield from self._cyclonedx(document.get("components") or [])
        elif "spdxVersion" in document:
            yield from self._spdx(document)
        else:
            raise InputError(str(self.path), "neither a CycloneDX nor an SPDX JSON document")

    def _cyclonedx(self, components: list) -> Iterator[Found]:
        for index, component in enumerate(components):
            if not isinstance(component, dict):
                continue
            name = str(component.get("name") or component.get("bom-ref") or f"component-{index}")
            package = Package(name=name, version=component.get("version"), source=self.name,
                              location=f"{self.path}#{component.get('bom-ref') or name}")
            declared: list[str] = []
            for choice in component.get("licenses") or []:
                if not isinstance(choice, dict):
                    continue
                if isinstance(choice.get("expression"), str):
                    declared.append(choice["expression"])
                lic = choice.get("license")
                if isinstance(lic, dict):
                    ident = lic.get("id") or lic.get("name")
                    if isinstance(ident, str):
                        declared.append(ident)
                    text = _attachment(lic.get("text"))
                    if text:
                        package.texts.append(TextRef(f"{package.location}:{ident or 'license'}", "embedded", text))
            if declared:
                package.declared = declared[0] if len(declared) == 1 else " AND ".join(f"({d})" for d in declared)
            yield package
            yield from self._cyclonedx(component.get("components") or [])

    def _spdx(self, document: dict) -> Iterator[Found]:
        extracted = {
            item.get("licenseId"): item.get("extractedText")
            for item in document.get("hasExtractedLicensingInfos") or []
            if isinstance(item, dict) and isinstance(item.get("extractedText"), str)
        }
        for index, pkg in enumerate(document.get("packages") or []):
            if not isinstance(pkg, dict):
                continue
            name = str(pkg.get("name") or pkg.get("SPDXID") or f"package-{index}")
            declared = next(
                (str(pkg[k]) for k in ("licenseDeclared", "licenseConcluded") if str(pkg.get(k, "")) not in _SPDX_NONE),
                None,
            )
            package = Package(name=name, version=pkg.get("versionInfo"), source=self.name,
                              location=f"{self.path}#{pkg.get('SPDXID') or name}", declared=declared)
            for ref in sorted(set(re.findall(r"LicenseRef-[A-Za-z0-9.\-]+", declared or ""))):
                if extracted.get(ref):
                    package.texts.append(TextRef(f"{self.path}#{ref}", "embedded", extracted[ref]))
            yield package


def _attachment(value: object) -> str | None:
    """The text of a CycloneDX attachment (plain or base64)."""
    if not isinstance(value, dict) or not isinstance(value.get("content"), str):
        return None
    content = value["content"]
    if value.get("encoding") == "base64":
        try:
            return base64.b64decode(content, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    return content
