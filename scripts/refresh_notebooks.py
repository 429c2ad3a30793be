"""Run workshop notebooks and store only the outputs nbval compares.

    python scripts/refresh_notebooks.py cogov_toolkit/notebooks/00_开始.ipynb [...]

A notebook is committed without bulky outputs: every cell's output is
cleared except the cells marked ``# NBVAL_CHECK_OUTPUT``, whose output is the
expected summary that nbval compares in CI (``pytest --nbval-lax``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    notebook.metadata.pop("widgets", None)  # saved widget state: bulky, and it would hold the demo's inputs
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if CHECK not in cell.source:
            cell.outputs = []
            cell.execution_count = None
        # a checked cell keeps its execution count: nbval skips "unrun" cells that have outputs
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        refresh(Path(name))
        print("refreshed", name)
