"""``licenselens check``: the pre-commit hook of model repositories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from scan_support import FIXTURES, copy_fixture
from typer.testing import CliRunner

from licenselens.cli import app
from licenselens.cli.check import model_roots

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def cache(tmp_path):
    return str(tmp_path / "cache.sqlite3")


def _check(*args, cache):
    return runner.invoke(app, ["check", "--cache", cache, *args])


def test_card_and_license_that_agree_pass(cache):
    result = _check(str(FIXTURES / "model-good" / "README.md"), cache=cache)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("pass:")


def test_card_declaring_another_license_than_the_text_fails(cache):
    result = _check(str(FIXTURES / "model-mismatch" / "LICENSE"), cache=cache)
    assert result.exit_code == 1
    assert "license-mismatch" in result.stdout and "'apache-2.0'" in result.stdout and "MIT" in result.stdout


def test_broken_front_matter_fails_with_its_line(cache):
    result = _check(str(FIXTURES / "model-broken" / "README.md"), cache=cache)
    assert result.exit_code == 1
    assert "README.md:4: broken-metadata" in result.stdout


def test_freedom_findings_fail_only_when_the_policy_says_so(cache, tmp_path):
    repo = copy_fixture("model-good", tmp_path)
    (repo / "LICENSE").write_text((repo / "LICENSE").read_text() + "\nYou may not use the Software for military purposes.\n")
    assert _check(str(repo / "LICENSE"), cache=cache).exit_code == 0
    (repo / "licenselens.toml").write_text('[findings]\nfail-at = "error"\n')
    result = _check(str(repo / "LICENSE"), cache=cache)
    assert result.exit_code == 1
    assert re.search(r"LICENSE:2\d: freedom-finding", result.stdout)


def test_policy_deny_fails(cache, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('deny = ["MIT"]\n')
    result = _check(str(FIXTURES / "model-good" / "README.md"), "--policy", str(policy), cache=cache)
    assert result.exit_code == 1 and "denied-license" in result.stdout


def test_unrelated_files_cost_nothing(cache):
    result = _check("src/model.py", "config.json", cache=cache)
    assert result.exit_code == 0 and result.stdout == ""


def test_no_files_checks_the_current_folder(cache, monkeypatch):
    monkeypatch.chdir(FIXTURES / "model-mismatch")
    assert _check(cache=cache).exit_code == 1


def test_quiet_pass_prints_nothing(cache):
    result = _check(str(FIXTURES / "model-good" / "LICENSE"), "-q", cache=cache)
    assert result.exit_code == 0 and result.stdout == ""


def test_model_roots():
    files = [Path("README.md"), Path("models/a/LICENSE.txt"), Path("models/a/USE_POLICY.md"), Path("src/x.py")]
    assert model_roots(files) == [Path("."), Path("models/a")]


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "licenselens check"
    pattern = re.compile(hook["files"])
    for name in ("README.md", "LICENSE", "models/x/LICENSE.txt", "models/x/license.txt", "USE_POLICY.md", "NOTICE"):
        assert pattern.search(name), name
    for name in ("src/license_check.py", "docs/README.rst"):
        assert not pattern.search(name), name


LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"


def test_llama_model_repository(cache, tmp_path):
    if not (LLAMA / "llama3_1-LICENSE.txt").is_file():
        pytest.skip("Llama reference texts are not beside the checkout")
    repo = tmp_path / "llama-finetune"
    repo.mkdir()
    (repo / "README.md").write_text("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# A fine-tune\n")
    (repo / "LICENSE").write_text((LLAMA / "llama3_1-LICENSE.txt").read_text())
    (repo / "USE_POLICY.md").write_text((LLAMA / "llama3_1-USE_POLICY.md").read_text())
    # The card tells the truth: the default check passes.
    assert _check(str(repo / "README.md"), cache=cache).exit_code == 0
    # A card calling it Apache-2.0 does not.
    (repo / "README.md").write_text("---\nlicense: apache-2.0\n---\n# A fine-tune\n")
    result = _check(str(repo / "README.md"), cache=cache)
    assert result.exit_code == 1 and "license-mismatch" in result.stdout
    # With a policy on freedoms, the use restrictions of the license and its policy fail.
    (repo / "README.md").write_text("---\nlicense: llama3.1\n---\n# A fine-tune\n")
    (repo / "licenselens.toml").write_text('[findings]\nuse = "error"\n')
    result = _check(str(repo / "LICENSE"), cache=cache)
    assert result.exit_code == 1
    assert "USE_POLICY.md:" in result.stdout and "LICENSE:" in result.stdout
