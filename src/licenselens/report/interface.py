"""The one small interface every output format of ``analyze`` implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from licenselens.model import Analysis, Finding, Severity, Status

#: Severities from the most to the least serious.
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


class AnalysisFormat(ABC):
    """Turns one ``Analysis`` into text in one format."""

    #: The ``--format`` name.
    name: ClassVar[str]
    #: The usual file suffix of the format.
    suffix: ClassVar[str]

    @abstractmethod
    def format(self, analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
        """Render ``analysis``; ``color`` only matters to formats for a terminal."""


def original_text(analysis: Analysis) -> str | None:
    """The analysed text, rebuilt from its clauses (they partition it), or None when they do not."""
    parts: list[str] = []
    pos = 0
    for clause in sorted(analysis.clauses, key=lambda c: c.start):
        if clause.start != pos or clause.end - clause.start != len(clause.text):
            return None
        parts.append(clause.text)
        pos = clause.end
    return "".join(parts)


def clause_headings(analysis: Analysis) -> dict[str, str]:
    """Each clause id with the nearest heading: its own, else that of the clause
    its dotted id descends from ("1.b.i" under "1.b Redistribution and Use")."""
    own = {c.id: c.heading for c in analysis.clauses if c.heading}
    out: dict[str, str] = {}
    for c in analysis.clauses:
        parts = c.id.split(".")
        for n in range(len(parts), 0, -1):
            heading = own.get(".".join(parts[:n]))
            if heading:
                out[c.id] = " ".join(heading.split())
                break
    return out


def counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings at each severity."""
    return {s: sum(f.severity is s for f in findings) for s in SEVERITY_ORDER}


def summary_line(analysis: Analysis) -> str:
    """One line: the verdict, each freedom's status, openwashing and the count of findings."""
    statuses = ", ".join(f"{f.value} {v.status.value}" for f, v in analysis.freedoms.items())
    n = counts(analysis.findings)
    total = sum(n.values())
    detail = ", ".join(f"{c} {s.value}" for s, c in n.items() if c)
    found = f"{total} finding{'s' if total != 1 else ''}" + (f" ({detail})" if detail else "")
    wash = "; openwashing" if analysis.openwashing else ""
    return f"{analysis.verdict.value}: {statuses}{wash}; {found}"


STATUS_STYLE = {
    Status.GRANTED: "green",
    Status.CONDITIONAL: "cyan",
    Status.RESTRICTED: "bold red",
    Status.ABSENT: "yellow",
    Status.UNCLEAR: "magenta",
}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
