"""Near-duplicate accuracy of ``licenselens identify`` on its own reference texts.

Every reference text in ``corpora/licenses`` and ``corpora/notices`` is
perturbed the ways license files drift in the wild, then identified against the
curated reference set; the right reference must come first.

Perturbations (each alone, then all together), deterministic for a seed:
  reflow     paragraphs re-wrapped at a random width, indentation dropped
  quotes     straight quotes made typographic and the reverse
  copyright  copyright lines removed
  sentence   one unrelated sentence added at a random paragraph boundary

Usage: .venv/bin/python benchmarks/identify_near_duplicates.py [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import time

from licenselens.identify import identify
from licenselens.identify.references import curated_index

SENTENCES = [
    "This file was last reviewed by the maintainers in the spring.",
    "Questions about this document can be sent to the project mailing list.",
    "The original text is also available in the repository history.",
    "Please read the contributing guide before sending a patch.",
    "Translations of this notice are provided for convenience only.",
    "A summary of the changes appears in the release notes.",
    "The build scripts live in a separate folder of the source tree.",
    "Thank you for using this software.",
]


def reflow(text: str, rng: random.Random) -> str:
    width = rng.randint(50, 110)
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in paragraphs if p.strip())


def quotes(text: str, rng: random.Random) -> str:
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
    text = text.replace("\u2019", "'").replace("'", "\u2019") if rng.random() < 0.5 else text.replace("\u2019", "'")
    return text


def strip_copyright(text: str, rng: random.Random) -> str:
    return "\n".join(line for line in text.splitlines() if not re.match(r"\s*(copyright\b|\(c\)|\u00a9)", line, re.I))


def add_sentence(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    at = rng.randint(0, len(paragraphs))
    paragraphs.insert(at, rng.choice(SENTENCES))
    return "\n\n".join(paragraphs)


PERTURBATIONS = {"reflow": reflow, "quotes": quotes, "copyright": strip_copyright, "sentence": add_sentence}


def top_reference(text: str) -> tuple[str | None, float]:
    result = identify(text, differences=False)
    if not result.matches:
        return None, 0.0
    main = max(result.matches, key=lambda m: (m.end - m.start, m.score))
    return main.reference, main.score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    index = curated_index()
    build_seconds = time.perf_counter() - started
    references = index.references
    modes = [*PERTURBATIONS, "all"]
    results: dict[str, dict] = {}
    identify_seconds = 0.0
    for mode in modes:
        rng = random.Random(f"{args.seed}-{mode}")
        misses = []
        for ref in references:
            text = ref.body()
            steps = list(PERTURBATIONS.values()) if mode == "all" else [PERTURBATIONS[mode]]
            for step in steps:
                text = step(text, rng)
            t0 = time.perf_counter()
            found, score = top_reference(text)
            identify_seconds += time.perf_counter() - t0
            if found != ref.id:
                misses.append({"expected": ref.id, "found": found, "score": score})
        correct = len(references) - len(misses)
        results[mode] = {"total": len(references), "correct": correct, "accuracy": correct / len(references), "misses": misses}

    runs = len(references) * len(modes)
    if args.json:
        print(json.dumps({"seed": args.seed, "index_build_seconds": build_seconds, "results": results}, indent=2))
    else:
        print(f"references: {len(references)} (curated index ready in {build_seconds * 1000:.0f} ms: built once, then cached), seed {args.seed}")
        for mode in modes:
            r = results[mode]
            print(f"  {mode:<10} top-1 {r['correct']:>3}/{r['total']}  {100 * r['accuracy']:6.2f}%")
            for miss in r["misses"]:
                print(f"      miss: {miss['expected']} -> {miss['found']} ({miss['score']:.3f})")
        print(f"identify: {runs} texts in {identify_seconds:.2f} s ({1000 * identify_seconds / runs:.1f} ms per text)")
    return 0 if results["all"]["accuracy"] >= 0.98 else 1


if __name__ == "__main__":
    sys.exit(main())
