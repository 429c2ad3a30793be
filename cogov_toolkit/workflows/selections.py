"""Selections with several winners (先进典型评选) and participatory budgets (微实事) in the workspace.

A selection or a budget is a vote like any other (:mod:`cogov_toolkit.workflows.votes`):
the same ``votes`` record, ballots stored the same way (the household only in the
private ``ballot_links``, a random ``ballot_ref`` in public, idempotent), the same
count with its audit record that :func:`~cogov_toolkit.workflows.votes.recount_vote`
reproduces, the same decision notice through the publication gate. What this module
adds is what the planner says when creating one:

* a **selection** (:func:`create_selection`): nominees (one per line, optionally with the
  group a quota counts, e.g. their 网格: ``王秀英家庭 / 第一网格``), the number of seats,
  the rule (``block``: the everyday top-k; ``stv``: ranked; ``pav`` / ``equal_shares``:
  proportional, opt-in), at least so many elected per group (``block`` only), and the
  nominees' consent to be listed (recorded per nominee as a ``nominee_list`` consent,
  which lets the notice name them);
* a **budget** (:func:`create_budget`): projects with their costs (``楼道扶手 / 8000``),
  the money, approval or cumulative ballots (with the points each household may give),
  greedy by votes or the method of equal shares.

While a selection or a budget is open the tally board shows ballots received only
(:func:`board`): running figures would steer the later voters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cogov_toolkit.core.votes import BallotKind, Completion, Electorate, Quota, Rule, RuleParams, VoteResult
from cogov_toolkit.errors import Problem, ValidationError
from cogov_toolkit.workflows import votes as flow

if TYPE_CHECKING:
    from cogov_toolkit.render.map_layers import MapContent
    from cogov_toolkit.storage import Workspace

#: rules that elect several (a selection)
SELECTION_RULES = (Rule.BLOCK, Rule.STV, Rule.PAV, Rule.EQUAL_SHARES)
#: rules that fund projects within a budget
BUDGET_RULES = (Rule.PB_GREEDY, Rule.PB_EQUAL_SHARES)
#: the ballot kinds a budget takes
BUDGET_KINDS = (BallotKind.APPROVAL, BallotKind.CUMULATIVE)

# what separates a nominee from their group, or a project from its cost, on one line of the form
_SEPARATOR = re.compile(r"\s*[/|\t]\s*")


@dataclass(frozen=True)
class Nominee:
    """One nominee of a selection: the name shown on the ballot, and the group a quota counts (optional)."""

    name: str
    group: str | None = None


@dataclass(frozen=True)
class Project:
    """One project of a budget: its name, its cost in whole yuan, and where it is (optional).

    ``site`` names a public space (``S08``), an idle plot (``P01``) or a project of the project
    list (``PJ04``, whose site is then the place): the map of funded projects draws it there.
    """

    name: str
    cost: int
    site: str | None = None


def _lines(text: str) -> list[tuple[int, str]]:
    # NFKC: a Chinese IME's full-width "／", "｜" and digits read as the half-width ones
    return [
        (n, unicodedata.normalize("NFKC", line).strip())
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def read_nominees(text: str) -> tuple[Nominee, ...]:
    """Read the nominees typed in the form, one per line: ``王秀英家庭`` or ``王秀英家庭 / 第一网格``.

    Raises
    ------
    ValidationError
        ``selection.form_problems``, listing every line repeated or left without a name.
    """
    nominees: list[Nominee] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in _lines(text):
        parts = _SEPARATOR.split(line, maxsplit=1)
        name = parts[0].strip()
        group = parts[1].strip() if len(parts) > 1 else ""
        if not name:
            problems.append(Problem("selection.no_name", row=number, params={"text": line}))
        elif name in seen:
            problems.append(Problem("selection.repeated", row=number, params={"text": name}))
        else:
            seen.add(name)
            nominees.append(Nominee(name, group or None))
    if problems:
        raise ValidationError("selection.form_problems", problems=problems, count=len(problems))
    return tuple(nominees)


_COST = re.compile(r"^(\d+(?:\.\d+)?)\s*(万)?\s*(?:元)?$")


def read_cost(text: str) -> int | None:
    """Return a cost typed as ``8000``, ``8,000``, ``8000元`` or ``0.8万`` in whole yuan (None if unreadable)."""
    match = _COST.match(unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").strip())
    if not match:
        return None
    number = float(match.group(1)) * (10_000 if match.group(2) else 1)
    return int(round(number)) if abs(number - round(number)) < 1e-6 else None


def read_projects(text: str) -> tuple[Project, ...]:
    """Read the projects typed in the form, one per line with its cost: ``楼道扶手 / 8000``.

    A third part names the place: ``口袋花园 / 2.5万 / P01`` (an idle plot), ``/ S08`` (a
    public space) or ``/ PJ04`` (a project of the project list).

    Raises
    ------
    ValidationError
        ``selection.form_problems``, listing every line without a readable cost, without a name, or repeated.
    """
    projects: list[Project] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in _lines(text):
        parts = _SEPARATOR.split(line, maxsplit=2)
        name = parts[0].strip()
        cost = read_cost(parts[1]) if len(parts) > 1 else None
        site = parts[2].strip().upper() if len(parts) > 2 and parts[2].strip() else None
        if not name:
            problems.append(Problem("selection.no_name", row=number, params={"text": line}))
        elif cost is None:
            problems.append(Problem("selection.no_cost", row=number, params={"text": line}))
        elif name in seen:
            problems.append(Problem("selection.repeated", row=number, params={"text": name}))
        else:
            seen.add(name)
            projects.append(Project(name, cost, site))
    if problems:
        raise ValidationError("selection.form_problems", problems=problems, count=len(problems))
    return tuple(projects)


def group_quotas(nominees: Sequence[Nominee], minimum: int) -> tuple[Quota, ...]:
    """Return "at least ``minimum`` elected from each group" for the nominees' groups (none when 0)."""
    if minimum <= 0:
        return ()
    groups: dict[str, list[str]] = {}
    for nominee in nominees:
        if nominee.group:
            groups.setdefault(nominee.group, []).append(nominee.name)
    return tuple(Quota(group, tuple(names), minimum) for group, names in groups.items())


