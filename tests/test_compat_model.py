"""licenselens compat --use model: may a model derived from the inbound model be released under the outbound license?"""

from __future__ import annotations

from pathlib import Path

import pytest

from licenselens.compat import compat
from licenselens.model import CompatVerdict

V = CompatVerdict
FIXTURES = Path(__file__).parent / "fixtures" / "compat"
LLAMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "llama"
LLAMA31 = "LicenseRef-scancode-llama-3.1-license-2024"
LLAMA2 = "LicenseRef-scancode-llama-2-license-2023"


def model(inbound: str, outbound: str):
    result = compat([inbound], outbound, use="model")
    return result.inbound[0]


def musts(item) -> list[str]:
    return [r.removeprefix("must: ") for r in item.reasons if r.startswith("must: ")]


def test_llama31_finetune_as_plain_apache_is_incompatible_citing_the_clauses():
    item = model(LLAMA31, "Apache-2.0")
    assert item.verdict is V.INCOMPATIBLE
    reasons = "\n".join(item.reasons)
    assert "clause 1.b.iv" in reasons  # the Acceptable Use Policy clause
    assert "Acceptable Use Policy" in reasons or "field-of-use" in reasons
    assert "clause 1.b.i" in reasons  # a copy of the Agreement must accompany derivatives
    assert "Apache-2.0 does not carry these terms" in reasons


def test_llama31_finetune_under_the_llama_license_is_conditional_with_its_conditions():
    item = model(LLAMA31, LLAMA31)
    assert item.verdict is V.CONDITIONAL
    conditions = musts(item)
    assert any('display "Built with Llama"' in c for c in conditions)
    assert any('name with "Llama"' in c for c in conditions)
    assert any("copy of" in c and "1.b.i" in c for c in conditions)
    assert any("field-of-use" in c and "1.b.iv" in c for c in conditions)


def test_llama31_short_name_is_read_through_declared():
    assert model("llama3.1", "Apache-2.0").verdict is V.INCOMPATIBLE


@pytest.mark.skipif(not (LLAMA / "llama3_1-LICENSE.txt").is_file(), reason="Llama reference texts not beside the checkout")
def test_llama31_text_itself_as_outbound():
    item = model(LLAMA31, str(LLAMA / "llama3_1-LICENSE.txt"))
    assert item.verdict is V.CONDITIONAL
    assert any("Built with Llama" in c for c in musts(item))
    assert model(str(LLAMA / "llama3_1-LICENSE.txt"), "MIT").verdict is V.INCOMPATIBLE


def test_llama2_output_ban_follows_the_model():
    item = model(LLAMA2, LLAMA2)
    assert item.verdict is V.CONDITIONAL
    assert any("1.b.v" in c and "outputs" in c for c in musts(item))
    banned = model(LLAMA2, "MIT")
    assert banned.verdict is V.INCOMPATIBLE
    assert any("outputs" in r and "1.b.v" in r for r in banned.reasons)


def test_openrail_use_restrictions_flow_down():
    rail = "LicenseRef-scancode-bigscience-open-rail-m"
    item = model(rail, "MIT")
    assert item.verdict is V.INCOMPATIBLE
    assert any("enforceable provision" in r for r in item.reasons)
    assert model(rail, rail).verdict is V.CONDITIONAL


def test_gemma_terms_follow_the_model():
    assert model("LicenseRef-scancode-gemma-tou-2024-04-01", "Apache-2.0").verdict is V.INCOMPATIBLE


def test_custom_model_license():
    path = str(FIXTURES / "model-license.txt")
    item = model(path, "Apache-2.0")
    assert item.verdict is V.INCOMPATIBLE
    assert any("military" in r for r in item.reasons)
    same = model(path, path)
    assert same.verdict is V.CONDITIONAL
    conditions = musts(same)
    assert any('name with "Acme"' in c for c in conditions)
    assert any('"Built with Acme"' in c for c in conditions)


def test_permissive_base_model():
    assert model("MIT", "Apache-2.0").verdict is V.COMPATIBLE
    assert model("Apache-2.0", "MIT").verdict is V.CONDITIONAL


def test_no_derivatives_base_model():
    item = model("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0")
    assert item.verdict is V.INCOMPATIBLE
