"""Speed of ``licenselens identify``: building the curated index, and ``best_match`` per text.

``best_match`` is what ``analyze`` calls to fill ``identified``; its budget is
30 ms for a 12 KB text once the index is built.

Usage: .venv/bin/python benchmarks/identify_speed.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from licenselens.identify import best_match, identify
from licenselens.identify import references
from licenselens.text import normalize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    # Cold build, bypassing the on-disk cache, then a cached load.
    folder = references.corpus_path("licenses")
    started = time.perf_counter()
    refs, bodies = references._load_folder(folder, "*.LICENSE", False, False)
    notices, notice_bodies = references._notices()
    references._build("curated", refs + notices, bodies + notice_bodies)
    build = time.perf_counter() - started
    references.curated_index.cache_clear()
    started = time.perf_counter()
    index = references.curated_index()
    load = time.perf_counter() - started
    print(f"curated index: {len(index.references)} references, built in {build * 1000:.0f} ms, loaded from cache in {load * 1000:.0f} ms")

    rows = []
    for ref in index.references:
        nt = normalize(ref.body())
        best_match(nt)
        timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            best_match(nt)
            timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        identify(nt)
        rows.append((len(nt.original), statistics.median(timings), time.perf_counter() - t0, ref.id))
    near_12k = [r for r in rows if 10_000 <= r[0] <= 14_000]
    print(f"best_match median over {len(rows)} reference texts: {1000 * statistics.median(r[1] for r in rows):.1f} ms; "
          f"texts of 10-14 KB ({len(near_12k)}): median {1000 * statistics.median(r[1] for r in near_12k):.1f} ms, "
          f"max {1000 * max(r[1] for r in near_12k):.1f} ms")
    slowest = max(rows, key=lambda r: r[1])
    print(f"slowest best_match: {slowest[3]} ({slowest[0]} chars) {1000 * slowest[1]:.1f} ms; "
          f"identify with differences, slowest: {1000 * max(r[2] for r in rows):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
