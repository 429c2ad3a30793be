"""The command line's privacy and safety: imports through their workflows, restore, and the crash log."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit import cli
from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.storage import list_backups, open_workspace
from cogov_toolkit.workflows.votes import count_vote, create_vote, set_aside_sources


@pytest.fixture(name="ws_path")
def fixture_ws_path(tmp_path: Path) -> Path:
    return build_sample_workspace(tmp_path / "命令行" / "幸福社区.gpkg")


def test_import_ballots_keeps_the_household_link_private_and_counts_them(ws_path: Path, capsys) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        create_vote(ws, "V21", "P01 改造成什么？", ("口袋花园", "休闲座椅", "儿童游乐"), rule="plurality")
    file = ws_path.parent / "选票.csv"
    frame = pd.read_csv(sample_data_dir() / "ballots.csv", dtype=str)
    frame[frame["vote_id"] == "V01"].drop(columns="vote_id").rename(columns={"household_id": "户号"}).to_csv(
        file, index=False
    )
    assert cli.main(["import", str(ws_path), str(file), "--kind", "ballots", "--vote", "V21"]) == 0
    assert "V21" in capsys.readouterr().out
    with open_workspace(ws_path, backups=0) as ws:
        ballots = ws.records("ballots").query("vote_id == 'V21'")
        links = ws.private_records("ballot_links")
        assert len(ballots) == 350 and set(ballots["uuid"]) <= set(links["ballot_uuid"])
        assert not ballots.to_csv().count("H0")  # no household beside a ballot
        result = count_vote(ws, "V21").result
        # only the really messy rows are set aside, not every ballot as "not on the roll"
        assert result.ballots_counted > 300
        assert set(set_aside_sources(ws, result)["source_ref"]) <= set(frame["ballot_id"])


def test_import_ballots_reads_the_votes_the_file_names(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        before = ws.count("ballots")
        create_vote(ws, "V01X", "x", ("赞成", "反对"), rule="yes_no_abstain")
    file = ws_path.parent / "两个表决.csv"
    frame = pd.read_csv(sample_data_dir() / "ballots.csv", dtype=str)
    frame["vote_id"] = frame["vote_id"].replace({"V01": "V01X"})
    frame[frame["vote_id"] == "V01X"].head(5).to_csv(file, index=False)
    assert cli.main(["import", str(ws_path), str(file), "--kind", "ballots"]) == 0
    with open_workspace(ws_path, backups=0) as ws:
        assert ws.count("ballots") == before + 5


def test_import_demands_stores_each_with_its_history_and_the_reporter_private(ws_path: Path) -> None:
    file = ws_path.parent / "诉求.csv"
    rows = [
        "诉求编号,日期,渠道,类别,内容,reporter_household_id,姓名,电话",
        "N001,2026-05-01,visit,greening,树枝挡窗,H0002,王样二,100-0000-0002",
        "N002,2026-05-02,online,parking,停车难,H0003,,",
    ]
    file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli.main(["import", str(ws_path), str(file), "--kind", "demands"]) == 0
    with open_workspace(ws_path, backups=0) as ws:
        demands = ws.records("demands").set_index("demand_id")
        events = ws.records("demand_events")
        contacts = ws.private_records("demand_contacts").set_index("demand_uuid")
        assert {"N001", "N002"} <= set(events["demand_id"])
        assert contacts.loc[demands.loc["N001", "uuid"], "household_id"] == "H0002"
        assert contacts.loc[demands.loc["N002", "uuid"], "household_id"] == "H0003"
        assert "王样二" not in ws.records("demands").to_csv()


def test_restore_lists_backups_and_restores_one(ws_path: Path, capsys) -> None:
    with open_workspace(ws_path) as ws:
        ws.add("projects", {"project_id": "PJ90", "name": "备份前的项目"})
    assert cli.main(["restore", str(ws_path)]) == 0
    listing = capsys.readouterr().out
    assert "1." in listing and "项目清单" in listing
    with open_workspace(ws_path, backups=0) as ws:
        ws.add("projects", {"project_id": "PJ91", "name": "备份后的项目"})
    assert cli.main(["restore", str(ws_path), "1"]) == 0
    with open_workspace(ws_path, backups=0) as ws:
        projects = set(ws.records("projects")["project_id"])
    assert "PJ90" in projects and "PJ91" not in projects
    assert cli.main(["restore", str(ws_path), "99"]) == 2  # a clear error, not a traceback
    assert "没有第 99 份备份" in capsys.readouterr().err
    assert list_backups(ws_path)


def test_an_unexpected_error_is_logged_in_the_cache_folder_for_the_user_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("COGOV_CACHE_DIR", str(tmp_path / "缓存"))

    def broken(_args: object) -> int:
        raise RuntimeError("内部错误")

    monkeypatch.setitem(cli.COMMANDS, "info", broken)
    assert cli.main(["info", str(tmp_path / "x.gpkg")]) == 3
    log = tmp_path / "缓存" / "cogov-error.log"
    assert str(log) in capsys.readouterr().err
    assert "RuntimeError" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_share_writes_a_copy_without_private_data(ws_path: Path, tmp_path: Path) -> None:
    destination = tmp_path / "分享" / "幸福社区.gpkg"
    assert cli.main(["share", str(ws_path), str(destination)]) == 0
    with open_workspace(destination, backups=0) as copy:
        assert copy.count("ballots") == copy.count("households") == 0
    shutil.rmtree(destination.parent)
