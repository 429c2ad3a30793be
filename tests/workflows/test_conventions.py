"""Conventions on a workspace: versions kept with exactly their diff, put to the vote, adopted after a recount, printed."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogov_toolkit.core.votes import RawBallot
from cogov_toolkit.errors import CogovError, ConventionError
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows import conventions as cv
from cogov_toolkit.workflows import votes
from tests.conftest import copy_workspace
from tests.workflows.cobuilding_workspace import CANARIES, HOUSEHOLDS, OFFICE, build_cobuilding_workspace
from tests.workflows.notice_workspace import docx_text, leaked, pdf_text

V1 = """测试小区居民公约
第一条 爱护小区公共空间，不私自占用架空层。
第二条 车辆按线停放，不占用消防通道。
第三条 垃圾分类投放，按时定点。
第四条 晚上十点后不在广场跳舞。"""
V2 = [
    "爱护小区公共空间，不私自占用架空层。",
    "车辆按线停放，不占用消防通道。",
    "垃圾分类投放，早七点至九点、晚六点至八点定时定点。",
    "晚上十点后不在广场跳舞。",
    "电动车不进楼道充电。",
]


@pytest.fixture(name="built", scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cobuilding_workspace(tmp_path_factory.mktemp("测试社区") / "测试社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0)
    cv.create_convention(
        ws,
        "GY01",
        "测试小区居民公约",
        V1,
        topics=["停车管理", "waste_sorting"],
        demand_ids=["D2"],
        drafted_on=dt.date(2026, 5, 1),
    )
    yield ws
    ws.close()


def _ballots(ws: Workspace, vote_id: str, choices: list[str]) -> None:
    ballots = [RawBallot(f"纸质{i}", h, c) for i, (h, c) in enumerate(zip(HOUSEHOLDS, choices, strict=False))]
    votes.record_ballots(ws, vote_id, ballots, "paper")
    votes.count_vote(ws, vote_id)


def test_every_version_is_kept_and_two_versions_show_exactly_their_diff(ws: Workspace) -> None:
    version = cv.save_version(ws, "GY01", V2, note="细化垃圾分类时间，新增电动车条款")
    assert version is not None and version.version == 2
    changes, text = cv.version_diff(ws, "GY01", 1, 2)
    assert text == "第3条 修改、第5条 新增"
    assert [(c.kind.value, c.number) for c in changes] == [("modified", 3), ("added", 5)]
    convention = cv.get_convention(ws, "GY01")
    assert [v.version for v in convention.versions] == [1, 2]
    assert convention.version(1).articles[0] == "爱护小区公共空间，不私自占用架空层。"  # the first is kept as it was
    assert convention.topics == ("parking", "waste_sorting") and convention.version(2).demand_ids == ("D2",)
    assert cv.save_version(ws, "GY01", V2) is None  # nothing changed: no third version
    frame = cv.versions_frame(ws, "GY01")
    assert frame["change"].tolist() == ["", "第3条 修改、第5条 新增"]


def test_bad_articles_and_unknown_references_are_refused(ws: Workspace) -> None:
    with pytest.raises(ConventionError) as caught:
        cv.save_version(ws, "GY01", ["甲。", " ", "甲。"])
    assert [p.reason for p in caught.value.problems] == ["convention.blank_article", "convention.repeated_article"]
    assert "第2条是空的" in caught.value.message()
    with pytest.raises(ConventionError, match="D99"):
        cv.create_convention(ws, "GY02", "停车公约", "车辆按线停放。", demand_ids=["D99"])
    with pytest.raises(ConventionError, match="GY01"):
        cv.create_convention(ws, "GY01", "又一个", "车辆按线停放。")
    assert len(cv.get_convention(ws, "GY01").versions) == 1


def test_the_adopted_versions_vote_is_linked_and_reproduced_by_recount(ws: Workspace) -> None:
    cv.save_version(ws, "GY01", V2)
    (vote_id,) = cv.put_to_vote(ws, "GY01", 2)
    assert vote_id == "GY01-v2" and votes.get_vote(ws, vote_id).options == ("赞成", "反对", "弃权")
    with pytest.raises(ConventionError, match="还没有计票"):
        cv.adopt_version(ws, "GY01", 2, dt.date(2026, 6, 1))
    _ballots(ws, vote_id, ["赞成"] * 6 + ["反对", "弃权"])  # 6 of 8 taking part: more than half
    adopted = cv.adopt_version(ws, "GY01", 2, dt.date(2026, 6, 1))
    assert adopted.vote_ids == ("GY01-v2",) and cv.adopted(ws, "GY01").version == 2
    (outcome,) = cv.vote_outcomes(ws, "GY01", 2)
    stored, _ = votes.stored_result(ws, vote_id)
    assert (outcome.yes, outcome.no, outcome.abstain) == (6, 1, 1) and stored["passed"] is True
    assert votes.recount_vote(ws, vote_id).result_data == stored  # anyone can reproduce it
    assert cv.get_convention(ws, "GY01").version(1).status.value == "draft"
    # a ballot changed after the count: the adoption record no longer recounts
    ballot = ws.records("ballots")
    ws.update("ballots", ballot.loc[ballot["vote_id"] == vote_id, "uuid"].iloc[0], {"choice": "反对"})
    with pytest.raises(CogovError) as caught:
        cv.vote_outcomes(ws, "GY01", 2)
    assert caught.value.reason in ("vote.digest_mismatch", "vote_workflow.recount_differs")


def test_a_version_voted_article_by_article_is_adopted_only_if_every_article_passes(ws: Workspace) -> None:
    ids = cv.put_to_vote(ws, "GY01", 1, mode="逐条表决")
    assert ids == ("GY01-v1-1", "GY01-v1-2", "GY01-v1-3", "GY01-v1-4")
    for vote_id in ids[:3]:
        _ballots(ws, vote_id, ["赞成"] * 5 + ["反对"])
    _ballots(ws, ids[3], ["反对"] * 4 + ["赞成"] * 2)  # article 4 fails
    with pytest.raises(ConventionError) as caught:
        cv.adopt_version(ws, "GY01", 1, dt.date(2026, 6, 1))
    assert "GY01-v1-4：赞成 2 票，反对 4 票" in caught.value.message()
    assert cv.get_convention(ws, "GY01").version(1).status.value == "rejected"
    with pytest.raises(ConventionError, match="已提交表决"):
        cv.put_to_vote(ws, "GY01", 1)


def test_the_adopted_version_prints_as_an_a3_poster_and_a_docx_and_is_published(ws: Workspace, tmp_path: Path) -> None:
    cv.save_version(ws, "GY01", V2)
    (vote_id,) = cv.put_to_vote(ws, "GY01", 2)
    _ballots(ws, vote_id, ["赞成"] * 7 + ["反对"])
    cv.adopt_version(ws, "GY01", 2, dt.date(2026, 6, 1))
    poster, word = cv.write_convention_files(ws, "GY01", tmp_path, issuer=OFFICE["issuer"])
    assert (poster.name, word.name) == ("测试小区居民公约_A3海报.pdf", "测试小区居民公约.docx")
    info = subprocess.run(["pdfinfo", str(poster)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 1190.55 pts" in info and "Pages:           1" in info  # one A3 portrait sheet
    fonts = subprocess.run(["pdffonts", str(poster)], capture_output=True, text=True, check=True).stdout.splitlines()[
        2:
    ]
    assert fonts and not any("Type 3" in line for line in fonts) and all(" yes " in line for line in fonts)
    for text in (pdf_text(poster), docx_text(word)):
        squeezed = "".join(text.split())
        assert "第5条" in squeezed and "电动车不进楼道充电。" in squeezed
        assert "赞成7票，反对1票，弃权0票" in squeezed and OFFICE["issuer"] in squeezed
        assert leaked(text, CANARIES) == []
    notice = cv.convention_notice(ws, "GY01", **OFFICE, issued_on=dt.date(2026, 6, 2))
    assert notice.table.rows[4] == ("第5条", "电动车不进楼道充电。") and notice.subject_id == "GY01"
    assert any("GY01-v2" in note for note in notice.notes)


def test_an_unadopted_convention_cannot_be_printed(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ConventionError, match="还没有通过的版本"):
        cv.write_convention_files(ws, "GY01", tmp_path, issuer=OFFICE["issuer"])
