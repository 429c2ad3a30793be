"""Screening: raw ballots checked against the roll, bad ones set aside with a reason each.

Votes arrive on paper, from imported sheets and as WeChat 接龙 replies, so some
ballots come from households not on the roll, name an option that is not on the
ballot, rank an option twice, say nothing, or arrive twice. None of them is
dropped silently: :func:`screen_ballots` returns the valid ballots as a
:class:`BallotSet` whose ``set_aside`` lists every other ballot with its reason
(an i18n key ``vote.set_aside.<x>``), in the order the ballots came.

One ballot counts per household (per member for representatives, per exclusive
unit for owners): when a voter sent several readable ballots, the
:class:`DuplicatePolicy` picks which (default: the first) and the others are
set aside as duplicates. Unreadable ballots are set aside for what is wrong with
them and do not use up the voter's ballot.

Owner votes (``Electorate.OWNERS``) follow the SPC interpretation on
建筑物区分所有权 (法释〔2009〕7号, as amended 2020), Arts. 8–9:

* a unit's area is its registered area (不动产登记簿), else its surveyed area, else
  its contract area (columns ``registered_area_m2``, ``surveyed_area_m2``,
  ``contract_area_m2``);
* owners are counted one per exclusive unit, except that all units of one buyer
  (same ``owner_key``) count as one owner, and the developer's unsold or
  undelivered units (``developer_unsold``) together count as one owner;
* every unit on the roll counts in the totals (a flat let to a tenant still has
  an owner), but only a ballot from a unit whose household is the owner
  (``is_owner``) or from a developer unit is counted.

An owner's ballots from several of their units count once, with the owner's whole
area, when they agree; ballots of one owner that disagree are all set aside.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit.core.votes.ballots import AREA_SCALE, BallotSet, RawBallot, RollTotals, SetAside
from cogov_toolkit.core.votes.params import BallotKind, DuplicatePolicy, Electorate
from cogov_toolkit.errors import VoteError

#: the usual options of a yes/no/abstain ballot, in the order the rules read them
YES_NO_ABSTAIN_OPTIONS = ("赞成", "反对", "弃权")
#: area columns in order of precedence (SPC interpretation Art. 8)
AREA_COLUMNS = ("registered_area_m2", "surveyed_area_m2", "contract_area_m2")
_TRUE = {"1", "true", "yes", "y", "t", "是"}
_DEVELOPER = "d:developer"  # owner keys are "k:…" and lone units "u:…", so no clash


# --- set-aside reason codes (i18n keys) ------------------------------------------------------
NOT_ON_ROLL = "vote.set_aside.not_on_roll"
NOT_OWNER = "vote.set_aside.not_owner"
MISSING_FLOOR_AREA = "vote.set_aside.missing_floor_area"
BLANK = "vote.set_aside.blank"
UNKNOWN_OPTION = "vote.set_aside.unknown_option"
REPEATED_OPTION = "vote.set_aside.repeated_option"
TOO_MANY_CHOICES = "vote.set_aside.too_many_choices"
NOT_A_SCORE = "vote.set_aside.not_a_score"
SCORE_OUT_OF_RANGE = "vote.set_aside.score_out_of_range"
UNREADABLE = "vote.set_aside.unreadable"
DUPLICATE = "vote.set_aside.duplicate"
CONFLICTING_OWNER_BALLOTS = "vote.set_aside.conflicting_owner_ballots"
TOO_MANY_POINTS = "vote.set_aside.too_many_points"
OTHER_CHANNEL = "vote.set_aside.other_channel"
EARLIER_EDIT = "vote.set_aside.earlier_edit"
#: every reason a ballot can be set aside for
SET_ASIDE_REASONS = (
    NOT_ON_ROLL,
    NOT_OWNER,
    MISSING_FLOOR_AREA,
    BLANK,
    UNKNOWN_OPTION,
    REPEATED_OPTION,
    TOO_MANY_CHOICES,
    NOT_A_SCORE,
    SCORE_OUT_OF_RANGE,
    UNREADABLE,
    DUPLICATE,
    CONFLICTING_OWNER_BALLOTS,
    TOO_MANY_POINTS,
    OTHER_CHANNEL,
    EARLIER_EDIT,
)
_REASON_INDEX = {code: i for i, code in enumerate(SET_ASIDE_REASONS)}


def screen_ballots(
    raw_ballots: Iterable[RawBallot] | pd.DataFrame,
    roll: pd.DataFrame | Iterable[Mapping[str, Any]] | Iterable[str],
    options: Sequence[str],
    electorate: Electorate | str,
    *,
    kind: BallotKind | str,
    max_score: int | None = None,
    duplicates: DuplicatePolicy | str = DuplicatePolicy.KEEP_FIRST,
    present: int | None = None,
    max_choices: int | None = None,
    max_total: int | None = None,
) -> BallotSet:
    """Check raw ballots against the roll and return the valid ones, with the rest set aside.

    Parameters
    ----------
    raw_ballots : iterable of RawBallot, or DataFrame
        In the order they arrived. A DataFrame needs a ``choice`` column, a voter column
        (``household_id``, ``member_id`` or ``voter``) and optionally ``ballot_id`` or
        ``ref`` (else the row label is the reference).
    roll : DataFrame, iterable of mappings, or iterable of ids
        Who may vote. Households and owners: column ``household_id``; representatives:
        ``member_id`` (or ``household_id``). Owners also need the area columns
        (``registered_area_m2`` / ``surveyed_area_m2`` / ``contract_area_m2``), ``is_owner``
        and optionally ``owner_key`` and ``developer_unsold``.
    options : sequence of str
        The options on the ballot. Yes/no/abstain ballots: the three labels in the order
        yes, no, abstain (e.g. :data:`YES_NO_ABSTAIN_OPTIONS`).
    electorate : Electorate
        Who votes; ``OWNERS`` weights ballots by floor area and counts owners per Art. 278.
    kind : BallotKind
        What a ballot holds.
    max_score : int, optional
        ``score`` ballots: the highest score (scores are integers 0..max_score). ``cumulative``
        ballots: the most points one option may get (default: ``max_total``).
    duplicates : DuplicatePolicy
        Which of a voter's several readable ballots counts (default: the first).
    present : int, optional
        Representatives: members present, when attendance was recorded apart from the ballots.
    max_choices : int, optional
        ``approval`` ballots: the most options one ballot may approve (a selection of 5: 5);
        a ballot approving more is set aside (``too_many_choices``).
    max_total : int, optional
        ``cumulative`` ballots: the declared per-voter cap on points; a ballot giving more is
        set aside (``too_many_points``). Required for that kind.

    Returns
    -------
    BallotSet
        The valid ballots; ``set_aside`` lists the others as ``SetAside(ref, reason)``.
    """
    electorate = Electorate(electorate)
    kind = BallotKind(kind)
    options = tuple(str(o).strip() for o in options)
    # BallotSet checks the options and max_score; do it first so a bad call fails before the loop
    empty = np.zeros((0, 1 if kind in _SINGLE else len(options)), dtype=np.int64)
    BallotSet(kind, options, empty, max_score=max_score, max_total=max_total)
    roll_info = _read_roll(roll, electorate)
    refs, voters, choices = _read_ballots(raw_ballots, electorate)
    return _screen(
        refs, voters, choices, roll_info, options, electorate, kind=kind, max_score=max_score,
        duplicates=DuplicatePolicy(duplicates), present=present, max_choices=max_choices, max_total=max_total,
    ).ballots  # fmt: skip


@dataclass(frozen=True)
class _Screened:
    """What screening found, per ballot: the BallotSet, and for each ballot its reason and roll position."""

    ballots: BallotSet
    reason: np.ndarray  # index in SET_ASIDE_REASONS, -1: none
    unit: np.ndarray  # position on the roll, -1: not on it


def _screen(
    refs: list[str],
    voters: np.ndarray,
    choices: list[Any],
    roll_info: _Roll,
    options: tuple[str, ...],
    electorate: Electorate,
    *,
    kind: BallotKind,
    max_score: int | None,
    duplicates: DuplicatePolicy,
    present: int | None,
    max_choices: int | None,
    max_total: int | None,
) -> _Screened:
    """Screen ballots already read (:func:`_read_ballots`) against a roll already read (:func:`_read_roll`)."""
    empty = np.zeros((0, 1 if kind in _SINGLE else len(options)), dtype=np.int64)
    checked = BallotSet(kind, options, empty, max_score=max_score, max_total=max_total)
    parse = _parser(kind, options, checked.max_score, max_choices, checked.max_total)

    # Every ballot gets at most one reason, the first that applies, in this order:
    # the roll, the ballot itself, then one ballot per voter (and per owner).
    # Arrays over all ballots: a vote of 100 000 owners screens in well under a second.
    unit = roll_info.ids.get_indexer(voters) if len(voters) else np.zeros(0, dtype=np.int64)
    reason = np.full(len(voters), -1, dtype=np.int16)  # index in SET_ASIDE_REASONS; -1: none yet

    def set_aside_where(mask: np.ndarray, code: str) -> None:
        reason[(reason < 0) & mask] = _REASON_INDEX[code]

    set_aside_where(unit < 0, NOT_ON_ROLL)
    if roll_info.eligible is not None:
        on_roll = np.where(unit >= 0, unit, 0)
        set_aside_where(~roll_info.eligible[on_roll], NOT_OWNER)
        set_aside_where(~roll_info.area_known[on_roll], MISSING_FLOOR_AREA)

    distinct: dict[tuple[int, ...], int] = {}  # each distinct readable ballot, numbered
    row_of = np.full(len(voters), -1, dtype=np.int64)
    to_parse = np.flatnonzero(reason < 0)
    texts = np.fromiter((choices[i] for i in to_parse.tolist()), dtype=object, count=len(to_parse))
    no_choice = parse(None)  # a missing choice (None, NaN) is blank for every kind
    if type(no_choice) is str and pd.api.types.infer_dtype(texts, skipna=True) in ("string", "empty"):
        # text choices, as stored: each distinct text parsed once, in the order the texts first came,
        # so the distinct rows are numbered as they are ballot by ballot
        codes, uniques = pd.factorize(texts)
        outcomes = [r if type(r) is str else distinct.setdefault(r, len(distinct)) for r in map(parse, uniques)]
        outcomes.append(no_choice)  # code -1
        outcome = np.array(outcomes, dtype=object)[codes]
        is_reason = np.array([type(o) is str for o in outcomes], dtype=bool)[codes]
        reason[to_parse[is_reason]] = [_REASON_INDEX[o] for o in outcome[is_reason].tolist()]
        row_of[to_parse[~is_reason]] = outcome[~is_reason].astype(np.int64)
    else:
        for i in to_parse.tolist():
            row = parse(choices[i])
            if type(row) is str:
                reason[i] = _REASON_INDEX[row]
            else:
                row_of[i] = distinct.setdefault(row, len(distinct))

    readable = np.flatnonzero(reason < 0)
    keep = {DuplicatePolicy.KEEP_FIRST: "first", DuplicatePolicy.KEEP_LAST: "last"}.get(duplicates, False)
    repeated = pd.Series(unit[readable]).duplicated(keep=keep).to_numpy(dtype=bool)
    reason[readable[repeated]] = _REASON_INDEX[DUPLICATE]
    kept = readable[~repeated]

    width = 1 if kind in _SINGLE else len(options)
    rows = np.array(list(distinct), dtype=np.int64).reshape(len(distinct), width)
    area = None
    if electorate is Electorate.OWNERS:
        # all units of one owner vote once, with the owner's whole area, if their ballots agree
        person = roll_info.person[unit[kept]]
        answers = pd.DataFrame({"person": person, "row": row_of[kept]}).groupby("person")["row"]
        conflict = answers.transform("nunique").to_numpy() > 1
        reason[kept[conflict]] = _REASON_INDEX[CONFLICTING_OWNER_BALLOTS]
        person, kept = person[~conflict], kept[~conflict]
        first = ~pd.Series(person).duplicated(keep="first").to_numpy(dtype=bool)
        kept, area = kept[first], roll_info.person_area[person[first]]
    ballots = BallotSet(
        kind,
        options,
        rows[row_of[kept]],
        area=area,
        roll=roll_info.totals if present is None else _with_present(roll_info.totals, present),
        set_aside=_set_aside(refs, reason),
        max_score=checked.max_score if kind is BallotKind.CUMULATIVE else max_score,
        max_total=max_total,
    )
    return _Screened(ballots, reason, unit)


def _set_aside(refs: Sequence[str], reason: np.ndarray) -> tuple[SetAside, ...]:
    """The set-aside list in the order the ballots came: each ballot with a reason, and its reason."""
    return tuple(SetAside(refs[i], SET_ASIDE_REASONS[reason[i]]) for i in np.flatnonzero(reason >= 0).tolist())


_SINGLE = (BallotKind.CHOICE, BallotKind.YES_NO_ABSTAIN)


# --- the roll ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Roll:
    """The roll, read once: voter ids, and for owners who counts for whom with what area."""

    ids: pd.Index
    totals: RollTotals
    eligible: np.ndarray | None = None  # owners: the household is the owner, or a developer unit
    area_known: np.ndarray | None = None  # owners: every unit of the unit's owner has an area
    person: np.ndarray | None = None  # owners: owner number of each unit
    person_area: np.ndarray | None = None  # owners: area per owner, 1/AREA_SCALE m²


def _read_roll(roll: Any, electorate: Electorate) -> _Roll:
    frame = _roll_frame(roll)
    column = "household_id"
    if electorate is Electorate.REPRESENTATIVES and "member_id" in frame.columns:
        column = "member_id"
    if column not in frame.columns:
        raise VoteError("vote.roll_missing_column", column=column)
    ids = _text_column(frame[column])
    if (ids == "").any():
        raise VoteError("vote.roll_blank_id", column=column)
    index = pd.Index(ids, dtype=object)
    if index.has_duplicates:
        repeated = index[index.duplicated()].unique()
        raise VoteError("vote.roll_repeated_id", ids="、".join(map(str, repeated[:10])))
    if electorate is not Electorate.OWNERS:
        return _Roll(index, RollTotals(electorate, len(ids)))

    present = [c for c in AREA_COLUMNS if c in frame.columns]
    if not present or "is_owner" not in frame.columns:
        raise VoteError("vote.roll_missing_column", column="、".join([*AREA_COLUMNS, "is_owner"]))
    area = np.full(len(frame), np.nan)
    for name in reversed(present):  # the first column with a value wins: fill from the last up
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        area = np.where(np.isfinite(values) & (values > 0), values, area)
    known = np.isfinite(area)
    # areas are given to 0.01 m²; rint of value*10000 is exact for them (no float compare later)
    area_units = np.where(known, np.rint(np.where(known, area, 0) * AREA_SCALE), 0).astype(np.int64)
    developer = _flags(frame, "developer_unsold")
    eligible = _flags(frame, "is_owner") | developer
    keys = _text_column(frame["owner_key"]) if "owner_key" in frame.columns else np.full(len(frame), "")
    person_key = np.where(developer, _DEVELOPER, np.where(keys != "", np.char.add("k:", keys), np.char.add("u:", ids)))
    person, uniques = pd.factorize(person_key)
    person_area = np.zeros(len(uniques), dtype=np.int64)
    np.add.at(person_area, person, area_units)
    person_missing = np.zeros(len(uniques), dtype=bool)
    np.logical_or.at(person_missing, person, ~known)
    totals = RollTotals(
        electorate,
        voters=len(uniques),
        area=int(area_units.sum()),
        units=len(frame),
        units_missing_area=int((~known).sum()),
    )
    return _Roll(index, totals, eligible, ~person_missing[person], person, person_area)


def _roll_frame(roll: Any) -> pd.DataFrame:
    if isinstance(roll, pd.DataFrame):
        return roll.reset_index(drop=True)
    items = list(roll)
    if items and all(isinstance(item, Mapping) for item in items):
        return pd.DataFrame(items)
    if all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
        return pd.DataFrame({"household_id": [str(item) for item in items]})
    raise VoteError("vote.roll_unreadable")


def _flags(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    values = frame[column]
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        # as the text of a number (True "1", 1.0 "1", 2 "2", NaN ""): only a 1 is "1", the one true number
        return (values.to_numpy(dtype=float, na_value=np.nan) == 1).astype(bool)
    return np.isin(np.char.lower(_text_column(values)), list(_TRUE))


def _text_column(column: pd.Series | Sequence[Any]) -> np.ndarray:
    """Return cells as stripped text, blanks as '' (vectorised when the cells are all text)."""
    values = column.to_numpy(dtype=object) if isinstance(column, pd.Series) else np.asarray(column, dtype=object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) == "string":
        return np.char.strip(np.where(pd.isna(values), "", values).astype(str))
    return np.array([_text(v) for v in values], dtype=str).reshape(len(values))


def _text(value: Any) -> str:
    """Return a cell as stripped text; blanks (None, NaN, NA) as ''."""
    if type(value) is str:  # the common case first: this runs once per ballot
        return value.strip()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.0 from Excel is the flag 1, 101.0 the id 101
    return str(value).strip()


def _with_present(totals: RollTotals, present: int) -> RollTotals:
    return RollTotals(totals.electorate, totals.voters, totals.area, totals.units, totals.units_missing_area, present)


# --- reading ballots ------------------------------------------------------------------------------
def _read_ballots(raw: Any, electorate: Electorate) -> tuple[list[str], np.ndarray, list[Any]]:
    """Return the references, voter ids and choices of the raw ballots, in order."""
    if isinstance(raw, pd.DataFrame):
        voter_columns = ["member_id", "household_id", "voter"]
        if electorate is not Electorate.REPRESENTATIVES:
            voter_columns.remove("member_id")
        voter_column = next((c for c in voter_columns if c in raw.columns), None)
        if voter_column is None or "choice" not in raw.columns:
            raise VoteError("vote.ballots_missing_column", column="choice, " + " / ".join(voter_columns))
        ref_column = next((c for c in ("ballot_id", "ref") if c in raw.columns), None)
        refs = raw[ref_column] if ref_column else pd.Series(raw.index, index=raw.index)
        return _text_column(refs).tolist(), _text_column(raw[voter_column]), raw["choice"].tolist()
    refs, voters, choices = [], [], []
    for ballot in raw:
        if not isinstance(ballot, RawBallot):
            raise VoteError("vote.ballots_unreadable", found=type(ballot).__name__)
        refs.append(_text(ballot.ref))
        voters.append(ballot.voter)
        choices.append(ballot.choice)
    return refs, _text_column(voters), choices


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return len(value) == 0
    return False


def _from_json(value: Any, opener: str) -> Any:
    """Read JSON list/object text (a stored ballot); other values pass through."""
    if isinstance(value, str) and value.strip().startswith(opener):
        try:
            return json.loads(value)
        except ValueError:
            return _Unreadable
    return value


class _Unreadable:
    """Marker for a ballot whose text could not be read."""


def _parser(
    kind: BallotKind,
    options: tuple[str, ...],
    max_score: int | None,
    max_choices: int | None = None,
    max_total: int | None = None,
):
    """Return a function turning one choice into a row of option indices, or a set-aside reason."""
    index = {option: i for i, option in enumerate(options)}
    m = len(options)

    def single(choice: Any) -> tuple[int, ...] | str:
        if type(choice) is str and choice in index:  # the common case, once per ballot
            return (index[choice],)
        choice = _from_json(choice, "[")
        if choice is _Unreadable:
            return UNREADABLE
        if _is_blank(choice):
            return BLANK
        if isinstance(choice, list | tuple):
            if len(choice) > 1:
                return TOO_MANY_CHOICES
            choice = choice[0]
            if _is_blank(choice):
                return BLANK
        if not isinstance(choice, str | int) or isinstance(choice, bool):
            return UNREADABLE
        position = index.get(str(choice).strip())
        return UNKNOWN_OPTION if position is None else (position,)

    def several(choice: Any, ranked: bool) -> list[int] | str:
        choice = _from_json(choice, "[")
        if choice is _Unreadable:
            return UNREADABLE
        if _is_blank(choice):
            return BLANK
        if isinstance(choice, str):
            choice = choice.replace("＞", ">").split(">") if ranked else [choice]
        # a set has no order, so it can approve but not rank
        if not isinstance(choice, list | tuple) and not (not ranked and isinstance(choice, set | frozenset)):
            return UNREADABLE
        names = [_text(c) for c in choice]
        if any(not name for name in names):
            return BLANK if not any(names) else UNREADABLE
        positions = [index.get(name) for name in names]
        if any(p is None for p in positions):
            return UNKNOWN_OPTION
        if len(set(positions)) != len(positions):
            return REPEATED_OPTION
        return positions

    def ranking(choice: Any) -> tuple[int, ...] | str:
        positions = several(choice, ranked=True)
        return positions if isinstance(positions, str) else tuple(positions) + (-1,) * (m - len(positions))

    def approval(choice: Any) -> tuple[int, ...] | str:
        positions = several(choice, ranked=False)
        if isinstance(positions, str):
            return positions
        if max_choices is not None and len(positions) > max_choices:
            return TOO_MANY_CHOICES
        row = [0] * m
        for p in positions:
            row[p] = 1
        return tuple(row)

    def score(choice: Any) -> tuple[int, ...] | str:
        choice = _from_json(choice, "{")
        if choice is _Unreadable:
            return UNREADABLE
        if _is_blank(choice):
            return BLANK
        if not isinstance(choice, Mapping):
            return UNREADABLE
        row = [0] * m  # an option left out scores 0
        for name, value in choice.items():
            position = index.get(_text(name))
            if position is None:
                return UNKNOWN_OPTION
            points = _integer(value)
            if points is None:
                return NOT_A_SCORE
            if not 0 <= points <= max_score:
                return SCORE_OUT_OF_RANGE
            row[position] = points
        return tuple(row)

    def cumulative(choice: Any) -> tuple[int, ...] | str:
        row = score(choice)
        if isinstance(row, str):
            return row
        if sum(row) == 0:
            return BLANK
        return TOO_MANY_POINTS if sum(row) > max_total else row

    return {
        BallotKind.CHOICE: single,
        BallotKind.YES_NO_ABSTAIN: single,
        BallotKind.RANKING: ranking,
        BallotKind.APPROVAL: approval,
        BallotKind.SCORE: score,
        BallotKind.CUMULATIVE: cumulative,
    }[kind]


def _integer(value: Any) -> int | None:
    """Return a whole-number score (5, "5", 5.0), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


