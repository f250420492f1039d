"""Speed of the classify stage on one license text (default: the Llama 3.1 license).

    .venv/bin/python benchmarks/classify_speed.py [FILE] [--repeat 20]

Prints, each measured in a fresh interpreter for the cold numbers:

- ``import spacy`` alone, and building our tokenizer + cue matchers;
- loading the exported model arrays (numpy only, no scikit-learn);
- the first ``classify`` of the text in a new process (cold: imports, tokenizer, model);
- wall and CPU time (CPU time is the fairer number on a busy machine);
- the warm ``classify`` of the same clauses in-process (median of ``--repeat`` runs; target < 50 ms).

Segmentation is done before timing and is not included.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "llama" / "llama3_1-LICENSE.txt"

_PROBE = r"""
import json, sys, time
sys.path.insert(0, {src!r})
from licenselens.text import normalize
from licenselens.segment import segment
text = open({path!r}, encoding="utf-8").read()
clauses = segment(normalize(text))
t0 = time.perf_counter()
from licenselens.classify.spacy_import import import_spacy
import_spacy()
t1 = time.perf_counter()
from licenselens.classify.cues import cue_finder
cue_finder()
t2 = time.perf_counter()
from licenselens.classify.predictor import shipped_predictor
shipped_predictor()
t3 = time.perf_counter()
from licenselens.classify import classify
terms = classify(clauses)
t4 = time.perf_counter()
warm, warm_cpu = [], []
for _ in range({repeat}):
    s, c = time.perf_counter(), time.process_time()
    classify(clauses)
    warm.append(time.perf_counter() - s)
    warm_cpu.append(time.process_time() - c)
print(json.dumps({{"import_spacy": t1 - t0, "cue_finder": t2 - t1, "model_load": t3 - t2,
                  "first_classify": t4 - t3, "warm": warm, "warm_cpu": warm_cpu, "cpu_total": time.process_time(), "clauses": len(clauses), "terms": len(terms),
                  "sklearn_imported": "sklearn" in sys.modules}}))
"""

_COLD = r"""
import json, sys, time
sys.path.insert(0, {src!r})
from licenselens.text import normalize
from licenselens.segment import segment
text = open({path!r}, encoding="utf-8").read()
clauses = segment(normalize(text))
t0, c0 = time.perf_counter(), time.process_time()
from licenselens.classify import classify
classify(clauses)
print(json.dumps({{"cold_classify": time.perf_counter() - t0, "cold_cpu": time.process_time() - c0}}))
"""


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"{args.file}: not found", file=sys.stderr)
        return 2
    src = str(ROOT / "src")
    probe = _run(_PROBE.format(src=src, path=str(args.file), repeat=args.repeat))
    runs = [_run(_COLD.format(src=src, path=str(args.file))) for _ in range(3)]
    colds = [r["cold_classify"] for r in runs]
    cold_cpu = min(r["cold_cpu"] for r in runs)
    size = args.file.stat().st_size
    print(f"{args.file.name}: {size / 1024:.1f} KiB, {probe['clauses']} clauses, {probe['terms']} terms")
    print(f"import spacy:                         {probe['import_spacy'] * 1000:7.0f} ms")
    print(f"tokenizer + cue matchers:             {probe['cue_finder'] * 1000:7.0f} ms")
    print(f"model arrays (numpy):                 {probe['model_load'] * 1000:7.0f} ms")
    print(f"first classify after the above:       {probe['first_classify'] * 1000:7.0f} ms")
    print(f"cold classify in a new process (min): {min(colds) * 1000:7.0f} ms   (of 3: "
          + ", ".join(f"{c * 1000:.0f}" for c in colds) + ")")
    print(f"cold classify, CPU time (min of 3):   {cold_cpu * 1000:7.0f} ms")
    print(f"warm classify (median of {args.repeat}):         {statistics.median(probe['warm']) * 1000:7.1f} ms   (target < 50 ms)")
    print(f"warm classify, CPU time (median):     {statistics.median(probe['warm_cpu']) * 1000:7.1f} ms")
    print(f"scikit-learn imported at run time:    {probe['sklearn_imported']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
