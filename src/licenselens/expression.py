"""SPDX license expressions: parse, validate, simplify, print, and list the choices.

The grammar is ``grammars/spdx.lark``. Ids are validated against the SPDX
license and exception lists shipped by the ``license-expression`` package
(ScanCode's LicenseDB index, which records the SPDX key of every ScanCode
license), so nothing is hand-typed and nothing is fetched.

>>> e = parse("(mit OR apache-2.0) AND GPL-2.0+ WITH classpath-exception-2.0")
>>> to_string(e)
'(MIT OR Apache-2.0) AND GPL-2.0+ WITH Classpath-exception-2.0'
>>> to_string(simplify(e))
'(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0'
>>> [sorted(map(to_string, c)) for c in choices(e)]
[['GPL-2.0+ WITH Classpath-exception-2.0', 'MIT'], ['Apache-2.0', 'GPL-2.0+ WITH Classpath-exception-2.0']]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from itertools import product
from typing import Iterator, Union

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from licenselens.errors import InputError
from licenselens.resources import grammar_path

# Guards against expressions whose OR/AND expansion would explode.
MAX_CHOICES = 4096
MAX_LENGTH = 10_000


# --- AST ----------------------------------------------------------------------


@dataclass(frozen=True)
class License:
    """A license from the SPDX list, e.g. ``Apache-2.0`` or ``GPL-2.0+`` (``or_later``)."""

    id: str
    or_later: bool = False


@dataclass(frozen=True)
class LicenseRef:
    """A license outside the SPDX list: ``LicenseRef-x`` or ``DocumentRef-d:LicenseRef-x``."""

    id: str
    document: str | None = None


@dataclass(frozen=True)
class With:
    """A license with an exception or addition: ``GPL-2.0-only WITH Classpath-exception-2.0``."""

    license: License | LicenseRef
    exception: str


@dataclass(frozen=True)
class And:
    """All of the operands apply (conjunctive)."""

    args: tuple[Expression, ...]


@dataclass(frozen=True)
class Or:
    """Any one of the operands may be chosen (disjunctive)."""

    args: tuple[Expression, ...]


Leaf = Union[License, LicenseRef, With]
Expression = Union[License, LicenseRef, With, And, Or]


# --- SPDX lists -----------------------------------------------------------------


@dataclass(frozen=True)
class SpdxEntry:
    """One id of the SPDX lists, with the ScanCode key that carries it."""

    id: str
    scancode_key: str
    is_exception: bool
    deprecated_alias_of: str | None = None


@dataclass(frozen=True)
class SpdxLists:
    by_lower: dict[str, SpdxEntry]
    by_scancode_key: dict[str, str]
    list_version: str


@cache
def spdx_lists() -> SpdxLists:
    """Load the SPDX ids (licenses, exceptions, deprecated aliases) from ``license-expression``."""
    data = importlib_resources.files("license_expression") / "data"
    index = json.loads((data / "scancode-licensedb-index.json").read_text(encoding="utf-8"))
    about = (data / "license_key_index.json.ABOUT").read_text(encoding="utf-8")
    version = re.search(r"spdx_license_list_version:\s*(\S+)", about)
    by_lower: dict[str, SpdxEntry] = {}
    by_key: dict[str, str] = {}
    aliases: list[tuple[str, SpdxEntry]] = []
    for row in index:
        spdx = row.get("spdx_license_key")
        if not spdx:
            continue
        by_key[row["license_key"]] = spdx
        if spdx.startswith("LicenseRef-"):
            continue
        entry = SpdxEntry(spdx, row["license_key"], bool(row.get("is_exception")))
        by_lower.setdefault(spdx.lower(), entry)
        for other in row.get("other_spdx_license_keys") or []:
            # Deprecated SPDX ids (GPL-2.0, GPL-2.0+, Nokia-Qt-exception-1.1); skip free-form names.
            if other and not other.startswith("LicenseRef-") and " " not in other and "-" in other:
                aliases.append((other, entry))
    for alias, entry in aliases:
        by_lower.setdefault(
            alias.lower(), SpdxEntry(alias, entry.scancode_key, entry.is_exception, deprecated_alias_of=entry.id)
        )
    return SpdxLists(by_lower, by_key, version.group(1) if version else "unknown")


def lookup(spdx_id: str) -> SpdxEntry | None:
    """Return the SPDX list entry of ``spdx_id`` (case-insensitive), or None."""
    return spdx_lists().by_lower.get(spdx_id.lower())


def spdx_for_scancode_key(key: str) -> str | None:
    """SPDX id of a ScanCode license key (``LicenseRef-scancode-<key>`` when SPDX has none)."""
    return spdx_lists().by_scancode_key.get(key)


def scancode_key(leaf: Leaf) -> str | None:
    """ScanCode license key of a leaf, when known (``MIT`` -> ``mit``, ``GPL-2.0+`` -> ``gpl-2.0-plus``)."""
    if isinstance(leaf, With):
        return scancode_key(leaf.license)
    if isinstance(leaf, LicenseRef):
        if leaf.document is None and leaf.id.startswith("LicenseRef-scancode-"):
            return leaf.id.removeprefix("LicenseRef-scancode-")
        return None
    if leaf.or_later:
        plus = lookup(leaf.id + "+") or lookup(leaf.id.removesuffix("-only") + "-or-later")
        if plus is not None:
            return plus.scancode_key
    entry = lookup(leaf.id)
    return entry.scancode_key if entry else None


# --- errors -----------------------------------------------------------------------


class ExpressionError(InputError):
    """A malformed or invalid SPDX expression; ``position`` is 1-based, ``offset`` 0-based."""

    def __init__(self, expression: str, offset: int, problem: str, source: str | None = None) -> None:
        self.expression = expression
        self.offset = offset
        self.position = offset + 1
        self.problem = problem
        super().__init__(source, f"position {self.position}: {problem} in SPDX expression {expression!r}")


# --- parsing ----------------------------------------------------------------------


@cache
def _parser() -> Lark:
    """The SPDX expression grammar, built once per process; its LALR tables kept in the user cache.

    Building the tables costs about 100 ms, a fifth of a warm scan; lark checks the
    grammar and options hash before loading a cached file (see ``private_cache_file``).
    """
    from lark import __version__ as lark_version

    from licenselens.resources import private_cache_file

    grammar = grammar_path("spdx.lark").read_text(encoding="utf-8")
    options = dict(parser="lalr", lexer="contextual", propagate_positions=False, maybe_placeholders=False)
    cache_file = private_cache_file(f"spdx-grammar-lark{lark_version}.cache")
    if cache_file is not None:
        try:
            return Lark(grammar, cache=cache_file, **options)
        except Exception:  # noqa: BLE001 - a broken cache file costs a rebuild, never a failure
            pass
    return Lark(grammar, **options)


class _Build(Transformer):
    def __init__(self, validate: bool) -> None:
        super().__init__()
        self.validate = validate

    def _fail(self, token: Token, problem: str) -> None:
        raise _Invalid(token.start_pos or 0, problem)

    @v_args(inline=True)
    def license(self, name: Token, plus: Token | None = None) -> License:
        entry = lookup(str(name))
        if entry is None:
            if self.validate:
                self._fail(name, f"unknown license id '{name}' (not in the SPDX license list; use LicenseRef-...)")
            return License(str(name), plus is not None)
        if entry.is_exception and self.validate:
            self._fail(name, f"'{entry.id}' is a license exception, not a license; use it after WITH")
        return License(entry.id, plus is not None)

    @v_args(inline=True)
    def license_ref(self, ref: Token) -> LicenseRef:
        return LicenseRef(*_split_ref(str(ref), "LicenseRef-"))

    @v_args(inline=True)
    def exception(self, name: Token) -> str:
        entry = lookup(str(name))
        if entry is None:
            if self.validate:
                self._fail(name, f"unknown exception id '{name}' (not in the SPDX exceptions list)")
            return str(name)
        if not entry.is_exception and self.validate:
            self._fail(name, f"'{entry.id}' is a license, not an exception; WITH takes an exception")
        return entry.id

    @v_args(inline=True)
    def addition_ref(self, ref: Token) -> str:
        name, document = _split_ref(str(ref), "AdditionRef-")
        return f"DocumentRef-{document}:{name}" if document else name

    @v_args(inline=True)
    def with_(self, lic: License | LicenseRef, _kw: Token, exception: str) -> With:
        return With(lic, exception)

    # AND and OR are associative: "(A AND B) AND C" is "A AND B AND C".
    def and_(self, items: list) -> And:
        return And(_flatten(And, items))

    def or_(self, items: list) -> Or:
        return Or(_flatten(Or, items))


def _flatten(kind: type, items: list) -> tuple:
    out: list = []
    for item in items:
        if isinstance(item, Token):
            continue
        out.extend(item.args if isinstance(item, kind) else (item,))
    return tuple(out)



class _Invalid(Exception):
    def __init__(self, offset: int, problem: str) -> None:
        self.offset = offset
        self.problem = problem


def _split_ref(ref: str, prefix: str) -> tuple[str, str | None]:
    document = None
    if ":" in ref:
        doc, ref = ref.split(":", 1)
        document = doc[len("DocumentRef-") :]
    return prefix + ref[len(prefix) :], (f"DocumentRef-{document}" if document else None)


def _problem(text: str, offset: int, expected: set[str], got: str | None) -> str:
    """Say what was expected at ``offset`` in words, from the grammar's expected terminals."""
    words = re.findall(r"[^\s()+]+|[()+]", text[:offset])
    previous = words[-1] if words else None
    after = f" after '{previous}'" if previous else ""
    found = f", got '{got}'" if got is not None else ""
    depth = text[:offset].count("(") - text[:offset].count(")")
    if previous is not None and previous.upper() == "WITH":
        return f"expected exception id{after}{found}"
    if expected & {"LICENSE_ID", "LICENSE_REF", "LPAR"}:
        return f"expected license id{after}{found}"
    if got == ")" and depth <= 0:
        return "unbalanced ')': no '(' to close"
    if got is None and depth > 0:
        return f"missing ')' to close the '(' at position {_open_paren(text[:offset]) + 1}"
    operators = ["AND", "OR"]
    if previous not in (None, ")") and not (len(words) > 1 and words[-2].upper() == "WITH"):
        operators.append("WITH")
    if depth > 0:
        operators.append("')'")
    return f"expected {', '.join(operators[:-1])} or {operators[-1]}{after}{found}"


