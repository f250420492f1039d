"""Agreement of ``licenselens compat`` with licomp-toolkit, and the time both take.

licomp-toolkit (PyPI) aggregates published compatibility data: the OSADL
matrix (use case ``snippet``) and the reclicense data (use case
``library``). For every ordered pair (inbound, outbound) of the licenses
below that have a reference text in ``corpora/licenses`` and that licomp
supports, both tools answer "may code under inbound go into a work under
outbound?". Pairs where licomp answers neither yes nor no are left out.

Our ``compatible`` and ``conditional`` count as yes, ``incompatible`` as no,
``unknown`` as a disagreement. Every disagreement is listed with both reasons.
Agreement is reported twice: with the published pair facts of
``corpora/compat`` (the shipped behaviour) and from the terms alone
(``use_facts=False``), so the facts cannot hide what the rules get wrong.

Timing, in the same run: ours cold (every license text analysed, profiles
built, all pairs evaluated) and warm (analyses cached, all pairs evaluated
again); licomp over all pairs.

Install licomp into the environment that runs this (it is no dependency of
licenselens): ``pip install licomp-toolkit``. Usage:
``python benchmarks/compat_licomp.py [--usecase library|snippet] [--min-agreement 0.95]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from licenselens.compat import compat  # noqa: E402
from licenselens.compat import sources  # noqa: E402
from licenselens.model import CompatVerdict  # noqa: E402

# Common licenses: permissive, weak and strong copyleft, with a reference text in corpora/licenses.
LICENSES = [
    "0BSD", "MIT", "MIT-0", "ISC", "BSD-2-Clause", "BSD-3-Clause", "BSL-1.0", "Zlib", "Unlicense", "WTFPL",
    "CC0-1.0", "UPL-1.0", "Python-2.0", "Apache-2.0", "Artistic-2.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CPAL-1.0",
    "MPL-2.0", "EPL-2.0", "EUPL-1.2", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
]

YES = {CompatVerdict.COMPATIBLE, CompatVerdict.CONDITIONAL}


def _licomp():
    try:
        from licomp_toolkit.toolkit import ExpressionExpressionChecker, LicompToolkit
    except ImportError:
        sys.exit("licomp-toolkit is not installed: pip install licomp-toolkit")
    return ExpressionExpressionChecker(), LicompToolkit()


def _licomp_reason(report: dict) -> str:
    details = (report.get("compatibility_report") or {}).get("compatibility_details") or {}
    found = []
    for item in details.get("compatibilities", []) if isinstance(details, dict) else []:
        if item.get("compatibility_status") in ("yes", "no"):
            found.append(f"{item.get('resource_name')}: {item.get('compatibility_status')} ({'; '.join(item.get('explanation') or [])})")
    return " | ".join(found) or str(report.get("compatibility"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--usecase", default="library", choices=["library", "snippet"])
    parser.add_argument("--provisioning", default="binary-distribution")
    parser.add_argument("--min-agreement", type=float, default=0.95)
    args = parser.parse_args()

    checker, toolkit = _licomp()
    supported = set(toolkit.supported_licenses())
    refs = sources.references()
    licenses = [lic for lic in LICENSES if lic in supported and (lic.lower() in refs or lic.lower().removesuffix("-or-later") + "-only" in refs)]
    pairs = [(i, o) for i in licenses for o in licenses if i != o]

    start = time.perf_counter()
    theirs = {}
    for inbound, outbound in pairs:
        report = checker.check_compatibility(outbound, inbound, args.usecase, args.provisioning, detailed_report=True)
        theirs[(inbound, outbound)] = (report.get("compatibility"), _licomp_reason(report))
    licomp_seconds = time.perf_counter() - start
    answered = [p for p in pairs if theirs[p][0] in ("yes", "no")]
    # licomp's "library" use case is our default integration; its "snippet" (OSADL) is code copied into files.
    integration = "snippet" if args.usecase == "snippet" else "library"

    def run(use_facts: bool) -> tuple[dict, float]:
        t0 = time.perf_counter()
        out = {}
        for inbound, outbound in answered:
            result = compat([inbound], outbound, use_facts=use_facts, integration=integration)
            out[(inbound, outbound)] = result.inbound[0]
        return out, time.perf_counter() - t0

    ours_cold, cold_seconds = run(True)
    ours_warm, warm_seconds = run(True)
    terms_only, terms_seconds = run(False)

    def agreement(ours: dict) -> tuple[int, list]:
        agree, wrong = 0, []
        for pair in answered:
            verdict = ours[pair].verdict
            yes = verdict in YES
            if verdict is not CompatVerdict.UNKNOWN and yes == (theirs[pair][0] == "yes"):
                agree += 1
            else:
                wrong.append(pair)
        return agree, wrong

    n = len(answered)
    agree, wrong = agreement(ours_cold)
    agree_terms, wrong_terms = agreement(terms_only)
    print(f"licenses: {len(licenses)} ({', '.join(licenses)})")
    print(f"ordered pairs: {len(pairs)}; licomp answered yes/no ({args.usecase}, {args.provisioning}): {n}; licenselens integration: {integration}")
    print(f"agreement with facts:   {agree}/{n} = {agree / n:.1%}")
    print(f"agreement, terms only:  {agree_terms}/{n} = {agree_terms / n:.1%}")
    print(f"time licomp, all pairs:            {licomp_seconds * 1000:9.1f} ms")
    print(f"time licenselens cold (analysis):  {cold_seconds * 1000:9.1f} ms")
    print(f"time licenselens warm:             {warm_seconds * 1000:9.1f} ms")
    print(f"time licenselens terms only, warm: {terms_seconds * 1000:9.1f} ms")
    for title, ours, rows in (("disagreements (with facts)", ours_cold, wrong), ("disagreements (terms only)", terms_only, wrong_terms)):
        print(f"\n{title}: {len(rows)}")
        for pair in rows:
            mine = ours[pair]
            print(f"- {pair[0]} -> {pair[1]}: licomp {theirs[pair][0]}, licenselens {mine.verdict.value}")
            print(f"    licomp: {theirs[pair][1]}")
            for reason in mine.reasons[:3]:
                print(f"    licenselens: {reason[:300]}")
    return 0 if agree / n >= args.min_agreement else 1


if __name__ == "__main__":
    sys.exit(main())
