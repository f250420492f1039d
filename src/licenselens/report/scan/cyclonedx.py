"""CycloneDX 1.6 JSON: every package a component, with its licenses filled in.

The declared license goes in as an SPDX expression (acknowledgement
``declared``); when nothing is declared, the licenses identified from the
texts go in as ``concluded``. The verdict and agreement travel as properties.
"""

from __future__ import annotations

import json
import uuid

from licenselens import __version__
from licenselens.model import ScannedPackage, ScanResult
from licenselens.report.scan.interface import ScanFormat

SPEC_VERSION = "1.6"
_NAMESPACE = uuid.UUID("6f1c8d52-3a4b-5e0f-9c1d-2b7a4e8f0c11")


def _purl(package: ScannedPackage) -> str | None:
    from urllib.parse import quote

    if not package.version:
        return None
    if package.source in ("python-env", "requirements"):
        return f"pkg:pypi/{quote(package.name.lower().replace('_', '-'))}@{quote(package.version)}"
    if package.source == "node":
        name = package.name
        if name.startswith("@") and "/" in name:
            scope, bare = name.split("/", 1)
            return f"pkg:npm/{quote(scope)}/{quote(bare)}@{quote(package.version)}"
        return f"pkg:npm/{quote(name)}@{quote(package.version)}"
    return None


def _licenses(package: ScannedPackage) -> list[dict]:
    from licenselens import expression

    if package.declared_spdx:
        return [{"expression": package.declared_spdx, "acknowledgement": "declared"}]
    out = []
    for detected in package.detected:
        entry = expression.lookup(detected)
        if entry is not None and entry.deprecated_alias_of is None and not entry.is_exception:
            out.append({"license": {"id": entry.id, "acknowledgement": "concluded"}})
        else:
            out.append({"license": {"name": detected, "acknowledgement": "concluded"}})
    if not out and package.declared:
        out.append({"license": {"name": package.declared, "acknowledgement": "declared"}})
    return out


def to_cyclonedx(result: ScanResult) -> dict:
    """The CycloneDX BOM of a scan, as a dict (deterministic: the serial number hashes the content)."""
    components = []
    refs: set[str] = set()
    for package in result.packages:
        ref = f"{package.source}:{package.name}@{package.version or ''}"
        n = 2
        while ref in refs:
            ref = f"{package.source}:{package.name}@{package.version or ''}#{n}"
            n += 1
        refs.add(ref)
        component: dict = {
            "type": "machine-learning-model" if package.source == "model-repo" else "library",
            "bom-ref": ref,
            "name": package.name,
        }
        if package.version:
            component["version"] = package.version
        purl = _purl(package)
        if purl:
            component["purl"] = purl
        licenses = _licenses(package)
        if licenses:
            component["licenses"] = licenses
        properties = [{"name": "licenselens:agreement", "value": package.agreement.value}]
        if package.verdict:
            properties.append({"name": "licenselens:verdict", "value": package.verdict.value})
        properties += [{"name": "licenselens:detected", "value": d} for d in package.detected]
        properties += [{"name": "licenselens:base_model", "value": b} for b in package.base_model]
        component["properties"] = properties
        components.append(component)
    body = json.dumps(components, sort_keys=True)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid5(_NAMESPACE, body)}",
        "version": 1,
        "metadata": {"tools": {"components": [{"type": "application", "name": "licenselens", "version": __version__}]}},
        "components": components,
    }


class ScanCycloneDxFormat(ScanFormat):
    name = "cyclonedx"

    def format(self, result: ScanResult, *, color: bool = False, width: int | None = None) -> str:
        return json.dumps(to_cyclonedx(result), indent=2, ensure_ascii=False) + "\n"