def _check_selection(nominees: Sequence[Nominee], seats: int, rule: Rule, quota_minimum: int) -> None:
    problems: list[Problem] = []
    if rule not in SELECTION_RULES:
        problems.append(Problem("selection.not_a_selection_rule", params={"rule": rule.value}))
    if seats < 1:
        problems.append(Problem("selection.no_seats"))
    elif len(nominees) < seats:  # 等额 (as many) or 差额 (more): never fewer nominees than seats
        problems.append(Problem("selection.too_few_nominees", params={"count": len(nominees), "seats": seats}))
    if quota_minimum > 0:
        if rule is not Rule.BLOCK:
            problems.append(Problem("selection.quota_block_only"))
        groups = {n.group for n in nominees}
        if None in groups or not groups:
            problems.append(Problem("selection.quota_needs_groups"))
        elif len(groups) * quota_minimum > seats:
            problems.append(
                Problem("selection.quota_too_many", params={"groups": len(groups), "minimum": quota_minimum})
            )
    if problems:
        raise ValidationError("selection.form_problems", problems=problems, count=len(problems))


def create_selection(
    ws: Workspace,
    vote_id: str,
    question: str,
    nominees: Sequence[Nominee | str],
    *,
    seats: int,
    consent_on: dt.date,
    rule: Rule | str = Rule.BLOCK,
    quota_minimum: int = 0,
    max_choices: int | None = None,
    electorate: Electorate | str = Electorate.HOUSEHOLDS,
    scope_type: flow.Scope | str = flow.Scope.COMMUNITY,
    scope_id: str | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    precedence: flow.ChannelPrecedence | None = None,
) -> flow.Vote:
    """Store a selection of ``seats`` from ``nominees`` and the nominees' consent to be listed; return the vote.

    Parameters
    ----------
    nominees : sequence of Nominee or str
        As on the ballot; a nominee's ``group`` is what ``quota_minimum`` counts (e.g. their 网格).
    seats : int
        How many are elected (at most as many as there are nominees).
    consent_on : datetime.date
        The day the nominees agreed to be listed (the candidate list is published before the
        vote): one ``nominee_list`` consent is recorded per nominee, so the notice may name them.
    rule : Rule
        ``block`` (default: the everyday top-k, approval ballots), ``stv`` (ranked ballots),
        ``pav`` or ``equal_shares`` (proportional, approval ballots).
    quota_minimum : int
        ``block`` only: at least so many elected from each group (0: no quota).
    max_choices : int, optional
        Approval ballots: the most nominees one ballot may approve; ``block`` defaults to
        ``seats`` ("选出 5 户": a ballot approving 6 is set aside), the others to no limit.

    Raises
    ------
    ValidationError
        ``selection.form_problems``: fewer nominees than seats, a quota without groups, … (all listed).
    """
    from cogov_toolkit.core.privacy import Purpose
    from cogov_toolkit.workflows.privacy import record_consent

    rule = Rule(rule)
    listed = tuple(n if isinstance(n, Nominee) else Nominee(str(n)) for n in nominees)
    _check_selection(listed, int(seats), rule, int(quota_minimum))
    params = RuleParams(seats=int(seats), quotas=group_quotas(listed, int(quota_minimum)))
    kind = BallotKind.RANKING if rule is Rule.STV else BallotKind.APPROVAL
    if kind is BallotKind.APPROVAL and max_choices is None and rule is Rule.BLOCK:
        max_choices = int(seats)
    with ws.transaction():  # the vote and its nominees' consents, together
        vote = flow.create_vote(
            ws, vote_id, question, [n.name for n in listed], rule=rule, electorate=electorate,
            scope_type=scope_type, scope_id=scope_id, opens_on=opens_on, closes_on=closes_on, kind=kind,
            rule_params=params, max_choices=max_choices, hide_running=True, precedence=precedence,
        )  # fmt: skip
        for nominee in listed:
            record_consent(ws, Purpose.NOMINEE_LIST, given_on=consent_on, public_name=nominee.name, subject_id=vote_id)
    return vote


