"""A pasted 接龙 in the workspace: the raw text is kept on the private side, shared copy never holds it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.votes import create_vote, record_jielong

OPTIONS = ("口袋花园", "休闲座椅", "儿童游乐")


@pytest.fixture(name="ws")
def fixture_ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(build_sample_workspace(tmp_path / "幸福社区.gpkg"), backups=0)
    create_vote(
        ws, "J1", "5栋北侧边角地（P01）改造成什么？", OPTIONS, rule="plurality",
        scope_type="neighbourhood", scope_id="N1", opens_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 5, 24),
    )  # fmt: skip
    yield ws
    ws.close()


def test_the_pasted_text_is_kept_privately_once_and_never_in_the_shared_copy(ws: Workspace, tmp_path: Path) -> None:
    text = "#接龙\n1. 5栋2单元301 口袋花园\n2. 5-1-101 儿童游乐 王阿姨\n"
    record_jielong(ws, "J1", text)
    record_jielong(ws, "J1", text)  # Run All again: the same paste is not stored twice
    pastes = ws.private_records("jielong_pastes")
    assert pastes[["vote_id", "text"]].values.tolist() == [["J1", text.strip()]]
    shared = ws.share_copy(tmp_path / "shared.gpkg")
    with sqlite3.connect(shared) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cells = [
            str(value)
            for table in tables
            for row in conn.execute(f'SELECT * FROM "{table}"')
            for value in row
            if isinstance(value, str)
        ]
    assert "jielong_pastes" not in tables
    assert not any("王阿姨" in cell for cell in cells)
    # the search above finds the text where it is: in the private file
    assert any("王阿姨" in t for t in ws.private_records("jielong_pastes")["text"])