# --- one vote, several channels ---------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelPrecedence:
    """Which channel's ballot counts when a household voted through several, declared before the count.

    Parameters
    ----------
    order : tuple of str
        Channels, the one that counts first: ``("paper", "form", "jielong")`` means a paper
        ballot counts over a tablet form, and both over a 接龙 reply.
    keep_last : tuple of str
        Channels in which a household's later ballot replaces its earlier one (the latest
        接龙 edit counts); in the others the first one counts.
    """

    order: tuple[str, ...]
    keep_last: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        order = tuple(str(c) for c in self.order)
        if not order or len(set(order)) != len(order):
            raise VoteError("vote.bad_parameter", detail=f"order={order!r}")
        keep_last = tuple(str(c) for c in self.keep_last)
        unknown = [c for c in keep_last if c not in order]
        if unknown:
            raise VoteError("vote.channel_unknown", channel="、".join(unknown), precedence=" > ".join(order))
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "keep_last", keep_last)

    def to_data(self) -> dict[str, Any]:
        """Return the precedence as JSON-ready data (what the report shows and the vote stores)."""
        return {"order": list(self.order), "keep_last": list(self.keep_last)}


@dataclass(frozen=True)
class Subtotal:
    """Ballots of one channel or one building: received = valid + blank + set aside."""

    key: str | None
    received: int
    valid: int
    blank: int
    set_aside: int

    @property
    def balanced(self) -> bool:
        """True when received = valid + blank + set aside."""
        return self.received == self.valid + self.blank + self.set_aside


