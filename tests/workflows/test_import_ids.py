"""``cogov import`` of rows the workspace already holds names the file, every row and every id (issue 11, hole 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cogov_toolkit.errors import ValidationError
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows.imports import import_records

ROOT = Path(__file__).resolve().parents[2]
ROSTER = ROOT / "tests" / "data" / "good" / "households_roster.csv"


def test_rows_already_in_the_workspace_are_all_listed(sample: Workspace) -> None:
    before = sample.count("households")
    with pytest.raises(ValidationError) as info:
        import_records(sample, ROSTER, "households")
    ids = [p.params["value"] for p in info.value.problems]
    assert ids == ["H0101", "H0102", "H0201"] and [p.row for p in info.value.problems] == [2, 3, 4]
    assert all(p.column == "户号" and p.file and p.file.endswith("households_roster.csv") for p in info.value.problems)
    message = str(info.value)
    assert "households_roster.csv" in message and "H0101、H0102、H0201" in message
    assert sample.count("households") == before  # nothing of the file was stored


def test_the_command_line_says_the_same_without_a_traceback(sample: Workspace) -> None:
    path = sample.path
    sample.close()
    done = subprocess.run(
        [sys.executable, "-m", "cogov_toolkit.cli", "import", str(path), str(ROSTER), "--kind", "households"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for text in ("households_roster.csv", "第 2 行", "第 4 行", "H0101、H0102、H0201"):
        assert text in done.stderr
