"""The backup benchmark still runs (at --small size, so it cannot rot) and prints its ratio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_backups_runs_small() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_backups.py"), "--small", "--runs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ratio default / off:" in run.stdout and "backups kept:" in run.stdout
