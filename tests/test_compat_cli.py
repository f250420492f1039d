"""``licenselens compat``: exit codes, JSON contract, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from licenselens.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "compat"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["compat", *args])


def test_exit_codes_follow_the_verdict():
    assert run("MIT", "--outbound", "GPL-2.0-only").exit_code == 0  # compatible
    assert run("MPL-2.0", "--outbound", "MIT").exit_code == 0  # conditional
    assert run("Apache-2.0", "--outbound", "GPL-2.0-only").exit_code == 1  # incompatible


def test_json_is_exactly_the_contract():
    result = run("MIT", "GPL-2.0-only OR MIT", "--outbound", "Apache-2.0", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"outbound", "verdict", "inbound"}
    assert data["outbound"] == "Apache-2.0"
    assert data["verdict"] == "compatible"
    assert [set(item) for item in data["inbound"]] == [{"license", "verdict", "reasons"}] * 2
    assert data["inbound"][1]["license"] == "GPL-2.0-only OR MIT"
    assert all(isinstance(r, str) for item in data["inbound"] for r in item["reasons"])


def test_json_is_deterministic():
    args = (str(FIXTURES / "field-of-use.txt"), "Apache-2.0", "--outbound", "GPL-3.0-only", "--format", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout


def test_text_output_lists_reasons_and_what_must_be_done():
    result = run("MPL-2.0", "--outbound", "MIT")
    assert result.stdout.startswith("conditional: combine into a work under MIT")
    assert "  must:" in result.stdout


def test_model_use():
    result = run("LicenseRef-scancode-llama-3.1-license-2024", "--outbound", "Apache-2.0", "--use", "model")
    assert result.exit_code == 1
    assert result.stdout.startswith("INCOMPATIBLE: release a derived model under Apache-2.0")


@pytest.mark.parametrize(
    "args, message",
    [
        (["MIT OR", "--outbound", "MIT"], "position 7"),
        (["MIT", "--outbound", "(MIT"], "missing ')'"),
        (["NOPE-1.0", "--outbound", "MIT"], "unknown license id 'NOPE-1.0'"),
        (["./no-such-license.txt", "--outbound", "MIT"], "no such file"),
        (["LicenseRef-unknown", "--outbound", "MIT"], "LicenseRef-unknown"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(args, message):
    proc = subprocess.run(
        [sys.executable, "-m", "licenselens.cli", "compat", *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_inbound_from_standard_input():
    text = (FIXTURES / "noncommercial.txt").read_text(encoding="utf-8")
    result = runner.invoke(app, ["compat", "-", "--outbound", "MIT", "--no-cache"], input=text)
    assert result.exit_code == 1
    assert "-: INCOMPATIBLE" in result.stdout
