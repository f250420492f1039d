"""``licenselens identify`` on the license files of a real Python environment, against ScanCode.

Files: every ``LICENSE*``, ``LICENCE*``, ``COPYING*``, ``NOTICE*`` (and ``*_LICENSE*``)
under ``*.dist-info/`` of a virtual environment's site-packages (default: the
dev environment ``.venv`` of this checkout).

What it measures, in one run:
  agreement  for every file where ScanCode detects a license, whether identify
             finds the same set of license keys; every disagreement is listed
             with its kind (missed, extra, fewer, different) and both answers.
             Sets of keys, not expressions, are compared: ScanCode's file-level
             expression ANDs its detections (a dual-licensing notice found twice
             reads "(a OR b) AND (a OR b)"), identify reports one expression per
             region. Both tools follow the files a notice names ("see
             LICENSE.APACHE"): ScanCode replaces the notice's expression by the
             named files', identify reports it as the notice's resolved
             expression (``references_from``), which is what is compared.
             A stricter figure is printed too: the same expression, up to
             boolean equivalence (identify's region expressions AND-ed).
  speed      identify over all files in a fresh process (imports, index load and
             all files) against ``scancode --license -n 2`` on the same files

ScanCode is optional: give its executable with ``--scancode PATH`` or the
``SCANCODE`` environment variable (it needs ``pluggy==1.5.0``; install it in a
separate virtual environment). When it is absent, only identify's results and
time are printed. When ScanCode's license data can be located from that
executable's environment, identify uses it as its reference set
(``--reference scancode``) so both tools speak of the same license keys.

Usage:
  .venv/bin/python benchmarks/identify_env.py [--venv .venv] [--scancode /work/scvenv/bin/scancode] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_NAME = re.compile(r"^(licen[cs]e|copying|notice)|licen[cs]e", re.IGNORECASE)
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_\-]*")
_OPERATORS = {"and", "or", "with"}


def license_files(venv: Path) -> list[Path]:
    """License, copying and notice files inside every dist-info folder of the environment."""
    found: list[Path] = []
    for dist_info in sorted(venv.glob("lib/python*/site-packages/*.dist-info")):
        for path in sorted(dist_info.rglob("*")):
            if path.is_file() and _NAME.search(path.name):
                found.append(path)
    return found


def keys_of(expression: str | None) -> set[str]:
    """License keys named in a ScanCode license expression."""
    if not expression:
        return set()
    return {k.lower() for k in _KEY.findall(expression) if k.lower() not in _OPERATORS}


def scancode_licenses_dir(scancode: Path) -> Path | None:
    """The license data folder of the environment that holds the scancode executable."""
    python = scancode.parent / "python"
    if not python.exists():
        return None
    try:
        out = subprocess.run(
            [str(python), "-c", "import licensedcode, os; print(os.path.join(os.path.dirname(licensedcode.__file__), 'data', 'licenses'))"],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return None
    return Path(out) if out and Path(out).is_dir() else None


_WORKER = r"""
import json, sys, time
t0 = time.perf_counter()
from licenselens.identify import identify
from licenselens.identify.references import reference_index
reference = sys.argv[1]
t1 = time.perf_counter()
reference_index(reference)
t2 = time.perf_counter()
out = {}
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    try:
        from licenselens.text import decode
        result = identify(decode(data, path), reference=reference, differences=False, references_from=path)
        out[path] = [[m.resolved_key or m.key, m.score, m.line, m.end_line, m.reference, m.key if m.resolved_key else None]
                     for m in result.matches]
    except Exception as exc:  # a file identify refuses is reported, not fatal
        out[path] = {"error": str(exc)}
t3 = time.perf_counter()
print(json.dumps({"results": out, "import_s": t1 - t0, "index_s": t2 - t1, "files_s": t3 - t2}))
"""


def run_identify(files: list[Path], reference: str, env: dict[str, str]) -> tuple[dict, float, dict]:
    """Identify every file in a fresh interpreter; return (results, wall seconds, phase timings)."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER, reference, *map(str, files)], capture_output=True, text=True, env=env, check=True
    )
    wall = time.perf_counter() - started
    data = json.loads(proc.stdout)
    return data["results"], wall, {k: data[k] for k in ("import_s", "index_s", "files_s")}


