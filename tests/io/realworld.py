"""Where the real-world corpus lives (``../shared/realworld/`` beside the checkout), and a skip when it is absent.

The files were written by other projects (see its SOURCES.md) and stay there under
their own licences: tests read them in place and never copy them into the repository.
``COGOV_REALWORLD`` points elsewhere when the folder lives somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_CHECKOUT = Path(__file__).resolve().parents[2]
_CANDIDATES = [
    *([Path(os.environ["COGOV_REALWORLD"])] if os.environ.get("COGOV_REALWORLD") else []),
    _CHECKOUT.parent / "shared" / "realworld",  # a clone with shared/ beside it (CI, /work/main)
    _CHECKOUT.parent.parent / "shared" / "realworld",  # a worktree one level further down
]
REALWORLD = next((p for p in _CANDIDATES if (p / "SOURCES.md").is_file()), _CANDIDATES[0])


def corpus(*parts: str) -> Path:
    """Return a corpus file, or skip the test saying where the corpus was looked for."""
    path = REALWORLD.joinpath(*parts)
    if not path.exists():
        looked = ", ".join(str(p) for p in _CANDIDATES)
        pytest.skip(
            f"real-world corpus file {'/'.join(parts)} not found (looked in {looked}; see BRIEF: ../shared/realworld)"
        )
    return path
