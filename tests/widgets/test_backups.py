"""The restore form: backups listed with time and counts, a second click restores the chosen one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.storage import create_workspace, open_workspace
from cogov_toolkit.widgets.backups import BackupList


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGOV_DATA_DIR", str(tmp_path / "数据"))


def test_the_form_lists_backups_and_restores_the_chosen_one_after_a_second_click(tmp_path: Path) -> None:
    path = tmp_path / "社区.gpkg"
    create_workspace(path, "幸福社区").close()
    for project in ("PJ01", "PJ02"):
        with open_workspace(path) as ws:
            ws.add("projects", {"project_id": project, "name": f"项目 {project}"})
    form = BackupList(path)
    labels = [label for label, _ in form.choice.options]
    assert len(labels) >= 2 and "项目清单 2" in labels[0] and "项目清单 1" in labels[-1]
    form.choice.value = len(labels) - 1  # the oldest: one project
    assert form.restore() is None and "再点一次" in form.message.value  # nothing happens on the first click
    with open_workspace(path, backups=0) as ws:
        assert ws.count("projects") == 2
    form.restore_button.click()
    assert "已恢复" in form.message.value
    with open_workspace(path, backups=0) as ws:
        assert list(ws.records("projects")["project_id"]) == ["PJ01"]


def test_a_workspace_without_backups_says_so(tmp_path: Path) -> None:
    path = tmp_path / "新.gpkg"
    create_workspace(path, "新社区").close()
    form = BackupList(path)
    assert form.restore_button.disabled and "还没有备份" in form.message.value
