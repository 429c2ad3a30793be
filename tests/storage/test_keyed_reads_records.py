"""Keyed reads of notices, evaluations and co-building records: one record touched, its rows read.

The pattern of tests/storage/test_keyed_reads.py: a workspace whose notices,
objections, evaluations and contributions far outnumber what one action
needs, on the GeoPackage and in memory (which counts every row a read hands
back); the counts show each action reads the rows it touches, not the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogov_toolkit.core.notice import Notice
from cogov_toolkit.storage import Workspace
from cogov_toolkit.workflows import cobuilding, evaluations, notices
from tests.storage.busy import BACKENDS, build_busy, open_busy, reset, rows_read

BUSY = 1_000  # notices, objections, evaluations and contributions added beside the sample's own
DAY = dt.date(2026, 4, 1)


def _notice(number: int) -> Notice:
    return Notice(
        notice_id=f"GS-X{number:05d}",
        title=f"第{number}号公示",
        basis="依据",
        matter="事项",
        start_on=DAY,
        end_on=DAY + dt.timedelta(days=6),
        contact="社区居委会 李主任",
        office_phone="027-8888 6666",
        issuer="幸福社区居民委员会",
        issued_on=DAY,
    )


def _fill_busy(ws: Workspace) -> None:
    ws.add_many("notices", [{**_notice(i).record(), "status": "published"} for i in range(BUSY)])
    ws.add_many(
        "objections",
        [
            {"notice_id": f"GS-X{i % 100:05d}", "received_on": DAY, "channel": "visit", "summary": "意见"}
            for i in range(BUSY)
        ],
    )
    answers = '{"q_overall": 4, "q_safety": 4, "q_greening": 3, "q_facilities": 4, "q_upkeep": 3}'
    ws.add_many(
        "evaluations",
        [
            {"project_id": "PJ99", "phase": "post", "evaluator_role": "resident", "building_id": "B01",
             "questionnaire": "satisfaction_5", "answers": answers}
            for _ in range(BUSY)
        ],
        private=[{"evaluation_links": {"household_id": f"H9{i:04d}"}} for i in range(BUSY)],
    )  # fmt: skip
    ws.add_many(
        "contributions",
        [
            {"contribution_id": f"GX{9000 + i:04d}", "contributed_on": DAY, "contributor_type": "household",
             "kind": "labour", "project_id": "PJ02", "hours": 1.0}
            for i in range(BUSY)
        ],
    )  # fmt: skip
    ws.add_many(
        "spending",
        [{"project_id": "PJ02", "spent_on": DAY, "amount_yuan": 1.0, "item": "材料"} for _ in range(BUSY)],
    )


@pytest.fixture(name="busy_path", scope="module")
def fixture_busy_path(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with many notices, objections, evaluations, contributions and payments (closed)."""
    return build_busy(sample_path, tmp_path_factory.mktemp("busy_records"), _fill_busy)


@pytest.fixture(name="busy", params=BACKENDS)
def fixture_busy(request: pytest.FixtureRequest, busy_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    """The busy workspace, as a GeoPackage copy and as an in-memory copy (which counts rows read)."""
    yield from open_busy(request.param, busy_path, tmp_path / "busy")


def test_one_notice_and_its_objections_read_only_their_rows(busy: Workspace) -> None:
    notice = _notice(BUSY + 1)
    reset(busy)
    uuid = notices.save_notice(busy, notice)
    assert notices.mark_published(busy, notice) == uuid
    assert notices.load_notice(busy, notice.notice_id) == notice
    assert notices.notice_status(busy, notice.notice_id) is notices.NoticeStatus.PUBLISHED
    objection = notices.record_objection(busy, notice.notice_id, DAY, "letter", "意见")
    notices.answer_objection(busy, objection, "已答复", DAY)
    assert notices.objections(busy, notice.notice_id)["status"].tolist() == ["answered"]
    assert len(notices.objections(busy, "GS-X00007")) == BUSY // 100
    reads = rows_read(busy)
    if reads is not None:
        # a few lookups of this notice (each one row), its objection, and notice 7's ten objections
        assert reads.get("notices", 0) <= 8
        assert reads.get("objections", 0) == 1 + 1 + BUSY // 100


def test_one_projects_evaluations_read_only_their_rows(busy: Workspace) -> None:
    reset(busy)
    frame = evaluations.evaluation_frame(busy, "PJ01", with_households=True)
    mine = busy.count("evaluations", {"project_id": "PJ01"})
    assert len(frame) == mine and set(frame["project_id"]) == {"PJ01"} and "household_id" in frame
    reads = rows_read(busy)
    if reads is not None:
        assert reads["evaluations"] == mine
        assert reads.get("evaluation_links", 0) <= mine  # the links of its evaluations, not the busy project's


def test_one_co_building_record_reads_only_its_rows(busy: Workspace) -> None:
    reset(busy)
    contribution = cobuilding.record_contribution(
        busy, contributed_on=DAY, contributor_type="household", kind="labour", project_id="PJ01", hours=2,
        idempotency_key="form-1",
    )  # fmt: skip
    assert contribution == f"GX{9000 + BUSY:04d}"  # after the highest stored number, without reading the ids
    again = cobuilding.record_contribution(
        busy, contributed_on=DAY, contributor_type="household", kind="labour", project_id="PJ01", hours=2,
        idempotency_key="form-1",
    )  # fmt: skip
    assert again == contribution and busy.count("contributions", {"contribution_id": contribution}) == 1
    milestone = cobuilding.add_milestone(busy, "PJ01", "完工", DAY)
    cobuilding.complete_milestone(busy, milestone, DAY)
    summary = cobuilding.finance(busy, "PJ01", DAY)
    assert summary.project_id == "PJ01"
    reads = rows_read(busy)
    if reads is not None:
        assert reads.get("contributions", 0) <= 2  # the stored id of the retried form, twice
        assert reads.get("projects", 0) <= 4 and reads.get("milestones", 0) <= 1
        assert reads.get("spending", 0) == busy.count("spending", {"project_id": "PJ01"})  # not PJ02's thousand
        assert busy.values_read.get("contributions", 0) == 0