def create_budget(
    ws: Workspace,
    vote_id: str,
    question: str,
    projects: Sequence[Project],
    *,
    budget: int,
    rule: Rule | str = Rule.PB_GREEDY,
    kind: BallotKind | str = BallotKind.APPROVAL,
    points: int | None = None,
    max_choices: int | None = None,
    completion: Completion | str | None = None,
    electorate: Electorate | str = Electorate.HOUSEHOLDS,
    scope_type: flow.Scope | str = flow.Scope.COMMUNITY,
    scope_id: str | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    precedence: flow.ChannelPrecedence | None = None,
) -> flow.Vote:
    """Store a participatory budget: ``projects`` with their costs, the ``budget``, the ballot and the rule.

    Parameters
    ----------
    projects : sequence of Project
        The projects on the ballot, each with its cost in whole yuan.
    budget : int
        The money to spend, in yuan.
    rule : Rule
        ``pb_greedy`` (default: by votes while the money lasts) or ``pb_equal_shares``.
    kind : BallotKind
        ``approval`` (tick the projects you support) or ``cumulative`` (spread ``points``).
    points : int, optional
        Cumulative ballots: the points each household may give in all (required there).
    max_choices : int, optional
        Approval ballots: the most projects one ballot may tick (default: no limit).
    completion : Completion, optional
        Equal shares: what to do with the money left (default: the rule's).

    Raises
    ------
    ValidationError
        ``selection.form_problems``: no project, no budget, cumulative without points (all listed).
    """
    rule, kind = Rule(rule), BallotKind(kind)
    problems: list[Problem] = []
    if rule not in BUDGET_RULES:
        problems.append(Problem("selection.not_a_budget_rule", params={"rule": rule.value}))
    if kind not in BUDGET_KINDS:
        problems.append(Problem("selection.bad_budget_ballot", params={"kind": kind.value}))
    if len(projects) < 2:
        problems.append(Problem("selection.too_few_projects"))
    if budget is None or int(budget) <= 0:
        problems.append(Problem("selection.no_budget"))
    if kind is BallotKind.CUMULATIVE and not points:
        problems.append(Problem("selection.no_points"))
    known = _places(ws)
    for project in projects:
        if project.site and project.site not in known:
            problems.append(Problem("selection.unknown_site", params={"text": project.name, "site": project.site}))
    if problems:
        raise ValidationError("selection.form_problems", problems=problems, count=len(problems))
    params = RuleParams(
        costs=tuple(p.cost for p in projects),
        budget=int(budget),
        completion=Completion(completion) if completion else None,
    )
    return flow.create_vote(
        ws, vote_id, question, [p.name for p in projects], rule=rule, electorate=electorate,
        scope_type=scope_type, scope_id=scope_id, opens_on=opens_on, closes_on=closes_on, kind=kind,
        rule_params=params, max_choices=max_choices if kind is BallotKind.APPROVAL else None,
        max_total=int(points) if kind is BallotKind.CUMULATIVE else None, hide_running=True,
        precedence=precedence, option_sites=tuple((p.name, p.site) for p in projects if p.site),
    )  # fmt: skip


