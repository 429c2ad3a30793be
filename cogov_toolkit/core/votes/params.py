"""What a count is asked to do: the rule, its parameters and the thresholds it checks.

Declarations only. Every option is a documented enum whose values are the
codes stored in the workspace (``Rule`` values are the ``vote_rule`` codes of
:mod:`cogov_toolkit.core.schema`), and every threshold is an exact fraction:
a vote decided at exactly 2/3 must not depend on how a float rounds.
"""

from __future__ import annotations

import json
import numbers
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from cogov_toolkit.core.codes import Electorate, Rule
from cogov_toolkit.errors import VoteError


class BallotKind(StrEnum):
    """What one ballot holds; each rule accepts one or two kinds."""

    CHOICE = "choice"  #: one option
    YES_NO_ABSTAIN = "yes_no_abstain"  #: one of three options, in the order yes, no, abstain
    RANKING = "ranking"  #: options in order of preference, possibly truncated, no option twice
    APPROVAL = "approval"  #: a non-empty set of approved options
    SCORE = "score"  #: an integer score 0..max_score per option (an option left out scores 0)
    CUMULATIVE = "cumulative"  #: points spread over options, at most ``max_total`` in all (and ``max_score`` each)


class TieBreakMethod(StrEnum):
    """What to do when options tie for a win (or, in instant runoff, for elimination)."""

    REPORT = "report"  #: list every tied option as a winner; nothing is drawn (default)
    LOT = "lot"  #: draw one by lot from a recorded seed (reproducible, see :mod:`.ties`)


class DuplicatePolicy(StrEnum):
    """Which ballot counts when one household (or unit) sent several readable ballots."""

    KEEP_FIRST = "keep_first"  #: the first one, in the order given (default: later ones are duplicates)
    KEEP_LAST = "keep_last"  #: the last one (a 接龙 correction replaces the earlier reply)
    SET_ASIDE_ALL = "set_aside_all"  #: none of them


class Completion(StrEnum):
    """How the method of equal shares spends what its first phase leaves (``equal_shares``, ``pb_equal_shares``)."""

    NONE = "none"  #: fund only what the equal shares bought
    GREEDY = "greedy"  #: then fund the remaining projects by votes while the budget lasts
    ADD_ONE = "add_one"  #: raise every voter's share by one unit while the outcome stays within budget, then greedy


class Utility(StrEnum):
    """What an approved project is worth to a voter in the method of equal shares (approval ballots)."""

    COST = "cost"  #: its cost (the usual choice for budgets, as on equalshares.net; default for ``pb_equal_shares``)
    COUNT = "count"  #: one per approved project (the committee rule ``equal_shares`` always counts this way)


@dataclass(frozen=True)
class Quota:
    """At least ``minimum`` of the elected must come from ``options`` (e.g. one per 网格).

    Parameters
    ----------
    group : str
        What the group is called on the notice (e.g. "第一网格").
    options : tuple of str
        The candidates of the group (each candidate in at most one group).
    minimum : int
        How many of them must be elected at least.
    """

    group: str
    options: tuple[str, ...]
    minimum: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "group", str(self.group))
        object.__setattr__(self, "options", tuple(str(o) for o in self.options))
        if isinstance(self.minimum, bool) or not isinstance(self.minimum, numbers.Integral) or self.minimum < 1:
            raise VoteError("vote.bad_parameter", detail=f"quota minimum={self.minimum!r}")
        object.__setattr__(self, "minimum", int(self.minimum))

    def to_data(self) -> dict[str, Any]:
        """Return the quota as JSON-ready data."""
        return {"group": self.group, "options": list(self.options), "minimum": self.minimum}


class CivilCodeMatter(StrEnum):
    """The nine matters owners decide together, PRC Civil Code Art. 278 para. 1 (items 1–9).

    The matter picks the approval threshold: items 6–8 need ≥ 3/4 of the participating
    area and of the participating owners, the others more than half of both.
    """

    RULES_OF_PROCEDURE = "rules_of_procedure"  #: (一) 制定和修改业主大会议事规则
    MANAGEMENT_STATUTE = "management_statute"  #: (二) 制定和修改管理规约
    OWNERS_COMMITTEE = "owners_committee"  #: (三) 选举业主委员会或者更换业主委员会成员
    PROPERTY_MANAGER = "property_manager"  #: (四) 选聘和解聘物业服务企业或者其他管理人
    USE_MAINTENANCE_FUND = "use_maintenance_fund"  #: (五) 使用建筑物及其附属设施的维修资金
    RAISE_MAINTENANCE_FUND = "raise_maintenance_fund"  #: (六) 筹集建筑物及其附属设施的维修资金
    REBUILD = "rebuild"  #: (七) 改建、重建建筑物及其附属设施
    COMMON_PARTS_USE = "common_parts_use"  #: (八) 改变共有部分的用途或者利用共有部分从事经营活动
    OTHER_MAJOR = "other_major"  #: (九) 有关共有和共同管理权利的其他重大事项

    @property
    def item(self) -> int:
        """The item number (1–9) of the matter in Art. 278 para. 1."""
        return list(CivilCodeMatter).index(self) + 1

    @property
    def approval(self) -> Threshold:
        """The approval threshold the article sets for this matter (of participating area and owners)."""
        return AT_LEAST_THREE_QUARTERS if self.item in (6, 7, 8) else MORE_THAN_HALF


