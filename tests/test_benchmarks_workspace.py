"""The busy-workspace benchmark still runs (at --small size, a fiftieth, so it cannot rot) and prints every row."""

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
    assert "Workspace: 1,000 buildings, 2,000 households, 20,000 ballots over 10 votes" in out
    for action in (
        "open + one write + close",
        "record one ballot",
        "record one demand",
        "confirm one demand's class",
        "count one 2,000-ballot vote among 20,000",
        "Civil Code Art. 278 vote of 2,000 owner units",
        "open the demands dashboard",
        "one adoption zone's status",
        "import_demands, 1,000 Excel rows",
        "highest peak RSS of any action above",
    ):
        assert action in out, action
    # every action against its baseline, each with its peak memory
    assert out.count("-> ratio") == 12 and out.count("(peak RSS") == 9
