"""The workshop notebooks on a planner's own community: binding, copies, Chinese JupyterLab, Run All writes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cogov_toolkit.lab import LAB_SETTINGS, prepare_lab
from cogov_toolkit.workflows import workshop
from cogov_toolkit.workflows.settings import is_sample
from tests.lab_session import planner_workspace, sha256


@pytest.fixture(name="planner")
def fixture_planner(sample_path: Path, tmp_path: Path) -> Path:
    return planner_workspace(sample_path, tmp_path / "我的 社区")


def test_cogov_lab_copies_binds_and_starts_jupyterlab_in_chinese(planner: Path, monkeypatch) -> None:
    plan = prepare_lab(planner, no_browser=True, port=8899)
    folder = workshop.notebooks_folder_for(planner)
    assert plan.folder == folder and folder.parent == planner.parent
    assert sorted(p.name for p in plan.copies.copied) == [p.name for p in workshop.shipped_notebooks()]
    assert workshop.bound_workspace(folder) == planner.resolve()
    assert plan.command[1:3] == ["-m", "jupyterlab"] and f"--ServerApp.root_dir={folder}" in plan.command
    assert "--no-browser" in plan.command and "--port=8899" in plan.command
    assert ("--allow-root" in plan.command) == (os.geteuid() == 0)
    assert plan.env[workshop.WORKSPACE_ENV] == str(planner.resolve())
    settings = Path(plan.env["JUPYTERLAB_SETTINGS_DIR"])
    for name, wanted in LAB_SETTINGS.items():
        assert json.loads((settings / name).read_text(encoding="utf-8")).items() >= wanted.items()
    assert json.loads((settings / next(iter(LAB_SETTINGS))).read_text(encoding="utf-8"))["locale"] == "zh_CN"
    assert workshop.recent_workspaces()[0] == planner.resolve()


def test_the_planners_copies_are_never_overwritten_and_newer_ones_are_offered_beside(
    planner: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workshop.notebooks_folder_for(planner)
    workshop.copy_notebooks(folder)
    mine = folder / "02_居民表决.ipynb"
    mine.write_text(mine.read_text(encoding="utf-8").replace("居民表决", "我们的表决"), encoding="utf-8")
    again = workshop.copy_notebooks(folder)
    assert again.copied == () and again.offered == () and mine in again.kept
    # a newer toolkit ships a changed 02: it is offered beside, the planner's copy stays as it is
    shipped = tmp_path / "新版" / "notebooks"
    shipped.mkdir(parents=True)
    for notebook in workshop.shipped_notebooks():
        text = notebook.read_text(encoding="utf-8")
        if notebook.name.startswith("02_"):
            text = text.replace("现场录入纸质选票", "现场录入纸质选票（新版）")
        (shipped / notebook.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(workshop, "shipped_notebooks", lambda: sorted(shipped.glob("*.ipynb")))
    before = mine.read_bytes()
    newer = workshop.copy_notebooks(folder)
    assert [p.name for p in newer.offered] == [f"02_居民表决（新版 {__import__('cogov_toolkit').__version__}）.ipynb"]
    assert mine.read_bytes() == before and "（新版）" in newer.offered[0].read_text(encoding="utf-8")
    assert workshop.copy_notebooks(folder).offered == ()  # offered once


def test_without_a_binding_the_notebooks_open_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workshop.WORKSPACE_ENV, raising=False)
    assert workshop.bound_workspace(tmp_path) is None
    from cogov_toolkit.widgets.workshop import Workshop

    banner = Workshop("00_开始", folder=tmp_path)
    assert banner.is_sample and is_sample(banner.ws)
    assert "当前社区：幸福社区（示例）" in banner.title.value


def test_the_banner_binds_to_the_planners_workspace_and_shows_its_settings(planner: Path) -> None:
    from cogov_toolkit.widgets.workshop import Workshop

    folder = workshop.notebooks_folder_for(planner)
    workshop.bind(folder, planner)
    banner = Workshop("02_居民表决", folder=folder)
    assert not banner.is_sample and banner.path == planner.resolve()
    assert "当前社区：幸福社区" in banner.title.value and "（示例）" not in banner.title.value
    assert banner.office_phone.value == "0592-5550000"
    assert Workshop("02_居民表决", folder=folder).ws is banner.ws  # a cell run again reuses the open workspace
    banner.office_phone.value = "027-8888 6666"
    banner.save_settings_button.click()
    assert banner.settings.office_phone == "027-8888 6666" and "已保存" in banner.settings_message.value


def test_an_older_workspace_gets_an_upgrade_button_not_a_silent_upgrade(planner: Path) -> None:
    import sqlite3

    from cogov_toolkit.widgets.workshop import Workshop
    from tests.storage.test_upgrade import _as_version_1

    _as_version_1(planner)
    before = sha256(planner)
    folder = workshop.notebooks_folder_for(planner)
    workshop.bind(folder, planner)
    banner = Workshop("00_开始", folder=folder)
    assert "需要升级" in banner.message.value and banner.upgrade_button.layout.display is None
    assert sha256(planner) == before
    banner.upgrade_button.click()
    assert "已备份并升级" in banner.message.value and banner.ws.count("settings") == 0
    conn = sqlite3.connect(planner)
    assert int(conn.execute("SELECT value FROM cogov_meta WHERE key='schema_version'").fetchone()[0]) >= 2
    conn.close()


@pytest.mark.slow
def test_run_all_of_every_notebook_on_a_planners_workspace_writes_nothing_to_it(planner: Path, tmp_path: Path) -> None:
    from cogov_toolkit.storage.gpkg.workspace import private_path_for  # the test names the files it hashes

    folder = workshop.notebooks_folder_for(planner)
    workshop.copy_notebooks(folder)
    workshop.bind(folder, planner)
    files = (planner, private_path_for(planner))
    before = [sha256(f) for f in files]
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
        summary = "".join(
            o.get("text", "")
            for c in notebook.cells
            if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source
            for o in c.outputs
        )
        assert summary.strip() and "Traceback" not in summary, (path.name, summary)
        skipped = [c for c in notebook.cells if c.cell_type == "code" and "社区.demo()" in c.source]
        for cell in skipped:  # the demonstration cells said they were skipped, and wrote nothing
            assert any("已跳过" in json.dumps(o, ensure_ascii=False) for o in cell.outputs), (
                path.name,
                cell.source[:60],
            )
        assert [sha256(f) for f in files] == before, path.name