@dataclass(frozen=True)
class Threshold:
    """A share that a part must reach: ``part / whole >= ratio`` (inclusive) or ``> ratio``.

    Chinese legal texts say "以上" for inclusive (2/3 以上 includes exactly 2/3) and
    "过半数" for strictly more than half. The comparison is done by integer
    cross-multiplication, never in floating point.

    Parameters
    ----------
    ratio : Fraction, int or str
        The share, e.g. ``Fraction(2, 3)`` or ``"2/3"``. A float is read through its
        decimal text (``0.5`` -> 1/2), so ``0.6667`` means 6667/10000, not 2/3.
    inclusive : bool
        True for "at least" (以上), False for "more than" (过半数).
    """

    ratio: Fraction
    inclusive: bool

    def __post_init__(self) -> None:
        ratio = self.ratio
        try:
            ratio = Fraction(str(ratio)) if isinstance(ratio, float) else Fraction(ratio)
        except (TypeError, ValueError, ZeroDivisionError):
            raise VoteError("vote.bad_threshold", value=str(self.ratio)) from None
        if not 0 <= ratio <= 1:
            raise VoteError("vote.bad_threshold", value=str(self.ratio))
        object.__setattr__(self, "ratio", ratio)
        object.__setattr__(self, "inclusive", bool(self.inclusive))

    @classmethod
    def at_least(cls, ratio: Fraction | int | str) -> Threshold:
        """Return the threshold "``ratio`` or more" (以上)."""
        return cls(Fraction(ratio), True)

    @classmethod
    def more_than(cls, ratio: Fraction | int | str) -> Threshold:
        """Return the threshold "more than ``ratio``" (过半数 for 1/2)."""
        return cls(Fraction(ratio), False)

    def met(self, part: int | Fraction, whole: int | Fraction) -> bool:
        """Return True when ``part`` out of ``whole`` reaches the threshold (False when ``whole`` is 0)."""
        if whole <= 0:
            return False
        # part/whole ? p/q  <=>  part*q ? p*whole, all in exact integers or fractions
        lhs = Fraction(part) * self.ratio.denominator
        rhs = Fraction(whole) * self.ratio.numerator
        return lhs >= rhs if self.inclusive else lhs > rhs

    def to_data(self) -> dict[str, Any]:
        """Return the threshold as JSON-ready data (the ratio as text, e.g. "2/3")."""
        return {"ratio": str(self.ratio), "inclusive": self.inclusive}


MORE_THAN_HALF = Threshold(Fraction(1, 2), False)  #: 过半数
AT_LEAST_TWO_THIRDS = Threshold(Fraction(2, 3), True)  #: 三分之二以上
AT_LEAST_THREE_QUARTERS = Threshold(Fraction(3, 4), True)  #: 四分之三以上


