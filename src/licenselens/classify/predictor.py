"""The trained classifier at run time: plain arrays and numpy, no scikit-learn.

``corpora/model/`` holds two files written by ``python -m licenselens.classify.train``:

- ``model.json``: format version, the taxonomy the model was trained for, the
  SHA-256 of the annotation corpus, the feature vocabulary (in column order),
  the kinds (in row order), per-kind decision thresholds and training settings;
- ``idf.npy`` (n_features), ``coef.npy`` (n_features x n_kinds, float32), ``intercept.npy``
  (n_kinds): plain NumPy arrays, memory-mapped at load (no pickle), so a cold process reads
  only the coefficient rows of the features its texts contain.

One binary logistic model per kind: probability = sigmoid(x . coef[:, k] + intercept[k]),
the kind is predicted when the probability reaches its threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from licenselens.taxonomy import TermKind

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

FORMAT_VERSION = 2
MODEL_JSON = "model.json"
MODEL_ARRAYS = ("idf", "coef", "intercept")  # each in ``<name>.npy`` beside model.json

Row = tuple[list[int], list[float]]


@dataclass
class Predictor:
    """A linear one-vs-rest classifier over the features of ``licenselens.classify.features``."""

    kinds: list[TermKind]
    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray  # (n_features, n_kinds)
    intercept: np.ndarray  # (n_kinds,)
    thresholds: np.ndarray  # (n_kinds,)
    meta: dict

    def __post_init__(self) -> None:
        from licenselens.classify.features import context_mask

        self.index = {f: i for i, f in enumerate(self.vocabulary)}
        self.context_mask = context_mask(self.vocabulary)
        # Plain floats: indexing a numpy array per feature made a numpy scalar each time.
        self.idf_values = self.idf.tolist()
        # (unit text, lead-in) -> ((kind, confidence, params), ...): filled by ``classify``, per model.
        self.unit_memo: dict[tuple[str, str | None], tuple] = {}

    def row(self, features: list[str]) -> Row:
        """The weighted sparse row of one unit's feature strings."""
        from licenselens.classify.features import weigh

        return weigh(features, self.index, self.idf_values, self.context_mask)

    def decision_function(self, rows: list[Row]) -> np.ndarray:
        """Linear scores (n_rows, n_kinds), as scikit-learn's ``decision_function``."""
        import numpy as np

        out = np.empty((len(rows), len(self.kinds)))
        for r, (cols, vals) in enumerate(rows):
            if cols:
                out[r] = np.asarray(vals) @ self.coef[cols] + self.intercept
            else:
                out[r] = self.intercept
        return out

    def probabilities(self, rows: list[Row]) -> np.ndarray:
        """Per-kind probabilities (n_rows, n_kinds)."""
        import numpy as np

        return 1.0 / (1.0 + np.exp(-self.decision_function(rows)))

    def predict(self, rows: list[Row], texts: list[str] | None = None) -> list[list[tuple[TermKind, float]]]:
        """For each row, the kinds whose probability reaches their threshold, with that probability.

        With the unit ``texts``, the high-precision phrasings of
        ``licenselens.classify.patterns`` raise their kind as well, and its vetoes lower theirs.
        """
        probs = self.probabilities(rows)
        if texts is not None:
            from licenselens.classify.patterns import PATTERN_CONFIDENCE, raised, vetoed

            column = {kind: k for k, kind in enumerate(self.kinds)}
            for r, text in enumerate(texts):
                for kind in raised(text):
                    k = column[kind]
                    probs[r, k] = max(probs[r, k], PATTERN_CONFIDENCE, self.thresholds[k])
                for kind in vetoed(text):
                    k = column[kind]
                    probs[r, k] = min(probs[r, k], 1.0 - PATTERN_CONFIDENCE)
        hits = probs >= self.thresholds
        return [
            [(self.kinds[k], float(probs[r, k])) for k in hits[r].nonzero()[0]]
            for r in range(len(rows))
        ]

    def save(self, folder: Path) -> None:
        """Write ``model.json`` and ``model.npz`` into ``folder``."""
        import numpy as np

        folder.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta)
        meta.update(
            format=FORMAT_VERSION,
            kinds=[str(k) for k in self.kinds],
            thresholds=[round(float(t), 6) for t in self.thresholds],
            vocabulary=self.vocabulary,
        )
        (folder / MODEL_JSON).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        # float32 halves the shipped size; scores stay within 1e-5 of the trained model.
        arrays = {"idf": self.idf, "coef": np.asarray(self.coef, dtype=np.float32), "intercept": self.intercept}
        for name in MODEL_ARRAYS:
            np.save(folder / f"{name}.npy", arrays[name], allow_pickle=False)
        (folder / "model.npz").unlink(missing_ok=True)  # the format-1 archive

    @classmethod
    def load(cls, folder: Path) -> Predictor:
        """Read a model written by ``save``; refuses an unknown format or a kind outside the taxonomy."""
        import numpy as np

        meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{folder}: unsupported classifier model format {meta.get('format')!r}")
        kinds = [TermKind(k) for k in meta.pop("kinds")]
        vocabulary = meta.pop("vocabulary")
        thresholds = np.asarray(meta.pop("thresholds"), dtype=float)
        # The float32 coefficients stay float32: a row times the float64 weights is computed in
        # float64 all the same, with the same result as converting them first.
        idf, coef, intercept = (np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in MODEL_ARRAYS)
        if coef.shape != (len(vocabulary), len(kinds)) or idf.shape != (len(vocabulary),):
            raise ValueError(f"{folder}: classifier arrays do not match the vocabulary and kinds")
        return cls(kinds, vocabulary, idf, coef, intercept, thresholds, meta)


def model_dir() -> Path:
    """The folder of the shipped classifier model."""
    from licenselens.resources import corpus_path

    return corpus_path("model")


@cache
def shipped_predictor() -> Predictor:
    """The shipped model, loaded once per process."""
    return Predictor.load(model_dir())
