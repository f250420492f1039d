"""The scan engine: texts deduped by hash, analyses cached, agreement, skip notes for hostile trees."""

from __future__ import annotations

import os
import shutil

import pytest
from scan_support import FIXTURES, CountingAnalyser, copy_fixture

from licenselens.errors import InputError
from licenselens.model import Agreement, Identified, Verdict
from licenselens.scan import scan
from licenselens.scan.engine import agreement
from licenselens.text import MAX_BYTES


def _by_name(result):
    return {p.name: p for p in result.packages}


def test_site_packages_scan_dedupes_identical_texts(tmp_path):
    analyser = CountingAnalyser()
    result = scan(FIXTURES / "site-packages", analyser=analyser, cache_path=tmp_path / "c.sqlite3")
    packages = _by_name(result)
    # alpha and gamma ship the same MIT text: two texts, one analysis.
    assert packages["alpha"].texts[0].sha256 == packages["gamma"].texts[0].sha256
    assert result.stats.unique_texts == 2 and analyser.calls == 2
    assert packages["alpha"].declared_spdx == "MIT"
    assert packages["alpha"].detected == ["MIT"]
    assert packages["alpha"].agreement is Agreement.AGREE
    assert packages["beta"].verdict is Verdict.RESTRICTED
    finding = packages["beta"].texts[0].findings[0]
    assert (packages["beta"].texts[0].path, finding.line) == ("beta-2.0.dist-info/LICENSE", 23)
    assert any("binary" in s.reason for s in result.skipped)


def test_three_hundred_copies_cost_one_analysis(tmp_path):
    text = (FIXTURES / "model-good" / "LICENSE").read_text()
    for i in range(300):
        folder = tmp_path / "tree" / f"pkg{i}"
        folder.mkdir(parents=True)
        (folder / "LICENSE").write_text(text)
    analyser = CountingAnalyser()
    result = scan(tmp_path / "tree", analyser=analyser, use_cache=False)
    assert result.stats.packages == 300 and result.stats.texts == 300
    assert analyser.calls == 1


def test_second_scan_reads_every_analysis_from_the_cache(tmp_path):
    cache = tmp_path / "cache.sqlite3"
    first, second = CountingAnalyser(), CountingAnalyser()
    cold = scan(FIXTURES / "site-packages", analyser=first, cache_path=cache)
    warm = scan(FIXTURES / "site-packages", analyser=second, cache_path=cache)
    assert first.calls == 2 and second.calls == 0
    assert warm.stats.analysed == 0
    assert warm.model_dump() == cold.model_dump() | {"stats": warm.stats.model_dump()}


def test_no_cache_analyses_again(tmp_path):
    analyser = CountingAnalyser()
    scan(FIXTURES / "site-packages", analyser=analyser, use_cache=False)
    scan(FIXTURES / "site-packages", analyser=analyser, use_cache=False)
    assert analyser.calls == 4


def test_scan_output_is_deterministic(tmp_path):
    a = scan(FIXTURES / "node-project", analyser=CountingAnalyser(), use_cache=False)
    b = scan(FIXTURES / "node-project", analyser=CountingAnalyser(), use_cache=False)
    assert a.model_dump_json() == b.model_dump_json()