@dataclass(frozen=True)
class RuleParams:
    """The parameters of one count; every rule takes the same object and reads what applies to it.

    Parameters
    ----------
    tie_break : TieBreakMethod
        ``REPORT`` (default) lists tied options as joint winners; ``LOT`` draws one.
    seed : int, optional
        The lot's seed (required with ``LOT``); stored in the result, so a recount draws the same.
    matter : CivilCodeMatter, optional
        The matter of an owners' decision (required by ``civil_code_278``; it picks the thresholds).
    quorum : Threshold, optional
        Participation needed, as a share of the electorate. ``representatives`` default:
        at least 2/3 of members present; ``yes_no_abstain`` default: none. Not allowed for
        ``civil_code_278`` (the article fixes it).
    majority : Threshold, optional
        Approval needed, as a share of those taking part (abstentions included). Default
        for ``yes_no_abstain`` and ``representatives``: more than half. Not allowed for
        ``civil_code_278``.
    seats : int, optional
        How many are elected (``block``, ``stv``, ``pav``, ``equal_shares``; required there).
    quotas : tuple of Quota
        ``block`` only: groups that must each have at least so many of the elected.
    costs : tuple of int, optional
        Participatory budgets: the cost of each option (project), in ballot order, in whole
        yuan (or any one unit). Required by ``pb_greedy`` and ``pb_equal_shares``.
    budget : int, optional
        Participatory budgets: what may be spent in all, in the unit of ``costs``. Required there.
    completion : Completion
        ``equal_shares`` and ``pb_equal_shares``: what to do with money the equal shares leave
        (default ``add_one`` for budgets, as most real uses of the method do; ``none`` for committees).
    utility : Utility, optional
        ``pb_equal_shares`` on approval ballots: ``cost`` (default) or ``count``.
    decimals : int, optional
        ``stv`` only: transfer values and transferred votes truncated to this many decimal places,
        as official counts do (Scottish local elections: 5). Default: exact fractions.
    """

    tie_break: TieBreakMethod = TieBreakMethod.REPORT
    seed: int | None = None
    matter: CivilCodeMatter | None = None
    quorum: Threshold | None = None
    majority: Threshold | None = None
    seats: int | None = None
    quotas: tuple[Quota, ...] = ()
    costs: tuple[int, ...] | None = None
    budget: int | None = None
    completion: Completion | None = None
    utility: Utility | None = None
    decimals: int | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "tie_break", TieBreakMethod(self.tie_break))
            if self.matter is not None:
                object.__setattr__(self, "matter", CivilCodeMatter(self.matter))
        except ValueError as exc:
            raise VoteError("vote.bad_parameter", detail=str(exc)) from None
        if self.seed is not None:
            if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
                raise VoteError("vote.bad_parameter", detail=f"seed={self.seed!r}")
            object.__setattr__(self, "seed", int(self.seed))  # numpy integers too, stored as int
        if self.tie_break is TieBreakMethod.LOT and self.seed is None:
            raise VoteError("vote.seed_required")
        for name in ("quorum", "majority"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Threshold):
                raise VoteError("vote.bad_parameter", detail=f"{name}={value!r}")
        for name, low in (("seats", 1), ("budget", 0), ("decimals", 0)):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
                    raise VoteError("vote.bad_parameter", detail=f"{name}={value!r}")
                object.__setattr__(self, name, int(value))
        if self.costs is not None:
            costs = tuple(self.costs)
            if any(isinstance(c, bool) or not isinstance(c, numbers.Integral) or c < 0 for c in costs):
                raise VoteError("vote.bad_parameter", detail=f"costs={costs!r}")
            object.__setattr__(self, "costs", tuple(int(c) for c in costs))
        quotas = tuple(self.quotas)
        if any(not isinstance(q, Quota) for q in quotas):
            raise VoteError("vote.bad_parameter", detail=f"quotas={quotas!r}")
        object.__setattr__(self, "quotas", quotas)
        try:
            if self.completion is not None:
                object.__setattr__(self, "completion", Completion(self.completion))
            if self.utility is not None:
                object.__setattr__(self, "utility", Utility(self.utility))
        except ValueError as exc:
            raise VoteError("vote.bad_parameter", detail=str(exc)) from None

    def to_data(self) -> dict[str, Any]:
        """Return the parameters as JSON-ready data (what the audit record stores).

        Parameters of the multi-winner and budget rules are written only when set, so the
        records of single-winner counts read exactly as before they existed.
        """
        data: dict[str, Any] = {
            "tie_break": self.tie_break.value,
            "seed": self.seed,
            "matter": self.matter.value if self.matter else None,
            "quorum": self.quorum.to_data() if self.quorum else None,
            "majority": self.majority.to_data() if self.majority else None,
        }
        extra = {
            "seats": self.seats,
            "quotas": [q.to_data() for q in self.quotas] or None,
            "costs": list(self.costs) if self.costs is not None else None,
            "budget": self.budget,
            "completion": self.completion.value if self.completion else None,
            "utility": self.utility.value if self.utility else None,
            "decimals": self.decimals,
        }
        return data | {k: v for k, v in extra.items() if v is not None}

    def to_json(self) -> str:
        """Return the canonical JSON text of the parameters (sorted keys, no spaces)."""
        return json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RuleParams:
        """Rebuild parameters from :meth:`to_json` text."""
        data = json.loads(text)

        def threshold(value: dict[str, Any] | None) -> Threshold | None:
            return None if value is None else Threshold(Fraction(value["ratio"]), value["inclusive"])

        return cls(
            tie_break=TieBreakMethod(data["tie_break"]),
            seed=data["seed"],
            matter=CivilCodeMatter(data["matter"]) if data["matter"] else None,
            quorum=threshold(data["quorum"]),
            majority=threshold(data["majority"]),
            seats=data.get("seats"),
            quotas=tuple(Quota(q["group"], tuple(q["options"]), q["minimum"]) for q in data.get("quotas") or ()),
            costs=tuple(data["costs"]) if data.get("costs") is not None else None,
            budget=data.get("budget"),
            completion=data.get("completion"),
            utility=data.get("utility"),
            decimals=data.get("decimals"),
        )


#: the parameters a rule uses when none are given: ties reported, rule defaults for thresholds
DEFAULT_PARAMS = RuleParams()

__all__ = [
    "Rule",
    "BallotKind",
    "Electorate",
    "TieBreakMethod",
    "DuplicatePolicy",
    "Completion",
    "Utility",
    "Quota",
    "CivilCodeMatter",
    "Threshold",
    "MORE_THAN_HALF",
    "AT_LEAST_TWO_THIRDS",
    "AT_LEAST_THREE_QUARTERS",
    "RuleParams",
    "DEFAULT_PARAMS",
]
