"""Reading a WeChat group 接龙 (numbered chain of replies) into ballots.

A 接龙 pasted from a group chat looks like::

    #接龙 5栋北侧边角地改造投票
    1. 5栋2单元301 口袋花园
    2、５栋２０１　休闲座椅
    3. 5-2-302 儿童游乐
    4. 5栋2单元301 改为休闲座椅
    收到，谢谢大家

:func:`parse_jielong` turns each numbered reply into a :class:`JielongBallot`
(household matched against a :class:`JielongRoll`, one option), and every line
it cannot read with certainty into a :class:`LineToCheck` with its reason, for a
person to look at. Nothing is counted twice: a line repeated when the chain was
pasted again is dropped, a later reply marked as a correction ("改为反对",
"更正：反对") replaces the earlier one of the same household, and a second
unmarked reply of a household is listed for checking, not counted.

Lines people really write, and what becomes of them:

- an option under a negation anywhere in its clause ("不太赞成", "不再反对",
  "没有反对意见", "不是不赞成") goes to a person (:attr:`LineProblem.NEGATION`),
  unless the same reply names another option plainly ("赞成，不反对" is 赞成);
- "撤销" / "撤回" / "取消" withdraws the household's earlier vote
  (:attr:`JielongResult.withdrawn`, and the line is listed so a person sees it);
- one reply naming several households ("301、302 赞成", "5-2-601、5-2-602 弃权")
  gives one ballot each when every one is on the roll, else the line goes to a person;
- a vote cast for someone else ("帮302投", "代…投", "替邻居…") is listed, never counted;
- two replies run together because a line break was lost ("… 反对 3. 3栋…") are read as two;
- the organiser's example ("例 5栋2单元301 赞成", "格式：…", "X栋X单元XXX") is listed, never counted.

Pure: stdlib only, so the parser is tested on text with no workspace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cogov_toolkit.core.votes.ballots import RawBallot

# words that mark a reply as a correction of the same household's earlier reply
# (not a bare 改: it is also in 改造, the word for the renovation being voted on)
_CORRECTION = re.compile(r"(?:更正|修改为|修改成|更改为|改选|改投|改为|改成)\s*[:：]?\s*")
# "12. ", "13、", "14)", "15:" — the number WeChat puts before each reply (after NFKC)
_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*(?:[.、,，)）:]|\s)\s*(.*)$")
# 5-2-301 / 5—2—301 (building-unit-room)
_DASHED = re.compile(r"(\d{1,3})\s*[-－—_/]\s*(\d{1,2})\s*[-－—_/]\s*(\d{2,4})")
# 5栋2单元301室, 5号楼2门301, 5幢201, 5栋2单元, 5#2-301 (not 5楼: that is the 5th floor)
_WORDED = re.compile(r"(\d{1,3})\s*(?:号楼|栋|幢|#)\s*(?:(\d{1,2})\s*(?:单元|门|-))?\s*(?:(\d{2,4})\s*(?:室|号)?)?")
_HEADER = re.compile(r"^\s*#?\s*接龙")
# the organiser's example: "例 …", "格式：…", "例如：…", or placeholders such as X栋X单元XXX
_EXAMPLE = re.compile(r"^(?:\d{1,4}\s*[.、,)]\s*)?(?:例如|例子|示例|举例|范例|样例|格式|例)")
_PLACEHOLDER = re.compile(r"[Xx×]+\s*(?:号楼|栋|幢|单元|室|楼|#|-)|(?:某|几)\s*(?:号楼|栋|幢|单元)")
# more rooms of the same building and unit right after an address: "301、302", "401和402"
_MORE_ROOMS = re.compile(r"\s*(?:[、,，和及与/&+])\s*(\d{3,4})(?!\d)(?:\s*(?:室|号))?")
# a household id written in the reply (H0118)
_HOUSEHOLD_ID = re.compile(r"(?<![A-Za-z])[A-Za-z]+\d+")
# a vote cast for someone else: 帮…投, 代…投, 替楼下…报, 替邻居…, 委托
_PROXY = re.compile(
    r"代投|代填|代为|委托|(?:帮|替|代)[^，,。；;!?]{0,14}?(?:投|表决|接龙|报|填|选)"
    r"|(?:帮|替|代)(?:我|他|她)?(?:邻居|对门|隔壁|楼上|楼下|家人|父母|老人|爸|妈|爷|奶|公公|婆婆)"
)
# a withdrawn vote
_WITHDRAW = re.compile(r"撤销|撤回|取消|作废|收回")
# a negation in the clause before an option (非常 "very" is not one)
_NEGATION = re.compile(r"不|没|无|未|别|勿|莫|非(?!常)")
# what ends a clause: the negation of one clause does not reach into the next
_CLAUSE_END = re.compile(r"[，,。;；!！?？、:：]")


class LineProblem(StrEnum):
    """Why a line needs a person's look (i18n keys ``vote.jielong.<value>``)."""

    NOT_NUMBERED = "not_numbered"  #: chat text, not a numbered reply
    NO_ADDRESS = "no_address"  #: numbered, but names no building/room or household id
    UNKNOWN_BUILDING = "unknown_building"  #: the building is not in this vote's roll
    NOT_ON_ROLL = "not_on_roll"  #: the building is known but the room or unit is not
    AMBIGUOUS_ADDRESS = "ambiguous_address"  #: several households fit (e.g. unit or room missing)
    NO_OPTION = "no_option"  #: no option of the vote in the reply
    SEVERAL_OPTIONS = "several_options"  #: more than one option and no correction mark
    DUPLICATE = "duplicate"  #: the household replied before with the same choice
    CONFLICT = "conflict"  #: the household replied before with another choice, not marked as a correction
    NEGATION = "negation"  #: an option under a negation (不太赞成, 没有反对意见): a person decides what it means
    WITHDRAWN = "withdrawn"  #: the household withdrew its vote (撤销): listed so that a person sees it
    PROXY = "proxy"  #: cast for someone else (帮…投, 代…投): only a household itself may vote
    EXAMPLE = "example"  #: the organiser's example line (例 …, X栋X单元XXX): never a vote

    @property
    def key(self) -> str:
        """The i18n key of the reason."""
        return f"vote.jielong.{self.value}"


