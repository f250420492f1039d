"""The licomp-toolkit agreement benchmark holds its bar (skipped where licomp-toolkit is not installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "compat_licomp.py"


@pytest.mark.slow
# licomp's default use case ("library") is the bar of the project; "snippet" (the OSADL matrix,
# code copied into files) is watched with a little more room.
@pytest.mark.parametrize("usecase, bar", [("library", "0.95"), ("snippet", "0.93")])
def test_agreement_with_licomp(usecase, bar):
    pytest.importorskip("licomp_toolkit")
    proc = subprocess.run(
        [sys.executable, str(BENCHMARK), "--usecase", usecase, "--min-agreement", bar],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "agreement with facts:" in proc.stdout