def _places(ws: Workspace) -> dict[str, tuple[str, str]]:
    """Return every place a budget project may name: id -> (layer, id); a listed project -> its site."""
    places: dict[str, tuple[str, str]] = {}
    for layer, column in (("public_spaces", "space_id"), ("idle_plots", "plot_id")):
        frame = ws.layer_records(layer, None, columns=[column])
        places.update({str(i).upper(): (layer, str(i)) for i in frame[column]})
    listed = ws.records("projects", columns=["project_id", "site_type", "site_id"])
    layer_of = {"public_space": "public_spaces", "idle_plot": "idle_plots"}
    for pid, kind, sid in zip(listed["project_id"], listed["site_type"], listed["site_id"], strict=True):
        if kind in layer_of and isinstance(sid, str) and sid:
            places[str(pid).upper()] = (layer_of[kind], sid)
    return places


def funded_content(ws: Workspace, vote_id: str) -> MapContent:
    """Return the map of a counted budget's funded projects, each at the place it names.

    For :func:`~cogov_toolkit.render.interactive.content_map` (offline) or a print export.
    Funded projects that name no place are listed in the legend's note, not drawn.
    """
    import geopandas as gpd
    import numpy as np

    from cogov_toolkit import i18n
    from cogov_toolkit.render.map_layers import LegendClass, MapContent, MapLayer, background_geometry

    vote = flow.get_vote(ws, vote_id)
    data, _ = flow.stored_result(ws, vote_id)
    funded = [f for f in data.get("funding", []) if f["funded"]]
    sites, places = dict(vote.option_sites), _places(ws)
    drawn, geometries, unplaced = [], [], []
    layers = {name: ws.read_layer(name) for name in ("public_spaces", "idle_plots")}
    ids = {"public_spaces": "space_id", "idle_plots": "plot_id"}
    for item in funded:
        place = places.get(str(sites.get(item["project"], "")).upper())
        if place is None:
            unplaced.append(item["project"])
            continue
        layer, site_id = place
        frame = layers[layer]
        row = frame[frame[ids[layer]].astype(str) == site_id]
        geometries.append(row.geometry.to_crs(4326).iloc[0])
        drawn.append((item, site_id))
    label = i18n.t("selection.funded")
    layer = MapLayer(
        key="funded_projects",
        title=i18n.t("selection.funded_map"),
        classes=(LegendClass(label, "#009E73", count=len(drawn)),),
        class_field=i18n.t("selection.funded_field"),
        geometry=gpd.GeoSeries(geometries, crs=4326),
        class_index=np.zeros(len(drawn), dtype=int),
        tips=tuple(item["project"] for item, _ in drawn),
        fields=(i18n.t("selection.cost"), i18n.t("selection.place")),
        values=tuple((f"{item['cost']}元", site_id) for item, site_id in drawn),
        note=i18n.t("selection.unplaced", names="、".join(unplaced)) if unplaced else None,
    )
    spatial = {kind: ws.read_layer(kind) for kind in ("community", "neighbourhoods", "grids", "buildings")}
    return MapContent(ws.community_name, (layer,), background_geometry(spatial))


def is_selection(vote: flow.Vote) -> bool:
    """True for a vote that elects several (block, STV, PAV, equal shares)."""
    return vote.rule in SELECTION_RULES


def is_budget(vote: flow.Vote) -> bool:
    """True for a participatory budget."""
    return vote.rule in BUDGET_RULES


def running_hidden(vote: flow.Vote) -> bool:
    """True while the tally board may show ballots received only: an open selection, budget or hidden vote."""
    return (vote.hide_running or is_selection(vote) or is_budget(vote)) and vote.status != "counted"


@dataclass(frozen=True)
class Board:
    """What the tally board may show: ballots received, and the figures only when they are not hidden.

    ``result`` is the running count (figures not hidden) or the stored count (after the count);
    None while a selection or budget is open.
    """

    vote: flow.Vote
    hidden: bool
    received: int
    result: VoteResult | None


def board(ws: Workspace, vote_id: str) -> Board:
    """Return what the projected tally board may show for ``vote_id`` now.

    An open selection or budget (or a vote created with ``hide_running``) shows the number of
    ballots received only; once counted, the board shows the stored count's figures; any
    other vote shows the running count exactly as the count will (:func:`~.votes.tally_now`).
    """
    vote = flow.get_vote(ws, vote_id)
    ballots = ws.records("ballots")
    received = int((ballots["vote_id"] == vote_id).sum())
    if running_hidden(vote):
        return Board(vote, True, received, None)
    return Board(vote, False, received, flow.tally_now(ws, vote_id))


__all__ = [
    "SELECTION_RULES",
    "BUDGET_RULES",
    "BUDGET_KINDS",
    "Nominee",
    "Project",
    "read_nominees",
    "read_projects",
    "read_cost",
    "group_quotas",
    "create_selection",
    "create_budget",
    "is_selection",
    "is_budget",
    "running_hidden",
    "Board",
    "board",
]
