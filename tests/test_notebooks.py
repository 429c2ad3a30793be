"""Workshop notebooks run top to bottom twice and give the committed summary both times.

nbval (``pytest --nbval-lax notebooks/``) checks one run against the summary
cells' stored outputs; this test runs each notebook twice in a row against
the same working folder, as a planner re-running a workshop would.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "cogov_toolkit" / "notebooks").glob("*.ipynb"))
CHECK = "# NBVAL_CHECK_OUTPUT"


def summaries(notebook: nbformat.NotebookNode) -> list[str]:
    """Return the text output of every summary cell."""
    return [
        "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        for cell in notebook.cells
        if cell.cell_type == "code" and CHECK in cell.source
    ]


def run(path: Path, workdir: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    os.environ["COGOV_WORKDIR"] = str(workdir)
    try:
        NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:
        os.environ.pop("COGOV_WORKDIR", None)
    return notebook


def test_there_are_notebooks() -> None:
    assert any(p.name.startswith("00_") for p in NOTEBOOKS)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_gives_the_same_summary_twice(path: Path, tmp_path: Path) -> None:
    expected = summaries(nbformat.read(path, as_version=4))
    assert expected and all(expected), "a notebook must end in a summary cell with stored output"
    workdir = tmp_path / "工作 区"
    assert summaries(run(path, workdir)) == expected
    assert summaries(run(path, workdir)) == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_bulky_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and CHECK not in cell.source:
            assert cell.outputs == [], f"{path.name}: strip outputs with scripts/refresh_notebooks.py"
    assert path.stat().st_size < 300_000
