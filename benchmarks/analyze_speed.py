"""How fast ``licenselens analyze`` is.

Measures, in one run:

1. cold: ``licenselens analyze --no-cache`` of the Llama 3.1 license as a
   fresh process (interpreter start, imports, model load, analysis, report),
   wall time, median of N runs; and the same with the result cache warm (a
   fresh process that finds the analysis in the on-disk cache);
2. warm: in-process analysis of the same text once the model is loaded, with
   the memo cleared before each run (median, ms);
3. throughput: every reference text in ``corpora/licenses`` analysed in process
   (memo cleared), texts per second and KB per second.

Usage: ``python benchmarks/analyze_speed.py [--runs N] [--text PATH]``. The
machine's load average is printed with the numbers: on a busy machine every
figure grows. The package's modules are byte-compiled first, as an installed
wheel's are. The Llama text is read from ``../shared/corpus/llama`` beside the
checkout, or falls back to ScanCode's ``llama-3.1-license-2024`` reference text.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from licenselens import analyze  # noqa: E402
from licenselens.pipeline import clear_memo  # noqa: E402
from licenselens.resources import corpus_path  # noqa: E402

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def reference_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(corpus_path("licenses").glob("*.LICENSE")):
        raw = path.read_text(encoding="utf-8")
        m = FRONT_MATTER.match(raw)
        out.append((path.stem, raw[m.end() :] if m else raw))
    return out


def llama_path(given: str | None) -> Path:
    if given:
        return Path(given)
    shared = ROOT.parent / "shared" / "corpus" / "llama" / "llama3_1-LICENSE.txt"
    if shared.exists():
        return shared
    fallback = Path("/tmp/llama-3.1-license-2024.txt")
    raw = corpus_path("licenses", "llama-3.1-license-2024.LICENSE").read_text(encoding="utf-8")
    m = FRONT_MATTER.match(raw)
    fallback.write_text(raw[m.end() :] if m else raw, encoding="utf-8")
    return fallback


def command() -> list[str]:
    exe = shutil.which("licenselens", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "licenselens"]


def byte_compile() -> None:
    """Compile the package's modules once, as installing a wheel does (``pip`` byte-compiles on
    install); a checkout run with PYTHONDONTWRITEBYTECODE would otherwise recompile them every run."""
    import compileall
    import licenselens

    compileall.compile_dir(str(Path(licenselens.__file__).parent), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs for the cold and warm medians")
    parser.add_argument("--text", help="license file for the cold and warm runs")
    args = parser.parse_args()

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    path = llama_path(args.text)
    byte_compile()
    cmd = command() + ["analyze", str(path), "--format", "json", "--fail-on", "never", "--no-cache"]
    subprocess.run(cmd, capture_output=True, check=True)  # page the files in once
    cold = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True)
        cold.append(time.perf_counter() - t0)
        if done.returncode != 0:
            print(done.stderr.decode(), file=sys.stderr)
            return 2
    print(f"cold  `{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}`")
    print(f"      median {statistics.median(cold):.3f} s wall over {args.runs} runs (min {min(cold):.3f} s, target < 1.0 s)")

    bare = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(cmd + ["--no-identify"], capture_output=True, check=False)
        bare.append(time.perf_counter() - t0)
    print(f"      without naming the nearest known license (--no-identify): median {statistics.median(bare):.3f} s")

    # Where a cold run spends its time: interpreter + CLI imports, and spaCy's import alone, as
    # licenselens imports it (without spaCy's command-line package) and the ordinary way.
    parts = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import licenselens.cli": [sys.executable, "-c", "import licenselens.cli"],
        "import spacy": [sys.executable, "-c",
                         "from licenselens.classify.spacy_import import import_spacy; import_spacy()"],
        "plain import spacy": [sys.executable, "-c", "import spacy"],
    }
    breakdown = []
    for label, part in parts.items():
        times = []
        for _ in range(max(3, args.runs // 2)):
            t0 = time.perf_counter()
            subprocess.run(part, capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        breakdown.append(f"{label} {statistics.median(times):.2f} s")
    print("      of which (separate processes): " + ", ".join(breakdown))

    with tempfile.TemporaryDirectory() as tmp:
        cached = cmd[:-1] + ["--cache", str(Path(tmp) / "results.sqlite3")]
        subprocess.run(cached, capture_output=True, check=False)  # fill the cache
        hits = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run(cached, capture_output=True, check=False)
            hits.append(time.perf_counter() - t0)
    print(f"      with the result cache warm: median {statistics.median(hits):.3f} s wall")

    text = path.read_text(encoding="utf-8")
    analyze(text)  # load the model
    warm = []
    for _ in range(max(args.runs, 20)):
        clear_memo()
        t0 = time.perf_counter()
        analyze(text)
        warm.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    analyze(text)
    memo = (time.perf_counter() - t0) * 1000
    print(f"warm  in-process analysis of {path.name} ({len(text):,} chars)")
    print(f"      median {statistics.median(warm):.1f} ms over {len(warm)} runs (target < 50 ms); memo hit {memo:.2f} ms")

    texts = reference_texts()
    clear_memo()
    total = sum(len(t.encode("utf-8")) for _, t in texts)
    t0 = time.perf_counter()
    for _, t in texts:
        analyze(t)
    elapsed = time.perf_counter() - t0
    print(f"throughput over {len(texts)} reference texts in corpora/licenses ({total / 1024:.0f} KB)")
    print(f"      {elapsed:.2f} s: {len(texts) / elapsed:.1f} texts/s, {total / 1024 / elapsed:.0f} KB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
