"""Would exact matching of ScanCode's short rules raise agreement with ScanCode? An evaluation.

identify leaves out ScanCode's mentions and tags ("BSD License", "the GPL") and
notices under four words. This script measures what indexing them would do:
every such rule (not deprecated, not a false-positive rule, relevance at least
``--min-relevance``, ``--min-words`` words or more) is matched by exact word
sequence, longest first, either only in text no identify region covers
(``--where outside``) or anywhere (``--where anywhere``), and the keys found are
added to identify's. Agreement is then counted as in ``identify_env.py``.

Usage (after ``identify_env.py --scancode ... --json out.json``, ScanCode data located
by ``LICENSELENS_SCANCODE_LICENSES`` or an installed licensedcode package):
  .venv/bin/python benchmarks/identify_short_rules.py out.json [--min-relevance 100] [--min-words 3] [--where outside]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from licenselens.identify.fingerprint import tokenize
from licenselens.identify.matching import match_tokens
from licenselens.identify.references import reference_index, scancode_licenses_dir, split_front_matter
from licenselens.text import decode, normalize

_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_\-]*")
_FLAGS = ("is_license_reference", "is_license_tag", "is_license_notice")


def keys_of(expression: str | None) -> set[str]:
    return {k.lower() for k in _KEY.findall(expression or "") if k.lower() not in ("and", "or", "with")}


def short_rules(rules: Path, min_relevance: int, min_words: int) -> dict[tuple[str, ...], str]:
    """Word sequence -> license expression of every short mention, tag or notice rule."""
    table: dict[tuple[str, ...], str] = {}
    for path in sorted(rules.glob("*.RULE")):
        fields, body = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        if fields.get("is_deprecated") == "yes" or fields.get("is_false_positive") == "yes":
            continue
        if not fields.get("license_expression") or not any(fields.get(f) == "yes" for f in _FLAGS):
            continue
        if int(fields.get("relevance") or 100) < min_relevance:
            continue
        words = tuple(tokenize(normalize(re.sub(r"\{\{|\}\}", "", body)).text).words)
        if min_words <= len(words) < 30:
            table.setdefault(words, fields["license_expression"])
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="JSON written by identify_env.py --json")
    parser.add_argument("--min-relevance", type=int, default=100)
    parser.add_argument("--min-words", type=int, default=3)
    parser.add_argument("--where", choices=["outside", "anywhere"], default="outside")
    args = parser.parse_args(argv)
    located = scancode_licenses_dir()
    if located is None:
        print("ScanCode license data not found", file=sys.stderr)
        return 2
    table = short_rules(located[0].parent / "rules", args.min_relevance, args.min_words)
    lengths = sorted({len(w) for w in table}, reverse=True)
    print(f"{len(table)} short rules (relevance >= {args.min_relevance}, {args.min_words}-29 words), matched {args.where} regions")
    data = json.loads(args.results.read_text(encoding="utf-8"))
    index = reference_index("scancode")
    agree = total = 0
    for path, theirs in data["scancode"].items():
        if not theirs:
            continue
        total += 1
        mine = data["identify"].get(path)
        ours = set().union(*(keys_of(m[0]) for m in mine)) if isinstance(mine, list) and mine else set()
        tokens = tokenize(normalize(decode(Path(path).read_bytes(), path)).text)
        covered = [False] * len(tokens)
        if args.where == "outside":
            for region in match_tokens(tokens, index).regions:
                start, end = region.token_span()
                for i in range(max(0, start), min(len(tokens), end)):
                    covered[i] = True
        extra: list[str] = []
        words, i = tokens.words, 0
        while i < len(words):
            hit = next((n for n in lengths if i + n <= len(words) and not any(covered[i : i + n])
                        and tuple(words[i : i + n]) in table), 0)
            if hit:
                extra.append(table[tuple(words[i : i + hit])])
            i += hit or 1
        combined = ours.union(*(keys_of(e) for e in extra))
        same = combined == keys_of(theirs)
        agree += same
        if combined != ours or not same:
            print(f"  {'agree' if same else 'differ'}  {path.split('site-packages/')[-1]}: short rules add {sorted(set(extra))}; "
                  f"ScanCode only {sorted(keys_of(theirs) - combined)}, identify only {sorted(combined - keys_of(theirs))}")
    print(f"agreement with short rules: {agree}/{total} = {100 * agree / max(1, total):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
