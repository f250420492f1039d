"""License policies: what a scan or a pre-commit check accepts.

A policy is a TOML file (``licenselens.toml``), or the ``[tool.licenselens]``
table of a ``pyproject.toml``::

    allow = ["MIT", "Apache-2.0", "BSD-*"]        # if set, every other license fails
    deny = ["AGPL-3.0-only", "LicenseRef-*"]     # fnmatch patterns, case-insensitive
    fail-on-mismatch = true       # declared license disagrees with the license text
    fail-on-broken-metadata = true
    fail-on-unresolved = false    # requirement not installed, license unknown

    [findings]                    # freedom findings of the license texts
    fail-at = "error"             # error | warning | info | never
    use = "warning"               # per-freedom override
    ignore = ["STUDY-002"]        # finding ids that never fail

    [[exceptions]]
    package = "some-model"
    version = "1.0"               # optional
    rules = ["freedom-finding"]   # optional: which rules it waives (default: all)
    reason = "approved by legal, ticket LEGAL-42"
    expires = 2026-12-31          # optional; an expired exception stops applying and is reported

With a choice (``MIT OR GPL-2.0-only``) a package passes ``deny`` when one
alternative avoids every denied license, and ``allow`` when one alternative is
made only of allowed licenses.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path

from packaging.utils import canonicalize_name

from licenselens.errors import InputError
from licenselens.model import (
    Agreement,
    ExpiredException,
    ScannedPackage,
    Severity,
    Violation,
)
from licenselens.taxonomy import Freedom

_LEVELS = {"info": 0, "warning": 1, "error": 2, "never": 99}
_RULES = ("denied-license", "not-allowed", "freedom-finding", "license-mismatch", "broken-metadata", "unresolved")
_TOP_KEYS = {"allow", "deny", "fail-on-mismatch", "fail-on-broken-metadata", "fail-on-unresolved", "findings",
             "exceptions"}
_FINDING_KEYS = {"fail-at", "ignore"} | {f.value for f in Freedom}


@dataclass(frozen=True)
class PolicyException:
    package: str
    reason: str
    version: str | None = None
    rules: tuple[str, ...] = ()
    expires: dt.date | None = None

    def covers(self, package: ScannedPackage, rule: str) -> bool:
        return (
            canonicalize_name(self.package) == canonicalize_name(package.name)
            and (self.version is None or self.version == package.version)
            and (not self.rules or rule in self.rules)
        )


@dataclass(frozen=True)
class Policy:
    """What passes. ``Policy()`` is the scan default; ``Policy.for_check()`` the pre-commit default."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    findings_fail_at: str = "error"
    findings_per_freedom: dict[str, str] = field(default_factory=dict)
    ignore_findings: tuple[str, ...] = ()
    fail_on_mismatch: bool = False
    fail_on_broken_metadata: bool = True
    fail_on_unresolved: bool = False
    exceptions: tuple[PolicyException, ...] = ()
    source: str | None = None

    @classmethod
    def for_check(cls) -> Policy:
        """The pre-commit default for model repositories: the card must tell the truth.

        Fails when the README front matter is broken or its license disagrees with
        the LICENSE text, or when the policy denies the license; freedom findings
        fail only when a policy asks for it.
        """
        return cls(findings_fail_at="never", fail_on_mismatch=True, fail_on_broken_metadata=True)

    def fails_finding(self, freedom: str, severity: str, finding_id: str) -> bool:
        if finding_id in self.ignore_findings:
            return False
        threshold = self.findings_per_freedom.get(freedom, self.findings_fail_at)
        return _LEVELS[str(severity)] >= _LEVELS[threshold]


