"""Every rule's documentation is complete, and its two examples behave as documented
when run through the real pipeline (segment, classify, reason).

New rules are picked up from the registry automatically.
"""

from __future__ import annotations

import re

import pytest

from licenselens import analyze
from licenselens.reason import all_rules, get_rule
from licenselens.taxonomy import Freedom

RULES = all_rules()
CODE = re.compile(r"^(USE|STUDY|MODIFY|SHARE)-\d{3}$")


def _codes(text: str) -> list[str]:
    return [f.id for f in analyze(text).findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_anti_pattern_triggers_the_rule(rule):
    example = rule.anti_pattern()
    findings = [f for f in analyze(example).findings if f.id == rule.code]
    assert findings, f"{rule.code} not triggered by its anti-pattern: {example!r}; got {_codes(example)}"
    for f in findings:
        assert f.rule == rule.short_name() and f.freedom is rule.freedom
        assert example[f.start : f.end].strip(), "a finding cites a non-empty span of the example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_best_practice_does_not_trigger_the_rule(rule):
    example = rule.best_practice()
    assert rule.code not in _codes(example), f"{rule.code} triggered by its best practice: {example!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert CODE.match(rule.code)
    group, name = rule.name.split(".", 1)
    assert group == rule.freedom.value == rule.code.split("-")[0].lower()
    assert re.fullmatch(r"[a-z][a-z-]+", name)
    assert rule.title() and len(rule.rationale()) > len(rule.title()) + 40, "a rationale beyond the title"
    assert rule.anti_pattern() and rule.best_practice()
    assert rule.anti_pattern() != rule.best_practice()


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.short_name() for r in RULES}) == len(RULES)


def test_every_restriction_kind_has_a_rule():
    from licenselens.taxonomy import RESTRICTIONS

    covered = {k for r in RULES for k in r.kinds}
    assert set(RESTRICTIONS) <= covered


def test_every_freedom_has_a_rule():
    assert {r.freedom for r in RULES} == set(Freedom)


@pytest.mark.parametrize("ref", ["USE-001", "use-001", "use.field-of-use", "field-of-use"])
def test_rules_are_found_by_code_or_name(ref):
    assert get_rule(ref).code == "USE-001"


def test_unknown_rule_is_a_key_error():
    with pytest.raises(KeyError):
        get_rule("USE-999")


def test_rule_reference_in_docs_is_current():
    from pathlib import Path

    from licenselens.reason.docs import rules_markdown

    committed = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: python -m licenselens.reason.docs > docs/rules.md"
    )
