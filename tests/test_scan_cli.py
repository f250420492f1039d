"""``licenselens scan`` end to end with the real pipeline: exit codes, formats, output files, one-line errors."""

from __future__ import annotations

import json

import pytest
from scan_support import FIXTURES, copy_fixture
from typer.testing import CliRunner

from licenselens.cli import app

runner = CliRunner()


@pytest.fixture()
def cache(tmp_path):
    return str(tmp_path / "cache.sqlite3")


def _run(*args):
    return runner.invoke(app, ["scan", *args])


def test_restricted_license_fails_the_default_policy(cache):
    result = _run(str(FIXTURES / "site-packages"), "--cache", cache, "-f", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    beta = next(p for p in data["packages"] if p["name"] == "beta")
    assert beta["verdict"] == "restricted"
    finding = next(f for t in beta["texts"] for f in t["findings"] if f["freedom"] == "use")
    assert finding["line"] == 23  # the military clause of the fixture's LICENSE
    assert any(v["rule"] == "freedom-finding" and v["package"] == "beta" for v in data["violations"])


def test_open_tree_passes(cache, tmp_path):
    tree = tmp_path / "tree" / "lib"
    tree.mkdir(parents=True)
    (tree / "LICENSE").write_text((FIXTURES / "model-good" / "LICENSE").read_text())
    result = _run(str(tmp_path / "tree"), "--cache", cache, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("pass: 1 package")


def test_output_file_and_quiet(cache, tmp_path):
    out = tmp_path / "report.sarif"
    result = _run(str(FIXTURES / "site-packages"), "--cache", cache, "-f", "sarif", "-o", str(out), "-q")
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL:")
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_policy_file_decides(cache, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('[findings]\nfail-at = "never"\n')
    assert _run(str(FIXTURES / "site-packages"), "--cache", cache, "--policy", str(policy), "-q").exit_code == 0
    policy.write_text('[findings]\nfail-at = "never"\n[[exceptions]]\n')
    result = _run(str(FIXTURES / "site-packages"), "--cache", cache, "--policy", str(policy))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "policy.toml" in result.stderr


def test_policy_is_found_in_pyproject(cache, tmp_path):
    import shutil

    project = copy_fixture("python-project", tmp_path)
    shutil.copytree(FIXTURES / "site-packages", project / ".venv" / "lib" / "python3.11" / "site-packages")
    (project / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('deny = ["GPL-3.0-only"]', 'deny = ["BSD-3-Clause"]')
                         + "\n[tool.licenselens.findings]\nfail-at = 'never'\n")
    result = _run(str(project), "--cache", cache, "-f", "json")
    assert result.exit_code == 1, result.output
    violations = json.loads(result.stdout)["violations"]
    assert [(v["package"], v["rule"]) for v in violations] == [("beta", "denied-license")]


def test_unusable_python_is_bad_input(cache):
    result = _run("--python", "/nonexistent/python", "--cache", cache)
    assert result.exit_code == 2 and "cannot query the Python interpreter" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["/no/such/tree"], "no such file or directory"),
        ([str(FIXTURES / "site-packages"), "--policy", "/no/policy.toml"], "no such policy file"),
        ([str(FIXTURES / "site-packages"), "-f", "xml"], "xml"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_pyproject_is_bad_input(tmp_path, cache):
    (tmp_path / "pyproject.toml").write_text("[project\n")
    result = _run(str(tmp_path), "--cache", cache)
    assert result.exit_code == 2
    assert "pyproject.toml" in result.stderr and "malformed" in result.stderr


def test_default_format_is_json_when_piped_and_table_in_ci(cache, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    piped = _run(str(FIXTURES / "model-good"), "--cache", cache)
    assert json.loads(piped.stdout)["schema_version"] == "1"
    monkeypatch.setenv("CI", "true")
    ci = _run(str(FIXTURES / "model-good"), "--cache", cache)
    assert "licenselens scan" in ci.stdout and not ci.stdout.lstrip().startswith("{")


@pytest.mark.slow
def test_jobs_spread_analysis_over_processes_with_the_same_result(tmp_path):
    # Ten distinct texts: enough to start a process pool.
    text = (FIXTURES / "model-good" / "LICENSE").read_text()
    for i in range(10):
        folder = tmp_path / "tree" / f"pkg{i}"
        folder.mkdir(parents=True)
        (folder / "LICENSE").write_text(text.replace("2024", str(2000 + i)))
    serial = _run(str(tmp_path / "tree"), "--no-cache", "-j", "1", "-f", "json")
    parallel = _run(str(tmp_path / "tree"), "--no-cache", "-j", "2", "-f", "json")
    assert serial.exit_code == parallel.exit_code == 0
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)


@pytest.mark.slow
def test_two_concurrent_scans_share_one_cache(tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "shared.sqlite3"
    command = [sys.executable, "-m", "licenselens.cli", "scan", str(FIXTURES / "site-packages"), "--cache", str(cache),
               "-f", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    first, second = (json.loads(out) for out, _ in outputs)
    assert first["packages"] == second["packages"]
    warm = _run(str(FIXTURES / "site-packages"), "--cache", str(cache), "-f", "json")
    assert json.loads(warm.stdout)["stats"]["analysed"] == 0
