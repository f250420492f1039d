"""Segmentation: a license text into a tree of clauses with stable ids.

Three steps:

1. ``grammars/license.lark`` classifies every line of the normalized text:
   Markdown heading, numbered item with its marker style, bullet, or text.
2. Lines group into blocks (a blank line, a marker, a heading or a
   definition starts a new block); blocks are classified as title, heading,
   item, definition or paragraph.
3. A stack nests the items. Marker style decides first ("(a)" under "1.",
   "i." roman unless it follows "h."), indentation second (Markdown lists
   nest "1." under "1." by indentation alone).

Clause ids (stable: the same text always gives the same ids):

- ``title``; ``preamble`` for the paragraphs between the title and the first
  structure; ``definitions.1`` ... for quoted definitions outside sections.
- Numbered sections by their number: ``1``, ``1.1``, ``2`` for "Section 2"
  and "Article II"; items by their labels below them: ``1.b.iv``, ``5.a``.
  "i." is a letter after "h." and a roman numeral otherwise.
- Attachments by kind and label: ``attachment-a``, ``exhibit-b``,
  ``appendix``, with ``attachment-a.3`` below them.
- Unnumbered headings by slug (``prohibited-uses``, ``preamble``); they
  are the ``parent`` of what follows but do not prefix its ids, unless the
  numbering restarts below them (a license and its policy concatenated:
  ``prohibited-uses.2.a``).
- Markdown ordered lists are numbered by position, letters then roman
  numerals when nested (``1.a.i``), whatever their written labels; bullets by
  position (``2.3``, ``p2.1`` under a lead-in paragraph).
- Paragraphs outside any section ``p1``, ``p2`` ...; after the items of a
  section ``4.p1``. Unknown layouts degrade to paragraphs only.
- A remaining clash (a bilingual text numbering twice) gets a suffix: ``1.1-2``.

The clauses partition the *original* text: each clause starts at the first
non-blank character of its first line (the first clause at 0) and ends where
the next one starts, so the blank lines between clauses belong to the one
before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from licenselens.model import Clause
from licenselens.resources import grammar_path
from licenselens.text import NormalizedText

__all__ = ["segment", "units"]


# ---------------------------------------------------------------------------
# step 1: lines


@cache
def _parser():
    """The line grammar, built once per process.

    Building the LALR tables costs 25-75 ms on a small machine, loading them
    1-6 ms, so they are kept in the user's cache directory. lark checks the
    SHA-256 of grammar and options before loading, so a changed grammar is
    rebuilt; the file is a pickle, so it is only used from a private folder.
    """
    from lark import Lark
    from lark import __version__ as lark_version

    grammar = grammar_path("license.lark").read_text(encoding="utf-8")
    from licenselens.resources import private_cache_file

    cache_file = private_cache_file(f"license-grammar-lark{lark_version}.cache")
    if cache_file is not None:
        try:
            return Lark(grammar, parser="lalr", lexer="contextual", cache=cache_file)
        except Exception:  # noqa: BLE001 - a broken cache file costs a rebuild, never a failure
            pass
    return Lark(grammar, parser="lalr", lexer="contextual")


@dataclass(slots=True)
class _Line:
    start: int  # normalized offset of the line start
    text_start: int  # normalized offset of the first non-blank character
    indent: int  # columns, a tab counting four
    kind: str  # 'text', 'heading', 'item', 'bullet', 'rule'
    marker: str = ""  # the marker as written ("1.", "(a)", "Section 2", "##")
    mtype: str = ""  # the grammar terminal of the marker
    rest: str = ""  # the text after the marker, stripped
    blank_before: bool = False


_RULE_RE = re.compile(r"[-*_=~#+.\s]*")  # horizontal rules and separators carry no words


def _lines(text: str) -> list[_Line]:
    """Classify every non-blank line of the normalized text with the grammar."""
    try:
        tree = _parser().parse(text)
        raw = [node.children for node in tree.children]
    except Exception:  # noqa: BLE001 - any grammar failure degrades to plain lines
        raw = None
    if raw is None:
        return _plain_lines(text)
    lines: list[_Line] = []
    prev_end = -1
    for tokens in raw:
        first = tokens[0]
        line_start = text.rfind("\n", 0, first.start_pos) + 1
        indent = 0
        k = 0
        if first.type == "INDENT":
            indent = _width(first.value)
            k = 1
        if k >= len(tokens):
            continue  # blanks only
        head = tokens[k]
        rest = tokens[k + 1].value.strip() if k + 1 < len(tokens) else ""
        blank_before = prev_end >= 0 and text.count("\n", prev_end, line_start) > 1 or (prev_end < 0 and line_start > 0)
        if head.type == "TEXT":
            kind = "rule" if _RULE_RE.fullmatch(head.value) else "text"
            line = _Line(line_start, head.start_pos, indent, kind, rest=head.value.strip())
        elif head.type == "HASHES":
            line = _Line(line_start, head.start_pos, indent, "heading", head.value, head.type, rest)
        elif head.type == "BULLET":
            if head.value == "*" and rest.endswith("*"):
                rest = rest[:-1].strip()  # a line of a box drawn with asterisks: its content is text
                kind = "rule" if _RULE_RE.fullmatch(rest) else "text"
                line = _Line(line_start, head.start_pos, indent, kind, rest=rest)
            else:
                kind = "rule" if _RULE_RE.fullmatch(rest) else "bullet"
                line = _Line(line_start, head.start_pos, indent, kind, head.value, head.type, rest)
        else:
            line = _Line(line_start, head.start_pos, indent, "item", head.value, head.type, rest)
        line.blank_before = blank_before
        lines.append(line)
        last = tokens[-1]
        prev_end = last.start_pos + len(last.value)
    return lines


def _plain_lines(text: str) -> list[_Line]:
    """Fallback without the grammar: every non-blank line is text."""
    lines: list[_Line] = []
    pos = 0
    blank = False
    for raw in text.split("\n"):
        stripped = raw.lstrip(" \t")
        if stripped:
            lines.append(_Line(pos, pos + len(raw) - len(stripped), _width(raw[: len(raw) - len(stripped)]), "text",
                               rest=stripped.strip(), blank_before=blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


# ---------------------------------------------------------------------------
# step 2: blocks


@dataclass(slots=True)
class _Block:
    kind: str  # 'item', 'bullet', 'heading', 'definition', 'text'
    line: _Line
    nlines: int = 1
    last_rest: str = ""  # text of the last line, to see whether a sentence ended
    second_rest: str = ""  # text of the second line (an attachment's heading)


_DEFINITION_RE = re.compile(
    r"\"[^\"\n]{1,80}\"(?:\s*(?:,|or|and)?\s*\"[^\"\n]{1,80}\"){0,4}\s*(?:\([^()\n]{0,80}\)\s*)?,?\s*"
    r"(?:means|shall mean|refers to|shall refer to|includes|include|has the meaning|shall have the meaning"
    r"|is defined|are defined|mean)\b"
)
_SENTENCE_END_RE = re.compile(r"(?:[.:;!?][\"')\]]?|\band|\bor)\Z")
_COPYRIGHT_RE = re.compile(r"(?i)(?:copyright\b|\(c\)|©)")


def _ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence or a list item ("...; and"), judged from its last characters."""
    return _SENTENCE_END_RE.search(text, max(0, len(text) - 4)) is not None


