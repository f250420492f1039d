"""SPDX license expressions: grammar, precedence, validation, errors with positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licenselens.errors import InputError
from licenselens.expression import (
    And,
    ExpressionError,
    License,
    LicenseRef,
    Or,
    With,
    choices,
    is_valid,
    leaves,
    lookup,
    normalize_expression,
    parse,
    scancode_key,
    simplify,
    spdx_for_scancode_key,
    to_string,
)

MIT = License("MIT")
APACHE = License("Apache-2.0")
BSD3 = License("BSD-3-Clause")


def test_single_license_in_spdx_spelling():
    assert parse("mit") == MIT
    assert parse("apache-2.0") == APACHE


def test_precedence_with_binds_tighter_than_and_than_or():
    expr = parse("MIT OR Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0")
    assert expr == Or((MIT, And((APACHE, With(License("GPL-2.0-only"), "Classpath-exception-2.0")))))


def test_parentheses_override_precedence():
    assert parse("(MIT OR Apache-2.0) AND BSD-3-Clause") == And((Or((MIT, APACHE)), BSD3))


def test_operators_are_case_insensitive():
    assert parse("MIT or Apache-2.0 and BSD-3-Clause") == parse("MIT OR Apache-2.0 AND BSD-3-Clause")
    assert parse("GPL-2.0-only with Classpath-exception-2.0") == With(License("GPL-2.0-only"), "Classpath-exception-2.0")


def test_or_later_plus():
    assert parse("GPL-2.0+") == License("GPL-2.0", or_later=True)
    assert parse("Apache-1.1+") == License("Apache-1.1", or_later=True)


def test_license_and_document_refs():
    assert parse("LicenseRef-scancode-llama-3.1-license-2024") == LicenseRef("LicenseRef-scancode-llama-3.1-license-2024")
    assert parse("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2") == LicenseRef(
        "LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2"
    )
    assert to_string(parse("DocumentRef-a:LicenseRef-b OR MIT")) == "DocumentRef-a:LicenseRef-b OR MIT"


def test_addition_ref_after_with():
    assert parse("GPL-2.0-only WITH AdditionRef-my-exception") == With(License("GPL-2.0-only"), "AdditionRef-my-exception")


def test_to_string_adds_needed_parentheses_only():
    assert to_string(parse("(MIT OR Apache-2.0) AND (BSD-3-Clause)")) == "(MIT OR Apache-2.0) AND BSD-3-Clause"
    assert to_string(parse("MIT OR (Apache-2.0 AND BSD-3-Clause)")) == "MIT OR Apache-2.0 AND BSD-3-Clause"


def test_simplify_flattens_dedupes_and_replaces_deprecated_ids():
    assert simplify(parse("MIT AND (MIT AND BSD-3-Clause)")) == And((MIT, BSD3))
    assert normalize_expression("GPL-2.0+ OR gpl-2.0 OR LGPL-2.1+") == "GPL-2.0-or-later OR GPL-2.0-only OR LGPL-2.1-or-later"
    assert normalize_expression("GPL-2.0-only+") == "GPL-2.0-or-later"
    assert normalize_expression("(MIT OR MIT)") == "MIT"


def test_choices_is_the_disjunctive_normal_form():
    expr = parse("(MIT OR Apache-2.0) AND BSD-3-Clause")
    assert choices(expr) == [frozenset({MIT, BSD3}), frozenset({APACHE, BSD3})]
    assert choices(parse("MIT OR MIT")) == [frozenset({MIT})]
    gpl_cp = With(License("GPL-2.0-only"), "Classpath-exception-2.0")
    assert choices(parse("GPL-2.0-only WITH Classpath-exception-2.0 OR MIT")) == [frozenset({gpl_cp}), frozenset({MIT})]


def test_choices_refuses_explosion():
    big = " AND ".join(f"({' OR '.join(['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC'])})" for _ in range(8))
    with pytest.raises(ExpressionError, match="alternatives"):
        choices(parse(big))


def test_leaves_in_document_order():
    assert list(leaves(parse("MIT OR (Apache-2.0 AND MIT)"))) == [MIT, APACHE, MIT]


def test_scancode_keys():
    assert scancode_key(MIT) == "mit"
    assert scancode_key(License("GPL-2.0", or_later=True)) == "gpl-2.0-plus"
    assert scancode_key(License("GPL-2.0-only", or_later=True)) == "gpl-2.0-plus"
    assert scancode_key(LicenseRef("LicenseRef-scancode-llama-3.1-license-2024")) == "llama-3.1-license-2024"
    assert spdx_for_scancode_key("bsd-new") == "BSD-3-Clause"
    assert spdx_for_scancode_key("llama-3.2-license-2024") == "LicenseRef-scancode-llama-3.2-license-2024"
    assert lookup("classpath-exception-2.0").is_exception


@pytest.mark.parametrize(
    ("text", "position", "problem"),
    [
        ("MIT AND", 8, "expected license id after 'AND'"),
        ("Apache-2.0 AND AND MIT", 16, "expected license id after 'AND', got 'AND'"),
        ("MIT OR", 7, "expected license id after 'OR'"),
        ("AND MIT", 1, "expected license id, got 'AND'"),
        ("MIT WITH", 9, "expected exception id after 'WITH'"),
        ("MIT BSD-3-Clause", 5, "expected AND, OR or WITH after 'MIT', got 'BSD-3-Clause'"),
        ("Apache-2.0 AND (MIT", 20, "missing ')' to close the '(' at position 16"),
        ("MIT OR Apache-2.0)", 18, "unbalanced ')'"),
        ("MIT / Apache-2.0", 5, "unexpected character '/'"),
        ("MIT OR ()", 9, "expected license id after '(', got ')'"),
        ("LicenseRef-foo+", 15, "got '+'"),
        ("GPL-2.0-only WITH Classpath-exception-2.0 WITH LLVM-exception", 43, "expected AND or OR"),
        ("Apache-2.0 OR Foo-1.0", 15, "unknown license id 'Foo-1.0'"),
        ("MIT WITH Foo-exception", 10, "unknown exception id 'Foo-exception'"),
        ("MIT WITH MIT", 10, "'MIT' is a license, not an exception"),
        ("Classpath-exception-2.0", 1, "is a license exception, not a license"),
        ("   ", 1, "empty license expression"),
    ],
)
def test_malformed_expressions_report_the_position(text, position, problem):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    error = caught.value
    assert isinstance(error, InputError)
    assert error.position == position
    assert f"position {position}: " in str(error)
    assert problem in str(error)
    assert "\n" not in str(error)


def test_error_names_its_source():
    with pytest.raises(ExpressionError) as caught:
        parse("MIT AND", source="package.json")
    assert str(caught.value).startswith("package.json: position 8:")


def test_unvalidated_parse_keeps_unknown_ids():
    assert parse("Foo-1.0 OR MIT", validate=False) == Or((License("Foo-1.0"), MIT))
    assert not is_valid("Foo-1.0 OR MIT")
    assert is_valid("Foo-1.0 OR MIT".replace("Foo-1.0", "0BSD"))


_IDS = st.sampled_from(["MIT", "Apache-2.0", "GPL-2.0-or-later", "LicenseRef-x", "BSD-3-Clause", "GPL-2.0+"])


@st.composite
def _expressions(draw, depth=0):
    if depth > 3 or draw(st.booleans()):
        leaf = draw(_IDS)
        if draw(st.integers(0, 4)) == 0 and not leaf.startswith("LicenseRef"):
            leaf += " WITH Classpath-exception-2.0"
        return leaf
    op = draw(st.sampled_from([" AND ", " OR ", " and ", " or "]))
    parts = draw(st.lists(_expressions(depth=depth + 1), min_size=2, max_size=3))
    return "(" + op.join(parts) + ")"


@given(_expressions())
@settings(max_examples=200, deadline=None)
def test_print_then_parse_round_trips(text):
    expr = parse(text)
    assert parse(to_string(expr)) == expr
    assert parse(to_string(simplify(expr))) == simplify(expr)


@given(st.text(alphabet="MITApache-2.0 ()+ANDORWITHx:LicenseRef/", max_size=40))
@settings(max_examples=300, deadline=None)
def test_never_crashes_on_garbage(text):
    try:
        expr = parse(text)
    except ExpressionError as error:
        assert 1 <= error.position <= len(text) + 1
    else:
        assert to_string(expr)
