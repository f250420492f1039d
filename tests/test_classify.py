"""Classify: real clauses in, term kinds and parameters out; the shipped model and its training."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from licenselens.classify import classify, classify_units
from licenselens.classify.cues import cue_finder
from licenselens.classify.params import extract, parse_number, regions, user_threshold
from licenselens.classify.predictor import Predictor, model_dir, shipped_predictor
from licenselens.model import Clause
from licenselens.resources import corpus_path
from licenselens.taxonomy import RESTRICTIONS, TermKind

LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"

MIT_GRANT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and "
    'associated documentation files (the "Software"), to deal in the Software without restriction, including '
    "without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell "
    "copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the "
    "following conditions:"
)


def kinds_of(text: str, context: str | None = None) -> set[TermKind]:
    return {kind for kind, _ in classify_units([text], context)[0]}


def restrictions_of(text: str) -> set[TermKind]:
    return kinds_of(text) & set(RESTRICTIONS)


def llama_sentence(filename: str, needle: str) -> str:
    """The sentence of a Llama reference text containing ``needle`` (skip when the texts are absent)."""
    path = LLAMA / filename
    if not path.is_file():
        pytest.skip(f"{path} not available")
    text = " ".join(path.read_text(encoding="utf-8").split())
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z(])", text):
        if needle in sentence:
            return sentence
    raise AssertionError(f"{needle!r} not found in {filename}")


# --- cues -------------------------------------------------------------------


def test_cues_find_deontic_phrases_and_negation_scope():
    reading = cue_finder().read("You may not use the Model without prior written consent, except as stated.")
    found = {(c.id, reading.doc[c.start : c.end].text.lower()) for c in reading.cues}
    assert ("prohibit-modal", "may not") in found
    assert ("prior-consent", "without prior written consent") in found
    assert ("except-as", "except as") in found
    use = cue_finder().read("You agree not to reverse engineer the Software.")
    reverse = next(c for c in use.cues if c.id == "reverse-engineer")
    assert reverse.negated


def test_spacy_is_imported_without_its_cli_and_the_cli_still_loads_later():
    # A fresh interpreter: in this one spaCy may already be imported by other tests.
    probe = (
        "import sys\n"
        "from licenselens.classify.cues import cue_finder\n"
        "cue_finder()\n"
        "print('spacy.cli' in sys.modules, 'weasel' in sys.modules)\n"
        "import spacy, spacy.cli\n"
        "from spacy.cli.info import info\n"
        "print(spacy.cli.info is info, callable(spacy.info))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True", "True"]


# --- parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("700 million", 700_000_000),
        ("700,000,000", 700_000_000),
        ("1 billion", 1_000_000_000),
        ("$1 million", 1_000_000),
        ("2.5 million", 2_500_000),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text)[0] == expected


def test_user_threshold_number_and_unit():
    assert user_threshold("greater than 700 million monthly active users in the preceding calendar month") == {
        "threshold": 700_000_000,
        "unit": "monthly active users",
    }
    revenue = user_threshold("if your annual revenue exceeds $1 million in revenue you need a license")
    assert revenue["threshold"] == 1_000_000 and revenue["currency"] == "USD" and "revenue" in revenue["unit"]
    assert user_threshold("See Section 2 of this Agreement.") == {}


def test_regions_canonical_and_case_aware():
    assert regions("a company with a principal place of business in the European Union") == ["European Union"]
    assert regions("users in the EU or the People's Republic of China") == ["European Union", "China"]
    assert regions("let us know") == []


def test_naming_attribution_and_url_params():
    naming = 'you shall also include "Llama" at the beginning of any such AI model name.'
    assert extract(TermKind.COND_NAMING, naming) == {"prefix": "Llama"}
    shown = 'prominently display "Built with Llama" on a related website, user interface, blogpost'
    assert extract(TermKind.COND_ATTRIBUTION, shown) == {"text": "Built with Llama"}
    policy = "adhere to the Acceptable Use Policy (available at https://llama.meta.com/llama3_1/use-policy), which"
    assert extract(TermKind.COND_FLOW_DOWN, policy)["url"] == "https://llama.meta.com/llama3_1/use-policy"


# --- kinds from real clauses ----------------------------------------------------


def test_mit_grant_sentence():
    kinds = kinds_of(MIT_GRANT)
    assert {TermKind.GRANT_USE, TermKind.GRANT_MODIFY, TermKind.GRANT_DISTRIBUTE, TermKind.GRANT_REPRODUCE} <= kinds
    assert not kinds & set(RESTRICTIONS)


def test_added_military_sentence_is_a_field_of_use_restriction():
    assert TermKind.RESTRICT_FIELD_OF_USE in kinds_of("This software may not be used for military purposes.")


def test_compliance_with_law_is_not_a_restriction():
    assert restrictions_of("You must comply with all applicable laws and regulations.") == set()


def test_copyleft_is_a_condition_not_a_restriction():
    text = (
        "You must license the entire work, as a whole, under this License to anyone who comes into "
        "possession of a copy."
    )
    kinds = kinds_of(text)
    assert TermKind.COND_SAME_LICENSE in kinds
    assert not kinds & set(RESTRICTIONS)


def test_llama_user_threshold_with_its_number():
    sentence = llama_sentence("llama3_1-LICENSE.txt", "700 million monthly active users")
    terms = classify([Clause(id="2", start=0, end=len(sentence), line=1, text=sentence)])
    threshold = [t for t in terms if t.kind is TermKind.RESTRICT_USER_THRESHOLD]
    assert threshold, terms
    assert threshold[0].params["threshold"] == 700_000_000
    assert threshold[0].params["unit"] == "monthly active users"


def test_llama_3_2_eu_exclusion_is_persons_with_region():
    sentence = llama_sentence("llama3_2-USE_POLICY.md", "European Union")
    terms = classify([Clause(id="1", start=0, end=len(sentence), line=1, text=sentence)])
    persons = [t for t in terms if t.kind is TermKind.RESTRICT_PERSONS]
    assert persons, terms
    assert "European Union" in persons[0].params["regions"]


def test_built_with_llama_is_attribution_not_restriction():
    sentence = llama_sentence("llama3_1-LICENSE.txt", "Built with Llama")
    terms = [t for t in classify([Clause(id="1.b.i", start=0, end=len(sentence), line=1, text=sentence)])]
    attribution = [t for t in terms if t.kind is TermKind.COND_ATTRIBUTION]
    assert attribution and attribution[0].params.get("text") == "Built with Llama"
    assert not {t.kind for t in terms} & set(RESTRICTIONS)


def test_model_name_prefix_is_naming_condition():
    sentence = llama_sentence("llama3_1-LICENSE.txt", "at the beginning of any such AI model name")
    terms = classify([Clause(id="1.b.i", start=0, end=len(sentence), line=1, text=sentence)])
    naming = [t for t in terms if t.kind is TermKind.COND_NAMING]
    assert naming and naming[0].params["prefix"] == "Llama"


def test_llama_2_ban_on_improving_other_models_is_competition():
    sentence = llama_sentence("llama2-LICENSE.txt", "improve any other large language model")
    assert TermKind.RESTRICT_COMPETITION in kinds_of(sentence)


def test_list_item_reads_its_lead_in():
    lead = "You agree not to use the Model or Derivatives of the Model:"
    item = "(c) For military use in any way;"
    assert TermKind.RESTRICT_FIELD_OF_USE in kinds_of(item, lead)


# --- classify() over clauses ------------------------------------------------------


def test_classify_spans_are_original_offsets_in_order():
    prefix = "# Terms\n\n"
    body = "Permission is granted to use the **Software**.  This software may not be used for military purposes."
    text = prefix + body
    clause = Clause(id="1", start=len(prefix), end=len(text), line=3, text=body)
    terms = classify([clause])
    assert terms == sorted(terms, key=lambda t: (t.start, t.end, t.kind.value))
    military = [t for t in terms if t.kind is TermKind.RESTRICT_FIELD_OF_USE]
    assert military
    assert text[military[0].start : military[0].end] == "This software may not be used for military purposes."
    for t in terms:
        assert clause.start <= t.start < t.end <= clause.end and 0.0 <= t.confidence <= 1.0
    assert classify([clause]) == terms  # deterministic


def test_classify_list_item_under_parent_lead_in():
    lead = "You agree not to use the Model or Derivatives of the Model:\n"
    item = "(a) In any way that violates any applicable national or international law;\n"
    military = "(b) For military purposes;"
    text = lead + item + military
    clauses = [
        Clause(id="a", start=0, end=len(lead), line=1, text=lead),
        Clause(id="a.a", start=len(lead), end=len(lead) + len(item), line=2, text=item, parent="a", level=1),
        Clause(id="a.b", start=len(lead) + len(item), end=len(text), line=3, text=military, parent="a", level=1),
    ]
    terms = classify(clauses)
    assert any(t.kind is TermKind.RESTRICT_FIELD_OF_USE and t.clause == "a.b" for t in terms)


def test_classify_empty_input():
    assert classify([]) == []


# --- the shipped model --------------------------------------------------------


def test_shipped_model_matches_taxonomy():
    model = shipped_predictor()
    assert model.meta["taxonomy"] == [str(k) for k in TermKind]
    assert model.kinds == list(TermKind)
    assert len(model.thresholds) == len(TermKind)


def test_shipped_model_is_trained_on_the_current_annotations():
    from licenselens.classify.train import corpus_sha256

    meta = json.loads((model_dir() / "model.json").read_text(encoding="utf-8"))
    assert meta["corpus_sha256"] == corpus_sha256(corpus_path("annotations")), (
        "corpora/model is stale: run python -m licenselens.classify.train"
    )


def test_runtime_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = (
        "import sys; from licenselens.classify import classify_units; "
        "classify_units(['You may not use the Software for military purposes.']); "
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- training ---------------------------------------------------------------------

TINY = {
    "doc-a": [
        ("You may not use the Software for military purposes.", ["restrict.field-of-use"]),
        ("Permission is granted to use, copy and modify the Software.", ["grant.use", "grant.reproduce", "grant.modify"]),
        ("THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND.", ["info.warranty-disclaimer"]),
        ("This is the license text.", []),
    ],
    "doc-b": [
        ("You shall not use the Work for weapons or surveillance.", ["restrict.field-of-use"]),
        ("You may use and copy the Work.", ["grant.use", "grant.reproduce"]),
        ("THE WORK IS PROVIDED AS IS WITHOUT WARRANTIES.", ["info.warranty-disclaimer"]),
        ("Version 2 of this license.", []),
    ],
    "doc-c": [
        ("The Model must not be used for military applications.", ["restrict.field-of-use"]),
        ("You may modify the Model and use it.", ["grant.modify", "grant.use"]),
        ("NO WARRANTY IS GIVEN; THE MODEL IS PROVIDED AS IS.", ["info.warranty-disclaimer"]),
        ("Preamble.", []),
    ],
}


def test_training_exports_a_predictor_that_reproduces_scikit_learn(tmp_path):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from licenselens.classify import train as training

    annotations = tmp_path / "annotations"
    annotations.mkdir()
    for doc, units in TINY.items():
        lines = [json.dumps({"text": text, "kinds": kinds}) for text, kinds in units]
        (annotations / f"{doc}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    assert training.main(["--annotations", str(annotations), "--out", str(out)]) == 0
    loaded = Predictor.load(out)
    assert loaded.meta["corpus_sha256"] == training.corpus_sha256(annotations)
    assert loaded.meta["taxonomy"] == [str(k) for k in TermKind]

    examples = training.load_annotations(annotations)
    features = training.featurize(examples)
    x = training._vectorize(features, loaded.vocabulary, loaded.idf)
    rows = [loaded.row(f) for f in features]
    ours = loaded.decision_function(rows)
    for k, kind in enumerate(loaded.kinds):
        y = np.array([kind in ex.kinds for ex in examples], dtype=int)
        if 0 < y.sum() < len(y):
            reference = LogisticRegression(**training.LOGISTIC, C=training.C).fit(x, y)
            assert np.allclose(ours[:, k], reference.decision_function(x), atol=1e-4), kind
        else:
            assert (ours[:, k] < -10).all(), kind  # never predicted without training examples
    predicted = loaded.predict(rows)
    assert TermKind.RESTRICT_FIELD_OF_USE in {k for k, _ in predicted[0]}
    # Training is deterministic: the same corpus gives the same arrays.
    again = training.train(annotations)
    assert np.array_equal(again.coef, training.train(annotations).coef)


def test_unknown_kind_in_annotations_is_an_error(tmp_path):
    from licenselens.classify.train import load_annotations

    (tmp_path / "bad.jsonl").write_text(json.dumps({"text": "x", "kinds": ["restrict.nonsense"]}) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_annotations(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "You may use the Software for any purpose, including commercial purposes.",
        "You may inspect, test and benchmark the Software and publish the results.",
        "You may choose whether and when to install updates to the Model.",
    ],
)
def test_plain_permissions_are_not_restrictions(text):
    assert restrictions_of(text) == set()


def test_a_limiting_permission_stays_a_restriction():
    assert TermKind.RESTRICT_RESEARCH_ONLY in kinds_of("You may use the Model for research purposes only.")
    assert TermKind.RESTRICT_NON_COMMERCIAL in kinds_of("You may not use the Software for commercial purposes.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Meta may update this Acceptable Use Policy from time to time.", TermKind.RESTRICT_UNILATERAL_CHANGE),
        ("Above that size you must request a license from the Licensor.", TermKind.RESTRICT_PERMISSION_REQUIRED),
        ("The Software may install automatic updates without notice.", TermKind.RESTRICT_REMOTE_CONTROL),
        ("We may terminate this license for any reason or no reason.", TermKind.RESTRICT_REVOCABLE),
    ],
)
def test_high_precision_phrasings_raise_their_kind(text, kind):
    assert kind in kinds_of(text)


def test_licensee_changing_the_license_text_is_not_unilateral_change():
    from licenselens.classify.patterns import raised

    assert TermKind.RESTRICT_UNILATERAL_CHANGE not in raised("You may modify the text of this License for your own license.")


def test_a_steward_publishing_new_versions_is_not_unilateral_change():
    steward = "The Foundation may publish revised and/or new versions of this License from time to time."
    assert TermKind.RESTRICT_UNILATERAL_CHANGE not in kinds_of(steward)
    spirit = "Such new versions will be similar in spirit to the present version, but may differ in detail."
    assert TermKind.RESTRICT_UNILATERAL_CHANGE not in kinds_of(spirit)
    binding = "We may publish new versions of this Agreement, which bind you upon your continued use."
    assert TermKind.RESTRICT_UNILATERAL_CHANGE in kinds_of(binding)
