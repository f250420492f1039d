"""Classify: the term kinds of each unit of each clause, with confidence, span and parameters.

For every clause, every unit (sentence or list item, from ``licenselens.segment.units``)
is normalized, turned into features (words, bigrams, deontic cues and negation
scope, plus the lead-in that introduces it) and scored by the shipped linear
model (``corpora/model/``, trained by ``python -m licenselens.classify.train``);
a few unambiguous phrasings raise or veto a kind on top of it
(``licenselens.classify.patterns``, measured in the same held-out evaluation).
Parameters are read from the unit text (``licenselens.classify.params``).

spaCy and numpy are imported lazily, on the first call; the tokenizer, the cue
matcher and the model arrays are cached per process. scikit-learn is never
imported at run time.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from licenselens.classify.predictor import Predictor
    from licenselens.model import Clause, Term

__all__ = ["classify", "classify_units", "clear_memo", "normalized"]

# A lead-in introduces a list: it ends with a colon ("You agree not to use the Model:").
_LEAD_IN = re.compile(r"[:\u2014]\s*$")
MEMO_UNITS = 200_000  # remembered (unit, lead-in) readings per model before the memo starts over
MAX_LEAD_INS = 3  # nearest ancestors whose lead-in becomes the context of a list item
# The last component of a list item's id is a label ("3", "b", "iv"); paragraphs ("p1",
# "4.p2") and headings ("prohibited-uses") are not introduced by the lead-in above them.
_ITEM_LABEL = re.compile(r"(?:\d+|[a-z]{1,3}|[ivxlcdm]+)(?:-\d+)?")


def normalized(text: str) -> str:
    """The unit text as the classifier sees it: ``licenselens.text.normalize`` applied."""
    from licenselens.text import normalize

    return normalize(text).text.strip()


def clear_memo() -> None:
    """Forget the shipped model's remembered unit readings (benchmarks use it to measure cold paths)."""
    import sys

    predictor = sys.modules.get("licenselens.classify.predictor")
    if predictor is not None and predictor.shipped_predictor.cache_info().currsize:
        predictor.shipped_predictor().unit_memo.clear()


def _units(clause: Clause) -> list[tuple[int, int]]:
    from licenselens.segment import units

    return units(clause)


def _indentation(before: Clause | None) -> int:
    """Indentation of the clause after ``before``: the blanks that end ``before`` (clauses partition the text)."""
    if before is None:
        return 0
    tail = before.text[before.text.rfind("\n") + 1 :]
    return len(tail.expandtabs(4)) if not tail.strip() else 0


def _is_item(clause: Clause) -> bool:
    return _ITEM_LABEL.fullmatch(clause.id.rsplit(".", 1)[-1]) is not None


def classify(clauses: list[Clause], *, predictor: Predictor | None = None) -> list[Term]:
    """Terms of every unit of ``clauses``, ordered by start offset, then kind.

    Each term carries its kind, the clause id, the unit span in original
    offsets, the model probability as confidence, and its parameters.
    """
    from licenselens.classify.cues import cue_finder
    from licenselens.classify.features import unit_features
    from licenselens.classify.params import extract
    from licenselens.classify.predictor import shipped_predictor
    from licenselens.model import Term

    model = predictor or shipped_predictor()
    finder = cue_finder()
    by_id = {c.id: c for c in clauses}
    lead_ins: dict[str, str | None] = {}

    def lead_in(clause_id: str | None) -> str | None:
        # The text of a clause when it introduces a list, else None (cached per clause).
        if clause_id is None or clause_id not in by_id:
            return None
        if clause_id not in lead_ins:
            text = normalized(by_id[clause_id].text)
            lead_ins[clause_id] = text if _LEAD_IN.search(text) else None
        return lead_ins[clause_id]

    # Each distinct (unit, lead-in) pair is read once per process: license texts repeat
    # whole sentences (MIT, BSD, Apache copies), and a unit's terms depend only on that pair.
    memo = model.unit_memo
    if len(memo) > MEMO_UNITS:
        memo.clear()
    spans: list[tuple[Clause, int, int, tuple[str, str | None]]] = []
    pending: dict[tuple[str, str | None], int] = {}
    # The readings this call uses, held here: another thread may clear the shared memo meanwhile.
    readings: dict[tuple[str, str | None], tuple] = {}
    rows = []
    # Lead-ins of enclosing paragraphs, by indentation, for lists written as indented paragraphs.
    indented: list[tuple[int, str]] = []
    before: Clause | None = None
    for clause in clauses:
        indent = _indentation(before)
        before = clause
        ancestors: list[str] = []
        item = _is_item(clause)
        if item:
            node = clause
            # Climb while the clause is a list item: its parent's lead-in introduces it.
            while _is_item(node) and node.parent in by_id and len(ancestors) < MAX_LEAD_INS:
                text = lead_in(node.parent)
                if text:
                    ancestors.insert(0, text)
                node = by_id[node.parent]
        else:
            while indented and indented[-1][0] >= indent:
                indented.pop()
            ancestors = [text for _, text in indented[-MAX_LEAD_INS:]]
        previous: str | None = None
        last = ""
        for n, (start, end) in enumerate(_units(clause)):
            raw = clause.text[start - clause.start : end - clause.start]
            text = normalized(raw)
            if not text:
                continue
            # A parent's lead-in introduces the item itself, not later sentences in it.
            context_parts = (ancestors if n == 0 or not item else []) + ([previous] if previous else [])
            context = " ".join(context_parts) or None
            key = (text, context)
            spans.append((clause, start, end, key))
            if key not in readings and key not in pending:
                known = memo.get(key)
                if known is not None:
                    readings[key] = known
                else:
                    pending[key] = len(rows)
                    rows.append(model.row(unit_features(finder, text, context)))
            # A unit ending with a colon is the lead-in of the units after it in the same clause.
            if _LEAD_IN.search(text):
                previous = text
            last = text
        if not item and _LEAD_IN.search(last):
            indented.append((indent, last))
    if rows:
        for (text, context), predicted in zip(pending, model.predict(rows, [key[0] for key in pending])):
            # Only the regions of restrict-persons need the tokenized text; extract tokenizes it then.
            found = [(kind, round(min(1.0, max(0.0, probability)), 4), extract(kind, text)) for kind, probability in predicted]
            readings[(text, context)] = memo[(text, context)] = tuple(found)
    terms: list[Term] = []
    for clause, start, end, key in spans:
        for kind, confidence, params in readings[key]:
            terms.append(
                Term(
                    kind=kind,
                    clause=clause.id,
                    start=start,
                    end=end,
                    confidence=confidence,
                    # Terms are mutable models: each gets its own copy of the remembered parameters.
                    params=copy.deepcopy(params) if params else {},
                )
            )
    terms.sort(key=lambda t: (t.start, t.end, t.kind.value))
    return terms


def classify_units(texts: list[str], context: str | None = None, *, predictor: Predictor | None = None):
    """Kinds and probabilities of loose unit texts (no clause structure); for tests and tools."""
    from licenselens.classify.cues import cue_finder
    from licenselens.classify.features import unit_features
    from licenselens.classify.predictor import shipped_predictor

    model = predictor or shipped_predictor()
    finder = cue_finder()
    ctx = normalized(context) if context else None
    units = [normalized(t) for t in texts]
    rows = [model.row(unit_features(finder, u, ctx)) for u in units]
    return model.predict(rows, units)
