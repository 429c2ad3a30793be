"""The 接龙 parser: realistic WeChat chains into ballots plus lines for a person to check."""

from __future__ import annotations

import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.votes import YES_NO_ABSTAIN_OPTIONS, BallotKind, Electorate, screen_ballots
from cogov_toolkit.core.votes.jielong import JielongRoll, LineProblem, normalise, parse_jielong

OPTIONS = YES_NO_ABSTAIN_OPTIONS  # 赞成, 反对, 弃权


@pytest.fixture(name="roll")
def fixture_roll() -> JielongRoll:
    """Building 5: units 1–2, rooms 101/201/301 and 302; building 6: unit 1, room 101."""
    rows = [
        {"household_id": f"H5{unit}{room}", "building_no": 5, "unit": unit, "room": str(room)}
        for unit in (1, 2)
        for room in (101, 201, 301)
    ]
    rows.append({"household_id": "H52302", "building_no": 5, "unit": 2, "room": "302"})
    rows.append({"household_id": "H61101", "building_no": 6, "unit": 1, "room": "101"})
    return JielongRoll.from_rows(rows)


@pytest.mark.parametrize(
    ("line", "household", "choice"),
    [
        ("12. 5栋2单元301 赞成", "H52301", "赞成"),
        ("13、5栋2单元302 反对", "H52302", "反对"),
        ("１４．５栋２单元３０１室　弃权", "H52301", "弃权"),  # full-width digits, dot and space
        ("15) 5-1-101 赞成", "H51101", "赞成"),
        ("16. 5号楼1门201 反对", "H51201", "反对"),
        ("17，5幢2单元301室 赞成👍", "H52301", "赞成"),
        ("18. 6栋101 赞成", "H61101", "赞成"),  # one unit: the room alone is enough
        ("19. 5栋2单元302王阿姨 赞成", "H52302", "赞成"),  # a name after the address
        ("20 5#2-302 弃权", "H52302", "弃权"),
        ("21. H51301 反对", "H51301", "反对"),  # household id
        ("22：5—1—301 赞成", "H51301", "赞成"),  # long dashes, full-width colon
        ("23. 5栋2单元0301 赞成", "H52301", "赞成"),  # leading zero in the room
    ],
)
def test_one_numbered_reply_becomes_one_ballot(roll: JielongRoll, line: str, household: str, choice: str) -> None:
    result = parse_jielong(line, roll, OPTIONS)
    assert result.to_check == ()
    assert [(b.household_id, b.choice) for b in result.ballots] == [(household, choice)]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("收到，谢谢大家", LineProblem.NOT_NUMBERED),
        ("@所有人 请5栋的住户今晚前接龙", LineProblem.NOT_NUMBERED),
        ("3. 好的", LineProblem.NO_ADDRESS),
        ("3. 我家住5楼 赞成", LineProblem.NO_ADDRESS),  # 5楼 is a floor, not building 5
        ("4. 9栋1单元101 赞成", LineProblem.UNKNOWN_BUILDING),
        ("5. 5栋3单元101 赞成", LineProblem.NOT_ON_ROLL),
        ("6. 5栋201 赞成", LineProblem.AMBIGUOUS_ADDRESS),  # units 1 and 2 both have a 201
        ("7. 5栋2单元 赞成", LineProblem.AMBIGUOUS_ADDRESS),  # no room
        ("8. 5栋2单元301", LineProblem.NO_OPTION),
        ("9. 5栋2单元301 不赞成", LineProblem.NEGATION),  # a person decides what 不赞成 means
        ("10. 5栋2单元301 赞成 反对", LineProblem.SEVERAL_OPTIONS),
    ],
)
def test_lines_that_cannot_be_read_for_sure_go_to_a_person(roll: JielongRoll, line: str, problem: LineProblem) -> None:
    result = parse_jielong(line, roll, OPTIONS)
    assert result.ballots == ()
    assert [(c.problem, c.text) for c in result.to_check] == [(problem, line)]
    assert i18n.t(result.to_check[0].reason) != result.to_check[0].reason  # the reason reads in Chinese


CHAIN = """#接龙
5栋2单元加装电梯意见征集，请按格式接龙：序号. 楼栋单元房号 意见

1. 5栋2单元301 赞成
2. 5栋2单元302 反对
3. 5栋1单元101 赞成
大家踊跃参与哈
4. 5栋2单元301 改为反对
5. 5栋1单元101 赞成
6. 5栋2单元302 赞成
7. 5栋1单元201 更正：弃权
8. 9栋1单元101 赞成
1. 5栋2单元301 赞成
2. 5栋2单元302 反对
"""


