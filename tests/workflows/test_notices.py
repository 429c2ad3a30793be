"""Notices from the workspace: triage replies, the adoption roster, the notices table, objections."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from cogov_toolkit.core.notice import check_public
from cogov_toolkit.demo.pilot_year import SAMPLE_OFFICE
from cogov_toolkit.errors import NoticeError
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.notices import (
    NoticeKind,
    NoticeStatus,
    ObjectionContact,
    ObjectionStatus,
    answer_objection,
    correction_id,
    decision_notice,
    load_notice,
    mark_published,
    notice_status,
    objections,
    record_objection,
    save_notice,
    triage_replies_notice,
)
from cogov_toolkit.workflows.privacy import Purpose, publication_gate, withdraw_consent
from cogov_toolkit.workflows.votes import count_vote
from tests.conftest import copy_workspace
from tests.workflows.notice_workspace import (
    CANARIES,
    CANARY_ADOPTER,
    CANARY_REPORTER,
    CANARY_REPORTER_PHONE,
    CONSENTED_NAME,
    MARCH,
    OFFICE,
    REPLY,
    ROSTER_DAY,
    build_notice_workspace,
    leaked,
    roster_notice,
    triage_notice,
)


@pytest.fixture(name="notice_ws_path", scope="module")
def fixture_notice_ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_notice_workspace(tmp_path_factory.mktemp("notices") / "幸福社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(notice_ws_path: Path, tmp_path: Path):
    """An open copy of the prepared workspace (its private file copied beside it)."""
    ws = open_workspace(copy_workspace(notice_ws_path, tmp_path / "ws"), backups=0)
    yield ws
    ws.close()


def notice_text(notice) -> str:
    table = notice.table
    cells = [*table.columns, *(c for row in table.rows for c in row)] if table else []
    return "\n".join([notice.title, notice.basis, notice.matter, notice.contact, notice.issuer, *cells])


def test_triage_notice_lists_the_period_with_replies_places_and_no_reporter(ws: Workspace) -> None:
    notice = triage_notice(ws)
    assert notice.kind == NoticeKind.TRIAGE_REPLIES
    assert notice.title == "幸福社区居民诉求办理答复情况公示"
    assert notice.table.columns == ("诉求编号", "类别", "地点", "答复", "办理状态")
    demands = ws.records("demands")
    march = demands[demands["reported_on"].between("2026-03-01", "2026-03-31")]
    assert [r[0] for r in notice.table.rows] == sorted(march["demand_id"])  # the period, and only it
    rows = {r[0]: r for r in notice.table.rows}
    assert rows["D002"] == ("D002", "设施维修", "19栋", REPLY, "已答复")
    assert rows["D001"][2] == "闲置地块2号"  # a site by its number
    assert rows["D900"][1:] == ("安全隐患", "5栋", "已清理楼道杂物。", "已办结")
    assert rows["D003"][3:] == ("正在办理", "已受理")
    assert f"{len(march)} 件" in notice.matter
    # the reporters live in the private file; the notice holds neither them nor any demand text
    assert leaked(notice_text(notice)) == []
    assert not any("杂草丛生" in c for r in notice.table.rows for c in r)
    # a 7-day period starting the day after the demands' period, as DOMAIN.md asks
    assert (notice.issued_on, notice.start_on, notice.period_days) == (dt.date(2026, 4, 1), dt.date(2026, 4, 1), 7)


def test_triage_notice_refuses_a_reply_that_names_or_phones_a_resident(ws: Workspace) -> None:
    uuid = ws.records("demands").set_index("demand_id").loc["D002", "uuid"]
    ws.update("demands", uuid, {"reply": f"已转告{CANARY_REPORTER}"})
    with pytest.raises(NoticeError) as error:
        triage_replies_notice(ws, *MARCH, **OFFICE)
    assert [p.reason for p in error.value.problems] == ["privacy.leak_private"]
    assert CANARY_REPORTER not in error.value.message()  # the message itself masks it
    ws.update("demands", uuid, {"reply": "请回电 13912345678"})
    with pytest.raises(NoticeError, match="电话或证件号码"):
        triage_replies_notice(ws, *MARCH, **OFFICE)


def test_the_gate_refuses_every_private_string_and_lets_a_consented_name_through_its_roster(ws: Workspace) -> None:
    gate = publication_gate(ws)
    assert set(CANARIES) <= gate.private_strings  # the display name given without consent is private too
    assert CONSENTED_NAME in gate.private_strings  # a consent covers its own purpose only
    roster_gate = gate.for_purpose(Purpose.ADOPTER_ROSTER, ROSTER_DAY)
    assert CONSENTED_NAME not in roster_gate.private_strings
    assert set(CANARIES) <= roster_gate.private_strings
    assert all(len(s) >= 2 for s in gate.private_strings)


def test_a_withdrawn_consent_removes_the_name_from_the_next_roster(ws: Workspace) -> None:
    assert CONSENTED_NAME in [row[3] for row in roster_notice(ws).table.rows]
    assert withdraw_consent(ws, Purpose.ADOPTER_ROSTER, on=dt.date(2026, 4, 15), subject_id="AD002") == 1
    adopters = [row[3] for row in roster_notice(ws).table.rows]
    assert CONSENTED_NAME not in adopters and any(a.endswith("杨**") for a in adopters)


def test_roster_names_adopters_only_as_they_consented(ws: Workspace) -> None:
    notice = roster_notice(ws)
    assert notice.kind == NoticeKind.ADOPTION_ROSTER
    assert notice.table.columns[:4] == ("编号", "认养类型", "认养人类型", "认养人")
    adopters = [row[3] for row in notice.table.rows]
    assert CONSENTED_NAME in adopters and "幸福物业服务公司" in adopters
    assert any(a.endswith("金**") for a in adopters)  # no consent: building and masked surname
    assert leaked(notice_text(notice)) == []
    assert "3 处" in notice.matter


def test_the_leak_search_finds_a_planted_canary() -> None:
    assert leaked(f"答复：请联系{CANARY_ADOPTER}") == [CANARY_ADOPTER]
    assert leaked("电话 13900004242") == [CANARY_REPORTER_PHONE]  # separators removed
    assert leaked("一切正常") == []


def test_save_and_load_round_trip_and_publish(ws: Workspace) -> None:
    notice = triage_notice(ws)
    before = ws.count("notices")  # the sample's own (its pilot year's 财务公开)
    uuid = save_notice(ws, notice)
    assert load_notice(ws, notice.notice_id) == notice
    assert notice_status(ws, notice.notice_id) is NoticeStatus.DRAFT
    assert mark_published(ws, notice) == uuid  # the same record, not a second one
    assert notice_status(ws, notice.notice_id) is NoticeStatus.PUBLISHED
    assert ws.count("notices") == before + 1
    with pytest.raises(NoticeError, match="GS-NONE"):
        load_notice(ws, "GS-NONE")


def test_objection_contact_goes_to_the_private_file_and_the_answer_is_recorded(ws: Workspace) -> None:
    notice = triage_notice(ws)
    save_notice(ws, notice)
    contact = ObjectionContact(name=CANARY_REPORTER, phone=CANARY_REPORTER_PHONE, household_id="H0002")
    uuid = record_objection(ws, notice.notice_id, dt.date(2026, 4, 3), "phone", "D002 门禁仍未修好", contact=contact)
    public = ws.records("objections")
    assert leaked(public.to_string()) == []
    private = ws.private_records("objection_contacts")
    assert private.loc[private["objection_uuid"] == uuid, ["name", "phone"]].values.tolist() == [
        [CANARY_REPORTER, CANARY_REPORTER_PHONE]
    ]
    assert CANARY_REPORTER not in repr(contact)
    answer_objection(ws, uuid, "已复查，门禁于4月4日修好。", dt.date(2026, 4, 4))
    row = objections(ws, notice.notice_id).iloc[0]
    assert (row["status"], row["reply"], str(row["replied_on"])[:10]) == (
        ObjectionStatus.ANSWERED,
        "已复查，门禁于4月4日修好。",
        "2026-04-04",
    )
    # the objector's name now is private data: a notice may not repeat it
    assert CANARY_REPORTER in publication_gate(ws).private_strings


@pytest.mark.parametrize(
    ("notice_id", "channel", "summary", "reason"),
    [
        ("GS-NONE", "phone", "意见", "notice.unknown_notice"),
        (None, "wechat", "意见", "notice.invalid_channel"),
        (None, "visit", "  ", "notice.part_missing"),
    ],
)
def test_objection_refuses_bad_input_in_chinese(ws: Workspace, notice_id, channel, summary, reason) -> None:
    notice = triage_notice(ws)
    save_notice(ws, notice)
    with pytest.raises(NoticeError) as error:
        record_objection(ws, notice_id or notice.notice_id, dt.date(2026, 4, 3), channel, summary)
    assert error.value.reason == reason
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.value.message())
    assert ws.count("objections") == 0


def test_answer_refuses_an_unknown_objection_and_a_blank_reply(ws: Workspace) -> None:
    notice = triage_notice(ws)
    save_notice(ws, notice)
    uuid = record_objection(ws, notice.notice_id, dt.date(2026, 4, 3), "letter", "意见")
    with pytest.raises(NoticeError, match="没有这条异议"):
        answer_objection(ws, "no-such-uuid", "答复", dt.date(2026, 4, 4))
    with pytest.raises(NoticeError, match="不能为空"):
        answer_objection(ws, uuid, " ", dt.date(2026, 4, 4))


def test_check_public_refuses_a_canary_put_into_the_matter(ws: Workspace) -> None:
    notice = triage_notice(ws)
    for planted in (CANARY_REPORTER, CANARY_REPORTER_PHONE):
        leaky = dataclasses.replace(notice, matter=notice.matter + planted)
        with pytest.raises(NoticeError):
            check_public(leaky, publication_gate(ws))


def test_a_published_notice_stays_published(ws: Workspace) -> None:
    notice = triage_notice(ws)
    uuid = mark_published(ws, notice)
    # saved again as it is (a second click, a rerun): nothing changes, it is still published
    assert save_notice(ws, notice) == uuid and mark_published(ws, notice) == uuid
    assert notice_status(ws, notice.notice_id) is NoticeStatus.PUBLISHED
    # different content under the published number is refused, naming the number a correction takes
    changed = dataclasses.replace(notice, matter=notice.matter + "（补充）")
    with pytest.raises(NoticeError) as error:
        save_notice(ws, changed)
    assert error.value.reason == "notice.published"
    assert f"{notice.notice_id}-更正1" in error.value.message() and "已于2026年4月1日发布" in error.value.message()
    assert load_notice(ws, notice.notice_id) == notice and notice_status(ws, notice.notice_id) is NoticeStatus.PUBLISHED
    # the correction is a notice of its own, and the next correction takes the next number
    correction = dataclasses.replace(changed, notice_id=correction_id(ws, notice.notice_id))
    assert save_notice(ws, correction) != uuid
    assert correction_id(ws, notice.notice_id) == f"{notice.notice_id}-更正2"


def test_a_draft_is_replaced_and_a_review_is_not_undone(ws: Workspace) -> None:
    notice = triage_notice(ws)
    uuid = save_notice(ws, notice)
    save_notice(ws, notice, status=NoticeStatus.REVIEWED)
    assert save_notice(ws, notice) == uuid  # the same content saved as a draft again keeps its review
    assert notice_status(ws, notice.notice_id) is NoticeStatus.REVIEWED
    changed = dataclasses.replace(notice, contact="社区居委会 王主任")
    assert save_notice(ws, changed) == uuid  # new content: the draft is replaced, and needs a review again
    assert load_notice(ws, notice.notice_id) == changed
    assert notice_status(ws, notice.notice_id) is NoticeStatus.DRAFT


def test_a_vote_notice_is_a_notice_like_the_others(ws: Workspace) -> None:
    """The 公示 of vote V01, published: rebuilt alike it stays published; objections use the one register."""
    count_vote(ws, "V01", counted_at=dt.datetime(2026, 6, 1, 20, 0))
    day = dt.date(2026, 6, 2)
    published = decision_notice(ws, "V01", **SAMPLE_OFFICE, start_on=day)
    uuid = mark_published(ws, published)
    stored = load_notice(ws, "GS-V01")
    assert stored == published and stored.kind == NoticeKind.DECISION and stored.subject_id == "V01"
    assert save_notice(ws, decision_notice(ws, "V01", **SAMPLE_OFFICE, start_on=day)) == uuid
    assert notice_status(ws, "GS-V01") is NoticeStatus.PUBLISHED
    with pytest.raises(NoticeError, match="GS-V01-更正1"):
        save_notice(ws, decision_notice(ws, "V01", **SAMPLE_OFFICE, start_on=day + dt.timedelta(days=1)))
    contact = ObjectionContact(name=CANARY_REPORTER, household_id="H0002")
    objection = record_objection(ws, "GS-V01", day, "visit", "希望公布各楼栋票数", contact=contact)
    assert objections(ws, "GS-V01")["uuid"].tolist() == [objection]
    assert leaked(objections(ws, "GS-V01").to_string()) == []
