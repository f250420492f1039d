"""Shared by the scan tests: fixture paths and a stand-in analyser that counts its calls.

The stand-in identifies with the real ``identify`` and reports a field-of-use
finding on the line of any "military" clause, so the scan machinery (dedupe,
cache, policy, formats) is tested apart from the classifier; the end-to-end
tests use the real pipeline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from licenselens.model import Finding, Freedom, FreedomVerdict, Severity, Status, Verdict
from licenselens.scan.engine import TextAnalysis
from licenselens.taxonomy import Principle

FIXTURES = Path(__file__).parent / "fixtures" / "scan"


class CountingAnalyser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> TextAnalysis:
        from licenselens.identify import best_match

        self.calls += 1
        findings = []
        start = text.find("military")
        if start >= 0:
            line = text.count("\n", 0, start) + 1
            findings.append(Finding(id="USE-001", rule="field-of-use", freedom=Freedom.USE,
                                    principle=Principle.ANY_PURPOSE, severity=Severity.ERROR,
                                    message="forbids a field of use", clause="2", start=start,
                                    end=start + len("military"), line=line, evidence="military"))
        status = Status.RESTRICTED if findings else Status.CONDITIONAL
        freedoms = {f: FreedomVerdict(status=status if f is Freedom.USE else Status.CONDITIONAL,
                                      findings=[x.id for x in findings] if f is Freedom.USE else [])
                    for f in Freedom}
        verdict = Verdict.RESTRICTED if findings else Verdict.OPEN
        return TextAnalysis(best_match(text), verdict, freedoms, findings)


def copy_fixture(name: str, dest: Path) -> Path:
    """A writable copy of a fixture tree (tests that add hostile files work on the copy)."""
    target = dest / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


def real_pipeline_available() -> bool:
    try:
        import licenselens.segment  # noqa: F401
    except ImportError:
        return False
    return True