def test_project_folder_uses_requirements_and_reports_unresolved(tmp_path):
    project = copy_fixture("python-project", tmp_path)
    shutil.copytree(FIXTURES / "site-packages", project / ".venv" / "lib" / "python3.11" / "site-packages")
    (project / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = scan(project, analyser=CountingAnalyser(), use_cache=False)
    packages = _by_name(result)
    assert {"alpha", "beta", "gamma", "missing-package"} <= set(packages)
    assert packages["missing-package"].resolved is False
    assert packages["alpha"].source == "requirements"


def test_missing_path_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        scan(tmp_path / "nope")


def test_unknown_file_is_bad_input(tmp_path):
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(InputError, match="unknown file type"):
        scan(odd)


# --- hostile trees -------------------------------------------------------------------


def test_symlink_loop_is_a_skip_note(tmp_path):
    tree = tmp_path / "tree"
    (tree / "pkg").mkdir(parents=True)
    shutil.copy(FIXTURES / "model-good" / "LICENSE", tree / "pkg" / "LICENSE")
    os.symlink("..", tree / "pkg" / "up")
    os.symlink("self", tree / "self")  # a link to itself
    result = scan(tree, analyser=CountingAnalyser(), use_cache=False)
    assert [p.name for p in result.packages] == ["pkg"]
    reasons = " ".join(s.reason for s in result.skipped)
    assert "symlink loop" in reasons


def test_node_modules_symlink_loop(tmp_path):
    project = copy_fixture("node-project", tmp_path)
    os.symlink("..", project / "node_modules" / "left-pad" / "node_modules")
    result = scan(project, analyser=CountingAnalyser(), use_cache=False)
    assert "left-pad" in _by_name(result)
    assert any("loop" in s.reason for s in result.skipped)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_skip_note(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    locked = tree / "LICENSE"
    locked.write_text("MIT License\n")
    locked.chmod(0)
    try:
        result = scan(tree, analyser=CountingAnalyser(), use_cache=False)
    finally:
        locked.chmod(0o600)
    assert any(s.reason == "permission denied" for s in result.skipped)


def test_huge_file_is_a_skip_note_without_reading_it(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    with open(tree / "LICENSE", "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    analyser = CountingAnalyser()
    result = scan(tree, analyser=analyser, use_cache=False)
    assert analyser.calls == 0
    assert any("too large" in s.reason for s in result.skipped)


def test_binary_license_and_broken_front_matter_are_skip_notes():
    result = scan(FIXTURES / "model-broken", analyser=CountingAnalyser(), use_cache=False)
    assert any("broken YAML" in s.reason for s in result.skipped)
    assert result.passed is False  # broken metadata fails the default policy


# --- agreement -------------------------------------------------------------------------


def _id(key, spdx):
    return Identified(key=key, spdx=spdx, name=key, score=1.0)


@pytest.mark.parametrize(
    "declared, found, expected",
    [
        ("MIT", [_id("mit", "MIT")], Agreement.AGREE),
        ("MIT OR Apache-2.0", [_id("mit", "MIT"), _id("apache-2.0", "Apache-2.0")], Agreement.AGREE),
        ("GPL-2.0-or-later", [_id("gpl-2.0", "GPL-2.0-only")], Agreement.AGREE),
        ("Apache-2.0", [_id("mit", "MIT")], Agreement.DISAGREE),
        ("LicenseRef-acme", [_id("mit", "MIT")], Agreement.UNKNOWN),
        (None, [_id("mit", "MIT")], Agreement.UNKNOWN),
        ("MIT", [], Agreement.UNKNOWN),
    ],
)
def test_agreement(declared, found, expected):
    assert agreement(declared, found) is expected


# --- copyright-line sharing (real pipeline) ----------------------------------------------


def test_texts_differing_only_in_copyright_lines_share_one_analysis(tmp_path):
    body = (FIXTURES / "site-packages" / "beta-2.0.dist-info" / "LICENSE").read_text()
    holders = ["Copyright (c) 2024 Example Authors", "Copyright (c) 1999-2023 A Much Longer Name Of Holders, Inc."]
    for i, holder in enumerate(holders):
        folder = tmp_path / "tree" / f"pkg{i}"
        folder.mkdir(parents=True)
        (folder / "LICENSE").write_text(body.replace("Copyright (c) 2024 Example Authors", holder))
    result = scan(tmp_path / "tree", use_cache=False)
    assert result.stats.unique_texts == 2 and result.stats.analysed == 1
    texts = [(tmp_path / "tree" / p.name / "LICENSE").read_text() for p in result.packages]
    findings = [p.texts[0].findings for p in result.packages]
    assert findings[0] and len(findings[0]) == len(findings[1])
    for a, b in zip(*findings):
        assert a.line == b.line and a.id == b.id
        assert texts[0][a.start:a.end] == texts[1][b.start:b.end]
    # Each text analysed on its own gives the same answer.
    alone = scan(tmp_path / "tree" / "pkg1", use_cache=False)
    assert alone.packages[0].texts[0].findings == result.packages[1].texts[0].findings


def test_folder_discovery_reads_sboms_and_embedded_texts():
    analyser = CountingAnalyser()
    result = scan(FIXTURES / "sbom", analyser=analyser, use_cache=False)
    packages = {(p.name, p.source) for p in result.packages}
    assert {("alpha", "sbom"), ("dual", "sbom"), ("nested", "sbom"), ("left-pad", "sbom"), ("tool", "sbom")} <= packages
    tool = next(p for p in result.packages if p.name == "tool")
    assert tool.texts[0].kind == "embedded" and tool.verdict is Verdict.RESTRICTED
    dual = next(p for p in result.packages if p.name == "dual")
    assert dual.declared_spdx == "Apache-2.0 OR MIT"


def test_folder_discovery_reads_a_model_repository():
    result = scan(FIXTURES / "model-mismatch", analyser=CountingAnalyser(), use_cache=False)
    (model,) = result.packages
    assert model.source == "model-repo"
    assert (model.declared_spdx, model.detected, model.agreement) == ("Apache-2.0", ["MIT"], Agreement.DISAGREE)


def test_oversized_package_json_and_special_files_are_skip_notes(tmp_path):
    project = copy_fixture("node-project", tmp_path)
    with open(project / "node_modules" / "left-pad" / "package.json", "wb") as handle:
        handle.truncate(5 * 1024 * 1024)
    os.mkfifo(project / "node_modules" / "legacy" / "LICENSE")  # reading it would block forever
    result = scan(project, analyser=CountingAnalyser(), use_cache=False)
    assert any(s.reason.startswith("file too large") for s in result.skipped)
    assert "left-pad" not in _by_name(result)
    assert _by_name(result)["legacy"].texts == []
