"""Votes in the workspace, on the sample community: ballots stored privately, imported, screened, counted, recounted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.core.votes import RawBallot, RuleParams
from cogov_toolkit.core.votes.jielong import LineProblem
from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.errors import CogovError, MissingColumnsError, NoticeError, ValidationError, VoteError
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.notices import ObjectionContact, decision_notice, record_objection, save_notice
from cogov_toolkit.workflows.votes import (
    Channel,
    Step,
    count_vote,
    create_vote,
    get_vote,
    import_ballots,
    record_ballots,
    record_jielong,
    record_show_of_hands,
    record_step,
    recount_vote,
    roll_for,
    set_aside_sources,
    stored_ballots,
    turnout_by_building,
)
from tests.canaries import CANARY_NAME, CANARY_PHONE

BALLOTS_CSV = sample_data_dir() / "ballots.csv"
IDLE_PLOT = ("口袋花园", "休闲座椅", "儿童游乐")


@pytest.fixture(name="ws", scope="module")
def fixture_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("表决")
    ws = open_workspace(build_sample_workspace(folder / "幸福社区.gpkg"), backups=0)
    ws.add_private("people", [{"household_id": "H9999", "name": CANARY_NAME, "phone": CANARY_PHONE}])
    yield ws
    ws.close()


def _by_source(ws: Workspace, result) -> dict[str, str]:
    """Set-aside ballots by their source reference (private), checking that the result names only random refs."""
    assert all(s.ref.startswith("BR-") and len(s.ref) == 13 for s in result.set_aside)
    table = set_aside_sources(ws, result)
    return dict(zip(table["source_ref"], table["reason"], strict=True))


def _idle_plot_vote(ws: Workspace, vote_id: str) -> None:
    create_vote(
        ws, vote_id, "5栋北侧边角地（P01）改造成什么？", IDLE_PLOT, rule="plurality",
        scope_type="neighbourhood", scope_id="N1", opens_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 5, 24),
    )  # fmt: skip


def test_a_vote_round_trips_with_its_steps(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T01")
    record_step(ws, "T01", Step.REPRESENTATIVES_DECISION, dt.date(2026, 5, 25))
    record_step(ws, "T01", Step.COMMITTEES_DISCUSSION, dt.date(2026, 5, 2), "两委联席会")
    vote = get_vote(ws, "T01")
    assert vote.options == IDLE_PLOT and vote.scope_id == "N1" and vote.status == "open"
    assert [(s.step, s.on) for s in vote.steps] == [
        (Step.COMMITTEES_DISCUSSION, dt.date(2026, 5, 2)),
        (Step.REPRESENTATIVES_DECISION, dt.date(2026, 5, 25)),
    ]
    with pytest.raises(CogovError, match="没有表决"):
        get_vote(ws, "没有这个")


def test_the_roll_follows_the_scope(ws: Workspace) -> None:
    households = pd.read_csv(sample_data_dir() / "households.csv")
    assert len(roll_for(ws, "V02")) == len(households)  # the whole 社区
    n1 = roll_for(ws, "V01")
    assert set(n1["neighbourhood_id"]) == {"N1"} and 0 < len(n1) < len(households)
    unit = roll_for(ws, "V03")  # owners of 5栋2单元
    assert sorted(unit["household_id"]) == [f"H{n:04d}" for n in range(129, 143)]


def test_ballots_keep_the_household_in_the_private_file_only(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T02")
    record_ballots(ws, "T02", [RawBallot("纸质#1", "H0133", "口袋花园")], Channel.PAPER)
    public = ws.records("ballots")
    row = public[public["vote_id"] == "T02"]
    assert len(row) == 1 and "household_id" not in public.columns
    assert "H0133" not in row.to_json(force_ascii=False)
    links = ws.private_records("ballot_links")
    assert links.loc[links["ballot_uuid"] == row["uuid"].iloc[0], "household_id"].tolist() == ["H0133"]
    # the same paper ballot typed again is stored once
    record_ballots(ws, "T02", [RawBallot("纸质#1", "H0133", "口袋花园")], Channel.PAPER)
    assert len(stored_ballots(ws, "T02")) == 1


def test_the_sample_csv_imports_and_its_messy_rows_are_set_aside(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T03")
    report = import_ballots(ws, "T03", BALLOTS_CSV, source_vote_id="V01")
    assert (report.read, report.stored) == (350, 350)
    assert import_ballots(ws, "T03", BALLOTS_CSV, source_vote_id="V01").stored == 0  # imported twice: stored once
    stored = count_vote(ws, "T03")
    set_aside = _by_source(ws, stored.result)
    assert set_aside == {
        "BL0036": "vote.set_aside.not_on_roll",  # an N2 household in the N1 vote
        "BL0193": "vote.set_aside.unknown_option",  # 篮球场
        "BL0320": "vote.set_aside.duplicate",
        "BL0349": "vote.set_aside.duplicate",
    }
    assert stored.result.ballots_counted == 346
    assert sum(s for _, s in stored.result.scores) == 346
    assert get_vote(ws, "T03").status == "counted"


def test_the_messy_rows_of_the_community_vote_are_set_aside_too(ws: Workspace) -> None:
    create_vote(ws, "T11", "是否同意实施文化墙提升项目？", ("赞成", "反对", "弃权"), rule="yes_no_abstain")
    import_ballots(ws, "T11", BALLOTS_CSV, source_vote_id="V02")
    set_aside = _by_source(ws, count_vote(ws, "T11").result)
    assert set_aside == {"BL0638": "vote.set_aside.duplicate", "BL0717": "vote.set_aside.unknown_option"}  # 同意


def test_a_recount_reproduces_the_stored_result_and_refuses_changed_ballots(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T04")
    import_ballots(ws, "T04", BALLOTS_CSV, source_vote_id="V01")
    first = count_vote(ws, "T04")
    again = recount_vote(ws, "T04")
    assert again.result == first.result and again.result_data == first.result_data
    audit = json.loads(ws.records("vote_results").iloc[-1]["audit"])
    assert audit["digest"] == first.ballots.digest and audit["rule"] == "plurality"
    record_ballots(ws, "T04", [RawBallot("late", "H0001", "口袋花园")], Channel.PAPER)  # a ballot slipped in later
    with pytest.raises(VoteError, match="不一致"):
        recount_vote(ws, "T04")


def test_every_kind_of_bad_ballot_ends_in_the_set_aside_list(ws: Workspace) -> None:
    # an owner with no floor area on the roll of 5栋2单元
    ws.add("households", {"household_id": "H9801", "building_id": "B05", "unit": 2, "room": "801", "is_owner": True})
    create_vote(
        ws, "T05", "5栋2单元是否加装电梯？", ("赞成", "反对", "弃权"), rule="civil_code_278",
        electorate="owners", scope_type="unit", scope_id="B05-2",
        rule_params=RuleParams(matter="rebuild"),
    )  # fmt: skip
    raw = [
        RawBallot("b1", "H0129", "赞成"),
        RawBallot("b2", "H0130", "同意"),  # unknown option
        RawBallot("b3", "H0131", ""),  # empty
        RawBallot("b4", "H0001", "赞成"),  # not on the roll of this unit
        RawBallot("b5", "H0132", "赞成"),  # a tenant: not the owner
        RawBallot("b6", "H9801", "赞成"),  # no floor area
        RawBallot("b7", "H0129", "反对"),  # second ballot of the same unit
    ]
    record_ballots(ws, "T05", raw, Channel.PAPER)
    result = count_vote(ws, "T05").result
    assert {k: v.rsplit(".", 1)[1] for k, v in _by_source(ws, result).items()} == {
        "b2": "unknown_option",
        "b3": "blank",
        "b4": "not_on_roll",
        "b5": "not_owner",
        "b6": "missing_floor_area",
        "b7": "duplicate",
    }
    assert result.ballots_counted == 1


def test_a_ranking_with_an_option_twice_is_set_aside(ws: Workspace) -> None:
    create_vote(ws, "T06", "排序", IDLE_PLOT, rule="instant_runoff", scope_type="neighbourhood", scope_id="N1")
    record_ballots(
        ws,
        "T06",
        [RawBallot("r1", "H0001", ["口袋花园", "休闲座椅"]), RawBallot("r2", "H0002", ["口袋花园", "口袋花园"])],
        Channel.PAPER,
    )
    result = count_vote(ws, "T06").result
    assert list(_by_source(ws, result).items()) == [("r2", "vote.set_aside.repeated_option")]
    assert result.rounds and result.winners == ("口袋花园",)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_gbk_file_with_chinese_headers_imports(ws: Workspace, tmp_path: Path) -> None:
    _idle_plot_vote(ws, "T07")
    path = _write(tmp_path / "选票.csv", "票号,户号,选择\n1,H0001,口袋花园\n2,H0002,儿童游乐\n", "gbk")
    assert import_ballots(ws, "T07", path).stored == 2
    assert sorted(b.choice for b in stored_ballots(ws, "T07")) == ["儿童游乐", "口袋花园"]


def test_a_malformed_file_names_row_and_column_and_stores_nothing(ws: Workspace, tmp_path: Path) -> None:
    _idle_plot_vote(ws, "T08")
    path = _write(
        tmp_path / "坏.csv",
        "ballot_id,household_id,choice,submitted_at\nA1,H0001,口袋花园,2026-05-11T09:00:00+08:00\n"
        "A2,,口袋花园,\nA3,H0003,休闲座椅,昨天下午\n",
    )
    with pytest.raises(ValidationError) as caught:
        import_ballots(ws, "T08", path)
    located = [(p.row, p.column) for p in caught.value.problems]
    assert located == [(3, "household_id"), (4, "submitted_at")]
    assert "第 3 行" in str(caught.value) and "坏.csv" in str(caught.value)
    assert stored_ballots(ws, "T08") == []
    with pytest.raises(MissingColumnsError, match="choice"):
        import_ballots(ws, "T08", _write(tmp_path / "缺列.csv", "household_id,意向\nH0001,口袋花园\n"))


def test_a_pasted_jielong_is_stored_once_and_lists_what_needs_a_look(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T09")
    text = "#接龙\n1. 5栋2单元301 口袋花园\n2. 5-1-101 儿童游乐\n3. 30栋1单元101 口袋花园\n收到\n4. 5栋2单元301 改为休闲座椅\n"
    parsed = record_jielong(ws, "T09", text)
    assert [c.problem for c in parsed.to_check] == [LineProblem.UNKNOWN_BUILDING, LineProblem.NOT_NUMBERED]
    record_jielong(ws, "T09", text)  # pasted again
    assert sorted((b.voter, b.choice) for b in stored_ballots(ws, "T09")) == [
        ("H0115", "儿童游乐"),
        ("H0133", "休闲座椅"),
    ]


def test_a_correction_in_a_later_paste_changes_the_stored_reply(ws: Workspace) -> None:
    _idle_plot_vote(ws, "T13")
    record_jielong(ws, "T13", "1. 5栋2单元301 口袋花园\n2. 5-1-101 儿童游乐")
    record_jielong(
        ws, "T13", "1. 5栋2单元301 口袋花园\n2. 5-1-101 儿童游乐\n3. 5栋2单元301 改为休闲座椅\n4. 5-2-302 休闲座椅"
    )
    stored = sorted((b.voter, b.choice) for b in stored_ballots(ws, "T13"))
    assert stored == [("H0115", "儿童游乐"), ("H0133", "休闲座椅"), ("H0134", "休闲座椅")]
    assert count_vote(ws, "T13").result.set_aside == ()


def test_turnout_by_building_counts_valid_ballots(ws: Workspace) -> None:
    table = turnout_by_building(ws, "T03")
    assert table["voters"].sum() == 346
    assert (table["turnout"] <= 1).all() and set(table["building_id"]) == set(roll_for(ws, "V01")["building_id"])


def _notice_text(notice) -> str:
    parts = [notice.title, notice.basis, notice.matter, notice.contact, notice.issuer, *notice.notes]
    parts += [*notice.table.columns, *(c for row in notice.table.rows for c in row)]
    return "\n".join(parts)


def test_the_decision_notice_has_figures_only(ws: Workspace) -> None:
    record_step(ws, "T03", Step.REPRESENTATIVES_DECISION, dt.date(2026, 5, 25))
    notice = decision_notice(
        ws, "T03", contact="社区居委会 李主任", office_phone="027-8888 6666", issuer="幸福社区居民委员会",
        start_on=dt.date(2026, 5, 26),
    )  # fmt: skip
    assert notice.period_days == 7 and notice.end_on == dt.date(2026, 6, 1)
    text = _notice_text(notice)
    assert "口袋花园" in text and "147" in text and "346" in text and "居民代表会议决议" in text
    people = ws.private_records("people")
    for secret in [*people["name"].dropna(), *people["phone"].dropna(), CANARY_NAME, CANARY_PHONE]:
        assert secret not in text
    assert "H0" not in text and "BL0" not in text  # no household ids, no per-ballot references
    # the search itself finds what it looks for when it is there (every part of the notice is searched)
    planted = dataclasses.replace(notice, notes=(*notice.notes, f"H0133 {CANARY_NAME} 口袋花园"))
    assert CANARY_NAME in _notice_text(planted) and "H0" in _notice_text(planted)
    save_notice(ws, notice)
    assert ws.records("notices")["notice_id"].tolist()[-1] == "GS-T03"


def test_the_notice_check_catches_a_planted_name(ws: Workspace) -> None:
    create_vote(ws, "T10", f"{CANARY_NAME}家门口的空地怎么用？", IDLE_PLOT, rule="plurality")
    record_ballots(ws, "T10", [RawBallot("1", "H0001", "口袋花园")], Channel.PAPER)
    count_vote(ws, "T10")
    with pytest.raises(NoticeError):
        decision_notice(
            ws, "T10", contact="李主任", office_phone="027-8888 6666", issuer="居委会", start_on=dt.date(2026, 6, 1)
        )
    with pytest.raises(NoticeError):  # fewer than 7 days
        decision_notice(ws, "T03", contact="李主任", office_phone="027-8888 6666", issuer="居委会",
                        start_on=dt.date(2026, 6, 1), days=5)  # fmt: skip


def test_an_objection_keeps_its_author_private(ws: Workspace) -> None:
    notice = decision_notice(
        ws, "T03", contact="李主任", office_phone="027-8888 6666", issuer="居委会", start_on=dt.date(2026, 5, 26)
    )
    save_notice(ws, notice)
    contact = ObjectionContact(household_id="H0133", name=CANARY_NAME)
    record_objection(ws, "GS-T03", dt.date(2026, 5, 28), "visit", "希望保留晾晒区", contact=contact)
    objections = ws.records("objections")
    assert CANARY_NAME not in objections.to_json(force_ascii=False)
    assert CANARY_NAME in ws.private_records("objection_contacts")["name"].tolist()


def test_a_show_of_hands_at_the_representatives_meeting_is_counted_and_recounted(ws: Workspace) -> None:
    create_vote(ws, "T12", "是否同意P01改造为口袋花园？", ("赞成", "反对", "弃权"), rule="representatives",
                electorate="representatives")  # fmt: skip
    with pytest.raises(CogovError, match="同意"):
        record_show_of_hands(ws, "T12", {"同意": 20}, members=30, present=25)
    record_show_of_hands(ws, "T12", {"赞成": 16, "反对": 5, "弃权": 4}, members=30, present=25)
    result = count_vote(ws, "T12").result
    assert result.passed is True and result.scores == (("赞成", 16), ("反对", 5), ("弃权", 4))
    assert [c.met for c in result.checks] == [True, True]  # 25/30 >= 2/3 present; 16/25 > 1/2
    assert recount_vote(ws, "T12").result == result
    record_show_of_hands(ws, "T12", {"赞成": 12, "反对": 9, "弃权": 4}, members=30, present=25)
    assert count_vote(ws, "T12").result.passed is False  # 12 of 25 present is not more than half


def test_building_numbers_come_from_the_label_then_the_id() -> None:
    from cogov_toolkit.workflows.votes import _building_numbers

    labels = pd.Series(["5栋", "十栋", None, "１２栋", "3号楼2", float("nan"), "东楼"], dtype=object)
    ids = pd.Series(["B05", "B10", "B07", "B12", "B03", "B44", "EAST"], dtype=object)
    # the label's digits (full-width ones too), else the id's, else -1
    assert _building_numbers(labels, ids) == [5, 10, 7, 12, 32, 44, -1]
    assert _building_numbers(labels[:0], ids[:0]) == []


def test_the_roll_numbers_each_household_by_its_building(sample: Workspace) -> None:
    roll = roll_for(sample, create_vote(sample, "VR", "试", ["赞成", "反对", "弃权"], rule="yes_no_abstain"))
    labels = sample.layer_records("buildings", columns=["building_id", "label"]).set_index("building_id")["label"]
    expected = [int("".join(ch for ch in labels[b] if ch.isdigit())) for b in roll["building_id"]]
    assert roll["building_no"].tolist() == expected and roll["building_no"].dtype == "int64"
    assert not {"fid", "uuid", "created_at", "updated_at", "origin"} & set(roll.columns)
