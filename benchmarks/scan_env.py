"""``licenselens scan`` of a real Python environment, against pip-licenses and ScanCode.

In one run, on the same environment (100+ distributions):
  cold   ``licenselens scan --python PY`` with a fresh cache: every license text
         read, identified and analysed clause by clause
  warm   the same command again with the same cache
  pip    ``pip-licenses --python PY --with-license-file --format=json`` (metadata
         and license files, no analysis)
  scancode  ``scancode --license -n 2`` over the same license files the scan read
         (copied to a temporary folder), when a ScanCode executable is given

Each tool runs as a fresh process (interpreter start and imports included;
licenselens's modules byte-compiled first, as an install does);
with ``--repeat N`` the fastest of N runs is kept, interleaved so that load on
the machine hits every tool alike. Targets: cold <= 2x pip-licenses, cold >= 8x
faster than ScanCode, warm faster than pip-licenses.

Usage:
  .venv/bin/python benchmarks/scan_env.py --python /path/to/venv/bin/python \\
      [--pip-licenses PATH] [--scancode /work/scvenv/bin/scancode] [--repeat 3] [--jobs 0]

pip-licenses reads the environment given with ``--python``; by default it is
looked up beside that interpreter, then on PATH. Reproduce the environment
measured in the report with ``python -m venv /tmp/scanbench-venv`` and
``/tmp/scanbench-venv/bin/pip install pip-licenses requests flask django
sqlalchemy pandas matplotlib boto3 pytest hypothesis black isort mypy rich typer
pydantic httpx aiohttp jinja2 pyyaml lxml pillow cryptography paramiko sphinx
docutils tox virtualenv attrs``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], *, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


def find_pip_licenses(python: str, given: str | None) -> str | None:
    if given:
        return given
    beside = Path(python).parent / "pip-licenses"
    if beside.is_file():
        return str(beside)
    return shutil.which("pip-licenses")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter whose environment is scanned")
    parser.add_argument("--pip-licenses", dest="pip_licenses", help="pip-licenses executable")
    parser.add_argument("--scancode", default=os.environ.get("SCANCODE"), help="ScanCode executable (optional)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest is kept")
    parser.add_argument("--jobs", default="0", help="licenselens --jobs (0: one per CPU)")
    args = parser.parse_args()

    from analyze_speed import byte_compile  # beside this script: compile as an install does
    from licenselens.scan.python_env import site_dirs_of_python

    sites = site_dirs_of_python(args.python)
    distributions = sum(1 for s in sites for p in s.iterdir() if p.name.endswith((".dist-info", ".egg-info")))
    print(f"environment: {args.python} ({distributions} distributions in {', '.join(map(str, sites))})")
    # Other work on the machine moves every number; say how busy it was.
    print(f"cpus: {os.cpu_count()}, load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if distributions < 100:
        print("warning: fewer than 100 distributions; the issue asks for 100+", file=sys.stderr)
    pip_licenses = find_pip_licenses(args.python, args.pip_licenses)
    if pip_licenses is None:
        print("error: pip-licenses not found (install it beside --python or give --pip-licenses)", file=sys.stderr)
        return 2

    byte_compile()
    env = dict(os.environ, CI="true")
    lens = [sys.executable, "-m", "licenselens", "scan", "--python", args.python, "--jobs", args.jobs, "-f", "json"]
    best: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    report = work / "scan.json"
    try:
        for run in range(args.repeat):
            cache = work / f"cache-{run}.sqlite3"
            for name, command in (
                ("cold", [*lens, "--cache", str(cache), "-o", str(report)]),
                ("warm", [*lens, "--cache", str(cache), "-o", str(work / "warm.json")]),
                ("pip-licenses", [pip_licenses, "--python", args.python, "--with-license-file", "--format=json"]),
            ):
                seconds, done = timed(command, env=env)
                if done.returncode not in (0, 1):
                    print(f"error: {name} failed ({done.returncode}): {done.stderr.strip()[:400]}", file=sys.stderr)
                    return 2
                best[name] = min(best.get(name, seconds), seconds)
        result = json.loads(report.read_text())
        stats = result["stats"]
        print(f"licenselens: {stats['packages']} packages, {stats['texts']} license texts, "
              f"{stats['unique_texts']} distinct, {stats['analysed']} analyses run (cold)")
        if args.scancode:
            files = work / "license-files"
            count = 0
            for package in result["packages"]:
                for text in package["texts"]:
                    path = Path(text["path"])
                    if text["kind"] != "embedded" and path.is_file():
                        target = files / package["name"] / path.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(path, target)
                        count += 1
            for run in range(args.repeat):
                seconds, done = timed([args.scancode, "--license", "-n", "2", "--quiet", "--json", str(work / "sc.json"), str(files)])
                if done.returncode != 0:
                    print(f"error: scancode failed: {done.stderr.strip()[:400]}", file=sys.stderr)
                    return 2
                best["scancode"] = min(best.get("scancode", seconds), seconds)
            print(f"scancode: {count} license files")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    pip = best["pip-licenses"]
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(f"{'tool':<34}{'wall s':>9}{'vs pip-licenses':>17}")
    rows = [("licenselens scan (cold, full text)", best["cold"]), ("licenselens scan (warm cache)", best["warm"]),
            ("pip-licenses --with-license-file", pip)]
    if "scancode" in best:
        rows.append(("scancode --license -n 2", best["scancode"]))
    for name, seconds in rows:
        print(f"{name:<34}{seconds:>9.2f}{seconds / pip:>16.2f}x")
    print()
    print(f"target cold <= 2x pip-licenses: {best['cold'] / pip:.2f}x -> {'met' if best['cold'] <= 2 * pip else 'NOT met'}")
    print(f"target warm < pip-licenses: {best['warm']:.2f}s vs {pip:.2f}s -> {'met' if best['warm'] < pip else 'NOT met'}")
    if "scancode" in best:
        speedup = best["scancode"] / best["cold"]
        print(f"target cold >= 8x faster than ScanCode: {speedup:.1f}x -> {'met' if speedup >= 8 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
