"""Paper ballot entry, double entry and the live tally, driven from code as at a meeting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.ballot_entry import BallotEntry, DoubleEntry
from cogov_toolkit.widgets.tally import LiveTally
from cogov_toolkit.workflows.votes import create_vote, stored_ballots

OPTIONS = ("口袋花园", "休闲座椅", "儿童游乐")


@pytest.fixture(name="ws", scope="module")
def fixture_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = open_workspace(build_sample_workspace(tmp_path_factory.mktemp("录入") / "幸福社区.gpkg"), backups=0)
    for vote_id in ("E1", "E2", "E3"):
        create_vote(
            ws, vote_id, "P01 改造成什么？", OPTIONS, rule="plurality", scope_type="neighbourhood", scope_id="N1"
        )
    yield ws
    ws.close()


def _type(entry: BallotEntry, text: str, option: str | None = None) -> None:
    """Type the household, click the option (if any), then press Enter: the documented flow."""
    entry.household.value = text
    if option is not None:
        entry.choice.value = option
    entry.press_enter()


def test_rows_are_saved_with_instant_feedback_and_a_running_count(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    tally = LiveTally(ws, "E1")
    tally.follow(entry)
    _type(entry, "5-2-301", "口袋花园")
    assert "已保存" in entry.message.value and "5栋2单元301" in entry.message.value  # the address, not H0133
    _type(entry, "5栋1单元101 2")  # the option typed as its number: 休闲座椅
    _type(entry, "H0001 3")
    assert "已录入 3 张" in entry.counter.value
    assert entry.household.value == "" and entry.choice.value is None  # ready for the next row
    assert sorted((b.voter, b.choice) for b in stored_ballots(ws, "E1")) == [
        ("H0001", "儿童游乐"),
        ("H0115", "休闲座椅"),
        ("H0133", "口袋花园"),
    ]
    assert tally.counts == {"口袋花园": 1, "休闲座椅": 1, "儿童游乐": 1}
    assert ">1<" in tally.board.value and "font-size:96px" in tally.board.value


def test_full_width_ime_input_saves_the_room_and_the_option(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    _type(entry, "５－２－２０１　３")  # as a Chinese IME types it, full-width digits, dash and space
    assert "✔" in entry.message.value and "5栋2单元201" in entry.message.value
    assert ("H0131", "儿童游乐") in {(b.voter, b.choice) for b in stored_ballots(ws, "E1")}


def test_leaving_the_box_never_saves_or_complains_and_enter_after_the_click_saves(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    before = len(stored_ballots(ws, "E1"))
    entry.household.value = "5-2-302"  # typed; the click on an option blurs the box: nothing happens
    assert entry.message.value == "" and len(stored_ballots(ws, "E1")) == before
    entry.choice.value = "休闲座椅"
    assert entry.message.value == ""
    entry.press_enter()
    assert "✔" in entry.message.value and len(stored_ballots(ws, "E1")) == before + 1


def test_a_double_tap_shows_the_one_confirmation(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    _type(entry, "5-1-201", "口袋花园")
    first = entry.message.value
    count = len(stored_ballots(ws, "E1"))
    entry.save_button.click()  # the second tap of a double tap: the box is empty now
    assert entry.message.value == first and "✘" not in entry.message.value
    assert len(stored_ballots(ws, "E1")) == count


@pytest.mark.parametrize(
    ("text", "option", "says"),
    [
        ("5-2-301", None, "还没有选择选项"),
        ("30-1-101", "口袋花园", "楼栋不在本次表决范围内"),
        ("5-9-101", "口袋花园", "花名册上没有这一户"),
        ("5栋201", "口袋花园", "地址不完整"),
        ("5-2-301", "儿童游乐", "已经录入过"),  # typed twice: the first stays
    ],
)
def test_mistakes_are_refused_with_a_chinese_message(ws: Workspace, text: str, option: str | None, says: str) -> None:
    entry = BallotEntry(ws, "E1")
    before = len(stored_ballots(ws, "E1"))
    _type(entry, text, option)
    assert says in entry.message.value and "✘" in entry.message.value and "color:#c0392b" in entry.message.value
    assert len(stored_ballots(ws, "E1")) == before


def test_the_save_button_saves_and_refuses_an_empty_row(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    entry.save_button.click()
    assert "请先输入住户" in entry.message.value
    entry.household.value = "5-1-202"
    entry.press_enter()  # Enter with no option: nothing saved yet
    assert "还没有选择选项" in entry.message.value
    entry.choice.value = "休闲座椅"
    entry.save_button.click()
    assert "已保存" in entry.message.value and "已录入 1 张" in entry.counter.value


def test_an_exception_inside_the_callback_is_shown_in_the_form_in_chinese(tmp_path) -> None:
    path = build_sample_workspace(tmp_path / "幸福社区.gpkg")
    ws = open_workspace(path, backups=0)
    create_vote(ws, "X1", "?", OPTIONS, rule="plurality")
    entry = BallotEntry(ws, "X1")
    ws.close()  # as after a notebook's last cell used to close it: the next Enter must say so in the form
    _type(entry, "5-2-301", "口袋花园")
    assert "✘" in entry.message.value or "cogov-message-error" in entry.message.value
    assert "工作区" in entry.message.value and "Traceback" not in entry.message.value


def test_typed_text_is_escaped_in_messages(ws: Workspace) -> None:
    entry = BallotEntry(ws, "E1")
    _type(entry, '<img src=x onerror="alert(1)">', "口袋花园")
    assert "<img" not in entry.message.value and "&lt;img" in entry.message.value


def test_double_entry_shows_differences_and_stores_only_when_both_agree(ws: Workspace) -> None:
    double = DoubleEntry(ws, "E2")
    for row in ("5-2-301 1", "5-2-302 2", "5-1-101 3"):
        _type(double.first, row)
    for row in ("5-2-301 1", "5-2-302 3"):  # one option differs, one row missing
        _type(double.second, row)
    assert stored_ballots(ws, "E2") == []  # sessions do not store
    double.compare_button.click()
    differences = double.diff()
    assert differences.values.tolist() == [["5栋1单元101", "儿童游乐", ""], ["5栋2单元302", "休闲座椅", "儿童游乐"]]
    assert "5栋2单元302" in double.differences.value and "H0134" not in double.differences.value
    double.store_button.click()
    assert stored_ballots(ws, "E2") == [] and "不一致" in double.message.value
    double.second.entered.clear()
    for row in ("5-2-301 1", "5-2-302 2", "5-1-101 3"):
        _type(double.second, row)
    assert double.store() == 3
    assert len(stored_ballots(ws, "E2")) == 3


def test_the_tally_counts_one_ballot_per_household_and_only_real_options(ws: Workspace) -> None:
    from cogov_toolkit.core.votes import RawBallot
    from cogov_toolkit.workflows.votes import Channel, record_ballots

    tally = LiveTally(ws, "E3")
    assert tally.counts == dict.fromkeys(OPTIONS, 0)
    record_ballots(
        ws,
        "E3",
        [RawBallot("1", "H0001", "口袋花园"), RawBallot("2", "H0001", "儿童游乐"), RawBallot("3", "H0002", "篮球场")],
        Channel.PAPER,
    )
    tally.refresh_button.click()
    assert tally.counts == {"口袋花园": 1, "休闲座椅": 0, "儿童游乐": 0}


def test_the_board_shows_exactly_the_figures_the_count_publishes_and_no_household(tmp_path) -> None:
    from cogov_toolkit.workflows.votes import count_vote, stored_ballots

    ws = open_workspace(build_sample_workspace(tmp_path / "幸福社区.gpkg"), backups=0)
    tally = LiveTally(ws, "V01")  # the sample's vote: duplicates, a voter off the roll, an unknown option
    counted = count_vote(ws, "V01").result
    assert tally.counts == dict(counted.scores) and tally.counted == counted.ballots_counted
    assert tally.set_aside == len(counted.set_aside) > 0
    assert f"有效票 {counted.ballots_counted} 张" in tally.board.value
    households = {b.voter for b in stored_ballots(ws, "V01")}
    assert households and not any(h in tally.board.value for h in households)
    assert "单元" not in tally.board.value and "栋" not in tally.board.value.replace(tally.vote.question, "")
    ws.close()