def test_a_whole_chain_with_edits_duplicates_strays_and_a_second_paste(roll: JielongRoll) -> None:
    result = parse_jielong(CHAIN, roll, OPTIONS)
    ballots = {b.household_id: (b.number, b.choice, b.correction) for b in result.ballots}
    assert ballots == {
        "H52301": (4, "反对", True),  # "改为反对" replaced reply 1
        "H52302": (2, "反对", False),  # reply 6 changes the choice without saying so: for a person
        "H51101": (3, "赞成", False),  # reply 5 repeats reply 3
        "H51201": (7, "弃权", True),  # a correction with nothing before it is just a reply
    }
    assert [b.number for b in result.replaced] == [1]
    problems = [(c.problem, c.household_id) for c in result.to_check]
    assert problems == [
        (LineProblem.NOT_NUMBERED, None),  # the instruction line
        (LineProblem.NOT_NUMBERED, None),  # 大家踊跃参与哈
        (LineProblem.DUPLICATE, "H51101"),
        (LineProblem.CONFLICT, "H52302"),
        (LineProblem.UNKNOWN_BUILDING, None),
    ]
    assert result.repeated_lines == 2  # the chain pasted again: lines 1 and 2 once more, dropped


def test_nothing_is_counted_twice(roll: JielongRoll) -> None:
    result = parse_jielong(CHAIN + CHAIN, roll, OPTIONS)
    voters = [b.household_id for b in result.ballots]
    assert len(voters) == len(set(voters)) == 4
    screened = screen_ballots(
        result.raw_ballots(), sorted(roll.household_ids), OPTIONS, Electorate.HOUSEHOLDS, kind=BallotKind.YES_NO_ABSTAIN
    )
    assert screened.n_ballots == 4 and screened.set_aside == ()


@pytest.mark.parametrize("mark", ["改为", "改成", "更正：", "更正:", "修改为", "改投"])
def test_correction_marks(roll: JielongRoll, mark: str) -> None:
    text = f"1. 5-2-301 赞成\n2. 5-2-301 {mark}弃权"
    result = parse_jielong(text, roll, OPTIONS)
    assert [(b.household_id, b.choice, b.correction) for b in result.ballots] == [("H52301", "弃权", True)]
    assert result.to_check == ()


def test_correction_in_one_reply_takes_the_option_after_the_mark(roll: JielongRoll) -> None:
    result = parse_jielong("1. 5-2-301 赞成，改为反对", roll, OPTIONS)
    assert [(b.choice, b.correction) for b in result.ballots] == [("反对", True)]


def test_the_word_for_renovation_is_not_a_correction(roll: JielongRoll) -> None:
    text = "1. 5-2-301 赞成\n2. 5-2-301 支持改造，赞成"
    result = parse_jielong(text, roll, OPTIONS)
    assert [(b.number, b.correction) for b in result.ballots] == [(1, False)]
    assert [c.problem for c in result.to_check] == [LineProblem.DUPLICATE]


def test_design_options_longest_name_first(roll: JielongRoll) -> None:
    options = ("花园", "口袋花园", "休闲座椅")
    result = parse_jielong("1. 5-2-301 口袋花园\n2. 5-2-302 花园", roll, options)
    assert [b.choice for b in result.ballots] == ["口袋花园", "花园"]


def test_normalise_makes_full_width_text_half_width() -> None:
    assert normalise("１２．　５栋（２）") == "12. 5栋(2)"


def test_ballot_refs_name_the_reply_not_the_household(roll: JielongRoll) -> None:
    result = parse_jielong("12. 5栋2单元301 赞成", roll, OPTIONS)
    assert [r.ref for r in result.raw_ballots()] == ["接龙#12"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("1. 5栋2单元301 不太赞成", LineProblem.NEGATION),
        ("1. 5栋2单元301 没有反对意见", LineProblem.NEGATION),
        ("1. 5栋2单元301 不再反对", LineProblem.NEGATION),
        ("1. 5栋2单元301 撤销", LineProblem.WITHDRAWN),
        ("1. 5栋2单元301 赞成，帮302投赞成", LineProblem.PROXY),
        ("1. X栋X单元XXX 赞成", LineProblem.EXAMPLE),
        ("例 5栋2单元301 赞成", LineProblem.EXAMPLE),
    ],
)
def test_new_kinds_of_line_go_to_a_person(roll: JielongRoll, line: str, problem: LineProblem) -> None:
    result = parse_jielong(line, roll, OPTIONS)
    assert result.ballots == ()
    assert [c.problem for c in result.to_check] == [problem]


def test_one_reply_for_two_households_gives_two_ballots_with_their_own_refs(roll: JielongRoll) -> None:
    result = parse_jielong("7. 5栋2单元301、302 赞成", roll, OPTIONS)
    assert [(b.household_id, b.choice) for b in result.ballots] == [("H52301", "赞成"), ("H52302", "赞成")]
    assert [r.ref for r in result.raw_ballots()] == ["接龙#7", "接龙#7-2"]


def test_a_withdrawal_removes_the_earlier_ballot_and_is_listed(roll: JielongRoll) -> None:
    result = parse_jielong("1. 5-2-301 赞成\n2. 5-2-301 撤回", roll, OPTIONS)
    assert result.ballots == ()
    assert [(b.number, b.household_id) for b in result.withdrawn] == [(1, "H52301")]
    assert [(c.problem, c.household_id) for c in result.to_check] == [(LineProblem.WITHDRAWN, "H52301")]
