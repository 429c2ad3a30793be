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

    def raw(self) -> RawBallot:
        """Return the reply as a :class:`RawBallot` (ref ``接龙#<number>``) for screening."""
        return RawBallot(f"接龙#{self.number}", self.household_id, self.choice)


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
    """What a 接龙 text gave: ballots (one per household), replaced replies, and lines to check."""

    ballots: tuple[JielongBallot, ...]
    to_check: tuple[LineToCheck, ...]
    replaced: tuple[JielongBallot, ...] = ()
    repeated_lines: int = 0

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
        ``to_check``: every other non-blank line with a :class:`LineProblem`;
        ``replaced``: the earlier replies that corrections replaced.
    """
    options = tuple(normalise(o) for o in options)
    kept: dict[str, JielongBallot] = {}
    replaced: list[JielongBallot] = []
    to_check: list[LineToCheck] = []
    seen: set[tuple[int, str]] = set()
    repeated = 0
    for line_no, raw_line in enumerate(text.splitlines(), start=1):
        line = normalise(raw_line)
        if not line or _HEADER.match(line):
            continue
        match = _NUMBERED.match(line)
        if not match:
            to_check.append(LineToCheck(line_no, raw_line.strip(), LineProblem.NOT_NUMBERED))
            continue
        number, body = int(match.group(1)), match.group(2)
        if (number, body) in seen:  # the same reply again: the chain was pasted twice
            repeated += 1
            continue
        seen.add((number, body))
        reading = _read_reply(body, roll, options)
        if isinstance(reading, LineProblem):
            to_check.append(LineToCheck(line_no, raw_line.strip(), reading))
            continue
        household, choice, correction = reading
        ballot = JielongBallot(line_no, number, household, choice, raw_line.strip(), correction)
        earlier = kept.get(household)
        if earlier is None:
            kept[household] = ballot
        elif correction:
            replaced.append(earlier)
            kept[household] = ballot
        else:
            problem = LineProblem.DUPLICATE if earlier.choice == choice else LineProblem.CONFLICT
            to_check.append(LineToCheck(line_no, raw_line.strip(), problem, household))
    ballots = tuple(sorted(kept.values(), key=lambda b: b.line_no))
    return JielongResult(ballots, tuple(to_check), tuple(replaced), repeated)


def _read_reply(body: str, roll: JielongRoll, options: tuple[str, ...]) -> tuple[str, str, bool] | LineProblem:
    """Return (household, option, is_correction) of one numbered reply, or why it cannot be read."""
    found = _household(body, roll)
    if isinstance(found, LineProblem):
        return found
    household, rest = found
    chosen = _option(rest, options)
    if isinstance(chosen, LineProblem):
        return chosen
    return household, chosen[0], chosen[1]


def _household(body: str, roll: JielongRoll) -> tuple[str, str] | LineProblem:
    """Return the household a reply names and the text after its address, or why there is none."""
    ids = roll.household_ids
    for token in re.findall(r"[A-Za-z]+\d+", body):
        if token.upper() in ids:
            return token.upper(), body.replace(token, " ", 1)
    match = _DASHED.search(body) or _WORDED.search(body)
    if not match:
        return LineProblem.NO_ADDRESS
    building, unit, room = match.group(1), match.group(2), match.group(3)
    address = Address(int(building), int(unit) if unit else None, _room(room) if room else None)
    if not roll.has_building(address.building):
        return LineProblem.UNKNOWN_BUILDING
    fits = roll.find(address)
    if not fits:
        return LineProblem.NOT_ON_ROLL
    if len(fits) > 1:
        return LineProblem.AMBIGUOUS_ADDRESS
    return fits[0], body[: match.start()] + " " + body[match.end() :]


def _option(rest: str, options: tuple[str, ...]) -> tuple[str, bool] | LineProblem:
    """Return the option a reply chose and whether it is marked as a correction."""
    marks = list(_CORRECTION.finditer(rest))
    after_mark = next((m for m in reversed(marks) if _options_in(rest[m.end() :], options)), None)
    if after_mark is not None:
        # "赞成，改为反对": what follows the last correction mark is the answer
        named = _options_in(rest[after_mark.end() :], options)
        return (named[0], True) if len(named) == 1 else LineProblem.SEVERAL_OPTIONS
    named = _options_in(rest, options)
    if not named:
        return LineProblem.NO_OPTION
    if len(named) > 1:
        return LineProblem.SEVERAL_OPTIONS
    return named[0], False


def _options_in(text: str, options: tuple[str, ...]) -> list[str]:
    """Return the distinct options named in ``text``, longest first, leaving out negated ones.

    "不赞成" names no option (a person decides whether it means 反对), and the longest
    match goes first so that an option inside another option is not read twice.
    """
    named: list[str] = []
    remaining = text
    for option in sorted(options, key=len, reverse=True):
        for match in re.finditer(re.escape(option), remaining):
            if not remaining[: match.start()].rstrip().endswith("不"):
                named.append(option)
                break
        remaining = remaining.replace(option, " ")
    return named


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
