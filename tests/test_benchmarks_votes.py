"""The vote-counting benchmark still runs (at --small size, so it cannot rot) and its counts agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_votes_runs_small_and_agrees_with_pref_voting() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_votes.py"), "--small"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # works from a plain checkout too
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Ranked ballots: 10,000 over 6 options" in out
    assert "instant runoff (pref_voting.instant_runoff_put)" in out and "Borda (pref_voting.borda)" in out
    assert out.count(" agree") == 2 and "DISAGREE" not in out
    assert "Civil Code Art. 278: 10,000 owner units" in out and "screen + count" in out