def run_scancode(scancode: Path, files: list[Path], root: Path) -> tuple[dict[str, str | None], dict[str, list[dict]], float]:
    """Run ``scancode --license -n 2`` on a copy of exactly these files; return expressions by file."""
    with tempfile.TemporaryDirectory(prefix="identify-env-") as tmp:
        tree = Path(tmp) / "files"
        for path in files:
            target = tree / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        out = Path(tmp) / "scancode.json"
        started = time.perf_counter()
        subprocess.run(
            [str(scancode), "--license", "-n", "2", "--quiet", "--json", str(out), str(tree)],
            check=True, capture_output=True, text=True,
        )
        wall = time.perf_counter() - started
        report = json.loads(out.read_text(encoding="utf-8"))
    expressions: dict[str, str | None] = {}
    matches: dict[str, list[dict]] = {}
    for entry in report.get("files", []):
        if entry.get("type") != "file":
            continue
        rel = Path(entry["path"]).relative_to("files") if entry["path"].startswith("files/") else Path(entry["path"])
        expressions[str(root / rel)] = entry.get("detected_license_expression")
        matches[str(root / rel)] = [m for d in entry.get("license_detections") or [] for m in d.get("matches", [])]
    return expressions, matches, wall


def rule_kind(rules: Path | None, identifier: str) -> str:
    """What a ScanCode rule is: a license text, notice, reference (a mention) or tag."""
    if identifier.endswith(".LICENSE"):
        return "license text"
    if rules is None:
        return "rule"
    try:
        head = (rules / identifier).read_text(encoding="utf-8", errors="replace").split("\n---", 1)[0]
    except OSError:
        return "rule"
    for flag, kind in (("is_license_text", "text variant"), ("is_license_notice", "notice"),
                       ("is_license_reference", "mention"), ("is_license_tag", "tag"), ("is_license_intro", "intro")):
        if f"{flag}: yes" in head:
            return kind
    return "rule"


def _coverage(match: dict) -> str:
    """How much of its rule ScanCode matched, and the rule's relevance, when not complete."""
    parts = []
    coverage = match.get("match_coverage")
    if coverage is not None and coverage < 100:
        parts.append(f"{coverage:g}% of the rule ({match.get('matcher')})")
    relevance = match.get("rule_relevance")
    if relevance is not None and relevance < 100:
        parts.append(f"relevance {relevance}")
    return "".join(f"{p}, " for p in parts)


def reasons(path: str, ours: list, their_matches: list[dict], our_keys: set[str], their_keys: set[str],
            rules: Path | None) -> list[str]:
    """Why the two answers differ, from ScanCode's matches and identify's regions."""
    out = []
    for key in sorted(their_keys - our_keys):
        carriers = [m for m in their_matches if key in keys_of(m.get("license_expression"))]
        for m in carriers[:3]:
            where = f"lines {m.get('start_line')}-{m.get('end_line')}"
            source = m.get("from_file") or ""
            followed = "" if not source or Path(source).name == Path(path).name else f", found by following {Path(source).name}"
            inside = [o for o in ours if o[2] <= (m.get("start_line") or 0) and (m.get("end_line") or 0) <= o[3]]
            within = f"; identify reads these lines as {inside[0][0]} ({inside[0][4]})" if inside else ""
            out.append(f"ScanCode only: {key} from {m.get('rule_identifier')} ({rule_kind(rules, m.get('rule_identifier', ''))}, "
                       f"{m.get('matched_length')} tokens, {_coverage(m)}{where}{followed}{within})")
    for key in sorted(our_keys - their_keys):
        regions = [m for m in ours if key in keys_of(m[0])]
        for m in regions[:3]:
            out.append(f"identify only: {key} at lines {m[2]}-{m[3]} (score {m[1]:.2f}, reference {m[4]})")
    return out


def _ours(m: list) -> str:
    followed = f", notice {m[5]} resolved through the files it names" if len(m) > 5 and m[5] else ""
    return f"{m[0]} ({m[1]:.2f}, lines {m[2]}-{m[3]}{followed})"


def equivalent(mine: list | dict | None, theirs: str) -> bool:
    """Whether identify's file expression (its distinct region expressions AND-ed, as ScanCode
    combines detections) is boolean-equivalent to ScanCode's: "a OR b" equals "b OR a", and
    "(a OR b) AND a" equals "a"."""
    from license_expression import ExpressionError, Licensing

    if not isinstance(mine, list) or not mine:
        return False
    parts: list[str] = []
    for m in mine:
        if m[0] not in parts:
            parts.append(m[0])
    licensing = Licensing()
    try:
        return licensing.is_equivalent(licensing.parse(" AND ".join(f"({p})" for p in parts)), licensing.parse(theirs))
    except ExpressionError:
        return False