@dataclass(frozen=True)
class Address:
    """A household address as written in a reply: building number, unit and room (unit/room may be missing)."""

    building: int
    unit: int | None = None
    room: str | None = None


@dataclass(frozen=True)
class JielongRoll:
    """Who may reply: addresses (building number, unit, room) and household ids of the vote's roll.

    Parameters
    ----------
    addresses : mapping of (int, int, str) to str
        ``(building number, unit, room) -> household_id``; building 5 is "5栋", "5号楼", "B05".
    """

    addresses: Mapping[tuple[int, int, str], str]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> JielongRoll:
        """Build the roll from household rows with ``household_id``, ``building_no``, ``unit`` and ``room``."""
        return cls(
            {
                (int(str(r["building_no"])), int(str(r["unit"])), _room(str(r["room"]))): str(r["household_id"])
                for r in rows
            }
        )

    @property
    def household_ids(self) -> frozenset[str]:
        """Every household id on the roll."""
        return frozenset(self.addresses.values())

    def find(self, address: Address) -> tuple[str, ...]:
        """Return the household ids that fit ``address`` (none, one, or several when it is incomplete)."""
        return tuple(
            sorted(
                hid
                for (building, unit, room), hid in self.addresses.items()
                if building == address.building
                and (address.unit is None or unit == address.unit)
                and (address.room is None or room == address.room)
            )
        )

    def has_building(self, building: int) -> bool:
        """Return True when some household of the roll lives in building number ``building``."""
        return any(key[0] == building for key in self.addresses)