def _blocks(lines: list[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    cur: _Block | None = None
    for k, line in enumerate(lines):
        if line.kind == "rule":
            cur = None  # a separator ends the block and belongs to it
            continue
        kind = line.kind
        if kind == "item" and not _real_item(line, cur):
            kind = "text"
            line.kind = "text"
            line.rest = (line.marker + " " + line.rest).strip()
            line.marker = line.mtype = ""
        starts = cur is None or line.blank_before or kind in ("item", "bullet", "heading")
        if not starts and kind == "text" and _DEFINITION_RE.match(line.rest) and cur is not None:
            starts = cur.kind in ("definition", "text") and bool(_ends_sentence(cur.last_rest)) or (
                cur.kind == "text" and cur.nlines == 1
            )
        if (
            not starts
            and kind == "text"
            and cur is not None
            and cur.kind == "text"
            and cur.nlines == 1
            and _title_like(cur.last_rest, 8)
            and not _title_like(line.rest, 8)
        ):
            starts = True  # "Prohibited Uses" over its paragraph without a blank line is a heading
        if (
            not starts
            and kind == "text"
            and cur is not None
            and cur.kind == "text"
            and line.rest[:1].isalpha()
            and _title_like(line.rest, 6)
            and _heading_between(cur.last_rest, lines[k + 1] if k + 1 < len(lines) else None)
        ):
            starts = True  # a heading line between two paragraphs without blank lines
        if starts:
            if kind == "text" and _DEFINITION_RE.match(line.rest):
                kind = "definition"
            cur = _Block(kind, line, 1, line.rest)
            blocks.append(cur)
            if kind == "heading":
                cur = None  # a Markdown heading is one line
        else:
            assert cur is not None
            cur.nlines += 1
            cur.last_rest = line.rest
            if cur.nlines == 2:
                cur.second_rest = line.rest
    return blocks


def _heading_between(before: str, after: _Line | None) -> bool:
    """Whether a short title-like line between ``before`` and ``after`` is a heading, not wrapped text."""
    if _ends_sentence(before):
        return True
    words = before.split()
    last = words[-1].lower() if words else ""
    if not last or last.endswith(",") or last in _SMALL_WORDS:
        return False  # "... under the terms of the\nApache License" is one sentence
    if after is None or after.blank_before or after.kind != "text":
        return True
    # A heading is followed by a sentence, not by another short line (an address, a signature block).
    return after.rest[:1].isupper() and not _title_like(after.rest, 8)


def _real_item(line: _Line, cur: _Block | None) -> bool:
    """Whether a marker at the start of a line really starts an item (not a wrapped reference)."""
    rest = line.rest
    if line.mtype == "PAREN_LETTER" and line.marker.lower() == "(c)" and (not rest or rest[:1].isdigit()
                                                                         or _COPYRIGHT_RE.match(rest)):
        return False  # "(c) 2024 Example Inc." is a copyright line
    if line.mtype in ("SECTION", "ATTACHMENT"):
        # "Section 2 of this Agreement" wrapped onto a new line is a reference, not a heading.
        if rest and not (rest[0] in "-:.\u2013\u2014(" or rest[0].isupper() or rest[0].isdigit()):
            return False
        if line.mtype == "ATTACHMENT" and not re.search(r"(?:\s[A-Za-z0-9]{1,4}[.:]?|:)$", line.marker) and rest and (
            rest[0] not in ":-"
        ):
            return False  # a bare "Schedule" or "Appendix" needs a label or a colon
    if cur is None or line.blank_before:
        return True
    # Inside a paragraph only after a finished sentence, or as the next item of a tight list;
    # "... added under section\n    7.  This requirement ..." is wrapped text.
    if _ends_sentence(cur.last_rest) or cur.nlines == 1 and _title_like(cur.last_rest, 10):
        return True  # after a finished sentence or a heading line ("Section IV: OTHER PROVISIONS")
    if cur.kind not in ("item", "bullet"):
        return False
    if line.indent != cur.line.indent:
        return line.mtype == cur.line.mtype or line.indent > cur.line.indent
    return line.mtype == cur.line.mtype and _follows(cur.line.marker, line.marker)


def _follows(prev: str, marker: str) -> bool:
    """Whether ``marker`` can be the next marker after ``prev`` in a tight list ("2." after "1.")."""
    if prev == marker or prev[:1] in "-*+" or not prev:
        return prev[:1] in "-*+\u2022" or prev == marker  # bullets, and Markdown's repeated "1."
    a, b = _MULTILEVEL_PART_RE.findall(prev.lower()), _MULTILEVEL_PART_RE.findall(marker.lower())
    if not a or not b:
        return True
    if len(a) == len(b) and a[:-1] == b[:-1]:
        return _part_value(b[-1]) == _part_value(a[-1]) + 1 or _roman(b[-1]) == _roman(a[-1]) + 1
    return len(b) < len(a) and b[:-1] == a[: len(b) - 1] and _part_value(b[-1]) == _part_value(a[len(b) - 1]) + 1


def _part_value(part: str) -> int:
    return int(part) if part.isdigit() else ord(part[0]) - 96 if len(part) == 1 else _roman(part)


# ---------------------------------------------------------------------------
# step 3: nesting


@dataclass(slots=True)
class _Open:
    """An open container on the nesting stack."""

    kind: str  # 'item', 'root' (heading, attachment, section group) or 'para'
    id: str
    style: str = ""
    indent: int = 0
    value: int = 0
    path: tuple[str, ...] = ()  # explicit number path ("1", "2") for "1.1" style children
    prefix: bool = True  # whether children's ids start with this id
    section_like: bool = False
    hlevel: int = 0  # Markdown heading level for roots (7 for plain headings)
    owns_last: bool = True  # the latest clause is this container's own
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Node:
    id: str
    start: int  # normalized offset where the clause starts (a line start)
    parent: str | None
    level: int
    heading: str | None


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_RE = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN_LETTERS = frozenset("ivxlcdm")


def _roman(s: str) -> int:
    s = s.lower()
    if not s or not _ROMAN_RE.fullmatch(s):
        return 0
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def _to_roman(n: int) -> str:
    out = []
    for v, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                   (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out or "0"


_SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or over per the to under upon via with without its your our "
    "is are be been was were shall will may must can not no between that which who than then these those "
    "such any all each every other you it".split()
)
_HEADING_IN_ITEM_RE = re.compile(r"([A-Z][^.:;!?\n]{0,80}?)[.:](?=\s|$)")
# "Use-based restrictions. The restrictions ...": a short phrase, a period, then a new sentence.
_SHORT_HEADING_RE = re.compile(r"([A-Z][\w'\-]*(?:[ ][\w'\-]+){0,5})\.[ ]+(?=[A-Z\"(])")
_SEPARATOR_RE = re.compile(r"^[\s\-\u2013\u2014:.)]+")


def _title_like(s: str, max_words: int = 12) -> bool:
    """Short, Title Case or ALL CAPS, no sentence punctuation at the end."""
    s = s.strip()
    if not s or len(s) > 100 or s[-1] in ".,;:" or _COPYRIGHT_RE.match(s) or "://" in s or "@" in s:
        return False
    words = s.split()
    if len(words) > max_words:
        return False
    significant = [w for w in words if w[:1].isalpha() and w.lower().strip("():,") not in _SMALL_WORDS]
    if not significant:
        return False
    upper = sum(1 for w in significant if w[0].isupper())
    return upper >= 0.7 * len(significant)


def _item_heading(rest: str, alone: bool = True) -> str | None:
    """The heading at the start of an item: "Grant of Rights." in "a. Grant of Rights. You are ...".

    ``alone``: the marker line is the whole block, so a short title-like line is all heading.
    """
    rest = _SEPARATOR_RE.sub("", rest)
    if not rest:
        return None
    m = _HEADING_IN_ITEM_RE.match(rest)
    if m and _title_like(m.group(1), 10):
        return m.group(1).strip()
    m = _SHORT_HEADING_RE.match(rest)
    if m:
        return m.group(1)
    if alone and _title_like(rest, 10):
        return rest.strip().rstrip(":")
    return None


def _slug(s: str) -> str:
    words = re.findall(r"[a-z0-9]+", s.lower())
    return "-".join(words[:6]) or "section"


_MD_HEADING_NUMBER_RE = re.compile(
    r"(?i)^(?:(section|article|§)\s*)?(\d{1,3}(?:\.\d{1,3}){0,4}|[ivxlc]{1,7}(?=[.:)\s]))[.:)]?(?:\s+|$)(.*)$"
)
_MD_ATTACHMENT_RE = re.compile(
    r"(?i)^(attachment|exhibit|appendix|schedule|annex|addendum)(?:\s+([A-Z]|\d{1,2}|[IVX]{1,4}))?\b[.:]?\s*(.*)$"
)


class _Builder:
    """Walks the blocks, keeping the nesting stack, and records one node per clause."""

    def __init__(self, blocks: list[_Block], markdown: bool = False) -> None:
        self.blocks = blocks
        self.markdown = markdown  # ordered lists are numbered by position, whatever their labels
        self.stack: list[_Open] = []
        self.nodes: list[_Node] = []
        self.paragraphs = 0
        self.definitions = 0
        self.seen_structure = False
        self.top_counts: dict[str, int] = {}  # position counters of the outermost level
        self.used: set[str] = set()
        self.index = 0  # the block being read
        # GPL: "Copyright ..." before a heading "Preamble" must not take the id of the real preamble.
        self.preamble_allowed = not any(
            (b.kind == "heading" or self._plain_heading(b)) and _slug(b.line.rest) == "preamble" for b in blocks
        )
        self.has_structure = any(b.kind in ("item", "heading", "definition") for b in blocks[1:]) or any(
            b.kind == "text" and self._plain_heading(b) for b in blocks[1:]
        )

    # -- helpers ----------------------------------------------------------

    def _is_title(self, block: _Block) -> bool:
        """The first block is the title when it is a heading, or short Title Case text before more."""
        if block.kind == "heading":
            m = _MD_HEADING_NUMBER_RE.match(block.line.rest)
            return not (m and m.group(2)[0].isdigit())  # "## 1. Definitions" is section 1
        return (
            block.kind == "text"
            and block.nlines <= 4
            and _title_like(block.line.rest)
            and (self.has_structure or len(self.blocks) > 1)
        )

    def _plain_heading(self, block: _Block) -> bool:
        """A standalone short Title Case line; "Attn: General Counsel" and the like are not headings."""
        rest = block.line.rest
        return block.kind == "text" and block.nlines == 1 and ":" not in rest and _title_like(rest, 10)

    def emit(self, id_: str, block: _Block, parent: _Open | None, heading: str | None) -> None:
        level = sum(1 for o in self.stack if o.kind != "para") if parent is not None else 0
        for o in self.stack:
            o.owns_last = False
        self.nodes.append(_Node(id_, block.line.start, parent.id if parent else None, level, heading))
        self.used.add(id_)

    def top(self) -> _Open | None:
        return self.stack[-1] if self.stack else None

    def root_prefix(self) -> str:
        for o in reversed(self.stack):
            if o.kind == "root" and o.prefix:
                return o.id + "."
            if o.kind == "root":
                return ""
        return ""

    def pop_items(self) -> None:
        while self.stack and self.stack[-1].kind != "root":
            self.stack.pop()

    def _attachment_heading(self, block: _Block) -> bool:
        """"Attachment A", a blank line, then "Use Restrictions": the line is the attachment's heading."""
        if not (self.nodes and self.stack and self.stack[-1].kind == "root" and self.stack[-1].hlevel == 0):
            return False
        node = self.nodes[-1]
        if node.id != self.stack[-1].id or node.heading is not None or not self._plain_heading(block):
            return False
        node.heading = block.line.rest.strip()
        return True

    # -- main walk ----------------------------------------------------------

    def run(self) -> list[_Node]:
        blocks = self.blocks
        for i, block in enumerate(blocks):
            self.index = i
            if i == 0 and self._is_title(block):
                self.nodes.append(_Node("title", block.line.start, None, 0, _heading_text(block)))
                continue
            if (
                self.nodes
                and self.nodes[-1].id == "title"
                and not self.seen_structure
                and block.kind == "text"
                and block.nlines <= 2
                and _title_like(block.line.rest)
                and any(ch.isdigit() for ch in block.line.rest)
            ):
                continue  # "Version 2.0, January 2004" under the title belongs to it
            if self._attachment_heading(block):
                continue
            if block.kind == "heading":
                self.heading(block)
            elif block.kind == "item":
                self.item(block, i)
            elif block.kind == "bullet":
                self.bullet(block)
            elif block.kind == "definition" and not any(o.kind == "item" for o in self.stack):
                self.definition(block)
            elif self._plain_heading(block) and i > 0 and (self.has_structure or self.seen_structure):
                self.plain_heading(block)
            else:
                self.paragraph(block)
        return self.nodes

    def heading(self, block: _Block) -> None:
        text = block.line.rest
        hlevel = len(block.line.marker)
        m = _MD_ATTACHMENT_RE.match(text)
        if m and (m.group(2) or m.group(3).startswith(":") or not m.group(3)):
            self.attachment(block, m.group(1), m.group(2), m.group(3))
            return
        m = _MD_HEADING_NUMBER_RE.match(text)
        if m and (m.group(2)[0].isdigit() or m.group(1)):
            path = _number_path(m.group(2))
            if path:
                self.numbered_section(block, path, _item_heading(m.group(3)) or m.group(3).strip() or None,
                                      indent=0)
                return
        self.root_heading(block, text, hlevel)

    def root_heading(self, block: _Block, text: str, hlevel: int) -> None:
        self.seen_structure = True
        # A heading closes items and headings of its level or below; attachments stay open.
        while self.stack:
            o = self.stack[-1]
            if o.kind == "root" and (o.hlevel == 0 or o.hlevel < hlevel):
                break
            self.stack.pop()
        parent = self.top()
        id_ = self.root_prefix() + _slug(text)
        self.emit(id_, block, parent, text.strip() or None)
        self.stack.append(_Open("root", id_, hlevel=hlevel, prefix=self._numbering_restarts()))

    def _numbering_restarts(self) -> bool:
        """Whether the items after this heading number again from ids already used (concatenated texts)."""
        for b in self.blocks[self.index + 1 : self.index + 40]:
            if b.kind == "heading" or b.kind == "text" and self._plain_heading(b):
                return False
            if b.kind == "item":
                marker = b.line.marker
                if b.line.mtype in ("NUMBER", "MULTILEVEL"):
                    return self.root_prefix() + marker.rstrip(".)") in self.used
                return False
            if b.kind == "bullet":
                return self.root_prefix() + "1" in self.used
        return False

    def plain_heading(self, block: _Block) -> None:
        text = block.line.rest
        m = _MD_HEADING_NUMBER_RE.match(text)
        if m and m.group(2)[0].isdigit() and m.group(3):
            # "6. Disclaimer of Warranty" drawn inside a box of asterisks is still section 6.
            self.numbered_section(block, _number_path(m.group(2)), m.group(3).strip(), indent=0)
            return
        self.root_heading(block, text, 7)

    def attachment(self, block: _Block, word: str, label: str | None, rest: str) -> None:
        self.seen_structure = True
        while self.stack:
            self.stack.pop()
        id_ = word.lower() + (f"-{label.lower()}" if label else "")
        heading = _SEPARATOR_RE.sub("", rest).strip() or None
        self.emit(id_, block, None, heading)
        self.stack.append(_Open("root", id_, hlevel=0, prefix=True, section_like=True))

    def numbered_section(self, block: _Block, path: tuple[str, ...], heading: str | None, indent: int) -> None:
        """A section with an explicit number path: "Section 2", "Article II", "1.1", "## 3. Term"."""
        self.seen_structure = True
        self.pop_to_path(path)
        parent = self.top()
        id_ = self.root_prefix() + ".".join(map(str, path))
        self.emit(id_, block, parent, heading)
        self.stack.append(_Open("item", id_, style="path", indent=indent, value=_path_value(path[-1]), path=path,
                                section_like=True))

    def pop_to_path(self, path: tuple[str, ...]) -> None:
        """Pop to the item whose path is the parent of ``path`` (or to the root)."""
        want = path[:-1]
        if want:
            for j in range(len(self.stack) - 1, -1, -1):
                o = self.stack[j]
                if o.kind == "root":
                    break
                if o.path == want:
                    del self.stack[j + 1 :]
                    return
        self.pop_items()

    def item(self, block: _Block, index: int) -> None:
        line = block.line
        mtype = line.mtype
        if mtype == "ATTACHMENT":
            m = _MD_ATTACHMENT_RE.match(line.marker + " " + line.rest)
            if m:
                rest = m.group(3)
                self.attachment(block, m.group(1), m.group(2), rest or self._next_line_heading(block))
                return
        if mtype == "SECTION":
            m = _MD_HEADING_NUMBER_RE.match(line.marker + " " + line.rest)
            path = _number_path(m.group(2)) if m else ()
            if path:
                heading = _item_heading(m.group(3)) if m else None
                if self._section_groups(index, path, line.indent):
                    self.group(block, path, heading)
                else:
                    self.numbered_section(block, path, heading, line.indent)
                return
        if mtype == "MULTILEVEL":
            path = _multilevel_path(line.marker)
            self.numbered_section(block, path, _item_heading(line.rest, block.nlines == 1), line.indent)
            return
        style, value, label = _marker_style(line.marker, mtype, self.stack)
        self.place(block, style, value, label, _item_heading(line.rest, block.nlines == 1))

    def _next_line_heading(self, block: _Block) -> str:
        """"Attachment A" alone on its line takes the next line as heading ("Use Restrictions")."""
        return block.second_rest if _title_like(block.second_rest, 8) else ""

    def _section_groups(self, index: int, path: tuple[str, ...], indent: int) -> bool:
        """A "Section II" followed by items "2.", "3." numbered on their own groups them (RAIL)."""
        for b in self.blocks[index + 1 :]:
            if b.kind == "item":
                return b.line.mtype == "NUMBER" and b.line.indent <= indent + 1
            if b.kind == "heading":
                return False
        return False

    def group(self, block: _Block, path: tuple[str, ...], heading: str | None) -> None:
        self.seen_structure = True
        while self.stack and not (self.stack[-1].kind == "root" and self.stack[-1].prefix):
            self.stack.pop()
        parent = self.top()
        id_ = self.root_prefix() + "section-" + ".".join(map(str, path))
        self.emit(id_, block, parent, heading)
        self.stack.append(_Open("root", id_, hlevel=7, prefix=False))

    def place(self, block: _Block, style: str, value: int, label: str, heading: str | None) -> None:
        """Nest an item by marker style, then indentation, and record it."""
        self.seen_structure = True
        indent = block.line.indent
        stack = self.stack
        lead = stack[-1] if stack and stack[-1].kind == "para" else None
        # Paragraph lead-ins hold bullets, and lists that would otherwise repeat used ids.
        while stack and stack[-1].kind == "para":
            stack.pop()
        # A less indented marker closes the more indented lists.
        while stack and stack[-1].kind == "item" and stack[-1].indent > indent + 1:
            stack.pop()
        prev = self._sibling(style, value, indent, heading is not None)
        if prev is not None:
            del stack[stack.index(prev) :]
        elif style.startswith("decimal") and value > 1 and stack and stack[-1].style == "path" and (
            stack[-1].indent >= indent
        ):
            self.pop_items()  # "4." after "3.5" is the next section, not an item of 3.5
        parent = self.top()
        id_, value = self._item_id(parent, prev, style, value, label)
        if prev is None and lead is not None and (parent is None or parent.kind == "root") and value == 1 and (
            id_ in self.used
        ):
            # "You may ... provided that:" then "1." again: the list belongs to its lead-in paragraph.
            stack.append(lead)
            parent = lead
            id_, value = self._item_id(parent, prev, style, value, label)
        counts = parent.counts if parent is not None else self.top_counts
        counts[style] = counts.get(style, 0) + 1
        self.emit(id_, block, parent, heading)
        top_level = parent is None or parent.kind == "root"
        path = (str(value),) if style.startswith("decimal") and top_level else ()
        stack.append(_Open("item", id_, style=style, indent=indent, value=value, path=path,
                           section_like=heading is not None))

    def _item_id(self, parent: _Open | None, prev: _Open | None, style: str, value: int,
                 label: str) -> tuple[str, int]:
        """The id of a new item under ``parent`` (after sibling ``prev``), and its value in the sequence."""
        # Ordered lists of the same style nested by indentation are numbered by position.
        depth = sum(1 for o in self.stack if o.kind == "item" and o.style == style)
        counts = parent.counts if parent is not None else self.top_counts
        position = counts.get(style, 0) + 1
        if depth > 0 and style.startswith("decimal"):
            component = (_letters, _to_roman, str)[min(depth - 1, 2)](position)
        elif prev is not None and (value <= prev.value or self.markdown and style.startswith("decimal")):
            # A repeated or restarted label continues the count; Markdown numbers ordered lists by position.
            component = _component_after(prev, style)
            value = prev.value + 1
        else:
            component = label
        if parent is not None and parent.kind != "root":
            prefix = parent.id + "."
        elif parent is not None and not style.startswith("decimal"):
            prefix = parent.id + "."  # "(1)" or "(a)" under a heading: "preamble.1", never "1"
        else:
            prefix = self.root_prefix()
        return prefix + component, value

    def _sibling(self, style: str, value: int, indent: int, is_section: bool) -> _Open | None:
        """The open item a new item of ``style`` continues, or None when it opens a nested list."""
        same: list[_Open] = []  # same style, innermost first
        for o in reversed(self.stack):
            if o.kind == "root":
                break
            if o.style == style:
                same.append(o)
        if not same:
            return None
        near = [o for o in same if abs(o.indent - indent) <= 1]
        successors = [o for o in near if o.value + 1 == value]
        if successors:
            # "5. Use-based restrictions." after a nested "4." continues the outer list.
            return successors[-1] if is_section else successors[0]
        if near:
            e = near[0]
            if value == 1 and (e.section_like or e.value >= 2):
                return None  # "4. Distribution ..." then "1. ...": a nested list without indentation
            return e  # repeated or skipped labels ("1." "1." in Markdown) stay siblings
        shallower = [o for o in same if o.indent < indent - 1]
        if shallower and shallower[0].value + 1 == value and not style.startswith("decimal"):
            return shallower[0]  # sloppy indentation: "b." indented more than "a."
        return None  # deeper: a nested list of the same style (Markdown)

    def bullet(self, block: _Block) -> None:
        rest = block.line.rest.rstrip(":").strip()
        if block.nlines == 1 and rest.isupper() and len(rest.split()) <= 8 and _title_like(rest, 8):
            self.root_heading(block, rest, 7)  # "* DEFINITIONS:" is a section heading drawn as a bullet
            return
        indent = block.line.indent
        stack = self.stack
        while stack and stack[-1].kind in ("item", "para") and stack[-1].indent > indent + 1:
            stack.pop()
        # Bullets at the same indentation are siblings; pop to just above the nearest one.
        for j in range(len(stack) - 1, -1, -1):
            if stack[j].kind == "root":
                break
            if stack[j].style == "bullet" and abs(stack[j].indent - indent) <= 1:
                del stack[j:]
                break
        parent = self.top()
        counts = parent.counts if parent is not None else self.top_counts
        position = counts.get("bullet", 0) + 1
        counts["bullet"] = position
        if parent is None:
            id_ = str(position)
        elif parent.kind == "root" and not parent.prefix:
            # Under a heading, bullets number like an ordered list ("1", "1.2"), unless the ids are taken.
            id_ = str(position) if str(position) not in self.used else f"{parent.id}.{position}"
        else:
            id_ = f"{parent.id}.{position}"
        self.emit(id_, block, parent, None)
        stack.append(_Open("item", id_, style="bullet", indent=indent, value=position))

    def definition(self, block: _Block) -> None:
        self.seen_structure = True
        while self.stack and self.stack[-1].kind == "para":
            self.stack.pop()
        self.definitions += 1
        parent = self.top()
        id_ = self.root_prefix() + f"definitions.{self.definitions}"
        self.emit(id_, block, parent, None)

    def paragraph(self, block: _Block) -> None:
        indent = block.line.indent
        stack = self.stack
        if not self.seen_structure and self.has_structure and self.preamble_allowed:
            if self.nodes and self.nodes[-1].id == "preamble":
                return  # the preamble runs until the first structure
            self.nodes.append(_Node("preamble", block.line.start, None, 0, None))
            self.stack.append(_Open("para", "preamble", indent=indent))
            return
        while stack:
            o = stack[-1]
            if o.kind == "para":
                stack.pop()
            elif o.kind == "item" and (indent < o.indent if o.section_like else indent <= o.indent):
                stack.pop()
            else:
                break
        top = self.top()
        if top is not None and top.owns_last and top.kind in ("item", "root"):
            return  # continues the clause just opened
        if top is not None and top.kind == "item":
            n = top.counts.get("para", 0) + 1
            top.counts["para"] = n
            self.emit(f"{top.id}.p{n}", block, top, None)
            top.owns_last = True
            return
        prefix = self.root_prefix()
        root = next((o for o in reversed(stack) if o.kind == "root" and o.prefix), None)
        if root is not None:
            n = root.counts["para"] = root.counts.get("para", 0) + 1  # "attachment-a.p1"
        else:
            n = self.paragraphs = self.paragraphs + 1
        id_ = f"{prefix}p{n}"
        self.emit(id_, block, top, None)
        stack.append(_Open("para", id_, indent=indent))


def _heading_text(block: _Block) -> str | None:
    return block.line.rest.strip() or None


def _component_after(prev: _Open, style: str) -> str:
    n = prev.value + 1
    if "roman" in style.lower():
        s = _to_roman(n)
        return s.upper() if "ROMAN" in style else s
    if "alpha" in style.lower():
        s = _letters(n)
        return s.upper() if "ALPHA" in style else s
    return str(n)


def _number_path(token: str) -> tuple[str, ...]:
    """"2.1" -> ("2", "1"); "II" -> ("2",)."""
    token = token.strip().rstrip(".:)")
    if not token:
        return ()
    if token[0].isdigit():
        return tuple(str(int(p)) for p in token.split(".") if p.isdigit())
    value = _roman(token)
    return (str(value),) if value else ()


_MULTILEVEL_PART_RE = re.compile(r"\d+|[a-z]+")


def _multilevel_path(marker: str) -> tuple[str, ...]:
    """"1.2.3" -> ("1", "2", "3"); "1.a)" and "7a)" -> ("1", "a")."""
    return tuple(p if p.isalpha() else str(int(p)) for p in _MULTILEVEL_PART_RE.findall(marker))


def _path_value(part: str) -> int:
    return int(part) if part.isdigit() else ord(part) - 96


def _marker_style(marker: str, mtype: str, stack: list[_Open]) -> tuple[str, int, str]:
    """Return (style, value, label) for a list marker; "i." is a letter after "h.", else roman."""
    if mtype == "NUMBER":
        return "decimal" + marker[-1], int(marker[:-1]), marker[:-1]
    if mtype == "PAREN_NUMBER":
        return "(decimal)", int(marker[1:-1]), marker[1:-1]
    if mtype == "PAREN_LETTER":
        body, wrap = marker[1:-1], "()"
    else:
        body, wrap = marker[:-1], marker[-1]
    upper = body.isupper()
    kind_alpha = ("ALPHA" if upper else "alpha")
    kind_roman = ("ROMAN" if upper else "roman")

    def styled(kind: str) -> str:
        return f"({kind})" if wrap == "()" else kind + wrap

    low = body.lower()
    if len(low) > 1:
        value = _roman(low)
        if value:
            return styled(kind_roman), value, body
        return styled(kind_alpha), 0, body
    alpha_value = ord(low) - 96
    if low in _ROMAN_LETTERS:
        alpha_style, roman_style = styled(kind_alpha), styled(kind_roman)
        roman_value = _roman(low)
        for o in reversed(stack):
            if o.kind == "root":
                break
            if o.style == alpha_style and o.value == alpha_value - 1:
                return alpha_style, alpha_value, body
            if o.style == roman_style and o.value + 1 == roman_value:
                return roman_style, roman_value, body
        if low == "i":
            return roman_style, 1, body
    return styled(kind_alpha), alpha_value, body


# ---------------------------------------------------------------------------
# public API


def segment(nt: NormalizedText) -> list[Clause]:
    """Split a normalized text into clauses that partition the original text.

    Clauses come in document order, without overlap, and cover every
    character of ``nt.original`` exactly once; ``Clause.text`` is the
    original text of the span. Never raises on any text: a layout that cannot
    be read degrades to paragraphs.
    """
    original = nt.original
    if not original:
        return []
    try:
        nodes = _structure(nt.text, _MARKDOWN_RE.search(original) is not None)
    except Exception:  # noqa: BLE001 - the segmenter must never fail a text
        nodes = None
    if nodes is None:
        try:
            nodes = _paragraph_nodes(nt.text)
        except Exception:  # noqa: BLE001
            nodes = []
    return _clauses(nt, nodes)


_MARKDOWN_RE = re.compile(r"^#{1,6} |\*\*\S|\]\(|^[ \t]*[*+-] \S", re.M)


def _structure(text: str, markdown: bool) -> list[_Node]:
    blocks = _blocks(_lines(text))
    return _Builder(blocks, markdown).run()


def _paragraph_nodes(text: str) -> list[_Node]:
    blocks = _blocks(_plain_lines(text))
    return [_Node(f"p{i}", b.line.start, None, 0, None) for i, b in enumerate(blocks, 1)]


def _clauses(nt: NormalizedText, nodes: list[_Node]) -> list[Clause]:
    original = nt.original
    starts: list[tuple[int, _Node]] = []
    absorbed: dict[str, str] = {}
    last = -1
    for node in nodes:
        pos = _original_line_start(nt, node.start)
        if not starts:
            pos = 0  # the first clause owns whatever precedes it
        if pos <= last or pos >= len(original):
            if starts:
                absorbed[node.id] = starts[-1][1].id
            continue
        starts.append((pos, node))
        last = pos
    if not starts:
        starts = [(0, _Node("p1", 0, None, 0, None))]
    seen: dict[str, int] = {}
    renamed: dict[str, str] = {}
    clauses: list[Clause] = []
    for k, (pos, node) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(original)
        id_ = node.id
        if id_ in seen:
            seen[id_] += 1
            new = f"{id_}-{seen[id_]}"
            while new in seen:
                seen[id_] += 1
                new = f"{id_}-{seen[id_]}"
            renamed[node.id] = new
            id_ = new
        seen.setdefault(id_, 1)
        parent = node.parent
        if parent is not None:
            parent = absorbed.get(parent, parent)
            parent = renamed.get(parent, parent)
        clauses.append(
            Clause(
                id=id_,
                heading=node.heading,
                start=pos,
                end=end,
                line=nt.line_of(pos),
                text=original[pos:end],
                parent=parent,
                level=node.level,
            )
        )
    return clauses


def _original_line_start(nt: NormalizedText, norm_line_start: int) -> int:
    """The original offset of the first non-blank character of the line starting at ``norm_line_start``."""
    original = nt.original
    pos = 0 if norm_line_start <= 0 else nt.to_original_end(norm_line_start)
    n = len(original)
    while pos < n and original[pos] in " \t\u00a0\ufeff":
        pos += 1
    return pos


# ---------------------------------------------------------------------------
# units

_ABBREVIATIONS = frozenset(
    "e.g i.e etc inc ltd co corp llc no nos sec secs art arts para vs cf al approx fig u.s u.k e.u "
    "mr mrs ms dr st jr sr p pp vol ed eds resp viz incl esp govt dept".split()
)
# The marker of an item of a list written inline: "(a) ", "b) ", "(iv) ", "2) ".
_INLINE_MARKER = r"\(?(?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,2})\)[ \t]+"
_BOUNDARY_RE = re.compile(
    # A sentence end before a capital, a digit or a line end; quotes and Markdown emphasis may close it.
    r"[.!?][\"'\u2019\u201d)\]*_]*(?=[ \t]*\n|\s+[\"'\u201c\u2018(\[*_]*[A-Z0-9])"
    r"|;(?=[ \t]*\n)"  # list items ending in ';' on their own lines
    r"|:(?=[ \t]*\n)"  # a lead-in before a list
    # A list written inline: "You shall not: (a) rent it; (b) sublicense it; or (c) ..."; the lead-in
    # ends before a first marker ((a), (1), (i), a), 1), i)), each item before the next marker.
    r"|:(?=[ \t]+\(?[a1iAI]\)[ \t]+\S)"
    r"|;(?:[ \t]+(?:and|or))?(?=[ \t]+" + _INLINE_MARKER + r"\S)"
    r"|\n[ \t]*\n"  # a paragraph break
)
_LINE_END_RE = re.compile(r"[ \t]*(?:\r?\n|$)")
# The marker that opens an inline list item, left out of the unit like a leading marker.
_INLINE_MARKER_RE = re.compile(_INLINE_MARKER)
_LEADING_MARKER_RE = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]+)?(?:[*_]{1,2})?"
    r"(?:(?:section|article|§)[ \t]*)?"
    r"(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\(\w{1,6}\)|[a-zA-Z][.)]|[ivxlcdmIVXLCDM]{1,7}[.)]|[-*+\u2022])"
    r"(?:[*_]{1,2})?(?=[ \t])",
    re.IGNORECASE,
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")
_INITIALISM_RE = re.compile(r"(?:[a-z]\.)+[a-z]")
_HAS_WORD_RE = re.compile(r"\w")