def classify(ours: set[str], theirs: set[str]) -> str:
    if not ours:
        return "missed"
    if ours > theirs:
        return "extra"
    if ours < theirs:
        return "fewer"
    return "different"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path(__file__).resolve().parents[1] / ".venv")
    parser.add_argument("--scancode", type=Path, default=os.environ.get("SCANCODE"),
                        help="scancode executable (default: $SCANCODE); skipped when absent")
    parser.add_argument("--reference", choices=["auto", "curated", "scancode"], default="auto",
                        help="identify's reference set (auto: scancode when its data is found)")
    parser.add_argument("--json", type=Path, help="also write the full results here")
    args = parser.parse_args(argv)

    files = license_files(args.venv)
    root = args.venv
    print(f"{len(files)} license files under {args.venv}/lib/python*/site-packages/*.dist-info")
    if not files:
        return 1
    env = dict(os.environ)
    scancode = args.scancode if args.scancode and Path(args.scancode).exists() else None
    reference = "curated" if args.reference == "auto" else args.reference
    if args.reference in ("auto", "scancode") and scancode is not None and "LICENSELENS_SCANCODE_LICENSES" not in env:
        data = scancode_licenses_dir(scancode)
        if data is not None:
            env["LICENSELENS_SCANCODE_LICENSES"] = str(data)
            reference = "scancode"
    if args.reference == "scancode" and reference != "scancode" and "LICENSELENS_SCANCODE_LICENSES" in env:
        reference = "scancode"

    # A first run builds the reference index cache (once per data version); the timed run is the second.
    _, first_wall, first_phases = run_identify(files[:1], reference, env)
    ours, our_wall, phases = run_identify(files, reference, env)
    print(f"identify (--reference {reference}): {our_wall:.2f} s wall in a fresh process "
          f"(imports {phases['import_s']:.2f} s, index load {phases['index_s']:.2f} s, {len(files)} files {phases['files_s']:.2f} s); "
          f"first-ever run with index build: {first_wall:.2f} s")
    summary: dict = {"files": len(files), "reference": reference, "identify_seconds": our_wall, "identify_phases": phases}

    if scancode is None:
        print("scancode: not given (--scancode or $SCANCODE); agreement and speed comparison skipped")
        found = sum(1 for v in ours.values() if isinstance(v, list) and v)
        print(f"identify found a license in {found}/{len(files)} files")
        if args.json:
            args.json.write_text(json.dumps({"summary": summary, "identify": ours}, indent=2))
        return 0

    theirs, their_matches, sc_wall = run_scancode(scancode, files, root)
    data_dir = scancode_licenses_dir(scancode)
    rules = data_dir.parent / "rules" if data_dir is not None else None
    print(f"scancode --license -n 2: {sc_wall:.2f} s wall  ->  identify is {sc_wall / our_wall:.1f}x faster")
    detected = [str(f) for f in files if theirs.get(str(f))]
    disagreements = []
    for path in detected:
        mine = ours.get(path)
        our_keys = set().union(*(keys_of(m[0]) for m in mine)) if isinstance(mine, list) else set()
        their_keys = keys_of(theirs[path])
        if our_keys != their_keys:
            disagreements.append({
                "file": str(Path(path).relative_to(root)),
                "kind": classify(our_keys, their_keys),
                "scancode": theirs[path],
                "identify": [_ours(m) for m in mine] if isinstance(mine, list) else mine,
                "reasons": reasons(path, mine if isinstance(mine, list) else [], their_matches.get(path, []),
                                   our_keys, their_keys, rules),
            })
    agree = len(detected) - len(disagreements)
    rate = agree / len(detected) if detected else 1.0
    print(f"agreement where ScanCode detects a license: {agree}/{len(detected)} = {100 * rate:.1f}%  "
          f"(ScanCode detects none in {len(files) - len(detected)} files)")
    strict = sum(1 for path in detected if equivalent(ours.get(path), theirs[path]))
    print(f"stricter, same expression (identify's regions AND-ed, boolean equivalence by license-expression): "
          f"{strict}/{len(detected)} = {100 * strict / max(1, len(detected)):.1f}%")
    for d in disagreements:
        print(f"  [{d['kind']}] {d['file']}\n      scancode: {d['scancode']}\n      identify: {d['identify']}")
        for reason in d["reasons"]:
            print(f"      - {reason}")
    summary.update({"scancode_seconds": sc_wall, "speedup": sc_wall / our_wall, "detected": len(detected),
                    "agree": agree, "agreement": rate, "same_expression": strict, "disagreements": disagreements})
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "identify": ours, "scancode": theirs}, indent=2))
    return 0 if rate >= 0.95 and sc_wall / our_wall >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
