"""diff: what changed between two versions of a license, clause by clause, in freedoms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from licenselens.cli import app
from licenselens.diff import diff
from licenselens.model import Freedom, LicenseDiff, Severity, Status
from licenselens.report.diff import FORMATS, render
from licenselens.resources import corpus_path

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
OLD, NEW = FIXTURES / "acme-1.0.txt", FIXTURES / "acme-1.1.txt"
LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"
MILITARY = "You may not use the Work for military purposes."

runner = CliRunner()


def _apache() -> str:
    raw = corpus_path("licenses", "apache-2.0.LICENSE").read_text(encoding="utf-8")
    m = re.match(r"\A---\n.*?\n---\n", raw, re.DOTALL)
    return raw[m.end():] if m else raw


def _llama(version: str) -> str:
    paths = [LLAMA / f"{version}-LICENSE.txt", LLAMA / f"{version}-USE_POLICY.md"]
    if not all(p.exists() for p in paths):
        pytest.skip(f"{LLAMA} has no {version} license and policy")
    return "\n\n".join(p.read_text(encoding="utf-8") for p in paths)


def test_added_military_sentence_is_an_added_use_finding_cited_in_new():
    new_text = NEW.read_text()
    result = diff(OLD.read_text(), new_text, old_path="old", new_path="new")
    use = result.freedoms[Freedom.USE]
    assert (use.before, use.after, use.change) == (Status.GRANTED, Status.RESTRICTED, "worsened")
    assert "USE-001" in use.added
    field = [f for f in result.added_findings if f.id == "USE-001" and f.severity is Severity.ERROR]
    assert len(field) == 1
    assert "military" in field[0].evidence
    assert field[0].clause == "1" and field[0].line == 3
    assert new_text[field[0].start:field[0].end] == field[0].evidence
    assert result.removed_findings == []
    assert result.aligned_by == "id"
    changed = {c.new: c for c in result.clauses if c.change == "changed"}
    assert "military" in " ".join(changed["1"].inserted)
    assert not any(c.change in ("added", "removed") for c in result.clauses)
    for freedom in (Freedom.STUDY, Freedom.MODIFY, Freedom.SHARE):
        assert result.freedoms[freedom].change == "unchanged"


def test_reverse_direction_reports_the_finding_removed_citing_old():
    result = diff(NEW.read_text(), OLD.read_text())
    assert result.added_findings == []
    assert result.freedoms[Freedom.USE].change == "improved"
    assert any(f.id == "USE-001" and "military" in f.evidence for f in result.removed_findings)


def test_same_text_changes_nothing():
    text = OLD.read_text()
    result = diff(text, text)
    assert result.added_findings == result.removed_findings == result.clauses == []
    assert all(c.change == "unchanged" for c in result.freedoms.values())


def test_apache_with_a_military_sentence_in_its_grant():
    original = _apache()
    anchor = "publicly display, publicly perform, sublicense, and distribute the\n      Work and such Derivative Works in Source or Object form."
    assert anchor in original
    modified = original.replace(anchor, anchor + " " + MILITARY, 1)
    result = diff(original, modified)
    assert result.freedoms[Freedom.USE].after is Status.RESTRICTED
    added = [f for f in result.added_findings if f.severity is Severity.ERROR]
    assert added and all("military" in f.evidence for f in added)
    assert {f.clause for f in added} == {"2"}
    assert [c.change for c in result.clauses] == ["changed"]


def test_llama_3_1_to_3_2_adds_the_eu_exclusion():
    result = diff(_llama("llama3_1"), _llama("llama3_2"))
    # The layouts differ (1.1.1 against 1.a.i), so clauses align by text.
    assert result.aligned_by == "text"
    eu = [f for f in result.added_findings if f.id == "USE-004"]
    assert eu and all("European Union" in f.evidence for f in eu)
    assert all(f.severity is Severity.ERROR for f in eu)
    assert "USE-004" in result.freedoms[Freedom.USE].added
    # Clauses that only got renumbered are not reported, so most of the texts read as unchanged.
    assert result.unchanged_clauses > 30
    added_clauses = {c.new for c in result.clauses if c.change == "added"}
    assert {f.clause for f in eu} <= added_clauses


def test_cli_exit_codes_and_formats(tmp_path):
    worse = runner.invoke(app, ["diff", str(OLD), str(NEW), "--format", "json"])
    assert worse.exit_code == 1, worse.output
    LicenseDiff.model_validate_json(worse.stdout)
    assert json.loads(worse.stdout)["freedoms"]["use"]["after"] == "restricted"
    better = runner.invoke(app, ["diff", str(NEW), str(OLD), "-q"])
    assert better.exit_code == 0 and "restricted -> open" in better.stdout
    assert runner.invoke(app, ["diff", str(OLD), str(NEW), "--fail-on", "never"]).exit_code == 0
    missing = runner.invoke(app, ["diff", str(OLD), str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt: no such file" in missing.stderr
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    assert runner.invoke(app, ["diff", str(binary), str(NEW)]).exit_code == 2


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_names_the_added_finding_and_escapes_html(name):
    old = OLD.read_text()
    new = NEW.read_text().replace("military purposes.", "military purposes <script>alert(1)</script>.")
    out = render(diff(old, new), name)
    assert "USE-001" in out
    if name == "html":
        assert "<script>" not in out and "&lt;script&gt;" in out


def test_json_is_deterministic():
    from licenselens.pipeline import clear_memo

    a = render(diff(OLD.read_text(), NEW.read_text()), "json")
    clear_memo()
    assert render(diff(OLD.read_text(), NEW.read_text()), "json") == a


_LINES = [
    "You may not use the Model for military purposes.",
    "3. Termination. This license ends if you break it.",
    "You must not reverse engineer the Model.",
    "",
    "(a) Keep this notice in all copies.",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(_LINES)), max_size=4), st.lists(st.integers(0, 12), max_size=3))
def test_any_edit_is_reported_with_spans_inside_each_text(insertions, deletions):
    old = OLD.read_text()
    lines = old.splitlines()
    for at in deletions:
        if lines:
            del lines[at % len(lines)]
    for at, line in insertions:
        lines.insert(at % (len(lines) + 1), line)
    new = "\n".join(lines) + "\n"
    if not new.strip():
        return
    result = diff(old, new)
    # Evidence is quoted with its whitespace flattened.
    for f in result.added_findings:
        assert new[f.start:f.end].split() == f.evidence.split()
    for f in result.removed_findings:
        assert old[f.start:f.end].split() == f.evidence.split()
    for c in result.clauses:
        assert (c.old is None) == (c.change == "added") and (c.new is None) == (c.change == "removed")
