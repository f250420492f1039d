"""Each scan source on its fixture tree: what it reads, what it declares, what it skips."""

from __future__ import annotations

import pytest
from scan_support import FIXTURES

from licenselens.declared import from_npm
from licenselens.errors import InputError
from licenselens.model import SkipNote
from licenselens.scan.interface import Package
from licenselens.scan.model_repo import ModelRepository, read_front_matter
from licenselens.scan.node import NodeModules, PackageLock
from licenselens.scan.python_env import PythonEnvironment
from licenselens.scan.requirements import RequirementFile
from licenselens.scan.sbom import Sbom

SITE = FIXTURES / "site-packages"


def _split(found):
    found = list(found)
    packages = {p.name: p for p in found if isinstance(p, Package)}
    skipped = [s for s in found if isinstance(s, SkipNote)]
    return packages, skipped


def test_python_environment_reads_expression_license_field_and_classifiers():
    packages, skipped = _split(PythonEnvironment([SITE]).collect())
    assert sorted(packages) == ["alpha", "beta", "gamma"]
    assert packages["alpha"].declared == "MIT"  # License-Expression
    assert packages["beta"].declared == "BSD-3-Clause"  # License field
    assert packages["gamma"].declared == "MIT License"  # classifier
    assert [t.path.name for t in packages["alpha"].texts] == ["LICENSE"]
    assert sorted(t.path.name for t in packages["gamma"].texts) == ["LICENSE.bin", "LICENSE.txt"]
    assert not skipped


@pytest.mark.parametrize(
    "name, expected",
    [
        ("requirements.txt", {"alpha": True, "beta": True, "gamma": True, "missing-package": False}),
        ("pyproject.toml", {"alpha": True, "beta": True, "missing-package": False}),
        ("uv.lock", {"alpha": True, "beta": True, "missing-package": False}),
        ("poetry.lock", {"gamma": True, "missing-package": False}),
        ("pylock.toml", {"alpha": True, "missing-package": False}),
    ],
)
def test_requirement_files_are_matched_against_the_environment(name, expected):
    packages, _ = _split(RequirementFile(FIXTURES / "python-project" / name, PythonEnvironment([SITE])).collect())
    assert {n: p.resolved for n, p in packages.items()} == expected
    assert packages["missing-package"].declared is None  # never invented
    assert "license unknown offline" in packages["missing-package"].notes[0]


def test_lock_pin_differing_from_the_installed_version_is_noted():
    packages, _ = _split(RequirementFile(FIXTURES / "python-project" / "uv.lock", PythonEnvironment([SITE])).collect())
    assert packages["beta"].version == "2.0"
    assert any("pins 1.9" in n for n in packages["beta"].notes)


def test_malformed_pyproject_is_bad_input(tmp_path):
    bad = tmp_path / "pyproject.toml"
    bad.write_text("[project\nname = 1\n")
    with pytest.raises(InputError, match="malformed TOML"):
        list(RequirementFile(bad, None).collect())


def test_node_modules_reads_legacy_licenses_scopes_nesting_and_skips_invalid_json():
    packages, skipped = _split(NodeModules(FIXTURES / "node-project" / "node_modules").collect())
    assert packages["left-pad"].declared == "MIT"
    assert packages["legacy"].declared == "MIT OR Apache-2.0"
    assert packages["@scope/pkg"].declared == "ISC"
    assert packages["inner"].declared == "BSD-2-Clause"
    assert [t.path.name for t in packages["inner"].texts] == ["LICENSE.md"]
    assert "broken" not in packages
    assert [s.reason.split(" (")[0] for s in skipped] == ["invalid JSON"]


def test_declared_of_package_json_variants():
    def declared_of(manifest):
        return from_npm(manifest).original or None

    assert declared_of({"license": {"type": "MIT"}}) == "MIT"
    assert declared_of({"licenses": {"type": "ISC"}}) == "ISC"
    assert declared_of({"licenses": ["MIT"]}) == "MIT"
    assert declared_of({"license": 42}) is None


def test_package_lock_v3_records_licenses():
    packages, _ = _split(PackageLock(FIXTURES / "node-project" / "package-lock.json").collect())
    assert {n: p.declared for n, p in packages.items()} == {"left-pad": "MIT", "@scope/pkg": "ISC", "inner": "BSD-2-Clause"}


def test_cyclonedx_components_nested_expressions_and_embedded_text():
    packages, _ = _split(Sbom(FIXTURES / "sbom" / "app.cdx.json").collect())
    assert packages["alpha"].declared == "MIT"
    assert packages["alpha"].texts[0].kind == "embedded"
    assert "Permission is hereby granted" in packages["alpha"].texts[0].text
    assert packages["dual"].declared == "Apache-2.0 OR MIT"
    assert packages["nested"].declared == "Custom Terms"


def test_spdx_packages_and_extracted_license_texts():
    packages, _ = _split(Sbom(FIXTURES / "sbom" / "app.spdx.json").collect())
    assert packages["left-pad"].declared == "MIT"
    assert packages["tool"].declared == "LicenseRef-tool-terms"
    assert "military" in packages["tool"].texts[0].text


def test_model_repository_front_matter_and_files():
    packages, skipped = _split(ModelRepository(FIXTURES / "model-good").collect())
    (model,) = packages.values()
    assert model.declared == "mit"
    assert model.base_model == ["org/base-7b"]
    assert [t.path.name for t in model.texts] == ["LICENSE"]
    assert not skipped


def test_broken_front_matter_is_a_skip_note_with_its_line():
    packages, skipped = _split(ModelRepository(FIXTURES / "model-broken").collect())
    (model,) = packages.values()
    assert model.broken_metadata
    assert "broken YAML front matter" in skipped[0].reason
    assert "line 4" in model.notes[0]  # where the parser met the stray colon


@pytest.mark.parametrize(
    "card, declared_error",
    [
        ("---\nlicense: other\nlicense_name: acme-model-license\n---\n", None),
        ("---\n- a list\n---\n", "not a YAML mapping"),
        ("---\nlicense: mit\n", "never closed"),
        ("# no front matter\n", None),
    ],
)
def test_front_matter_variants(card, declared_error):
    matter = read_front_matter(card)
    if declared_error:
        assert declared_error in matter.error
    else:
        assert matter.error is None


def test_an_oversized_sbom_is_refused_for_its_size_not_as_invalid_json(monkeypatch):
    import licenselens.scan.sbom as sbom

    def too_large(path, limit):
        raise ValueError(f"file too large (over {limit // (1024 * 1024)} MiB)")

    monkeypatch.setattr(sbom, "read_small", too_large)
    with pytest.raises(InputError, match=r"file too large \(over 256 MiB\)$"):
        list(Sbom(FIXTURES / "sbom" / "app.cdx.json").collect())