@dataclass(frozen=True)
class ChannelScreening:
    """A vote's ballots from every channel, screened together: one ballot per household (unit, owner).

    Parameters
    ----------
    ballots : BallotSet
        The valid ballots, what a rule counts. Set-aside references are ``"<channel>/<ref>"``.
    precedence : ChannelPrecedence
        The declared order, for the report.
    by_channel : tuple of Subtotal
        One per channel, in the order of precedence.
    by_building : tuple of Subtotal
        One per building of the roll (``key`` None: ballots from households not on the roll).
        Internal figures for the tally sheet: publishing them follows the rule that a
        building figure from fewer than 5 people is suppressed.
    counted : int
        Voters counted, from this screening's own bookkeeping (owners: one per owner); the
        check compares it with ``ballots.n_ballots``.
    """

    ballots: BallotSet
    precedence: ChannelPrecedence
    by_channel: tuple[Subtotal, ...]
    by_building: tuple[Subtotal, ...]
    counted: int

    @property
    def received(self) -> int:
        return sum(s.received for s in self.by_channel)

    @property
    def valid(self) -> int:
        return sum(s.valid for s in self.by_channel)

    @property
    def blank(self) -> int:
        return sum(s.blank for s in self.by_channel)

    @property
    def set_aside(self) -> int:
        """Ballots set aside for a reason other than being blank."""
        return sum(s.set_aside for s in self.by_channel)

    @property
    def balanced(self) -> bool:
        """The tally sheet's check: total = valid + blank + set aside, every subtotal too, and the
        voters counted here are the ballots the rule will count."""
        return (
            self.received == self.valid + self.blank + self.set_aside
            and all(s.balanced for s in self.by_channel + self.by_building)
            and (not self.by_building or self.received == sum(s.received for s in self.by_building))
            and self.counted == self.ballots.n_ballots
        )

    @property
    def superseded(self) -> tuple[SetAside, ...]:
        """Ballots not counted because the household's ballot from a channel that takes precedence counts."""
        return tuple(s for s in self.ballots.set_aside if s.reason == OTHER_CHANNEL)

    def subtotals_frame(self) -> pd.DataFrame:
        """Return the subtotals as one table (level, key, received, valid, blank, set aside)."""
        rows = [("channel", s.key, s.received, s.valid, s.blank, s.set_aside) for s in self.by_channel]
        rows += [("building", s.key, s.received, s.valid, s.blank, s.set_aside) for s in self.by_building]
        return pd.DataFrame(rows, columns=["level", "key", "received", "valid", "blank", "set_aside"])


