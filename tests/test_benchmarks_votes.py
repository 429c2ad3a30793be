"""The vote-counting benchmark still runs (at --small size, so it cannot rot) and its counts agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_votes_runs_small_and_agrees_with_its_baselines() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_votes.py"), "--small"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # works from a plain checkout too
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Ranked ballots: 10,000 over 6 options" in out
    assert (
        "instant runoff (pref_voting.instant_runoff_put, rcounts)" in out
        and "Borda (pref_voting.borda, rcounts)" in out
    )
    assert "end to end vs pref_voting with rcounts" in out and "plain numpy collapse" in out
    assert "Civil Code Art. 278: 10,000 owner units" in out and "screen + count" in out
    assert (
        "Method of equal shares: 20 projects × 2,000 approval ballots" in out and "vs pabutools at 2,000 ballots" in out
    )
    assert "STV: 2,000 ranked ballots × 20 candidates for 5 seats" in out and "STV vs plain-Python STV" in out
    # every comparison agreed: two ranked rules, two equal-shares sizes, one STV count
    assert out.count(" agree") == 5 and "DISAGREE" not in out