@dataclass(frozen=True)
class JielongBallot:
    """One reply read as a ballot: the line it came from, the household and the option."""

    line_no: int
    number: int
    household_id: str
    choice: str
    text: str
    correction: bool = False
    part: int = 0  #: which household of a reply naming several (0 for the first)

    def raw(self) -> RawBallot:
        """Return the reply as a :class:`RawBallot` (ref ``接龙#<number>``, ``接龙#<number>-2`` …) for screening."""
        ref = f"接龙#{self.number}" if self.part == 0 else f"接龙#{self.number}-{self.part + 1}"
        return RawBallot(ref, self.household_id, self.choice)


@dataclass(frozen=True)
class LineToCheck:
    """A line the parser did not count, with why (``problem``) and, when known, its household."""

    line_no: int
    text: str
    problem: LineProblem
    household_id: str | None = None

    @property
    def reason(self) -> str:
        """The i18n key of the reason."""
        return self.problem.key


@dataclass(frozen=True)
class JielongResult:
    """What a 接龙 text gave: ballots (one per household), replaced and withdrawn replies, and lines to check."""

    ballots: tuple[JielongBallot, ...]
    to_check: tuple[LineToCheck, ...]
    replaced: tuple[JielongBallot, ...] = ()
    repeated_lines: int = 0
    withdrawn: tuple[JielongBallot, ...] = ()

    def raw_ballots(self) -> tuple[RawBallot, ...]:
        """Return the ballots as RawBallots, in reply order."""
        return tuple(b.raw() for b in self.ballots)


