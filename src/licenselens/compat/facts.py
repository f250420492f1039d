"""Published facts about well-studied license pairs and exceptions, read from ``corpora/compat/*.toml``.

A pair fact states, in the project's own words, what a named source (the
FSF's license list, the Apache Software Foundation, a license's own text, the
OSADL matrix) says about one inbound license in a work under one outbound
license. Facts confirm or override what the rules derive from the terms; they
never replace reading the terms, and each names its source.

An exception fact says which obstacle an SPDX exception lifts (``linking``:
independent modules linked with the code may be under other terms;
``gplv2``: the patent and indemnity sections may be deemed waived in a
combination with GPL-2.0 code; ``runtime``: compiled target code may be under
any terms).
"""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from licenselens.model import CompatVerdict
from licenselens.resources import corpus_path


@dataclass(frozen=True)
class PairFact:
    inbound: str
    outbound: str
    use: str
    verdict: CompatVerdict
    statement: str
    source: str

    def __str__(self) -> str:
        return f"{self.statement} (source: {self.source})"


@dataclass(frozen=True)
class ExceptionFact:
    id: str
    effect: str  # "linking", "gplv2" or "runtime"
    statement: str
    source: str


@dataclass(frozen=True)
class Facts:
    pairs: dict[tuple[str, str, str], PairFact]
    exceptions: dict[str, ExceptionFact]


@cache
def facts() -> Facts:
    """All facts shipped in ``corpora/compat``; a malformed file is an error in the package, not input."""
    pairs: dict[tuple[str, str, str], PairFact] = {}
    exceptions: dict[str, ExceptionFact] = {}
    folder = corpus_path("compat")
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for row in data.get("pair", []):
            outbounds = row["outbound"] if isinstance(row["outbound"], list) else [row["outbound"]]
            inbounds = row["inbound"] if isinstance(row["inbound"], list) else [row["inbound"]]
            for inbound in inbounds:
                for outbound in outbounds:
                    fact = PairFact(
                        inbound, outbound, row.get("use", "software"), CompatVerdict(row["verdict"]),
                        row["statement"].strip(), row["source"].strip(),
                    )
                    pairs[(inbound.lower(), outbound.lower(), fact.use)] = fact
        for row in data.get("exception", []):
            fact = ExceptionFact(row["id"], row["effect"], row["statement"].strip(), row["source"].strip())
            exceptions[fact.id.lower()] = fact
    return Facts(pairs, exceptions)


#: False while answering from the terms alone (benchmarks measure both ways).
FACTS_ENABLED: ContextVar[bool] = ContextVar("licenselens_compat_facts", default=True)


def pair_fact(inbound: str, outbound: str, use: str) -> PairFact | None:
    """The published fact about this ordered pair, if any (SPDX ids, case-insensitive)."""
    if not FACTS_ENABLED.get():
        return None
    return facts().pairs.get((inbound.lower(), outbound.lower(), use))


def exception_fact(exception: str) -> ExceptionFact | None:
    """What is known of an SPDX exception (case-insensitive), if anything."""
    return facts().exceptions.get(exception.lower())
