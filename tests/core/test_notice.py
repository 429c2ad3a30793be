"""The notice model: default period, record round trip, and the check that nothing private is published."""

from __future__ import annotations

import datetime as dt

import pytest

from cogov_toolkit.core.notice import (
    Notice,
    NoticeTable,
    check_public,
    default_period,
)
from cogov_toolkit.core.privacy import Consent, PublicationGate, Purpose
from cogov_toolkit.errors import NoticeError

OFFICE = "0592-1234567"
GATE = PublicationGate(private_strings=["王样一〇一", "李秀英"], household_ids=["H0118"])


def _notice(**changes: object) -> Notice:
    start, end = default_period(dt.date(2026, 11, 2))
    fields = {
        "notice_id": "N01",
        "title": "关于1号地块改造方案表决结果的公示",
        "basis": "《幸福社区居民公约》第五条",
        "matter": "1号地块改为口袋花园",
        "start_on": start,
        "end_on": end,
        "contact": "社区居委会 李主任",
        "office_phone": OFFICE,
        "issuer": "幸福社区居民委员会",
        "issued_on": dt.date(2026, 11, 1),
        "kind": "decision",
        "table": NoticeTable.from_records(["选项", "票数"], [["口袋花园", 212], ["休闲座椅", 98], ["儿童游乐", None]]),
    }
    return Notice(**{**fields, **changes})


def test_default_period_is_seven_days_both_ends_included() -> None:
    start, end = default_period(dt.date(2026, 11, 2))
    assert (start, end) == (dt.date(2026, 11, 2), dt.date(2026, 11, 8))
    assert _notice().period_days == 7


def test_record_round_trip() -> None:
    notice = _notice(map_image="地图.png", notes=("如有异议请于公示期内提出",))
    assert (
        Notice.from_record({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in notice.record().items()})
        == notice
    )


def test_a_clean_notice_passes() -> None:
    check_public(_notice(), GATE)


def test_every_problem_is_listed_and_no_number_is_echoed() -> None:
    bad = _notice(
        title="",
        end_on=dt.date(2026, 11, 5),
        matter="5栋王样一〇一（电话 100-0000-0101）反映",
        table=NoticeTable.from_records(["户主", "身份证"], [["王样一〇一", "000000197001010001"]]),
    )
    with pytest.raises(NoticeError) as info:
        check_public(bad, GATE)
    reasons = [p.reason for p in info.value.problems]
    assert reasons.count("notice.part_missing") == 1
    assert "notice.period_too_short" in reasons
    assert reasons.count("privacy.leak_number") == 2  # the phone in the matter, the ID number in the table
    assert reasons.count("privacy.leak_private") == 2  # the name in the matter and in the table
    message = str(info.value)
    assert "100-0000-0101" not in message and "000000197001010001" not in message and "王样一〇一" not in message


def test_the_office_phone_is_allowed_but_only_it() -> None:
    check_public(_notice(contact=f"李主任 {OFFICE}"), GATE)
    check_public(_notice(contact="李主任 ０５９２－１２３４５６７"), GATE)  # full-width, the same number
    with pytest.raises(NoticeError):
        check_public(_notice(contact="李主任 13900001111"), GATE)
    with pytest.raises(NoticeError):
        check_public(_notice(contact="李主任 １３９ ０００ ０１１１１"), GATE)  # full-width digits and spaces


def test_rooms_and_household_ids_are_refused_and_dates_are_not_phones() -> None:
    for matter in ("5栋2单元301反映", "５－２－３０１反映", "H0118 反映"):
        with pytest.raises(NoticeError):
            check_public(_notice(matter=matter), GATE)
    check_public(_notice(matter="2026-05-25 至 2026-06-01 公示，H01180 号文件"), GATE)


def test_a_nominee_is_named_only_under_an_active_consent() -> None:
    ballot = NoticeTable.from_records(["候选人", "票数"], [["李秀英", 40]])
    with pytest.raises(NoticeError):
        check_public(_notice(table=ballot), GATE)
    consent = Consent(Purpose.NOMINEE_LIST, dt.date(2026, 10, 1), name="李秀英", withdrawn_on=dt.date(2026, 12, 1))
    consented = PublicationGate(private_strings=["李秀英"], consents=[consent])
    check_public(_notice(table=ballot), consented)  # a decision notice may name a consented nominee
    with pytest.raises(NoticeError):
        check_public(_notice(table=ballot, kind="triage_replies"), consented)  # its consent covers nominee lists only
    with pytest.raises(NoticeError):
        check_public(_notice(table=ballot, issued_on=dt.date(2026, 12, 2)), consented)  # withdrawn by then
