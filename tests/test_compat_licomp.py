"""The licomp-toolkit agreement benchmark holds its bar (skipped where licomp-toolkit is not installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "compat_licomp.py"


@pytest.mark.slow
@pytest.mark.parametrize("usecase", ["library", "snippet"])
def test_agreement_with_licomp_is_at_least_95_percent(usecase):
    pytest.importorskip("licomp_toolkit")
    proc = subprocess.run(
        [sys.executable, str(BENCHMARK), "--usecase", usecase, "--min-agreement", "0.95"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "agreement with facts:" in proc.stdout
