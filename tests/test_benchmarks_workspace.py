"""The busy-workspace benchmark still runs (at --small size, a tenth, so it cannot rot) and prints every row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_workspace_runs_small() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_workspace.py"), "--small", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Workspace: 5,000 buildings, 10,000 households, 100,000 ballots over 10 votes" in out
    for action in (
        "record one ballot",
        "count one 10,000-ballot vote",
        "record one demand",
        "open the demands dashboard",
        "one adoption zone's status",
    ):
        assert action in out
    assert out.count("-> ratio") == 7