def units(clause: Clause) -> list[tuple[int, int]]:
    """Split a clause into sentences and list items: original offsets inside the clause.

    Spans are trimmed of surrounding whitespace; empty and punctuation-only
    spans are skipped. A leading item marker ("1.", "(a)", "iv.") is left out.
    Abbreviations (e.g., i.e., etc., Inc., U.S., No. 5), references such as
    "Section 1.2" and decimal numbers do not end a sentence.
    """
    text = clause.text
    base = clause.start
    m = _LEADING_MARKER_RE.match(text)
    pos = m.end() if m else 0
    out: list[tuple[int, int]] = []
    inline_list = False  # inside a list opened inline by a lead-in ("... not: (a) ...")
    for b in _BOUNDARY_RE.finditer(text, pos):
        end = b.end()
        ch = text[b.start()]
        if ch == "." and (_is_abbreviation(text, b.start()) or _is_spaced_dot(text, b.start())):
            continue
        inline = ch in ":;" and not _LINE_END_RE.match(text, end)
        if inline and ch == ";" and not inline_list:
            continue  # "you shall (A) ...; and (B) ...": items with no lead-in stay one sentence
        inline_list = inline or (inline_list and ch == ";")
        _add_unit(text, pos, end if ch != "\n" else b.start(), base, out)
        pos = end
        if inline:
            # An inline list item follows: skip its marker as the leading one is skipped.
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            marker = _INLINE_MARKER_RE.match(text, pos)
            pos = marker.end() if marker else pos
    _add_unit(text, pos, len(text), base, out)
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 40), dot)
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and text[dot - 1].isupper():
        return True  # an initial: "John A. Smith", "U.S."
    if _INITIALISM_RE.fullmatch(word):
        return True  # dotted initials: "C.F.R.", "U.S.A.", "U.N."
    after = text[dot + 1 : dot + 3].lstrip()
    if word in ("no", "nos", "sec", "art") and after[:1].isdigit():
        return True
    return False


def _is_spaced_dot(text: str, dot: int) -> bool:
    """A dot set apart by blanks between placeholders ("[MAJOR] . [MINOR]") is not a sentence end."""
    return text[dot - 1 : dot] in (" ", "\t") and text[dot + 1 : dot + 3] == " ["


def _add_unit(text: str, s: int, e: int, base: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and _HAS_WORD_RE.search(text, s, e):
        out.append((base + s, base + e))
