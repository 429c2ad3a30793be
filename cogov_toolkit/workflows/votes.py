"""Votes in the workspace: create a vote, record and import ballots, count, recount, 四议两公开 steps.

The counting itself is :mod:`cogov_toolkit.core.votes`; this module reads and writes
the workspace around it. Privacy by construction: a public ``ballots`` row holds
only the vote, the choice, the channel, the time and a random ``ballot_ref``
("BR-KQMXTAPDHW") that names no household, room or time; the household that cast
it is in the private ``ballot_links`` table, written in the same transaction,
together with the ballot's own reference (paper ballot of H0118, 接龙 line, the
file's ballot id: ``source_ref``) and its idempotency key
``<vote>|<channel>|<ref>``, so recording the same ballots twice (a double click,
a 接龙 pasted again, a file imported again) stores them once. Stored results and
their set-aside lists name ballots by ``ballot_ref`` only;
:func:`set_aside_sources` gives the planner (privately) the paper ballot or
file row behind each set-aside reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cogov_toolkit.core.codes import Channel, Scope, Step
from cogov_toolkit.core.privacy import random_reference
from cogov_toolkit.core.schema import RECORD_TABLES
from cogov_toolkit.core.votes import (
    BallotKind,
    BallotSet,
    ChannelPrecedence,
    ChannelScreening,
    DuplicatePolicy,
    Electorate,
    RawBallot,
    RollTotals,
    Rule,
    RuleParams,
    VoteResult,
    count,
    recount,
    screen_ballots,
    screen_channels,
)
from cogov_toolkit.core.votes.jielong import JielongBallot, JielongResult, JielongRoll, LineProblem, parse_jielong
from cogov_toolkit.errors import MissingColumnsError, Problem, RecordError, ValidationError
from cogov_toolkit.io.tables import read_table

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: the ballot kind a rule counts when the vote does not say
DEFAULT_KIND = {
    Rule.YES_NO_ABSTAIN: BallotKind.YES_NO_ABSTAIN,
    Rule.CIVIL_CODE_278: BallotKind.YES_NO_ABSTAIN,
    Rule.REPRESENTATIVES: BallotKind.YES_NO_ABSTAIN,
    Rule.PLURALITY: BallotKind.CHOICE,
    Rule.APPROVAL: BallotKind.APPROVAL,
    Rule.BORDA: BallotKind.RANKING,
    Rule.INSTANT_RUNOFF: BallotKind.RANKING,
    Rule.SCHULZE: BallotKind.RANKING,
    Rule.SCORE: BallotKind.SCORE,
    Rule.BLOCK: BallotKind.APPROVAL,
    Rule.STV: BallotKind.RANKING,
    Rule.PAV: BallotKind.APPROVAL,
    Rule.EQUAL_SHARES: BallotKind.APPROVAL,
    Rule.PB_GREEDY: BallotKind.APPROVAL,
    Rule.PB_EQUAL_SHARES: BallotKind.APPROVAL,
}


#: which ballot of a household counts when it voted through several channels, unless the vote says otherwise:
#: paper over a tablet or online form over a file import over the 接龙, and in the 接龙 the latest edit
DEFAULT_PRECEDENCE = ChannelPrecedence(
    (Channel.PAPER.value, Channel.FORM.value, Channel.IMPORT.value, Channel.JIELONG.value),
    keep_last=(Channel.JIELONG.value,),
)


def read_precedence(order: Sequence[str], *, keep_last_jielong: bool = True) -> ChannelPrecedence:
    """Return a declared precedence from the channels in order (the form's list), the rest after them.

    Channels not named keep their default place after the named ones, so a precedence is
    always complete; ``keep_last_jielong`` makes the latest 接龙 edit count over earlier ones.
    """
    named = [Channel(c).value for c in order]
    rest = [c for c in DEFAULT_PRECEDENCE.order if c not in named]
    full = tuple(dict.fromkeys(named + rest))
    return ChannelPrecedence(full, keep_last=(Channel.JIELONG.value,) if keep_last_jielong else ())


@dataclass(frozen=True)
class StepRecord:
    """One 四议两公开 step of a vote, with its date and an optional note (no personal data)."""

    step: Step
    on: dt.date
    note: str = ""


@dataclass(frozen=True)
class ShowOfHands:
    """Hands counted per option at a representatives' meeting, with the members and those present.

    No one's hand is recorded, only the counts; the roll is the meeting's membership.
    """

    counts: tuple[tuple[str, int], ...]
    members: int
    present: int

    def to_data(self) -> dict[str, Any]:
        """Return the counts as JSON-ready data."""
        return {"counts": [[o, n] for o, n in self.counts], "members": self.members, "present": self.present}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ShowOfHands:
        """Rebuild from :meth:`to_data`."""
        return cls(tuple((o, int(n)) for o, n in data["counts"]), int(data["members"]), int(data["present"]))

    def ballots(self, options: Sequence[str]) -> BallotSet:
        """Return the hands as a BallotSet of yes/no/abstain ballots, members and attendance as the roll."""
        import numpy as np

        counts = dict(self.counts)
        return BallotSet(
            BallotKind.YES_NO_ABSTAIN,
            tuple(options),
            np.arange(len(options)).reshape(-1, 1),
            np.array([counts.get(o, 0) for o in options]),
            roll=RollTotals(Electorate.REPRESENTATIVES, self.members, present=self.present),
        )


@dataclass(frozen=True)
class Vote:
    """A vote as stored: question, options, rule, electorate, scope, dates, parameters and steps."""

    vote_id: str
    question: str
    options: tuple[str, ...]
    rule: Rule
    electorate: Electorate
    kind: BallotKind
    scope_type: Scope = Scope.COMMUNITY
    scope_id: str | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    rule_params: RuleParams = field(default_factory=RuleParams)
    duplicates: DuplicatePolicy = DuplicatePolicy.KEEP_FIRST
    steps: tuple[StepRecord, ...] = ()
    hands: ShowOfHands | None = None
    status: str | None = None
    uuid: str = ""
    #: approval ballots: the most options one ballot may approve (a selection of 5: 5); more is set aside
    max_choices: int | None = None
    #: cumulative ballots: the points one ballot may give in all (the declared per-voter cap)
    max_total: int | None = None
    #: the tally board shows ballots received only, no figures, until the count
    hide_running: bool = False
    #: which channel's ballot counts when a household voted through several (declared before the count)
    precedence: ChannelPrecedence = DEFAULT_PRECEDENCE
    #: budgets: (project, place) for the projects that name a site or a project of the project list
    option_sites: tuple[tuple[str, str], ...] = ()

    def params_json(self) -> str:
        """Return the ``params`` JSON of the vote record (rule parameters, duplicate policy; steps are ``vote_steps``)."""
        data = {
            "rule_params": json.loads(self.rule_params.to_json()),
            "duplicates": self.duplicates.value,
            "channels": self.precedence.to_data(),
        }
        if self.hands is not None:
            data["show_of_hands"] = self.hands.to_data()
        if self.option_sites:
            data["option_sites"] = [list(pair) for pair in self.option_sites]
        limits = {"max_choices": self.max_choices, "max_total": self.max_total, "hide_running": self.hide_running}
        if any(limits.values()):  # written only when set: the records of earlier votes read as before
            data["limits"] = {k: v for k, v in limits.items() if v}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class StoredCount:
    """A count stored in ``vote_results``: the core result and the JSON kept for a recount."""

    vote: Vote
    result: VoteResult
    ballots: BallotSet
    result_data: dict[str, Any]
    #: every channel screened together: subtotals per channel and per building, the tally sheet's check
    #: (None for a show of hands, and for a result counted before precedences were declared)
    screening: ChannelScreening | None = None


# --- votes ----------------------------------------------------------------------------------------
def create_vote(
    ws: Workspace,
    vote_id: str,
    question: str,
    options: Sequence[str],
    *,
    rule: Rule | str,
    electorate: Electorate | str = Electorate.HOUSEHOLDS,
    scope_type: Scope | str = Scope.COMMUNITY,
    scope_id: str | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    kind: BallotKind | str | None = None,
    rule_params: RuleParams | None = None,
    duplicates: DuplicatePolicy | str = DuplicatePolicy.KEEP_FIRST,
    max_choices: int | None = None,
    max_total: int | None = None,
    hide_running: bool = False,
    precedence: ChannelPrecedence | None = None,
    option_sites: Sequence[tuple[str, str]] = (),
) -> Vote:
    """Store a new vote (status ``open``) and return it.

    ``scope_type`` is ``community``, ``neighbourhood`` (``scope_id`` N1), ``building``
    (B05) or ``unit`` (B05-2, the owners of one entrance). The ballot kind defaults to
    the one the rule counts. ``max_choices`` (approval) and ``max_total`` (cumulative)
    are the ballot's limits screening applies; ``hide_running`` keeps the running figures
    off the tally board until the count (selections and budgets: see ``workflows.selections``).
    ``precedence`` declares which ballot counts when a household voted through several
    channels (default :data:`DEFAULT_PRECEDENCE`: paper, form, file, 接龙; the latest 接龙 edit).
    """
    rule = Rule(rule)
    vote = Vote(
        vote_id=vote_id,
        question=question,
        options=tuple(options),
        rule=rule,
        electorate=Electorate(electorate),
        kind=BallotKind(kind) if kind else DEFAULT_KIND[rule],
        scope_type=Scope(scope_type),
        scope_id=scope_id,
        opens_on=opens_on,
        closes_on=closes_on,
        rule_params=rule_params or RuleParams(),
        duplicates=DuplicatePolicy(duplicates),
        status="open",
        max_choices=max_choices,
        max_total=max_total,
        hide_running=bool(hide_running),
        precedence=precedence or DEFAULT_PRECEDENCE,
        option_sites=tuple((str(o), str(p)) for o, p in option_sites),
    )
    uuid = ws.add(
        "votes",
        {
            "vote_id": vote.vote_id,
            "question": vote.question,
            "options": json.dumps(list(vote.options), ensure_ascii=False),
            "rule": vote.rule.value,
            "electorate": vote.electorate.value,
            "scope_type": vote.scope_type.value,
            "scope_id": vote.scope_id,
            "opens_on": vote.opens_on,
            "closes_on": vote.closes_on,
            "ballot_kind": vote.kind.value,
            "params": vote.params_json(),
            "status": vote.status,
        },
    )
    return _replace(vote, uuid=uuid)


def get_vote(ws: Workspace, vote_id: str) -> Vote:
    """Return the stored vote ``vote_id``; an unknown id raises RecordError."""
    row = ws.find("votes", vote_id)
    if row is None:
        raise RecordError("vote_workflow.no_such_vote", vote_id=vote_id)
    rule = Rule(row["rule"])
    params = json.loads(row["params"]) if _filled(row.get("params")) else {}
    return Vote(
        vote_id=vote_id,
        question=row["question"],
        options=tuple(json.loads(row["options"])),
        rule=rule,
        electorate=Electorate(row["electorate"]),
        kind=BallotKind(row["ballot_kind"]) if _filled(row.get("ballot_kind")) else DEFAULT_KIND[rule],
        scope_type=Scope(row["scope_type"]) if _filled(row.get("scope_type")) else Scope.COMMUNITY,
        scope_id=row["scope_id"] if _filled(row.get("scope_id")) else None,
        opens_on=_date(row.get("opens_on")),
        closes_on=_date(row.get("closes_on")),
        rule_params=RuleParams.from_json(json.dumps(params["rule_params"]))
        if "rule_params" in params
        else RuleParams(),
        duplicates=DuplicatePolicy(params.get("duplicates", DuplicatePolicy.KEEP_FIRST)),
        steps=_steps(ws, vote_id),
        hands=ShowOfHands.from_data(params["show_of_hands"]) if "show_of_hands" in params else None,
        status=row["status"] if _filled(row.get("status")) else None,
        uuid=row["uuid"],
        max_choices=params.get("limits", {}).get("max_choices"),
        max_total=params.get("limits", {}).get("max_total"),
        hide_running=bool(params.get("limits", {}).get("hide_running", False)),
        # a vote stored before precedences were declared screens by the default one
        precedence=_precedence(params.get("channels")),
        option_sites=tuple((o, p) for o, p in params.get("option_sites", ())),
    )


def _precedence(data: Mapping[str, Any] | None) -> ChannelPrecedence:
    if not data:
        return DEFAULT_PRECEDENCE
    return ChannelPrecedence(tuple(data["order"]), keep_last=tuple(data.get("keep_last", ())))


def record_step(ws: Workspace, vote_id: str, step: Step | str, on: dt.date, note: str = "") -> Vote:
    """Add a 四议两公开 step with its date to the vote's record; return the vote (steps in date order)."""
    get_vote(ws, vote_id)  # an unknown vote raises
    ws.add("vote_steps", {"vote_id": vote_id, "step": Step(step).value, "on": on, "note": note or None})
    return get_vote(ws, vote_id)


def _steps(ws: Workspace, vote_id: str) -> tuple[StepRecord, ...]:
    """Return a vote's 四议两公开 steps (its ``vote_steps`` records) in date order."""
    rows = ws.records("vote_steps", {"vote_id": vote_id}, columns=["step", "on", "note"])
    steps = [
        StepRecord(Step(step), dt.date.fromisoformat(str(on)[:10]), note if _filled(note) else "")
        for step, on, note in zip(rows["step"], rows["on"], rows["note"], strict=True)
    ]
    return tuple(sorted(steps, key=lambda s: (s.on, list(Step).index(s.step))))


def record_show_of_hands(ws: Workspace, vote_id: str, counts: Mapping[str, int], *, members: int, present: int) -> Vote:
    """Store the hands counted per option at a representatives' meeting (replacing an earlier count)."""
    vote = get_vote(ws, vote_id)
    unknown = sorted(set(counts) - set(vote.options))
    if unknown:
        raise RecordError("vote_workflow.unknown_hands_option", options="、".join(unknown))
    hands = ShowOfHands(tuple((o, int(counts.get(o, 0))) for o in vote.options), int(members), int(present))
    vote = _replace(vote, hands=hands)
    ws.update("votes", vote.uuid, {"params": vote.params_json()})
    return vote


# --- the roll -------------------------------------------------------------------------------------
def roll_for(ws: Workspace, vote: Vote | str) -> pd.DataFrame:
    """Return the households who may vote in ``vote``: the ``households`` table within the vote's scope.

    Columns: those of ``households`` plus ``building_no`` (5 for 5栋) and ``neighbourhood_id``.
    """
    vote = get_vote(ws, vote) if isinstance(vote, str) else vote
    where = _scope_where(vote)
    buildings = ws.layer_records("buildings", where, columns=["building_id", "label", "neighbourhood_id"])
    on_roll = None if where is None else {"building_id": list(buildings["building_id"])}
    # the household columns only (not the row's uuid and times): what the roll holds
    households = ws.records("households", on_roll, columns=_ROLL_COLUMNS)
    # numbered once per building, not per household; a household of a building not on the map by its id
    buildings = buildings.assign(building_no=_building_numbers(buildings["label"], buildings["building_id"]))
    roll = households.merge(buildings, on="building_id", how="left")
    unmapped = roll["building_no"].isna().to_numpy()
    numbers = roll["building_no"].to_numpy(dtype=float, na_value=np.nan)
    if unmapped.any():
        numbers[unmapped] = _building_numbers(roll["label"][unmapped], roll["building_id"][unmapped])
    roll["building_no"] = numbers.astype(np.int64)
    if vote.scope_type is Scope.NEIGHBOURHOOD:
        roll = roll[roll["neighbourhood_id"] == vote.scope_id]
    return _in_scope(roll, vote)


def _scope_where(vote: Vote) -> dict[str, Any] | None:
    """The buildings of the vote's scope (None: the whole 社区): only their households are read."""
    if vote.scope_type is Scope.NEIGHBOURHOOD:
        return {"neighbourhood_id": vote.scope_id}
    if vote.scope_type in (Scope.BUILDING, Scope.UNIT):
        return {
            "building_id": str(vote.scope_id).rpartition("-")[0] if vote.scope_type is Scope.UNIT else vote.scope_id
        }
    return None


def _in_scope(roll: pd.DataFrame, vote: Vote) -> pd.DataFrame:
    """The households of ``roll`` in the vote's building or entrance (one entrance's owners: a few rows)."""
    if vote.scope_type is Scope.BUILDING:
        roll = roll[roll["building_id"] == vote.scope_id]
    elif vote.scope_type is Scope.UNIT:
        building, _, unit = str(vote.scope_id).rpartition("-")
        roll = roll[(roll["building_id"] == building) & (roll["unit"].astype("Int64") == int(unit))]
    return roll.reset_index(drop=True)


#: the roll's columns screening reads: who votes, their building (for the subtotals) and entrance (for the
#: scope), and for owners the areas and who owns what (core.votes.screening)
_SCREENING_COLUMNS = {
    Electorate.OWNERS: [
        "household_id", "building_id", "unit", "registered_area_m2", "surveyed_area_m2", "contract_area_m2",
        "is_owner", "owner_key", "developer_unsold",
    ],
}  # fmt: skip


def _screening_roll(ws: Workspace, vote: Vote) -> pd.DataFrame:
    """The households of :func:`roll_for`, the same rows in the same order, with only what screening reads.

    No building is read for a vote of the whole 社区, and no building is numbered: a count
    reads its roll in whole columns and nothing else.
    """
    where = _scope_where(vote)
    on_roll = None
    if where is not None:  # a neighbourhood's, building's or entrance's households: those of its buildings
        on_roll = {"building_id": list(ws.layer_records("buildings", where, columns=["building_id"])["building_id"])}
    columns = _SCREENING_COLUMNS.get(vote.electorate, ["household_id", "building_id", "unit"])
    return _in_scope(ws.records("households", on_roll, columns=columns), vote)


#: the columns of ``households`` a roll holds: the declared ones and the idempotency key, as it always had
_ROLL_COLUMNS = ["idempotency_key", *RECORD_TABLES["households"].column_names]


def jielong_roll(roll: pd.DataFrame) -> JielongRoll:
    """Return the addresses of a roll (from :func:`roll_for`) for the 接龙 parser."""
    return JielongRoll.from_rows(roll[["household_id", "building_no", "unit", "room"]].to_dict("records"))


# --- ballots --------------------------------------------------------------------------------------
def record_ballots(
    ws: Workspace,
    vote_id: str,
    raw_ballots: Iterable[RawBallot],
    channel: Channel | str,
    *,
    submitted_at: dt.datetime | Sequence[dt.datetime | None] | None = None,
) -> list[str]:
    """Store ballots of ``vote_id`` in one durable transaction; return the public rows' uuids.

    The household of each ballot goes only to the private ``ballot_links``. A ballot
    whose ``ref`` was recorded before through the same channel is not stored again.
    """
    channel = Channel(channel)
    ballots = list(raw_ballots)
    times = submitted_at if isinstance(submitted_at, Sequence) else [submitted_at] * len(ballots)
    rows = [
        {
            "vote_id": vote_id,
            "choice": _choice_text(b.choice),
            "channel": channel.value,
            "submitted_at": t,
            "ballot_ref": random_reference(),
        }
        for b, t in zip(ballots, times, strict=True)
    ]
    links = [
        {"ballot_links": {"household_id": str(b.voter).strip(), "vote_id": vote_id, "source_ref": str(b.ref)}}
        for b in ballots
    ]
    # the key names the household (纸质:H0118): the workspace keeps it with the private link
    keys = [f"{vote_id}|{channel.value}|{b.ref}" for b in ballots]
    return ws.add_many("ballots", rows, private=links, idempotency_keys=keys)


def stored_ballots(ws: Workspace, vote_id: str, *, legacy_refs: bool = False) -> list[RawBallot]:
    """Return the stored ballots of ``vote_id`` (household joined from the private file), in stored order.

    Each ballot's ``ref`` is its random ``ballot_ref``; ``legacy_refs`` gives the
    reference a workspace of schema 1 used instead (the source reference), for
    recounting a result counted before the migration.
    """
    return [ballot for _, ballot in stored_ballots_by_channel(ws, vote_id, legacy_refs=legacy_refs)]


def stored_ballots_by_channel(ws: Workspace, vote_id: str, *, legacy_refs: bool = False) -> list[tuple[str, RawBallot]]:
    """Return (channel, ballot) of the stored ballots of ``vote_id``, in stored order (see :func:`stored_ballots`)."""
    frame = _stored_frame(ws, vote_id, legacy_refs=legacy_refs)
    return [
        (channel, RawBallot(ref, voter, choice))
        for channel, ref, voter, choice in zip(
            frame["channel"], frame["ref"], frame["voter"], frame["choice"], strict=True
        )
    ]


def _stored_frame(ws: Workspace, vote_id: str, *, legacy_refs: bool = False) -> pd.DataFrame:
    """Return the stored ballots of ``vote_id`` as columns ``channel``, ``ref``, ``voter``, ``choice``, in stored order.

    A ballot's ``ref`` is its ``ballot_ref`` (the source reference with ``legacy_refs``),
    else its uuid; a ballot without a link has voter ""; a blank ballot's choice is None.
    """
    # only the columns the count reads: the covering indexes answer them without touching other votes' rows
    public = ws.records("ballots", {"vote_id": vote_id}, columns=["uuid", "ballot_ref", "channel", "choice"])
    wanted = ["ballot_uuid", "household_id", *(["source_ref"] if legacy_refs else [])]
    links = ws.private_records("ballot_links", {"vote_id": vote_id}, columns=wanted)
    link_keys = pd.Index(links["ballot_uuid"].astype(object))
    if link_keys.is_unique:  # as the key index keeps them: each public row's link by one hash lookup
        found = link_keys.get_indexer(public["uuid"].astype(object))
        hit = found >= 0
        joined = public.copy()
        for column in wanted[1:]:
            values = np.full(len(public), None, dtype=object)
            values[hit] = links[column].astype(object).to_numpy()[found[hit]]
            joined[column] = values
    else:
        joined = public.merge(links, left_on="uuid", right_on="ballot_uuid", how="left")
    refs = (joined["source_ref"] if legacy_refs else joined["ballot_ref"]).astype(object)
    if pd.api.types.infer_dtype(refs, skipna=False) == "string":
        named = (refs != "").to_numpy(dtype=bool)
    else:
        named = refs.map(lambda ref: isinstance(ref, str) and ref != "").to_numpy(dtype=bool)
    voters = joined["household_id"].astype(object)
    choices = joined["choice"].astype(object)
    return pd.DataFrame(
        {
            "channel": joined["channel"].fillna(Channel.PAPER.value).astype(str),
            "ref": refs.where(named, joined["uuid"].astype(object)),
            "voter": voters.where(voters.notna(), ""),
            "choice": choices.where(choices.notna(), None),
        }
    )


def ballot_channels(ws: Workspace, vote_id: str) -> dict[str, str]:
    """Return ballot_ref -> channel of the stored ballots of ``vote_id`` (public data: no household)."""
    rows = ws.records("ballots", {"vote_id": vote_id}, columns=["ballot_ref", "channel"])
    return dict(zip(rows["ballot_ref"].astype(str), rows["channel"].astype(str), strict=True))


def set_aside_sources(ws: Workspace, result: VoteResult) -> pd.DataFrame:
    """Return, for the planner only, the paper ballot, 接龙 line or file row behind each set-aside ballot.

    Columns: ``ballot_ref`` (as in the stored result), ``source_ref`` (private:
    it may name the household) and ``reason``. Never publish this table.
    """
    refs = [s.ref for s in result.set_aside]
    public = ws.records("ballots", {"ballot_ref": refs}, columns=["uuid", "ballot_ref"])
    links = ws.private_records(
        "ballot_links", {"ballot_uuid": list(public["uuid"])}, columns=["ballot_uuid", "source_ref"]
    )
    joined = public.merge(links, left_on="uuid", right_on="ballot_uuid")
    sources = dict(zip(joined["ballot_ref"], joined["source_ref"], strict=True))
    return pd.DataFrame(
        [(s.ref, sources.get(s.ref, ""), s.reason) for s in result.set_aside],
        columns=["ballot_ref", "source_ref", "reason"],
    )


@dataclass(frozen=True)
class ImportReport:
    """What an import stored: ballots read, ballots new to the workspace, file rows of other votes skipped."""

    file: Path
    read: int
    stored: int
    skipped_other_votes: int


_IMPORT_COLUMNS = {
    "household_id": ("household_id", "户号", "户编号"),
    "choice": ("choice", "选择", "投票", "意见"),
    "ballot_id": ("ballot_id", "选票编号", "票号"),
    "vote_id": ("vote_id", "表决编号"),
    "submitted_at": ("submitted_at", "提交时间"),
}


def _import_columns(frame: pd.DataFrame, household_column: str | None = None) -> dict[str, str | None]:
    found = {
        name: next((h for h in frame.columns if str(h).strip().lower() in spellings), None)
        for name, spellings in _IMPORT_COLUMNS.items()
    }
    if household_column is not None:
        found["household_id"] = household_column if household_column in frame.columns else None
    return found


def vote_ids_in(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> list[str]:
    """Return the vote ids a ballot file's ``vote_id`` column names, in order of first appearance.

    Raises
    ------
    MissingColumnsError
        ``import.missing_columns`` when the file has no vote id column (say ``--vote`` then).
    """
    table = read_table(path, encoding=encoding, sheet=sheet)
    column = _import_columns(table.frame)["vote_id"]
    if column is None:
        raise MissingColumnsError(
            "import.missing_columns",
            file=table.file,
            columns="vote_id",
            found="、".join(map(str, table.frame.columns)),
            spellings="、".join(_IMPORT_COLUMNS["vote_id"]),
        )
    return list(dict.fromkeys(v.strip() for v in table.frame[column] if v.strip()))


def import_ballots(
    ws: Workspace,
    vote_id: str,
    path: str | Path,
    *,
    source_vote_id: str | None = None,
    household_column: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Import ballots of ``vote_id`` from a CSV/Excel file (UTF-8, GBK or GB18030).

    The file needs a household column (``household_id``/户号, or the one named by
    ``household_column``) and a choice column (``choice``/选择); ``ballot_id``,
    ``vote_id`` and ``submitted_at`` are read when present. With a ``vote_id``
    column, only rows of ``source_vote_id`` (default: ``vote_id``) are taken. An
    empty choice is a blank ballot, set aside at the count; an empty household
    cell or an unreadable time is an error naming row and column, and every such
    problem of the file is listed before anything is stored. The household goes
    to the private link only; the public row gets a random reference.
    """
    table = read_table(path, encoding=encoding, sheet=sheet)
    frame = table.frame
    found = _import_columns(frame, household_column)
    missing = [n for n in ("household_id", "choice") if found[n] is None]
    if missing:
        raise MissingColumnsError(
            "import.missing_columns",
            file=table.file,
            columns="、".join(missing),
            found="、".join(map(str, frame.columns)),
            spellings="；".join("、".join(_IMPORT_COLUMNS[n]) for n in missing),
        )
    wanted = source_vote_id or vote_id
    problems: list[Problem] = []
    ballots: list[RawBallot] = []
    times: list[dt.datetime | None] = []
    skipped = 0
    for position, row_no in enumerate(table.rows):
        cells = frame.iloc[position]
        if found["vote_id"] and cells[found["vote_id"]].strip() and cells[found["vote_id"]].strip() != wanted:
            skipped += 1
            continue
        household = cells[found["household_id"]].strip()
        if not household:
            problems.append(
                Problem("import.required_empty", str(table.file), row_no, found["household_id"], table.sheet)
            )
        when = None
        if found["submitted_at"] and cells[found["submitted_at"]].strip():
            try:
                when = dt.datetime.fromisoformat(cells[found["submitted_at"]].strip())
            except ValueError:
                problems.append(
                    Problem(
                        "vote_workflow.bad_time",
                        str(table.file),
                        row_no,
                        found["submitted_at"],
                        table.sheet,
                        {"value": cells[found["submitted_at"]].strip()},
                    )
                )
        ref = cells[found["ballot_id"]].strip() if found["ballot_id"] else ""
        ballots.append(RawBallot(ref or f"{Path(path).name}#{row_no}", household, cells[found["choice"]].strip()))
        times.append(when)
    if problems:
        raise ValidationError("vote_workflow.bad_ballot_file", file=table.file, problems=problems, count=len(problems))
    before = ws.count("ballots", {"vote_id": vote_id})
    record_ballots(ws, vote_id, ballots, Channel.IMPORT, submitted_at=times)
    return ImportReport(Path(path), len(ballots), ws.count("ballots", {"vote_id": vote_id}) - before, skipped)


def record_jielong(ws: Workspace, vote_id: str, text: str) -> JielongResult:
    """Parse a pasted 接龙 against the vote's roll, store its ballots, and return the parse (with lines to check).

    The chain grows in the group and is pasted again later: replies stored before are
    not stored twice, and a reply marked as a correction ("改为反对") changes the
    household's 接龙 ballot stored from an earlier paste instead of adding a second one.
    """
    vote = get_vote(ws, vote_id)
    parsed = parse_jielong(text, jielong_roll(roll_for(ws, vote)), vote.options)
    # the text as pasted names households: private side only
    pastes = ws.private_records("jielong_pastes", {"vote_id": vote_id}, columns=["text"])
    if not (pastes["text"] == text.strip()).any():
        ws.add_private("jielong_pastes", [{"vote_id": vote_id, "text": text}])
    earlier = _stored_jielong(ws, vote_id)
    new = []
    for ballot in parsed.ballots:
        before = earlier.get(ballot.household_id)
        if before is not None and ballot.correction:
            if before[1] != ballot.choice:
                ws.update("ballots", before[0], {"choice": ballot.choice})
        else:
            new.append(_jielong_raw(ballot))
    record_ballots(ws, vote_id, new, Channel.JIELONG)
    return parsed


def _stored_jielong(ws: Workspace, vote_id: str) -> dict[str, tuple[str, str]]:
    """Return household -> (uuid, choice) of the 接龙 ballots stored for ``vote_id`` (the first of each)."""
    public = ws.records("ballots", {"vote_id": vote_id, "channel": Channel.JIELONG.value})
    links = ws.private_records("ballot_links", {"vote_id": vote_id}, columns=["ballot_uuid", "household_id"])
    joined = public.merge(links, left_on="uuid", right_on="ballot_uuid")
    stored: dict[str, tuple[str, str]] = {}
    for uuid, household, choice in zip(joined["uuid"], joined["household_id"], joined["choice"], strict=True):
        stored.setdefault(household, (uuid, choice))
    return stored


def _jielong_raw(ballot: JielongBallot) -> RawBallot:
    # keyed by household and line text: the same chain pasted again stores nothing new
    return RawBallot(f"接龙#{ballot.number}:{ballot.household_id}:{ballot.choice}", ballot.household_id, ballot.choice)


# --- counting -------------------------------------------------------------------------------------
def screen_vote(ws: Workspace, vote_id: str, *, legacy_refs: bool = False) -> tuple[Vote, BallotSet]:
    """Return the vote and its stored ballots screened against its roll (valid ballots + set-aside list).

    Every channel is screened together (:func:`screen_vote_channels`): one ballot per
    household, by the vote's declared precedence.
    """
    vote, screening = screen_vote_channels(ws, vote_id, legacy_refs=legacy_refs)
    return vote, screening.ballots if isinstance(screening, ChannelScreening) else screening


def screen_vote_channels(
    ws: Workspace, vote_id: str, *, legacy_refs: bool = False, single_stream: bool = False
) -> tuple[Vote, ChannelScreening | BallotSet]:
    """Return the vote and its stored ballots from every channel screened together by its precedence.

    The result has the subtotals per channel and per building and the check total = valid
    + blank + set aside. A ballot overridden by the household's ballot from a channel that
    takes precedence is set aside as ``other_channel``, an earlier 接龙 edit as
    ``earlier_edit``; set-aside references are the ballots' public ``ballot_ref``.
    ``single_stream`` screens as results counted before precedences were declared were
    (one stream, the vote's duplicate policy), to recount them; a vote by show of hands
    gives its BallotSet.
    """
    vote = get_vote(ws, vote_id)
    if vote.hands is not None:  # a representatives' meeting voting by hands: counts, no ballots
        return vote, vote.hands.ballots(vote.options)
    roll = _screening_roll(ws, vote)
    limits = {"max_choices": vote.max_choices, "max_total": vote.max_total}
    if single_stream:
        ballots = screen_ballots(
            stored_ballots(ws, vote_id, legacy_refs=legacy_refs), roll, vote.options, vote.electorate,
            kind=vote.kind, duplicates=vote.duplicates, **limits,
        )  # fmt: skip
        return vote, ballots
    # each channel's ballots as a table, in stored order: screened in whole columns, no object per ballot
    stored = _stored_frame(ws, vote_id, legacy_refs=legacy_refs)
    channels = {
        channel: stored.loc[stored["channel"] == channel, ["ref", "voter", "choice"]]
        for channel in pd.unique(stored["channel"])
    }
    precedence = vote.precedence
    unknown = [c for c in channels if c not in precedence.order]
    if unknown:  # a channel the declared order leaves out (show of hands rows): after the others
        precedence = ChannelPrecedence(precedence.order + tuple(unknown), precedence.keep_last)
    screening = screen_channels(
        channels, roll, vote.options, vote.electorate, kind=vote.kind, precedence=precedence, **limits
    )
    # "<channel>/<ballot_ref>": the public reference alone names the ballot, as stored results always did
    refs = [dataclasses.replace(s, ref=s.ref.partition("/")[2]) for s in screening.ballots.set_aside]
    ballots = dataclasses.replace(screening.ballots, set_aside=tuple(refs))
    return vote, dataclasses.replace(screening, ballots=ballots)


def tally_now(ws: Workspace, vote_id: str) -> VoteResult:
    """Screen and count the stored ballots exactly as :func:`count_vote` does, storing nothing.

    The live tally board shows this, so the room sees the very figures the count will publish.
    """
    vote, ballots = screen_vote(ws, vote_id)
    return count(ballots, vote.rule, vote.rule_params)


def count_vote(ws: Workspace, vote_id: str, *, counted_at: dt.datetime | None = None) -> StoredCount:
    """Screen and count the stored ballots of ``vote_id``; store the result and its audit record.

    Every channel is screened together by the vote's declared precedence. The
    ``vote_results`` row holds the result as JSON (:func:`result_data`, with the
    precedence and the subtotals per channel) and the audit record (ballots' digest,
    rule, parameters, toolkit version); the vote's status becomes ``counted``.
    """
    vote, screening = screen_vote_channels(ws, vote_id)
    channels = screening if isinstance(screening, ChannelScreening) else None
    ballots = channels.ballots if channels is not None else screening
    result = count(ballots, vote.rule, vote.rule_params)
    data = result_data(result, channels)
    with ws.transaction():  # the result and the vote's status, together
        ws.add(
            "vote_results",
            {
                "vote_id": vote_id,
                "rule": vote.rule.value,
                "result": json.dumps(data, ensure_ascii=False, sort_keys=True),
                "audit": result.audit.to_json(),
                "counted_at": counted_at or dt.datetime.now(dt.UTC),
            },
        )
        ws.update("votes", vote.uuid, {"status": "counted"})
    return StoredCount(vote, result, ballots, data, channels)


def stored_result(ws: Workspace, vote_id: str) -> tuple[dict[str, Any], str]:
    """Return the latest stored result data and audit JSON of ``vote_id``."""
    rows = ws.records("vote_results", {"vote_id": vote_id})
    if rows.empty:
        raise RecordError("vote_workflow.not_counted", vote_id=vote_id)
    row = rows.iloc[-1]
    return json.loads(row["result"]), row["audit"]


def recount_vote(ws: Workspace, vote_id: str) -> StoredCount:
    """Recount the stored ballots under the stored audit record and check the result is the same.

    Raises
    ------
    VoteError
        ``vote.digest_mismatch`` when the stored ballots are not those counted.
    RecordError
        ``vote_workflow.recount_differs`` when the recount gives another result.
    """
    from cogov_toolkit.core.votes import Audit

    data, audit_json = stored_result(ws, vote_id)
    # a result counted before schema 2 was fingerprinted over the old references (kept privately as source_ref)
    legacy = json.loads(audit_json).get("ref_scheme") == "source_ref"
    # a result counted before precedences were declared screened the channels as one stream
    single = "channels" not in data
    vote, screening = screen_vote_channels(ws, vote_id, legacy_refs=legacy, single_stream=single)
    channels = screening if isinstance(screening, ChannelScreening) else None
    ballots = channels.ballots if channels is not None else screening
    result = recount(ballots, Audit.from_json(audit_json))
    again = result_data(result, channels)
    if legacy:  # compare under today's references, as the stored result names them
        by_source = _legacy_ref_map(ws, vote_id)
        again["set_aside"] = [[by_source.get(ref, ref), reason] for ref, reason in again["set_aside"]]
    if again != data:
        raise RecordError("vote_workflow.recount_differs", vote_id=vote_id)
    if legacy:
        vote, screening = screen_vote_channels(ws, vote_id, single_stream=single)
        channels = screening if isinstance(screening, ChannelScreening) else None
        ballots = channels.ballots if channels is not None else screening
        result = count(ballots, vote.rule, vote.rule_params)
    return StoredCount(vote, result, ballots, data, channels)


def _legacy_ref_map(ws: Workspace, vote_id: str) -> dict[str, str]:
    """Return source reference -> ballot_ref of a vote's ballots (private; for recounting migrated results)."""
    public = ws.records("ballots", {"vote_id": vote_id}, columns=["uuid", "ballot_ref"])
    links = ws.private_records("ballot_links", {"vote_id": vote_id}, columns=["ballot_uuid", "source_ref"])
    joined = public.merge(links, left_on="uuid", right_on="ballot_uuid")
    return dict(zip(joined["source_ref"], joined["ballot_ref"], strict=True))


def result_data(result: VoteResult, screening: ChannelScreening | None = None) -> dict[str, Any]:
    """Return a result as JSON-ready data, exact numbers as text ("2/3"), for storage and comparison.

    With the ``screening`` of every channel, the data also hold the declared precedence and
    the subtotals per channel (received, valid, blank, set aside): a recount reproduces them.
    The subtotals per building stay out (small buildings' figures are not for a stored result).
    """
    return (
        {
            "rule": result.rule.value,
            "options": list(result.options),
            "winners": list(result.winners),
            "scores": [[o, str(s)] for o, s in result.scores],
            "ballots_counted": result.ballots_counted,
            "set_aside": [[s.ref, s.reason] for s in result.set_aside],
            "passed": result.passed,
            "checks": [
                [c.name, str(c.value), str(c.of), str(c.threshold.ratio), c.threshold.inclusive, c.met]
                for c in result.checks
            ],
            "weighted_scores": [[o, str(s)] for o, s in result.weighted_scores],
            "rounds": [
                {
                    "number": r.number,
                    "tallies": [[o, v] for o, v in r.tallies],
                    "exhausted": r.exhausted,
                    "elected": list(r.elected),
                    "eliminated": list(r.eliminated),
                    "tied_for_last": list(r.tied_for_last),
                }
                for r in result.rounds
            ],
            "roll": result.roll.to_data() if result.roll else None,
            "notes": list(result.notes),
        }
        | _committee_data(result)
        | _channel_data(screening)
    )


def _channel_data(screening: ChannelScreening | None) -> dict[str, Any]:
    if screening is None:
        return {}
    return {
        "channels": screening.precedence.to_data(),
        "by_channel": [[s.key, s.received, s.valid, s.blank, s.set_aside] for s in screening.by_channel],
    }


def _committee_data(result: VoteResult) -> dict[str, Any]:
    """The multi-winner and budget parts of a result (only when present: earlier results read as before)."""
    data: dict[str, Any] = {}
    if result.seats is not None:
        data["seats"] = result.seats
    if result.committees:
        data["committees"] = [list(c) for c in result.committees]
        data["contested"] = list(result.contested)
    if result.stv_rounds:
        data["stv_rounds"] = [
            {
                "number": r.number,
                "action": r.action,
                "source": r.source,
                "transfer_value": None if r.transfer_value is None else str(r.transfer_value),
                "tallies": [[o, str(v)] for o, v in r.tallies],
                "non_transferable": str(r.non_transferable),
                "elected": list(r.elected),
                "excluded": list(r.excluded),
                "tied": list(r.tied),
            }
            for r in result.stv_rounds
        ]
    if result.funding:
        data["budget"] = result.budget
        data["funding"] = [
            {
                "project": f.project,
                "cost": f.cost,
                "votes": f.votes,
                "funded": f.funded,
                "reason": f.reason,
                "step": f.step,
                "budget_left": None if f.budget_left is None else str(f.budget_left),
            }
            for f in result.funding
        ]
    return data


# --- turnout --------------------------------------------------------------------------------------
def turnout_by_building(ws: Workspace, vote_id: str) -> pd.DataFrame:
    """Return per building of the roll: households on the roll, valid ballots, and turnout share.

    Counts the ballots that screening kept (one per household); a building's figure
    comes from its households, so it is private when small — suppression below 5 voters
    is the renderer's job (:func:`cogov_toolkit.render.vote_results.turnout_map`).
    """
    vote, ballots = screen_vote(ws, vote_id)
    roll = roll_for(ws, vote)
    set_aside = {s.ref for s in ballots.set_aside}
    voted = {b.voter for b in stored_ballots(ws, vote_id) if b.ref not in set_aside}
    roll = roll.assign(voted=roll["household_id"].isin(voted))
    table = roll.groupby(["building_id", "label"], as_index=False).agg(
        households=("household_id", "size"), voters=("voted", "sum")
    )
    table["turnout"] = table["voters"] / table["households"]
    return table


# --- helpers --------------------------------------------------------------------------------------
def _replace(vote: Vote, **changes: Any) -> Vote:
    from dataclasses import replace

    return replace(vote, **changes)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if _filled(value) else None


def _building_numbers(labels: pd.Series, building_ids: pd.Series) -> list[int]:
    """Return the number people say for each building: 5 for label 5栋 or id B05, -1 when neither has digits.

    The digits of the label, else of the id, in whole columns (a roll of 100,000 households).
    """
    # (each cell as str() writes it: a missing label is "nan" or "None", which has no digits)
    label_digits = labels.map(str).astype(object).str.replace(r"\D+", "", regex=True)
    id_digits = building_ids.map(str).astype(object).str.replace(r"\D+", "", regex=True)
    digits = label_digits.where(label_digits != "", id_digits)
    numbers = {text: int(text) for text in pd.unique(digits) if text}
    return [numbers.get(text, -1) for text in digits]


def _choice_text(choice: Any) -> str | None:
    """Return a choice as stored text: options as they are, rankings and scores as JSON, a blank ballot empty."""
    if choice is None or (isinstance(choice, str) and not choice.strip()):
        return None
    if isinstance(choice, str):
        return choice
    if isinstance(choice, Mapping):
        return json.dumps(dict(choice), ensure_ascii=False)
    if isinstance(choice, list | tuple | set | frozenset):
        return json.dumps(list(choice), ensure_ascii=False)
    return str(choice)


def fraction_text(value: Fraction | int) -> str:
    """Return an exact number for people: whole numbers as they are, others to 2 decimals."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


__all__ = [
    "DEFAULT_KIND",
    "Channel",
    "Scope",
    "Step",
    "StepRecord",
    "ShowOfHands",
    "Vote",
    "StoredCount",
    "ImportReport",
    "DEFAULT_PRECEDENCE",
    "read_precedence",
    "ChannelPrecedence",
    "ChannelScreening",
    "create_vote",
    "get_vote",
    "record_step",
    "record_show_of_hands",
    "roll_for",
    "jielong_roll",
    "record_ballots",
    "stored_ballots",
    "stored_ballots_by_channel",
    "ballot_channels",
    "set_aside_sources",
    "import_ballots",
    "record_jielong",
    "screen_vote",
    "screen_vote_channels",
    "tally_now",
    "count_vote",
    "stored_result",
    "recount_vote",
    "result_data",
    "turnout_by_building",
    "fraction_text",
    # re-exported for widgets and notebooks
    "LineProblem",
    "parse_jielong",
    "RawBallot",
]
