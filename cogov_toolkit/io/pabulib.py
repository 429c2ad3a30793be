"""Read participatory-budget votes in the pabulib ``.pb`` format (pabulib.org) into ballots to count.

A ``.pb`` file has three sections, each a ``;``-separated table under its name::

    META                      key;value rows: budget, vote_type (approval / cumulative / ordinal / …),
    key;value                 rule, max_sum_points, max_length, …
    budget;225862
    PROJECTS                  project_id;cost;… (name, votes, score, selected, category, …)
    project_id;cost;votes;name
    196;25000;72;…
    VOTES                     voter_id;vote;… (points, age, sex, voting_method, …)
    voter_id;vote;points
    1;196,443;5,5

:func:`read_pabulib` returns a :class:`PabulibElection`: the projects, the valid ballots as a
:class:`~cogov_toolkit.core.votes.BallotSet` with the costs and the budget as
:class:`~cogov_toolkit.core.votes.RuleParams`, the rule the file names, the
officially selected projects when the file says, and how many ballots came by each
``voting_method`` (paper, internet). Who voted (voter ids, age, sex, neighbourhood)
is read past and kept nowhere: a count needs only the ballots.

Ballot kinds:

* ``approval``: the approved projects;
* ``cumulative``: points per project, capped per voter by ``max_sum_points`` (the declared cap);
* ``ordinal``: a ranking, counted by a named rule, *positional points*: with at most
  ``L`` = ``max_length`` choices, the k-th choice gets ``L - k + 1`` points (Kraków's
  rule; the files' ``score`` column is these points). The ballots become cumulative
  ballots with cap ``L (L + 1) / 2``.

Files are UTF-8 (a BOM is allowed). A malformed file raises
:class:`~cogov_toolkit.errors.CorruptFileError` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cogov_toolkit.core.votes import BallotKind, BallotSet, Rule, RuleParams
from cogov_toolkit.errors import CorruptFileError, EncodingError

#: the pabulib rule names this reader knows, and the toolkit rule that counts them
RULES = {"greedy": Rule.PB_GREEDY, "equalshares": Rule.PB_EQUAL_SHARES, "equal_shares": Rule.PB_EQUAL_SHARES}
_SECTIONS = ("META", "PROJECTS", "VOTES")


@dataclass(frozen=True)
class PabulibElection:
    """One participatory-budget vote read from a ``.pb`` file.

    Parameters
    ----------
    meta : dict of str to str
        The META section as written (description, country, unit, budget, vote_type, rule, …).
    projects : pandas.DataFrame
        One row per project, in file order: ``project_id``, ``cost`` (int), ``name`` and every
        other column of the file (``votes``, ``score``, ``selected``, ``category``, …) as text.
    ballots : BallotSet
        The ballots, options = project ids in file order (approval or cumulative; ordinal
        ballots as positional points).
    params : RuleParams
        ``costs`` and ``budget`` of the file, for ``count_pb_greedy`` / ``count_pb_equal_shares``.
    rule : Rule, optional
        The toolkit rule matching the file's ``rule`` (None for a rule this reader does not count).
    vote_type : str
        As in the file (approval, cumulative, ordinal).
    selected : tuple of str, optional
        The project ids the file marks as selected (funded), when it has a ``selected`` column.
    channels : dict of str to int
        Ballots per ``voting_method`` (e.g. paper, internet), when the file says.
    """

    meta: dict[str, str]
    projects: pd.DataFrame
    ballots: BallotSet
    params: RuleParams
    rule: Rule | None
    vote_type: str
    selected: tuple[str, ...] | None
    channels: dict[str, int]

    @property
    def names(self) -> dict[str, str]:
        """Project id -> name (the id when the file gives no name)."""
        if "name" not in self.projects.columns:
            return {p: p for p in self.projects["project_id"]}
        return dict(zip(self.projects["project_id"], self.projects["name"], strict=True))


def read_pabulib(source: str | Path | bytes) -> PabulibElection:
    """Read a ``.pb`` file (a path, or its bytes) into a :class:`PabulibElection`.

    Raises
    ------
    CorruptFileError
        A section is missing, a row has the wrong number of fields, a cost or a budget is not a
        whole number, a ballot names an unknown project or gives bad points.
    EncodingError
        The file is not UTF-8.
    """
    name = "<bytes>" if isinstance(source, bytes) else str(source)
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EncodingError(file=name, encodings="UTF-8") from None
    sections = _sections(text, name)
    meta = {row[0].strip(): row[1].strip() if len(row) > 1 else "" for _, row in sections["META"][1]}
    projects = _projects(sections["PROJECTS"], name)
    budget = _whole(meta.get("budget"), name, sections["META"][0], "budget")
    vote_type = meta.get("vote_type", "approval").strip().lower()
    ballots, channels = _ballots(sections["VOTES"], projects, meta, vote_type, name)
    selected = None
    if "selected" in projects.columns:
        selected = tuple(
            p for p, s in zip(projects["project_id"], projects["selected"], strict=True) if s.strip() == "1"
        )
    params = RuleParams(costs=tuple(int(c) for c in projects["cost"]), budget=budget)
    return PabulibElection(
        meta=meta,
        projects=projects,
        ballots=ballots,
        params=params,
        rule=RULES.get(meta.get("rule", "").strip().lower()),
        vote_type=vote_type,
        selected=selected,
        channels=channels,
    )


def _bad(name: str, line: int | None, detail: str) -> CorruptFileError:
    return CorruptFileError("pabulib.bad_file", file=name, row=line, detail=detail)


def _sections(text: str, name: str) -> dict[str, tuple[int, list[tuple[int, list[str]]]]]:
    """Split the file into its sections: name -> (line of the header, [(line, fields), …] after the header)."""
    found: dict[str, tuple[int, list[tuple[int, list[str]]]]] = {}
    current: str | None = None
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    header_pending = False
    for fields in reader:
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        head = fields[0].strip().upper()
        if len(fields) == 1 and head in _SECTIONS:
            if head in found:
                raise _bad(name, line, f"section {head} twice")
            current, header_pending = head, True
            found[head] = (line, [])
            continue
        if current is None:
            raise _bad(name, line, "text before the META section")
        if header_pending:
            found[current] = (line, [(line, [f.strip() for f in fields])])
            header_pending = False
            continue
        found[current][1].append((line, fields))
    missing = [s for s in _SECTIONS if s not in found]
    if missing:
        raise _bad(name, None, "missing section " + ", ".join(missing))
    # META keeps its "key;value" header out of the rows
    meta_line, meta_rows = found["META"]
    found["META"] = (meta_line, [r for r in meta_rows if [f.strip().lower() for f in r[1][:2]] != ["key", "value"]])
    return found


def _table(
    section: tuple[int, list[tuple[int, list[str]]]], name: str, required: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    _, rows = section
    if not rows:
        raise _bad(name, None, "a section has no header row")
    header_line, header = rows[0]
    missing = [c for c in required if c not in header]
    if missing:
        raise _bad(name, header_line, "missing column " + ", ".join(missing))
    records = []
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            raise _bad(name, line, f"{len(fields)} fields where the header has {len(header)}")
        records.append((line, dict(zip(header, fields, strict=True))))
    return header, records


def _whole(value: Any, name: str, line: int | None, what: str) -> int:
    text = str(value if value is not None else "").strip()
    try:
        number = float(text)
    except ValueError:
        raise _bad(name, line, f"{what} '{text}' is not a number") from None
    if not number.is_integer() or number < 0:
        raise _bad(name, line, f"{what} '{text}' is not a whole non-negative number")
    return int(number)


def _projects(section, name: str) -> pd.DataFrame:
    header, records = _table(section, name, ("project_id", "cost"))
    ids = [r["project_id"].strip() for _, r in records]
    repeated = [p for p, n in Counter(ids).items() if n > 1]
    if repeated:
        raise _bad(name, records[0][0] if records else None, "project ids repeated: " + ", ".join(repeated))
    frame = pd.DataFrame([r for _, r in records], columns=header)
    frame["project_id"] = ids
    frame["cost"] = [_whole(r["cost"], name, line, "cost") for line, r in records]
    return frame


def _ballots(section, projects: pd.DataFrame, meta: dict[str, str], vote_type: str, name: str):
    _, records = _table(section, name, ("vote",))
    index = {p: i for i, p in enumerate(projects["project_id"])}
    m = len(index)
    rows = np.zeros((len(records), m), dtype=np.int64)
    channels: Counter[str] = Counter()
    if vote_type == "ordinal":
        longest = max((len(_ids(r["vote"])) for _, r in records), default=1)
        length = _whole(meta.get("max_length", longest), name, None, "max_length")
    for k, (line, record) in enumerate(records):
        chosen = _ids(record["vote"])
        unknown = [p for p in chosen if p not in index]
        if unknown:
            raise _bad(name, line, "unknown project " + ", ".join(unknown))
        if len(set(chosen)) != len(chosen):
            raise _bad(name, line, "a project twice in one ballot")
        positions = [index[p] for p in chosen]
        if vote_type == "approval":
            rows[k, positions] = 1
        elif vote_type == "cumulative":
            points = _ids(record.get("points", ""))
            if len(points) != len(chosen):
                raise _bad(name, line, "points do not match the projects voted for")
            rows[k, positions] = [_whole(p, name, line, "points") for p in points]
        elif vote_type == "ordinal":
            if len(chosen) > length:
                raise _bad(name, line, f"more than max_length={length} choices")
            rows[k, positions] = [length - rank for rank in range(len(chosen))]
        else:
            raise _bad(name, None, f"vote_type '{vote_type}' is not counted by this reader")
        method = record.get("voting_method", "").strip()
        if method:
            channels[method] += 1
    keep = rows.sum(axis=1) > 0  # an empty ballot carries no vote
    options = tuple(projects["project_id"])
    if vote_type == "approval":
        ballots = BallotSet(BallotKind.APPROVAL, options, rows[keep])
    else:
        if vote_type == "ordinal":
            cap, per_project = length * (length + 1) // 2, length
        else:
            cap = _whole(meta.get("max_sum_points", int(rows.sum(axis=1).max(initial=1))), name, None, "max_sum_points")
            per_project = _whole(meta["max_points"], name, None, "max_points") if meta.get("max_points") else cap
        over = np.flatnonzero(rows.sum(axis=1) > cap)
        if len(over):
            raise _bad(name, records[over[0]][0], f"more than max_sum_points={cap} points")
        ballots = BallotSet(BallotKind.CUMULATIVE, options, rows[keep], max_total=cap, max_score=per_project)
    return ballots, dict(channels)


def _ids(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(",") if part.strip()]


__all__ = ["RULES", "PabulibElection", "read_pabulib"]
