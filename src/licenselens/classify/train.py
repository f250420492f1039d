"""Train the term classifier on ``corpora/annotations/*.jsonl`` and export it to ``corpora/model/``.

    python -m licenselens.classify.train [--annotations DIR] [--out DIR]

One logistic regression per term kind (one-vs-rest, balanced class weights,
liblinear, fixed random state: the same corpus gives the same model), over the
features of ``licenselens.classify.features``. Decision thresholds are 0.5;
``--tune-thresholds`` tunes them per kind on out-of-fold predictions of a
grouped cross-validation *inside* the training documents (in the held-out
evaluation this did not help: the tuned thresholds overfit the few positives
of rare kinds). The model is exported as plain arrays (see
``licenselens.classify.predictor``); scikit-learn is needed here only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from licenselens.classify.cues import cue_finder
from licenselens.classify.features import context_mask, unit_features, weigh
from licenselens.classify.predictor import Predictor
from licenselens.taxonomy import RESTRICTIONS, TermKind

C = 64.0  # inverse regularisation strength of each per-kind model (weak: the features are sparse and specific)
MIN_DF = 2  # a feature must occur in at least this many training units
INNER_FOLDS = 4  # grouped folds inside the training documents for threshold tuning
THRESHOLD_GRID = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))  # 0.10 .. 0.90
MIN_POSITIVES_TO_TUNE = 4
# Restriction kinds are predicted from a lower probability: a missed restriction turns a verdict
# wrong (a restricted license reported open), a false one is a finding a reader dismisses with its
# cited clause in view. Measured with benchmarks/classifier_eval.py --restriction-threshold.
RESTRICTION_THRESHOLD = 0.3
UNTRAINED_INTERCEPT = -30.0  # a kind without training examples is never predicted
RANDOM_STATE = 0
# The primal (trust-region Newton) solver: on 39,000 units the dual one needed over 1,000 passes
# for the frequent kinds (30 s against 2 s for restrict.field-of-use).
LOGISTIC = {"class_weight": "balanced", "solver": "liblinear", "dual": False, "max_iter": 2000, "random_state": RANDOM_STATE}


@dataclass(frozen=True)
class Example:
    """One annotated unit."""

    doc: str
    text: str
    kinds: frozenset[TermKind]
    context: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)
    note: str | None = None


def load_annotations(folder: Path) -> list[Example]:
    """All units of ``folder/*.jsonl``, in file then line order; unknown kinds are an error."""
    examples: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                kinds = frozenset(TermKind(k) for k in obj.get("kinds", []))
            except ValueError as exc:
                raise ValueError(f"{path.name}:{lineno}: {exc}") from exc
            examples.append(
                Example(path.stem, obj["text"], kinds, obj.get("context") or None, obj.get("params") or {}, obj.get("note"))
            )
    return examples


def corpus_sha256(folder: Path) -> str:
    """SHA-256 over the annotation files (names and bytes, sorted by name)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# Near-duplicate documents share a family; a family is entirely in train or entirely in test.
_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"^(?:l|a)?gpl-|^gfdl|^gnu-", "gnu"),
    (r"^cc-by|^cc0|^creativecommons", "creative-commons"),
    (r"^(?:bigscience|bigcode|openrail|.*-rail-|rail-)", "rail"),
    (r"^llama|^meta-llama", "llama"),
    (r"^gemma", "gemma"),
    (r"^polyform", "polyform"),
    (r"^hippocratic", "hippocratic"),
    (r"^stability|^stable-", "stability"),
    (r"^nvidia", "nvidia"),
    (r"^(?:qwen|tongyi)", "qwen"),
    (r"^deepseek", "deepseek"),
    (r"^falcon|^tii-", "falcon"),
    (r"^bsd|^0bsd", "bsd"),
    (r"^mit", "mit"),
    (r"^apache", "apache"),
    (r"^mpl|^mozilla", "mpl"),
    (r"^epl|^eclipse", "epl"),
    (r"^elastic|^sspl|^server-side", "source-available"),
    (r"^scilab", "scilab"),  # the French original and its English translation
    (r"^confluent|^commons-clause|^bsl-|^business-source|^fair-source|^fsl-", "source-available-commercial"),
)


def family(doc: str) -> str:
    """The group of near-duplicate documents ``doc`` belongs to (its own key when none)."""
    key = doc.lower()
    for pattern, name in _FAMILIES:
        if re.search(pattern, key):
            return name
    # Versions of one license are one family: "foo-1.0", "foo-2.0" -> "foo".
    return re.sub(r"(?:[-_.]?v?\d+(?:\.\d+)*)+(?:-[a-z]+)?$", "", key) or key


# Two documents that copy each other's text (a license built on GPL-2.0's sections, an EULA on a
# vendor's boilerplate) belong to one family even under unrelated keys: at least SHARED_UNITS identical
# sentences of SHARED_CHARS or more, making up SHARED_FRACTION of the smaller document.
SHARED_UNITS = 5
SHARED_CHARS = 60
SHARED_FRACTION = 0.25


def document_families(examples: list[Example]) -> dict[str, str]:
    """The family of every document: ``family()`` of its key, merged with documents it copies."""
    from licenselens.classify import normalized

    units: dict[str, set[str]] = {}
    for ex in examples:
        units.setdefault(ex.doc, set())
        text = " ".join(normalized(ex.text).lower().split())
        if len(text) >= SHARED_CHARS:
            units[ex.doc].add(text)
    parent = {doc: family(doc) for doc in units}
    root = {fam: fam for fam in parent.values()}

    def find(fam: str) -> str:
        while root[fam] != fam:
            root[fam] = root[root[fam]]
            fam = root[fam]
        return fam

    holders: dict[str, list[str]] = {}
    for doc, texts in units.items():
        for text in texts:
            holders.setdefault(text, []).append(doc)
    shared: dict[tuple[str, str], int] = {}
    for docs in holders.values():
        for i, a in enumerate(docs):
            for b in docs[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                shared[pair] = shared.get(pair, 0) + 1
    for (a, b), count in sorted(shared.items()):
        smaller = min(len(units[a]), len(units[b]))
        if count >= SHARED_UNITS and count >= SHARED_FRACTION * smaller:
            ra, rb = find(parent[a]), find(parent[b])
            if ra != rb:
                root[max(ra, rb)] = min(ra, rb)
    return {doc: find(fam) for doc, fam in parent.items()}


def featurize(examples: list[Example]) -> list[list[str]]:
    """Feature strings of every example, on normalized unit and context text."""
    from licenselens.classify import normalized

    finder = cue_finder()
    return [
        unit_features(finder, normalized(ex.text), normalized(ex.context) if ex.context else None)
        for ex in examples
    ]


def _vectorize(features: list[list[str]], vocabulary: list[str], idf: np.ndarray):
    from scipy.sparse import csr_matrix

    index = {f: i for i, f in enumerate(vocabulary)}
    mask = context_mask(vocabulary)
    indptr, indices, data = [0], [], []
    for feats in features:
        cols, vals = weigh(feats, index, idf, mask)
        indices.extend(cols)
        data.extend(vals)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(features), len(vocabulary)))


def fit(
    features: list[list[str]],
    labels: list[frozenset[TermKind]],
    *,
    groups: list[str] | None = None,
    tune: bool = False,
    c: float = C,
    restriction_threshold: float = RESTRICTION_THRESHOLD,
) -> Predictor:
    """Fit one logistic model per kind; tune thresholds by grouped inner CV when ``groups`` is given."""
    from sklearn.linear_model import LogisticRegression

    n = len(features)
    df: dict[str, int] = {}
    for feats in features:
        for f in set(feats):
            df[f] = df.get(f, 0) + 1
    vocabulary = sorted(f for f, count in df.items() if count >= MIN_DF)
    idf = np.array([np.log((1 + n) / (1 + df[f])) + 1.0 for f in vocabulary])
    x = _vectorize(features, vocabulary, idf)
    kinds = list(TermKind)
    coef = np.zeros((len(vocabulary), len(kinds)))
    intercept = np.full(len(kinds), UNTRAINED_INTERCEPT)
    positives = {}
    for k, kind in enumerate(kinds):
        y = np.array([kind in lab for lab in labels], dtype=int)
        positives[str(kind)] = int(y.sum())
        if 0 < y.sum() < n:
            model = LogisticRegression(**LOGISTIC, C=c)
            model.fit(x, y)
            coef[:, k] = model.coef_[0]
            intercept[k] = model.intercept_[0]
    thresholds = np.array([restriction_threshold if kind in RESTRICTIONS else 0.5 for kind in kinds])
    if tune and groups is not None:
        thresholds = tune_thresholds(features, labels, groups, c=c)
    meta = {
        "taxonomy": [str(k) for k in TermKind],
        "training": {
            "units": n,
            "documents": len(set(groups)) if groups is not None else None,
            "C": c,
            "restriction_threshold": restriction_threshold,
            "min_df": MIN_DF,
            **LOGISTIC,
            "positives": positives,
        },
    }
    return Predictor(kinds, vocabulary, idf, coef, intercept, thresholds, meta)


def tune_thresholds(
    features: list[list[str]], labels: list[frozenset[TermKind]], groups: list[str], *, c: float = C
) -> np.ndarray:
    """Per-kind thresholds maximising F1 on out-of-fold probabilities of grouped inner folds."""
    from sklearn.model_selection import GroupKFold

    kinds = list(TermKind)
    fams = [family(g) for g in groups]
    n_folds = min(INNER_FOLDS, len(set(fams)))
    thresholds = np.full(len(kinds), 0.5)
    if n_folds < 2:
        return thresholds
    oof = np.zeros((len(features), len(kinds)))
    for train_idx, test_idx in GroupKFold(n_splits=n_folds).split(features, groups=fams):
        inner = fit([features[i] for i in train_idx], [labels[i] for i in train_idx], tune=False, c=c)
        oof[test_idx] = inner.probabilities([inner.row(features[i]) for i in test_idx])
    for k, kind in enumerate(kinds):
        y = np.array([kind in lab for lab in labels])
        if y.sum() < MIN_POSITIVES_TO_TUNE:
            continue
        best = (-1.0, 0.0, 0.5)
        for t in THRESHOLD_GRID:
            pred = oof[:, k] >= t
            tp = float((pred & y).sum())
            f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
            # Ties go to the threshold nearest 0.5.
            cand = (round(f1, 6), -abs(t - 0.5), t)
            best = max(best, cand)
        thresholds[k] = best[2]
    return thresholds


def train(annotations: Path, out: Path | None = None, *, tune: bool = False) -> Predictor:
    """Train on every annotated unit of ``annotations``; write the model to ``out`` when given."""
    examples = load_annotations(annotations)
    if not examples:
        raise ValueError(f"{annotations}: no annotated units")
    groups = [ex.doc for ex in examples]
    predictor = fit(featurize(examples), [ex.kinds for ex in examples], groups=groups, tune=tune)
    predictor.meta["corpus_sha256"] = corpus_sha256(annotations)
    if out is not None:
        predictor.save(out)
    return predictor


def main(argv: list[str] | None = None) -> int:
    from licenselens.resources import corpus_path

    parser = argparse.ArgumentParser(prog="python -m licenselens.classify.train", description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=corpus_path("annotations"))
    parser.add_argument("--out", type=Path, default=corpus_path("model"))
    parser.add_argument("--tune-thresholds", action="store_true", help="tune per-kind thresholds by inner grouped CV")
    args = parser.parse_args(argv)
    predictor = train(args.annotations, args.out, tune=args.tune_thresholds)
    t = predictor.meta["training"]
    print(
        f"trained on {t['units']} units from {t['documents']} documents; "
        f"{len(predictor.vocabulary)} features; written to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
