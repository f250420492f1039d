"""Policies: allow and deny lists with choices, failing severities, exceptions and their expiry, bad files."""

from __future__ import annotations

import datetime as dt

import pytest
from scan_support import FIXTURES, CountingAnalyser

from licenselens.errors import InputError
from licenselens.model import Agreement, ScannedPackage
from licenselens.policy import Policy, evaluate, find_policy, load_policy, parse_policy
from licenselens.scan import scan

TODAY = dt.date(2026, 6, 1)


def _pkg(name="pkg", declared="MIT", **kw) -> ScannedPackage:
    return ScannedPackage(name=name, version="1.0", source="python-env", declared=declared, declared_spdx=declared, **kw)


def _policy(text: str, tmp_path, name="licenselens.toml") -> Policy:
    path = tmp_path / name
    path.write_text(text)
    return load_policy(path)


def _rules(policy, packages):
    violations, _ = evaluate(policy, packages, today=TODAY)
    return [(v.package, v.rule, v.excepted) for v in violations]


@pytest.mark.parametrize(
    "declared, outcome",
    [
        ("MIT", []),
        ("GPL-3.0-only", [("pkg", "denied-license", False)]),
        ("GPL-3.0-only OR MIT", []),  # the recipient may pick MIT
        ("GPL-3.0-only AND MIT", [("pkg", "denied-license", False)]),
        ("LicenseRef-acme", [("pkg", "denied-license", False)]),  # pattern LicenseRef-*
    ],
)
def test_deny_list_with_choices(tmp_path, declared, outcome):
    policy = _policy('deny = ["GPL-3.0-only", "LicenseRef-*"]\n', tmp_path)
    assert _rules(policy, [_pkg(declared=declared)]) == outcome


@pytest.mark.parametrize(
    "declared, outcome",
    [
        ("MIT", []),
        ("BSD-3-Clause", []),  # pattern BSD-*
        ("Apache-2.0 AND MIT", [("pkg", "not-allowed", False)]),
        ("Apache-2.0 OR MIT", []),
        (None, [("pkg", "not-allowed", False)]),
    ],
)
def test_allow_list(tmp_path, declared, outcome):
    policy = _policy('allow = ["MIT", "BSD-*"]\n', tmp_path)
    assert _rules(policy, [_pkg(declared=declared)]) == outcome


def test_detected_license_is_judged_when_nothing_is_declared(tmp_path):
    policy = _policy('deny = ["MIT"]\n', tmp_path)
    package = _pkg(declared=None, detected=["MIT"])
    assert _rules(policy, [package]) == [("pkg", "denied-license", False)]


def test_findings_fail_at_the_configured_severity_per_freedom(tmp_path):
    result = scan(FIXTURES / "site-packages", analyser=CountingAnalyser(), use_cache=False,
                  policy=_policy('[findings]\nfail-at = "never"\n', tmp_path))
    assert result.passed
    result = scan(FIXTURES / "site-packages", analyser=CountingAnalyser(), use_cache=False,
                  policy=_policy('[findings]\nfail-at = "never"\nuse = "error"\n', tmp_path))
    assert not result.passed
    (violation,) = result.violations
    assert (violation.package, violation.rule, violation.finding) == ("beta", "freedom-finding", "USE-001")
    assert (violation.path, violation.line) == ("beta-2.0.dist-info/LICENSE", 23)
    result = scan(FIXTURES / "site-packages", analyser=CountingAnalyser(), use_cache=False,
                  policy=_policy('[findings]\nignore = ["USE-001"]\n', tmp_path))
    assert result.passed


def test_exception_waives_a_violation_until_it_expires(tmp_path):
    text = (
        'deny = ["GPL-3.0-only"]\n'
        '[[exceptions]]\npackage = "Old_Lib"\nreason = "legal ticket 42"\nexpires = 2026-12-31\n'
        '[[exceptions]]\npackage = "stale"\nreason = "temporary"\nexpires = 2026-01-31\n'
    )
    policy = _policy(text, tmp_path)
    packages = [_pkg("old-lib", "GPL-3.0-only"), _pkg("stale", "GPL-3.0-only")]
    violations, expired = evaluate(policy, packages, today=TODAY)
    assert [(v.package, v.excepted, v.exception_reason) for v in violations] == [
        ("old-lib", True, "legal ticket 42"),
        ("stale", False, None),
    ]
    assert [(e.package, e.expires) for e in expired] == [("stale", "2026-01-31")]
    violations, expired = evaluate(policy, packages, today=dt.date(2027, 1, 1))
    assert [v.excepted for v in violations] == [False, False] and len(expired) == 2


def test_exception_limited_to_rules_and_version(tmp_path):
    text = (
        'deny = ["GPL-3.0-only"]\nfail-on-mismatch = true\n'
        '[[exceptions]]\npackage = "pkg"\nversion = "1.0"\nrules = ["license-mismatch"]\nreason = "known"\n'
    )
    policy = _policy(text, tmp_path)
    package = _pkg(declared="GPL-3.0-only", detected=["MIT"], agreement=Agreement.DISAGREE)
    assert _rules(policy, [package]) == [("pkg", "denied-license", False), ("pkg", "license-mismatch", True)]


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.licenselens]\ndeny = ["MIT"]\nother-setting = 1\n')
    assert find_policy(tmp_path) == tmp_path / "pyproject.toml"
    assert load_policy(tmp_path / "pyproject.toml").deny == ("MIT",)


def test_pyproject_without_table_is_no_policy(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_policy(tmp_path) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("allow = [\n", "malformed TOML"),
        ('alow = ["MIT"]\n', "unknown policy key 'alow'"),
        ('deny = ["NOT A LICENSE((("]\n', "deny:"),
        ('deny = "MIT"\nfail-on-mismatch = "yes"\n', "fail-on-mismatch must be true or false"),
        ('[findings]\nfail-at = "fatal"\n', "findings.fail-at must be one of"),
        ('[[exceptions]]\npackage = "x"\n', "needs a reason"),
        ('[[exceptions]]\npackage = "x"\nreason = "r"\nexpires = "soon"\n', "expires must be a date"),
        ('[[exceptions]]\npackage = "x"\nreason = "r"\nrules = ["everything"]\n', "rules must list"),
    ],
)
def test_bad_policy_files_are_bad_input(tmp_path, text, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        _policy(text, tmp_path)


def test_missing_policy_file(tmp_path):
    with pytest.raises(InputError, match="no such policy file"):
        load_policy(tmp_path / "absent.toml")


def test_check_default_fails_on_mismatch_not_on_findings():
    policy = Policy.for_check()
    assert policy.fail_on_mismatch and not policy.fails_finding("use", "error", "USE-001")
    assert parse_policy({"findings": {"fail-at": "error"}}, "t", base=policy).fails_finding("use", "error", "USE-001")