def normalise(text: str) -> str:
    """Return ``text`` with full-width digits, letters and punctuation made half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()


def parse_jielong(text: str, roll: JielongRoll, options: Sequence[str]) -> JielongResult:
    """Read a pasted 接龙 into ballots and lines that need a person's look.

    Parameters
    ----------
    text : str
        The chain as copied from the group chat (several pastes of the same chain are fine).
    roll : JielongRoll
        The vote's roll: which addresses are which households.
    options : sequence of str
        The vote's options, as on the ballot (e.g. 赞成, 反对, 弃权).

    Returns
    -------
    JielongResult
        ``ballots``: one per household (a marked correction replaces the earlier reply);
        ``to_check``: every other non-blank line with a :class:`LineProblem` (the chain's
        ``#接龙`` title and lines repeated by a second paste aside);
        ``replaced``: the earlier replies that corrections replaced;
        ``withdrawn``: the replies their households withdrew.
    """
    tally = _Tally(tuple(normalise(o) for o in options))
    for line_no, raw_line in enumerate(text.splitlines(), start=1):
        line = normalise(raw_line)
        shown = raw_line.strip()
        if not line or _HEADER.match(line):
            continue
        if _EXAMPLE.match(line) or _PLACEHOLDER.search(line):
            tally.check(line_no, shown, LineProblem.EXAMPLE)
            continue
        match = _NUMBERED.match(line)
        if not match:
            tally.check(line_no, shown, LineProblem.NOT_NUMBERED)
            continue
        for number, body in _replies(int(match.group(1)), match.group(2)):
            tally.reply(line_no, number, body, shown, roll)
    return tally.result()


@dataclass(frozen=True)
class _Votes:
    """A reply read for sure: (household, option) pairs, and whether it is marked as a correction."""

    votes: tuple[tuple[str, str], ...]
    correction: bool


@dataclass(frozen=True)
class _Withdrawal:
    """A reply withdrawing the votes of its households."""

    households: tuple[str, ...]


class _Tally:
    """The replies read so far: kept ballots by household, and everything else."""

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options
        self.kept: dict[str, JielongBallot] = {}
        self.replaced: list[JielongBallot] = []
        self.withdrawn: list[JielongBallot] = []
        self.to_check: list[LineToCheck] = []
        self.seen: set[tuple[int, str]] = set()
        self.repeated = 0

    def check(self, line_no: int, text: str, problem: LineProblem, household: str | None = None) -> None:
        self.to_check.append(LineToCheck(line_no, text, problem, household))

    def reply(self, line_no: int, number: int, body: str, shown: str, roll: JielongRoll) -> None:
        if (number, body) in self.seen:  # the same reply again: the chain was pasted twice
            self.repeated += 1
            return
        self.seen.add((number, body))
        reading = _read_reply(body, roll, self.options)
        if isinstance(reading, tuple):
            self.check(line_no, shown, *reading)
        elif isinstance(reading, _Withdrawal):
            for household in reading.households:
                earlier = self.kept.pop(household, None)
                if earlier is not None:
                    self.withdrawn.append(earlier)
            self.check(line_no, shown, LineProblem.WITHDRAWN, reading.households[0])
        else:
            for part, (household, choice) in enumerate(reading.votes):
                ballot = JielongBallot(line_no, number, household, choice, shown, reading.correction, part)
                self._add(ballot)

    def _add(self, ballot: JielongBallot) -> None:
        earlier = self.kept.get(ballot.household_id)
        if earlier is None:
            self.kept[ballot.household_id] = ballot
        elif ballot.correction:
            self.replaced.append(earlier)
            self.kept[ballot.household_id] = ballot
        else:
            problem = LineProblem.DUPLICATE if earlier.choice == ballot.choice else LineProblem.CONFLICT
            self.check(ballot.line_no, ballot.text, problem, ballot.household_id)

    def result(self) -> JielongResult:
        ballots = tuple(sorted(self.kept.values(), key=lambda b: (b.line_no, b.number, b.part)))
        return JielongResult(ballots, tuple(self.to_check), tuple(self.replaced), self.repeated, tuple(self.withdrawn))


def _replies(number: int, body: str) -> list[tuple[int, str]]:
    """Split a line holding several numbered replies (a lost line break: "… 反对 3. 3栋…") into replies.

    Only the next number of the chain splits a line, so "5-2-301" or "2单元" never do.
    """
    replies = []
    while True:
        following = re.search(rf"(?<![\d.]){number + 1}\s*[.、)]\s*(?=\S)", body)
        if following is None or not body[: following.start()].strip():
            break
        replies.append((number, body[: following.start()].strip()))
        number, body = number + 1, body[following.end() :]
    replies.append((number, body.strip()))
    return replies


def _read_reply(
    body: str, roll: JielongRoll, options: tuple[str, ...]
) -> _Votes | _Withdrawal | tuple[LineProblem, str | None]:
    """Return the votes of one numbered reply, its withdrawal, or why it cannot be read (and its household)."""
    if _PROXY.search(body):
        return LineProblem.PROXY, None
    found = _households(body, roll)
    if isinstance(found, LineProblem):
        return found, None
    spans, households = found
    rest = _blanked(body, spans)
    reading = _options_of(rest, spans, options)
    if _WITHDRAW.search(_blanked(rest, _option_spans(rest, options))) and not (
        isinstance(reading, list) and reading[0][1]
    ):
        return _Withdrawal(households)
    if isinstance(reading, LineProblem):
        return reading, households[0]
    correction = any(marked for _, marked in reading)
    choices = [choice for choice, _ in reading]
    if len(choices) == 1:
        choices *= len(households)
    return _Votes(tuple(zip(households, choices, strict=True)), correction)


def _households(body: str, roll: JielongRoll) -> tuple[list[tuple[int, int]], tuple[str, ...]] | LineProblem:
    """Return the spans of the households a reply names and their ids, or the first reason one cannot be found."""
    ids = roll.household_ids
    found: list[tuple[int, int, Address | str]] = [
        (m.start(), m.end(), m.group().upper()) for m in _HOUSEHOLD_ID.finditer(body) if m.group().upper() in ids
    ]
    matches = sorted(
        [*_DASHED.finditer(body), *_WORDED.finditer(body)], key=lambda m: (m.start(), -(m.end() - m.start()))
    )
    end = -1
    for match in matches:
        if match.start() < end or any(s < match.end() and match.start() < e for s, e, _ in found):
            continue
        building, unit, room = match.group(1), match.group(2), match.group(3)
        address = Address(int(building), int(unit) if unit else None, _room(room) if room else None)
        found.append((match.start(), match.end(), address))
        end = match.end()
        while room and (more := _MORE_ROOMS.match(body, end)):
            found.append((more.start(1), more.end(), Address(address.building, address.unit, _room(more.group(1)))))
            end = more.end()
    if not found:
        return LineProblem.NO_ADDRESS
    found.sort(key=lambda item: item[0])
    households = []
    for _, _, address in found:
        household = address if isinstance(address, str) else _household_at(address, roll)
        if isinstance(household, LineProblem):
            return household
        households.append(household)
    return [(s, e) for s, e, _ in found], tuple(households)


def _household_at(address: Address, roll: JielongRoll) -> str | LineProblem:
    if not roll.has_building(address.building):
        return LineProblem.UNKNOWN_BUILDING
    fits = roll.find(address)
    if not fits:
        return LineProblem.NOT_ON_ROLL
    if len(fits) > 1:
        return LineProblem.AMBIGUOUS_ADDRESS
    return fits[0]


def _blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Return ``text`` with each span replaced by spaces (positions kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _options_of(
    rest: str, spans: list[tuple[int, int]], options: tuple[str, ...]
) -> list[tuple[str, bool]] | LineProblem:
    """Return the option of each household of a reply ([one] when they share it), or why there is none.

    ``rest`` is the reply with its addresses blanked out. When only the text after the
    last address (or before the first) names options, the households share it; when the
    text between addresses does too, each household has its own.
    """
    between = [rest[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    if not any(_option_spans(text, options) for text in between):
        reading = _option(rest, options)
        return reading if isinstance(reading, LineProblem) else [reading]
    own = [rest[: spans[1][0]], *between[1:], rest[spans[-1][1] :]]
    readings = [_option(text, options) for text in own]
    problem = next((r for r in readings if isinstance(r, LineProblem)), None)
    return problem if problem is not None else readings  # type: ignore[return-value]


def _option(rest: str, options: tuple[str, ...]) -> tuple[str, bool] | LineProblem:
    """Return the option a reply chose and whether it is marked as a correction."""
    for mark in reversed(list(_CORRECTION.finditer(rest))):
        # "赞成，改为反对": what follows the last correction mark is the answer
        after = rest[mark.end() :]
        if _option_spans(after, options):
            return _one_option(after, options, correction=True)
    return _one_option(rest, options, correction=False)


def _one_option(text: str, options: tuple[str, ...], *, correction: bool) -> tuple[str, bool] | LineProblem:
    occurrences = _occurrences(text, options)
    named = list(dict.fromkeys(option for option, negated in occurrences if not negated))
    if len(named) == 1:
        return named[0], correction
    if named:
        return LineProblem.SEVERAL_OPTIONS
    return LineProblem.NEGATION if occurrences else LineProblem.NO_OPTION


def _option_spans(text: str, options: tuple[str, ...]) -> list[tuple[int, int]]:
    """Return where options are named in ``text``, longest option first (an option inside another is not read)."""
    spans: list[tuple[int, int]] = []
    remaining = text
    for option in sorted(options, key=len, reverse=True):
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(option), remaining)]
        spans += found
        remaining = _blanked(remaining, found)
    return sorted(spans)


def _occurrences(text: str, options: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Return each option named in ``text`` and whether a negation stands before it in its clause.

    "不赞成", "不太赞成", "没有反对意见", "不是不赞成": a person decides what they mean
    ("不反对" may be 赞成 or 弃权); the negation of one clause does not reach the next
    ("没意见，赞成" is 赞成).
    """
    found = []
    for start, end in _option_spans(text, options):
        before = text[:start]
        ends = list(_CLAUSE_END.finditer(before))
        clause = before[ends[-1].end() :] if ends else before
        found.append((text[start:end], bool(_NEGATION.search(clause))))
    return found


def _room(room: str) -> str:
    """Return a room number as the roll spells it ("0301" and "301" are the same room)."""
    return room.strip().lstrip("0") or "0"


__all__ = [
    "LineProblem",
    "Address",
    "JielongRoll",
    "JielongBallot",
    "LineToCheck",
    "JielongResult",
    "normalise",
    "parse_jielong",
]