def load_policy(path: Path | str, *, base: Policy | None = None) -> Policy:
    """Read a policy file (or the ``[tool.licenselens]`` table of a pyproject.toml) over ``base``.

    Raises ``InputError`` for a missing or malformed file, unknown keys, invalid
    values or a missing reason on an exception.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "no such policy file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read policy file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"malformed TOML ({exc})") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("licenselens")
        if not isinstance(table, dict):
            raise InputError(str(path), "no [tool.licenselens] table")
        # pyproject's table may hold settings of other commands; only policy keys are read.
        table = {k: v for k, v in table.items() if k in _TOP_KEYS}
    else:
        table = data
    return parse_policy(table, str(path), base=base or Policy())


def find_policy(folder: Path) -> Path | None:
    """The policy that applies to a folder when none is given: licenselens.toml (or the hidden
    .licenselens.toml), then the [tool.licenselens] table of pyproject.toml."""
    for name in ("licenselens.toml", ".licenselens.toml"):
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(str(pyproject), f"malformed pyproject.toml ({exc})") from None
        if isinstance(data.get("tool", {}).get("licenselens"), dict):
            return pyproject
    return None


def parse_policy(table: dict, source: str, *, base: Policy) -> Policy:
    """Validate a policy table; ``source`` names it in errors."""

    def fail(reason: str) -> InputError:
        return InputError(source, reason)

    unknown = set(table) - _TOP_KEYS
    if unknown:
        raise fail(f"unknown policy key {sorted(unknown)[0]!r} (expected one of {', '.join(sorted(_TOP_KEYS))})")
    policy = base
    for key in ("allow", "deny"):
        if key in table:
            policy = replace(policy, **{key: tuple(_patterns(table[key], f"{key}", fail))})
    for key in ("fail-on-mismatch", "fail-on-broken-metadata", "fail-on-unresolved"):
        if key in table:
            if not isinstance(table[key], bool):
                raise fail(f"{key} must be true or false")
            policy = replace(policy, **{key.replace("-", "_"): table[key]})
    findings = table.get("findings", {})
    if not isinstance(findings, dict):
        raise fail("findings must be a table")
    unknown = set(findings) - _FINDING_KEYS
    if unknown:
        raise fail(f"unknown key findings.{sorted(unknown)[0]}")
    if "fail-at" in findings:
        policy = replace(policy, findings_fail_at=_level(findings["fail-at"], "findings.fail-at", fail))
    per_freedom = {f.value: _level(findings[f.value], f"findings.{f.value}", fail) for f in Freedom if f.value in findings}
    if per_freedom:
        policy = replace(policy, findings_per_freedom={**policy.findings_per_freedom, **per_freedom})
    if "ignore" in findings:
        ignore = findings["ignore"]
        if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
            raise fail("findings.ignore must be a list of finding ids")
        policy = replace(policy, ignore_findings=tuple(ignore))
    if "exceptions" in table:
        items = table["exceptions"]
        if not isinstance(items, list):
            raise fail("exceptions must be an array of tables ([[exceptions]])")
        policy = replace(policy, exceptions=tuple(_exception(item, i, fail) for i, item in enumerate(items)))
    return replace(policy, source=source)


def _patterns(value: object, key: str, fail) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"{key} must be a list of SPDX ids, expressions or patterns")
    out = []
    for item in value:
        if "*" in item or "?" in item:
            out.append(item.strip())
            continue
        from licenselens import expression

        try:
            out.append(expression.normalize_expression(item))
        except InputError as exc:
            raise fail(f"{key}: {exc.reason}") from None
    return out


def _level(value: object, key: str, fail) -> str:
    if not isinstance(value, str) or value.lower() not in _LEVELS:
        raise fail(f"{key} must be one of error, warning, info, never")
    return value.lower()


def _exception(item: object, index: int, fail) -> PolicyException:
    where = f"exceptions[{index}]"
    if not isinstance(item, dict):
        raise fail(f"{where} must be a table")
    unknown = set(item) - {"package", "version", "rules", "reason", "expires"}
    if unknown:
        raise fail(f"unknown key {where}.{sorted(unknown)[0]}")
    package, reason = item.get("package"), item.get("reason")
    if not isinstance(package, str) or not package.strip():
        raise fail(f"{where} needs a package name")
    if not isinstance(reason, str) or not reason.strip():
        raise fail(f"{where} ({package}) needs a reason")
    rules = item.get("rules", [])
    if not isinstance(rules, list) or any(r not in _RULES for r in rules):
        raise fail(f"{where}.rules must list rules among {', '.join(_RULES)}")
    expires = item.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise fail(f"{where}.expires must be a date (YYYY-MM-DD)") from None
    elif isinstance(expires, dt.datetime):
        expires = expires.date()
    elif expires is not None and not isinstance(expires, dt.date):
        raise fail(f"{where}.expires must be a date (YYYY-MM-DD)")
    version = item.get("version")
    return PolicyException(package.strip(), reason.strip(), str(version) if version is not None else None,
                           tuple(rules), expires)


# --- evaluation ---------------------------------------------------------------------


def evaluate(policy: Policy, packages: list[ScannedPackage], *, today: dt.date | None = None,
             broken: dict[str, tuple[str, int | None]] | None = None) -> tuple[list[Violation], list[ExpiredException]]:
    """Every violation of ``policy`` by ``packages`` (waived ones marked ``excepted``), and expired exceptions.

    ``broken`` maps a package name to the problem with its metadata (e.g. broken front matter) and its line.
    """
    today = today or dt.date.today()
    active = [e for e in policy.exceptions if e.expires is None or e.expires >= today]
    expired = [
        ExpiredException(package=e.package, reason=e.reason, expires=e.expires.isoformat())
        for e in policy.exceptions if e.expires is not None and e.expires < today
    ]
    violations: list[Violation] = []
    for package in packages:
        for violation in _violations(policy, package, (broken or {}).get(package.name)):
            waiver = next((e for e in active if e.covers(package, violation.rule)), None)
            if waiver is not None:
                violation = violation.model_copy(update={"excepted": True, "exception_reason": waiver.reason})
            violations.append(violation)
    return violations, expired


def _violations(policy: Policy, package: ScannedPackage, broken: tuple[str, int | None] | None):
    name = package.name
    where = package.texts[0].path if package.texts else package.location
    if broken and policy.fail_on_broken_metadata:
        yield Violation(package=name, rule="broken-metadata", severity=Severity.ERROR, message=broken[0],
                        path=package.location, line=broken[1])
    if not package.resolved:
        if policy.fail_on_unresolved:
            yield Violation(package=name, rule="unresolved", severity=Severity.ERROR,
                            message="not installed; its license could not be read offline", path=package.location)
        return
    expression_text = package.declared_spdx or (" AND ".join(f"({d})" for d in package.detected) or None)
    if policy.deny or policy.allow:
        yield from _license_rules(policy, package, expression_text, where)
    if policy.fail_on_mismatch and package.agreement == Agreement.DISAGREE:
        found = ", ".join(package.detected)
        yield Violation(package=name, rule="license-mismatch", severity=Severity.ERROR,
                        message=f"declared {package.declared!r} but the license text reads as {found}",
                        path=where, line=1)
    for text in package.texts:
        for finding in text.findings:
            if policy.fails_finding(str(finding.freedom), str(finding.severity), finding.id):
                yield Violation(package=name, rule="freedom-finding", severity=finding.severity,
                                message=f"{finding.id} {finding.rule}: {finding.message}", path=text.path,
                                line=finding.line, finding=finding.id)


def _license_rules(policy: Policy, package: ScannedPackage, text: str | None, where: str | None):
    from licenselens import expression

    if text is None:
        if policy.allow:
            yield Violation(package=package.name, rule="not-allowed", severity=Severity.ERROR,
                            message="no declared or detected license", path=where)
        return
    try:
        options = expression.choices(expression.simplify(expression.parse(text, validate=False)))
    except InputError as exc:
        if policy.allow:
            yield Violation(package=package.name, rule="not-allowed", severity=Severity.ERROR,
                            message=f"license {text!r} cannot be read ({exc.reason})", path=where)
        return
    names = [[expression.to_string(leaf) for leaf in sorted(option, key=expression.to_string)] for option in options]
    if policy.deny:
        denied = [[n for n in option if _matches(n, policy.deny)] for option in names]
        if all(denied):
            hit = sorted({n for option in denied for n in option})
            yield Violation(package=package.name, rule="denied-license", severity=Severity.ERROR,
                            message=f"{text}: denied by policy ({', '.join(hit)})", path=where)
    if policy.allow and not any(all(_matches(n, policy.allow) for n in option) for option in names):
        yield Violation(package=package.name, rule="not-allowed", severity=Severity.ERROR,
                        message=f"{text}: not on the allow list", path=where)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    lowered = name.lower()
    # "GPL-2.0-only" also names "GPL-2.0-only WITH Classpath-exception-2.0" unless the pattern says WITH.
    base = lowered.split(" with ")[0]
    for pattern in patterns:
        p = pattern.lower()
        if fnmatchcase(lowered, p) or (" with " not in p and fnmatchcase(base, p)):
            return True
    return False