def _open_paren(before: str) -> int:
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        if before[i] == ")":
            depth += 1
        elif before[i] == "(":
            if depth == 0:
                return i
            depth -= 1
    return 0


def parse(text: str, *, validate: bool = True, source: str | None = None) -> Expression:
    """Parse an SPDX license expression into an AST.

    Operators are case-insensitive; license and exception ids are matched
    case-insensitively and returned in their SPDX spelling. With ``validate``,
    an id missing from the SPDX lists (or an exception used as a license, or a
    license after WITH) is an error; without it, unknown ids are kept as written.
    Raises ``ExpressionError`` (an ``InputError``) with the position of the problem.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:60] + "...", MAX_LENGTH, f"expression longer than {MAX_LENGTH} characters", source)
    if not text.strip():
        raise ExpressionError(text, 0, "empty license expression", source)
    try:
        tree = _parser().parse(text)
        return _Build(validate).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, _Invalid):
            raise ExpressionError(text, error.orig_exc.offset, error.orig_exc.problem, source) from None
        raise
    except UnexpectedEOF as error:
        raise ExpressionError(text, len(text), _problem(text, len(text), set(error.expected), None), source) from None
    except UnexpectedToken as error:
        token = error.token
        at_end = token.type == "$END"
        offset = len(text) if at_end else (token.start_pos or 0)
        problem = _problem(text, offset, set(error.expected), None if at_end else str(token))
        raise ExpressionError(text, offset, problem, source) from None
    except UnexpectedCharacters as error:
        offset = error.pos_in_stream
        char = text[offset] if offset < len(text) else ""
        allowed = getattr(error, "allowed", None) or set()
        if char.isalnum() or char in ".-":
            problem = _problem(text, offset, set(allowed), _word_at(text, offset))
        else:
            problem = f"unexpected character {char!r}"
        raise ExpressionError(text, offset, problem, source) from None
    except UnexpectedInput as error:  # pragma: no cover - other lark errors
        raise ExpressionError(text, getattr(error, "pos_in_stream", 0) or 0, "malformed expression", source) from None


def _word_at(text: str, offset: int) -> str:
    match = re.match(r"[^\s()+]+", text[offset:])
    return match.group(0) if match else text[offset : offset + 1]


def is_valid(text: str) -> bool:
    """True when ``text`` parses and every id is on the SPDX lists."""
    try:
        parse(text)
    except ExpressionError:
        return False
    return True


# --- printing and rewriting ---------------------------------------------------------


def to_string(expr: Expression) -> str:
    """Print an expression in SPDX syntax, with the parentheses precedence requires."""
    if isinstance(expr, License):
        return expr.id + ("+" if expr.or_later else "")
    if isinstance(expr, LicenseRef):
        return f"{expr.document}:{expr.id}" if expr.document else expr.id
    if isinstance(expr, With):
        return f"{to_string(expr.license)} WITH {expr.exception}"
    if isinstance(expr, And):
        return " AND ".join(f"({to_string(a)})" if isinstance(a, Or) else to_string(a) for a in expr.args)
    if isinstance(expr, Or):
        return " OR ".join(to_string(a) for a in expr.args)
    raise TypeError(f"not an SPDX expression node: {expr!r}")


def _canonical_license(lic: License) -> License:
    entry = lookup(lic.id)
    if entry is None:
        return lic
    if lic.or_later:
        # GPL-2.0+ and GPL-2.0-only+ both mean GPL-2.0-or-later.
        for candidate in (lic.id + "+", lic.id.removesuffix("-only") + "-or-later"):
            plus = lookup(candidate)
            if plus is not None and candidate != lic.id:
                return License(plus.deprecated_alias_of or plus.id)
        return License(entry.deprecated_alias_of or entry.id, True)
    return License(entry.deprecated_alias_of or entry.id)


def simplify(expr: Expression) -> Expression:
    """Flatten nested AND/OR, drop duplicate operands, and replace deprecated ids.

    ``GPL-2.0+`` becomes ``GPL-2.0-or-later``, ``GPL-2.0`` becomes ``GPL-2.0-only``;
    ``MIT AND (MIT AND BSD-3-Clause)`` becomes ``MIT AND BSD-3-Clause``. Operand
    order is kept (it is how the author wrote it).
    """
    if isinstance(expr, License):
        return _canonical_license(expr)
    if isinstance(expr, LicenseRef):
        return expr
    if isinstance(expr, With):
        lic = simplify(expr.license)
        exception = lookup(expr.exception)
        name = (exception.deprecated_alias_of or exception.id) if exception else expr.exception
        return With(lic, name)  # type: ignore[arg-type]
    kind = type(expr)
    operands: list[Expression] = []
    for arg in expr.args:  # type: ignore[union-attr]
        arg = simplify(arg)
        for item in arg.args if isinstance(arg, kind) else (arg,):  # type: ignore[union-attr]
            if item not in operands:
                operands.append(item)
    return operands[0] if len(operands) == 1 else kind(tuple(operands))


def leaves(expr: Expression) -> Iterator[Leaf]:
    """Every license (with its exception, if any) in document order."""
    if isinstance(expr, (And, Or)):
        for arg in expr.args:
            yield from leaves(arg)
    else:
        yield expr


def choices(expr: Expression) -> list[frozenset[Leaf]]:
    """The alternatives a recipient may pick from, each the set of licenses that then all apply.

    ``MIT OR (Apache-2.0 AND BSD-3-Clause)`` gives ``[{MIT}, {Apache-2.0, BSD-3-Clause}]``
    (the disjunctive normal form). Duplicates are dropped; order follows the text.
    """
    result = _choices(expr)
    unique: list[frozenset[Leaf]] = []
    for choice in result:
        if choice not in unique:
            unique.append(choice)
    return unique


def _choices(expr: Expression) -> list[frozenset[Leaf]]:
    if isinstance(expr, Or):
        out: list[frozenset[Leaf]] = []
        for arg in expr.args:
            out.extend(_choices(arg))
        if len(out) > MAX_CHOICES:
            raise ExpressionError(to_string(expr), 0, f"more than {MAX_CHOICES} alternatives")
        return out
    if isinstance(expr, And):
        combined: list[frozenset[Leaf]] = [frozenset()]
        for arg in expr.args:
            options = _choices(arg)
            if len(combined) * len(options) > MAX_CHOICES:
                raise ExpressionError(to_string(expr), 0, f"more than {MAX_CHOICES} alternatives")
            combined = [a | b for a, b in product(combined, options)]
        return combined
    return [frozenset({expr})]


def normalize_expression(text: str, *, validate: bool = True) -> str:
    """Parse, simplify and print: the canonical spelling of an SPDX expression."""
    return to_string(simplify(parse(text, validate=validate)))
