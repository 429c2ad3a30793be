"""The map benchmark still runs (on a 200-building district), so it cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_maps.py"


def test_bench_maps_small_runs_and_reports_every_figure() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium (scripts/test.sh does)")
    out = subprocess.run(
        [sys.executable, str(BENCH), "--small"], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    row = re.search(
        r"^\s+200\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)"
        r"\s+([\d.]+) /\s+([\d.]+)\s+([\d.]+)$",
        out,
        re.M,
    )
    assert row, out
    size_ratio = float(row.group(3))
    assert 0 < size_ratio < 1  # even at 200 buildings the compact encoding is smaller
    assert all(float(g) > 0 for g in row.groups())
    assert re.search(r"A3 300-dpi PNG of 200 buildings: [\d.]+ s", out)
