"""The public notice (公示) of a counted vote, and objections registered against it.

:func:`decision_notice` builds a :class:`~cogov_toolkit.core.notice.Notice` from the
stored result only: the question, the figures per option, turnout, how many ballots
were set aside and why, the 四议两公开 steps with dates. It reads the private file
only through the publication gate (:func:`~cogov_toolkit.core.notice.check_public`
with :func:`~cogov_toolkit.workflows.privacy.publication_gate`): no name or phone of
the private file, no room or household id slips into the text, and an option that
names a person needs that person's consent to a nominee list. Nothing per household is in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.notice import DEFAULT_PERIOD_DAYS, Notice, NoticeTable, check_public, default_period
from cogov_toolkit.workflows.privacy import publication_gate
from cogov_toolkit.workflows.votes import fraction_text, get_vote, stored_result

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace


def decision_notice(
    ws: Workspace,
    vote_id: str,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    start_on: dt.date,
    days: int = DEFAULT_PERIOD_DAYS,
    notice_id: str | None = None,
    issued_on: dt.date | None = None,
) -> Notice:
    """Return the 公示 of the counted vote ``vote_id``, with aggregate figures only.

    Parameters
    ----------
    ws : Workspace
    vote_id : str
        A vote counted with :func:`~cogov_toolkit.workflows.votes.count_vote`.
    contact, office_phone, issuer : str
        The contact person's title, the office's public phone, the issuing body (落款).
    start_on : datetime.date
        First day of the publicity period; it lasts ``days`` days (at least 7).
    notice_id, issued_on : optional
        Default ``GS-<vote_id>`` and ``start_on``.

    Raises
    ------
    NoticeError
        When the period is shorter than 7 days, a part is missing, or a name or phone
        from the private roll appears in the text.
    """
    vote = get_vote(ws, vote_id)
    data, _ = stored_result(ws, vote_id)
    start, end = default_period(start_on, days)
    notice = Notice(
        notice_id=notice_id or f"GS-{vote_id}",
        title=i18n.t("vote_notice.title", question=vote.question),
        basis=_basis(vote),
        matter=_matter(vote.question, vote.electorate.value, data),
        start_on=start,
        end_on=end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on or start_on,
        kind="decision",
        table=_table(data),
        subject_id=vote_id,
        notes=_notes(data),
    )
    check_public(notice, publication_gate(ws), min_days=DEFAULT_PERIOD_DAYS)
    return notice


def save_notice(ws: Workspace, notice: Notice) -> str:
    """Store the notice in ``notices`` (status draft) and return the record's uuid."""
    return ws.add("notices", {**notice.record(), "status": "draft"})


def register_objection(
    ws: Workspace,
    notice_id: str,
    received_on: dt.date,
    summary: str,
    *,
    channel: str = "visit",
    contact: Mapping[str, Any] | None = None,
) -> str:
    """Register an objection to a notice; who raised it (household, name, phone) goes to the private file."""
    private = {"objection_contacts": dict(contact)} if contact else None
    return ws.add(
        "objections",
        {
            "notice_id": notice_id,
            "received_on": received_on,
            "channel": channel,
            "summary": summary,
            "status": "received",
        },
        private=private,
    )


def _basis(vote: Any) -> str:
    steps = "；".join(f"{_day(s.on)} {i18n.label('vote_step', s.step.value)}" for s in vote.steps)
    return i18n.t("vote_notice.basis", steps=steps or i18n.t("vote_notice.no_steps"))


def _day(day: dt.date) -> str:
    # written out, not ISO: the notice check reads 2026-05-25 as a long number (a phone)
    return i18n.t("vote_notice.date", year=day.year, month=day.month, day=day.day)


def _matter(question: str, electorate: str, data: Mapping[str, Any]) -> str:
    winners = "、".join(data["winners"])
    roll = data.get("roll") or {}
    voters = roll.get("voters") or 0
    outcome = (
        i18n.t("vote_notice.passed" if data["passed"] else "vote_notice.not_passed")
        if data.get("passed") is not None
        else _committee_outcome(data)
        if "committees" in data
        else i18n.t("vote_notice.winner", winners=winners or i18n.t("vote_notice.no_winner"))
    )
    return i18n.t(
        "vote_notice.matter",
        question=question,
        counted=data["ballots_counted"],
        roll=i18n.t(f"vote_notice.roll.{electorate}", count=voters),
        set_aside=len(data["set_aside"]),
        outcome=outcome,
    )


def _committee_outcome(data: Mapping[str, Any]) -> str:
    """The elected (a selection) or the funded (a budget), and what a tie leaves open."""
    none = i18n.t("vote_notice.no_winner")
    if "funding" in data:
        funded = [f for f in data["funding"] if f["funded"]]
        text = i18n.t(
            "selection.notice.funded",
            projects="、".join(f["project"] for f in funded) or none,
            spent=fraction_text(sum(f["cost"] for f in funded)),
            budget=fraction_text(data["budget"]),
        )
    else:
        text = i18n.t("selection.notice.elected", seats=data.get("seats"), winners="、".join(data["winners"]) or none)
    if data.get("contested"):
        key = "selection.notice.contested_projects" if "funding" in data else "selection.notice.contested"
        text += i18n.t(key, options="、".join(data["contested"]))
    return text


def _table(data: Mapping[str, Any]) -> NoticeTable:
    if "funding" in data:  # a budget: each project, its cost and votes, funded or not and why
        columns = tuple(i18n.t(f"selection.notice.column.{c}") for c in ("project", "cost", "votes", "result"))
        rows = [
            (f["project"], fraction_text(f["cost"]), fraction_text(f["votes"]), i18n.t(f["reason"]))
            for f in data["funding"]
        ]
        return NoticeTable.from_records(columns, rows)
    if "committees" in data:  # a selection: each nominee, their votes, elected or not
        elected, contested = set(data["winners"]), set(data.get("contested", ()))
        votes = "first_preferences" if data["rule"] == "stv" else "votes"
        columns = tuple(i18n.t(f"selection.notice.column.{c}") for c in ("nominee", votes, "result"))
        status = {True: i18n.t("selection.notice.elected_mark"), False: ""}
        rows = [
            (
                option,
                fraction_text(Fraction(score)),
                i18n.t("selection.notice.tied_mark") if option in contested else status[option in elected],
            )
            for option, score in data["scores"]
        ]
        return NoticeTable.from_records(columns, rows)
    total = sum(Fraction(s) for _, s in data["scores"])
    rows = [
        (option, fraction_text(Fraction(score)), f"{float(Fraction(score) / total) * 100:.1f}%" if total else "—")
        for option, score in data["scores"]
    ]
    columns = (
        i18n.t("vote_notice.column.option"),
        i18n.t("vote_notice.column.votes"),
        i18n.t("vote_notice.column.share"),
    )
    return NoticeTable.from_records(columns, rows)


def _notes(data: Mapping[str, Any]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for _, reason in data["set_aside"]:
        counts[reason] = counts.get(reason, 0) + 1
    return tuple(i18n.t("vote_notice.set_aside_note", reason=i18n.t(r), count=n) for r, n in counts.items())


__all__ = ["decision_notice", "save_notice", "register_objection"]
