"""licenselens compat: software pairs, SPDX OR/AND/WITH, custom licenses, published facts.

Pairs are checked with ``use_facts=False`` where the point is that the answer
comes from the terms of the two texts, not from a published statement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from licenselens.compat import compat
from licenselens.errors import InputError
from licenselens.expression import ExpressionError
from licenselens.model import CompatVerdict

V = CompatVerdict
FIXTURES = Path(__file__).parent / "fixtures" / "compat"


def one(inbound: str, outbound: str, **kw):
    result = compat([inbound], outbound, **kw)
    assert len(result.inbound) == 1
    return result.inbound[0]


def text(item) -> str:
    return "\n".join(item.reasons)


# --- well-known pairs, from the terms alone ---------------------------------------------------


def test_apache_into_gpl2_is_incompatible_because_of_patent_termination():
    item = one("Apache-2.0", "GPL-2.0-only", use_facts=False)
    assert item.verdict is V.INCOMPATIBLE
    reasons = text(item)
    assert "patent" in reasons
    assert "Apache-2.0 clause 3" in reasons  # the patent-termination clause is cited
    assert "further restrictions" in reasons  # against GPL-2.0's clause 6


def test_apache_into_gpl3_is_compatible_since_gpl3_has_its_own_patent_term():
    item = one("Apache-2.0", "GPL-3.0-only", use_facts=False)
    assert item.verdict in (V.COMPATIBLE, V.CONDITIONAL)
    assert "GPL-3.0-only clause 10" in text(item)


def test_gpl2_only_cannot_go_into_gpl3_but_or_later_can():
    assert one("GPL-2.0-only", "GPL-3.0-only", use_facts=False).verdict is V.INCOMPATIBLE
    later = one("GPL-2.0-or-later", "GPL-3.0-only", use_facts=False)
    assert later.verdict is V.CONDITIONAL
    assert "any later version" in text(later) or "later version" in text(later)
    assert "must: distribute the combined work under GPL-3.0-only" in later.reasons


def test_mpl_secondary_license_clause_allows_gpl():
    item = one("MPL-2.0", "GPL-3.0-only", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert "Secondary License" in text(item)


def test_mpl_into_permissive_keeps_its_files():
    item = one("MPL-2.0", "MIT", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert "Larger Work" in text(item)
    assert any(r.startswith("must: keep the MPL-2.0 files under MPL-2.0") for r in item.reasons)


def test_lgpl21_section3_allows_gpl():
    item = one("LGPL-2.1-only", "GPL-3.0-only", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert "ordinary GNU General Public License" in text(item)


def test_epl2_needs_the_secondary_license_notice():
    item = one("EPL-2.0", "GPL-2.0-only", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert any("secondary license" in r for r in item.reasons if r.startswith("must: "))


def test_gpl_into_permissive_is_incompatible():
    item = one("GPL-3.0-only", "MIT", use_facts=False)
    assert item.verdict is V.INCOMPATIBLE
    assert "entire work" in text(item)


def test_permissive_into_permissive_with_notice_file_is_conditional():
    item = one("Apache-2.0", "MIT", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert any("NOTICE" in r for r in item.reasons if r.startswith("must: "))
    assert one("MIT", "Apache-2.0", use_facts=False).verdict is V.COMPATIBLE


# --- expressions -----------------------------------------------------------------------------------


def test_or_picks_the_compatible_option_and_says_which():
    item = one("GPL-2.0-only OR MIT", "Apache-2.0")
    assert item.verdict is V.COMPATIBLE
    assert item.reasons[0].startswith("choose MIT")
    assert "GPL-2.0-only: incompatible" in item.reasons[0]


def test_and_requires_every_part():
    item = one("MIT AND GPL-2.0-only", "Apache-2.0")
    assert item.verdict is V.INCOMPATIBLE
    assert any(r.startswith("[GPL-2.0-only] ") for r in item.reasons)


def test_nested_expression():
    item = one("(MIT OR Apache-2.0) AND BSD-3-Clause", "GPL-2.0-only")
    assert item.verdict is V.COMPATIBLE
    assert "choose MIT" in text(item)


def test_classpath_exception_lifts_the_copyleft_for_linking():
    assert one("GPL-2.0-only", "Apache-2.0").verdict is V.INCOMPATIBLE
    item = one("GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0")
    assert item.verdict is V.CONDITIONAL
    assert "independent modules" in text(item)


def test_llvm_exception_resolves_gpl2_conflict():
    assert one("Apache-2.0", "GPL-2.0-only", use_facts=False).verdict is V.INCOMPATIBLE
    item = one("Apache-2.0 WITH LLVM-exception", "GPL-2.0-only", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert "LLVM-exception" in text(item)


def test_gcc_runtime_exception():
    item = one("GPL-3.0-or-later WITH GCC-exception-3.1", "MIT")
    assert item.verdict is V.CONDITIONAL
    assert "eligible compilation process" in text(item)


def test_exception_that_does_not_apply_changes_nothing():
    item = one("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only")
    assert item.verdict is V.COMPATIBLE


def test_outbound_or_must_accept_every_alternative():
    assert one("GPL-2.0-only", "GPL-2.0-only").verdict is V.COMPATIBLE
    assert one("GPL-2.0-only", "GPL-2.0-only OR MIT").verdict is V.INCOMPATIBLE


def test_overall_is_the_worst_inbound():
    result = compat(["MIT", "GPL-3.0-only"], "Apache-2.0")
    assert [i.verdict for i in result.inbound] == [V.COMPATIBLE, V.INCOMPATIBLE]
    assert result.verdict is V.INCOMPATIBLE


# --- custom licenses, never seen before ----------------------------------------------------------


def test_custom_field_of_use_is_incompatible_with_gpl3_citing_the_clause():
    path = str(FIXTURES / "field-of-use.txt")
    item = one(path, "GPL-3.0-only")
    assert item.verdict is V.INCOMPATIBLE
    reasons = text(item)
    assert "field-of-use" in reasons
    assert "clause 3 (line 9)" in reasons
    assert "military purposes" in reasons
    assert "forbids further restrictions" in reasons


def test_custom_field_of_use_into_permissive_outbound_is_incompatible():
    assert one(str(FIXTURES / "field-of-use.txt"), "MIT").verdict is V.INCOMPATIBLE


def test_custom_noncommercial_license():
    item = one(str(FIXTURES / "noncommercial.txt"), "MIT")
    assert item.verdict is V.INCOMPATIBLE
    assert "non-commercial" in text(item)


def test_custom_work_copyleft_as_inbound_and_outbound():
    copyleft = str(FIXTURES / "work-copyleft.txt")
    item = one(copyleft, "MIT")
    assert item.verdict is V.INCOMPATIBLE
    assert "clause 3" in text(item)
    assert one("MIT", copyleft).verdict is V.COMPATIBLE
    # Its "no further restrictions" clause meets Apache-2.0's patent termination, as GPL-2.0 does.
    apache = one("Apache-2.0", copyleft, use_facts=False)
    assert apache.verdict is V.INCOMPATIBLE
    assert "clause 5" in text(apache)
    assert one(copyleft, copyleft).verdict is V.COMPATIBLE


def test_custom_file_copyleft_keeps_its_files():
    item = one(str(FIXTURES / "file-copyleft.txt"), "Apache-2.0")
    assert item.verdict is V.CONDITIONAL
    assert "Larger Work" in text(item)
    assert one(str(FIXTURES / "file-copyleft.txt"), "GPL-3.0-only").verdict is V.INCOMPATIBLE


def test_custom_attribution_condition_is_listed():
    item = one(str(FIXTURES / "attribution.txt"), "MIT")
    assert item.verdict is V.CONDITIONAL
    musts = [r for r in item.reasons if r.startswith("must: ")]
    assert any('"Powered by Beacon"' in m and "clause c" in m for m in musts)
    assert any("changed" in m for m in musts)


def test_custom_relicensing_clause():
    path = str(FIXTURES / "relicense-gpl.txt")
    item = one(path, "GPL-3.0-only")
    assert item.verdict is V.CONDITIONAL
    assert "clause 3" in text(item)
    assert one(path, "GPL-2.0-only").verdict is V.CONDITIONAL
    assert one(path, "MIT").verdict is V.INCOMPATIBLE


# --- published facts ------------------------------------------------------------------------------


def test_fact_decides_where_there_is_no_text_and_names_its_source():
    item = one("EPL-1.0", "GPL-2.0-only")
    assert item.verdict is V.INCOMPATIBLE
    assert "source: FSF license list" in text(item)
    assert one("EPL-1.0", "GPL-2.0-only", use_facts=False).verdict is V.UNKNOWN


def test_fact_confirms_a_derived_answer():
    item = one("Apache-2.0", "GPL-2.0-only")
    assert item.verdict is V.INCOMPATIBLE
    assert any(r.startswith("confirmed by a published statement") for r in item.reasons)


# --- bad input ------------------------------------------------------------------------------------


def test_malformed_expression_has_a_position():
    with pytest.raises(ExpressionError) as info:
        compat(["MIT OR"], "GPL-2.0-only")
    assert info.value.position == 7


def test_unknown_id_missing_file_and_unknown_ref():
    with pytest.raises(InputError):
        compat(["NOT-A-LICENSE-9"], "MIT")
    with pytest.raises(InputError, match="no such file"):
        compat(["./missing-license.txt"], "MIT")
    with pytest.raises(InputError, match="LicenseRef-nothing"):
        compat(["LicenseRef-nothing"], "MIT")
    with pytest.raises(InputError):
        compat(["MIT"], "MIT", use="hardware")


def test_snippet_integration_reaches_file_and_library_copyleft():
    assert one("LGPL-2.1-only", "MIT").verdict is V.CONDITIONAL
    item = one("LGPL-2.1-only", "MIT", integration="snippet")
    assert item.verdict is V.INCOMPATIBLE
    assert "copied into the work's own files" in text(item)
    assert one("MIT", "Apache-2.0", integration="snippet").verdict is V.COMPATIBLE
    with pytest.raises(InputError):
        compat(["MIT"], "MIT", integration="linker")


def test_analyses_go_to_the_result_cache(tmp_path):
    from licenselens.cache import ResultCache
    from licenselens.compat import sources
    from licenselens.pipeline import CACHE_NAMESPACE, cache_key

    store = ResultCache(tmp_path / "cache.sqlite3")
    sources._ANALYSES.clear()  # the in-process memo would otherwise answer first
    compat(["ISC"], "Zlib", cache=store)
    text = sources.reference_text(sources.references()["isc"])
    assert store.get(CACHE_NAMESPACE, cache_key(text)) is not None
    store.close()


def test_relicensing_is_followed_one_step():
    # GPL-2.0-or-later may go under GPL-3.0, whose section 13 permits combining with AGPL-3.0.
    item = one("GPL-2.0-or-later", "AGPL-3.0-only", use_facts=False)
    assert item.verdict is V.CONDITIONAL
    assert any("GPL-3.0-only expressly permits combining with AGPL-3.0-only" in r for r in item.reasons)
    assert one("GPL-2.0-only", "AGPL-3.0-only", use_facts=False).verdict is V.INCOMPATIBLE