def screen_channels(
    channels: Mapping[str, Iterable[RawBallot] | pd.DataFrame],
    roll: pd.DataFrame | Iterable[Mapping[str, Any]] | Iterable[str],
    options: Sequence[str],
    electorate: Electorate | str,
    *,
    kind: BallotKind | str,
    precedence: ChannelPrecedence,
    max_score: int | None = None,
    max_choices: int | None = None,
    max_total: int | None = None,
    present: int | None = None,
    building_column: str = "building_id",
) -> ChannelScreening:
    """Screen one vote's ballots from every channel together, one ballot per household by ``precedence``.

    Every ballot is checked as :func:`screen_ballots` checks it (roll, readability, for owners
    one ballot per owner as Art. 278 and the SPC interpretation Art. 9 count them). Of a
    household's readable ballots the one from the channel first in ``precedence.order``
    counts (within a ``keep_last`` channel the latest, else the first); the others are set
    aside with their reason: ``other_channel`` (a ballot from a channel that takes
    precedence counts), ``earlier_edit`` (a later ballot of the same channel replaces it) or
    ``duplicate``.

    Parameters
    ----------
    channels : mapping of channel to ballots
        Each channel's ballots in the order they arrived (RawBallot list or a ballot table,
        as for :func:`screen_ballots`); references must be unique within a channel.
    roll, options, electorate, kind, max_score, max_choices, max_total, present
        As for :func:`screen_ballots`.
    precedence : ChannelPrecedence
        The declared order of channels (every channel given must be in it).
    building_column : str
        The roll's column naming each household's building, for the subtotals per building.
    """
    electorate = Electorate(electorate)
    kind = BallotKind(kind)
    unknown = [c for c in channels if c not in precedence.order]
    if unknown:
        raise VoteError(
            "vote.channel_unknown", channel="、".join(map(str, unknown)), precedence=" > ".join(precedence.order)
        )
    options = tuple(str(o).strip() for o in options)
    empty = np.zeros((0, 1 if kind in _SINGLE else len(options)), dtype=np.int64)
    BallotSet(kind, options, empty, max_score=max_score, max_total=max_total)  # a bad call fails before reading
    frame = _roll_frame(roll)
    roll_info = _read_roll(frame, electorate)
    # one stream in precedence order (a keep_last channel latest first), in whole columns: no object per ballot
    used_channels = [c for c in precedence.order if c in channels]
    refs: list[str] = []
    voter_parts: list[np.ndarray] = []
    choices: list[Any] = []
    channel_parts: list[np.ndarray] = []
    for number, channel in enumerate(used_channels):
        channel_refs, channel_voters, channel_choices = _read_ballots(channels[channel], electorate)
        repeated = []
        if len(set(channel_refs)) != len(channel_refs):
            repeated = [r for r, n in pd.Series(channel_refs, dtype=object).value_counts().items() if n > 1]
        if repeated:
            raise VoteError("vote.channel_refs_repeat", channel=channel, refs="、".join(map(str, repeated[:10])))
        order = np.arange(len(channel_refs))
        if channel in precedence.keep_last:
            order = order[::-1]
        prefix = f"{channel}/"
        ordered = channel_refs[::-1] if channel in precedence.keep_last else channel_refs
        # the references are stripped already; only a channel with spaces at its start would change
        refs += [_text(prefix + r) for r in ordered] if prefix != prefix.lstrip() else [prefix + r for r in ordered]
        voter_parts.append(channel_voters[order].astype(object))
        choices += [channel_choices[i] for i in order.tolist()]
        channel_parts.append(np.full(len(order), number, dtype=np.int64))
    voters = np.concatenate(voter_parts) if voter_parts else np.zeros(0, dtype=object)
    channel_of = np.concatenate(channel_parts) if channel_parts else np.zeros(0, dtype=np.int64)
    voter_text = _text_column(voters)
    screened = _screen(
        refs, voter_text, choices, roll_info, options, electorate, kind=kind, max_score=max_score,
        duplicates=DuplicatePolicy.KEEP_FIRST, present=present, max_choices=max_choices, max_total=max_total,
    )  # fmt: skip
    reason = screened.reason.copy()
    voter_key = pd.Index(voter_text, dtype=object)
    # the ballot each household's vote rests on: its first readable one in precedence order
    resting = np.flatnonzero((reason < 0) | (reason == _REASON_INDEX[CONFLICTING_OWNER_BALLOTS]))
    first = ~voter_key[resting].duplicated(keep="first")
    used = pd.Series(resting[first], index=voter_key[resting[first]])
    duplicate = np.flatnonzero(reason == _REASON_INDEX[DUPLICATE])
    if len(duplicate):
        kept = used.loc[voter_key[duplicate]].to_numpy(dtype=np.int64)
        keep_last = np.array([c in precedence.keep_last for c in used_channels], dtype=bool)
        other = channel_of[kept] != channel_of[duplicate]
        reason[duplicate[other]] = _REASON_INDEX[OTHER_CHANNEL]
        reason[duplicate[~other & keep_last[channel_of[duplicate]]]] = _REASON_INDEX[EARLIER_EDIT]
    ballots = dataclasses.replace(screened.ballots, set_aside=_set_aside(refs, reason))

    valid, blank = reason < 0, reason == _REASON_INDEX[BLANK]

    def subtotals(codes: np.ndarray, keys: Sequence[str | None]) -> list[Subtotal]:
        counts = [np.bincount(codes[m], minlength=len(keys)).tolist() for m in (slice(None), valid, blank)]
        return [Subtotal(key, n, v, b, n - v - b) for key, n, v, b in zip(keys, *counts, strict=True)]

    by_channel = tuple(subtotals(channel_of, used_channels))
    by_building: tuple[Subtotal, ...] = ()
    if building_column in frame.columns and len(frame):
        building = _text_column(frame[building_column]).astype(object)
        position = screened.unit  # each ballot's household on the roll (-1: not on it)
        keys = np.where(position >= 0, building[np.where(position >= 0, position, 0)], "")
        codes, uniques = pd.factorize(keys)
        names = [str(k) or None for k in uniques]
        sort_keys = [(name is None, str(name)) for name in names]
        ordered = sorted(range(len(names)), key=sort_keys.__getitem__)
        found = subtotals(codes, names)
        by_building = tuple(found[k] for k in ordered)
    if electorate is Electorate.OWNERS:
        counted = len(np.unique(roll_info.person[screened.unit[valid]]))
    else:
        counted = len(pd.unique(voter_key[valid]))
    return ChannelScreening(ballots, precedence, by_channel, by_building, counted)


__all__ = [
    "YES_NO_ABSTAIN_OPTIONS",
    "AREA_COLUMNS",
    "SET_ASIDE_REASONS",
    "screen_ballots",
    "ChannelPrecedence",
    "Subtotal",
    "ChannelScreening",
    "screen_channels",
]
