"""Resident conventions on a workspace: draft from demands, revise (every version kept), vote, adopt, publish, print.

The article rules and the diff are :mod:`cogov_toolkit.core.conventions`; the
vote is the toolkit's own (:mod:`cogov_toolkit.workflows.votes`): a version is
put to one 赞成/反对/弃权 vote on the whole text, or one vote per article, under
any yes/no/abstain rule (households, representatives, owners by Civil Code
Art. 278). :func:`adopt_version` adopts a version only from counted votes that
passed, and only after recounting each of them from the stored ballots
(:func:`~cogov_toolkit.workflows.votes.recount_vote`): the adopted version
carries its vote ids, so its result is linked and can be reproduced at any time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.conventions import (
    ArticleChange,
    ConventionKind,
    ConventionTopic,
    VersionStatus,
    VoteMode,
    article_label,
    check_articles,
    diff_articles,
    diff_text,
    numbered_text,
    parse_articles,
)
from cogov_toolkit.core.notice import Notice, NoticeTable, check_public, default_period, format_date
from cogov_toolkit.core.values import is_blank, parse_date
from cogov_toolkit.core.votes import YES_NO_ABSTAIN_OPTIONS
from cogov_toolkit.errors import ConventionError, RecordError
from cogov_toolkit.workflows import votes as vote_flow
from cogov_toolkit.workflows.privacy import publication_gate

if TYPE_CHECKING:
    from cogov_toolkit.render.convention import ConventionDocument
    from cogov_toolkit.storage import Workspace

#: the yes/no/abstain rules a convention may be put to
VOTE_RULES = ("yes_no_abstain", "representatives", "civil_code_278")


@dataclass(frozen=True)
class ConventionVersion:
    """One stored version of a convention: its articles, where they came from, and how it was decided."""

    convention_id: str
    version: int
    articles: tuple[str, ...]
    status: VersionStatus = VersionStatus.DRAFT
    demand_ids: tuple[str, ...] = ()
    note: str = ""
    drafted_on: dt.date | None = None
    vote_mode: VoteMode | None = None
    vote_ids: tuple[str, ...] = ()
    adopted_on: dt.date | None = None
    uuid: str = ""

    def text(self, language: str | None = None) -> str:
        """The articles as numbered text ("第1条 …")."""
        return numbered_text(self.articles, language)


@dataclass(frozen=True)
class Convention:
    """A convention: title, kind, topics, scope, its versions, and the adopted one."""

    convention_id: str
    title: str
    kind: ConventionKind
    topics: tuple[ConventionTopic, ...]
    scope_type: str | None
    scope_id: str | None
    versions: tuple[ConventionVersion, ...] = field(default_factory=tuple)
    adopted_version: int | None = None
    uuid: str = ""

    @property
    def latest(self) -> ConventionVersion:
        """The newest version."""
        return self.versions[-1]

    def version(self, number: int) -> ConventionVersion:
        """Return version ``number``; raise ConventionError ``convention.unknown_version`` when absent."""
        for version in self.versions:
            if version.version == number:
                return version
        raise ConventionError("convention.unknown_version", convention_id=self.convention_id, version=number)

    @property
    def adopted(self) -> ConventionVersion | None:
        """The version in force, or None."""
        return self.version(self.adopted_version) if self.adopted_version else None


# --- reading ---------------------------------------------------------------------------------------
def _present(value: Any) -> bool:
    return not is_blank(value)


def _json(value: Any) -> list:
    return json.loads(value) if _present(value) else []


def _version(record: dict[str, Any]) -> ConventionVersion:
    return ConventionVersion(
        convention_id=record["convention_id"],
        version=int(record["version"]),
        articles=tuple(_json(record["articles"])),
        status=VersionStatus(record["status"]) if _present(record.get("status")) else VersionStatus.DRAFT,
        demand_ids=tuple(_json(record.get("demand_ids"))),
        note=record.get("note") or "",
        drafted_on=parse_date(record["drafted_on"]) if _present(record.get("drafted_on")) else None,
        vote_mode=VoteMode(record["vote_mode"]) if _present(record.get("vote_mode")) else None,
        vote_ids=tuple(_json(record.get("vote_ids"))),
        adopted_on=parse_date(record["adopted_on"]) if _present(record.get("adopted_on")) else None,
        uuid=record["uuid"],
    )


def convention_ids(ws: Workspace) -> list[tuple[str, str]]:
    """Return (label, id) of every convention, for a dropdown: "GY01 幸福小区居民公约"."""
    frame = ws.records("conventions")
    return [(f"{c} {t}", c) for c, t in zip(frame["convention_id"], frame["title"], strict=True)] if len(frame) else []


def demand_choices(ws: Workspace) -> list[tuple[str, str]]:
    """Return (label, id) of every demand a convention may be drafted from: "D004 停车"."""
    frame = ws.records("demands")
    if not len(frame):
        return []
    return [
        (f"{d} {i18n.label('demand_category', c)}", d)
        for d, c in zip(frame["demand_id"], frame["category"], strict=True)
    ]


def get_convention(ws: Workspace, convention_id: str) -> Convention:
    """Return a convention with every version, oldest first; an unknown id raises ConventionError."""
    frame = ws.records("conventions")
    rows = frame[frame["convention_id"] == convention_id] if len(frame) else frame
    if not len(rows):
        raise ConventionError("convention.unknown", convention_id=convention_id)
    record = rows.iloc[0].to_dict()
    versions = ws.records("convention_versions")
    mine = versions[versions["convention_id"] == convention_id] if len(versions) else versions
    stored = sorted((_version(r) for r in mine.to_dict("records")), key=lambda v: v.version)
    return Convention(
        convention_id=convention_id,
        title=record["title"],
        kind=ConventionKind(record["kind"]) if _present(record.get("kind")) else ConventionKind.RESIDENT_CONVENTION,
        topics=tuple(ConventionTopic(t) for t in _json(record.get("topics"))),
        scope_type=record.get("scope_type") if _present(record.get("scope_type")) else None,
        scope_id=record.get("scope_id") if _present(record.get("scope_id")) else None,
        versions=tuple(stored),
        adopted_version=int(record["adopted_version"]) if _present(record.get("adopted_version")) else None,
        uuid=record["uuid"],
    )


# --- drafting and revising -------------------------------------------------------------------------
def _articles(articles: str | Sequence[str]) -> tuple[str, ...]:
    parsed = parse_articles(articles) if isinstance(articles, str) else tuple(str(a).strip() for a in articles)
    problems = check_articles(parsed)
    if problems:
        raise ConventionError("convention.bad_articles", problems=problems, count=len(problems))
    return parsed


def _demands(ws: Workspace, demand_ids: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(str(d).strip() for d in demand_ids if str(d).strip()))
    frame = ws.records("demands")
    known = set(frame["demand_id"]) if len(frame) else set()
    for demand_id in wanted:
        if demand_id not in known:
            raise ConventionError("convention.unknown_demand", demand_id=demand_id)
    return wanted


def _codes(values: Iterable[str], enum: type, what: str) -> tuple[str, ...]:
    codes = []
    labels = {i18n.label(what, str(c)): str(c) for c in enum}
    for value in values:
        code = labels.get(str(value), str(value))
        if code not in {str(c) for c in enum}:
            allowed = "、".join(i18n.label(what, str(c)) for c in enum)
            raise ConventionError(
                "convention.bad_code", value=str(value), what=i18n.t(f"column.{_WHAT[what]}"), allowed=allowed
            )
        codes.append(code)
    return tuple(codes)


_WHAT = {"convention_kind": "kind", "convention_topic": "topics", "vote_mode": "vote_mode"}


def create_convention(
    ws: Workspace,
    convention_id: str,
    title: str,
    articles: str | Sequence[str],
    *,
    kind: ConventionKind | str = ConventionKind.RESIDENT_CONVENTION,
    topics: Iterable[ConventionTopic | str] = (),
    scope_type: str = "community",
    scope_id: str | None = None,
    demand_ids: Iterable[str] = (),
    note: str = "",
    drafted_on: dt.date | None = None,
) -> Convention:
    """Store a new convention and its first version (a draft); return it.

    ``articles`` is a list of texts, or text pasted as it is typed ("第1条 …" per
    paragraph). ``demand_ids`` are the demands it was drafted from (三.3: public
    space, parking, waste sorting, safety). The scope (the whole community by
    default, or ``neighbourhood`` N1, ``building`` B05) is who votes on it.

    Raises
    ------
    ConventionError
        ``convention.exists``, ``convention.blank_title``, ``convention.bad_articles``
        (listing every blank or repeated article), ``convention.unknown_demand``,
        ``convention.bad_code``.
    """
    convention_id = str(convention_id).strip()
    if not str(title).strip():
        raise ConventionError("convention.blank_title")
    if convention_id in {c for _, c in convention_ids(ws)}:
        raise ConventionError("convention.exists", convention_id=convention_id)
    parsed = _articles(articles)
    (kind_code,) = _codes([kind], ConventionKind, "convention_kind")
    topic_codes = _codes(topics, ConventionTopic, "convention_topic")
    demands = _demands(ws, demand_ids)
    with ws.transaction():
        ws.add(
            "conventions",
            {
                "convention_id": convention_id,
                "title": str(title).strip(),
                "kind": kind_code,
                "topics": json.dumps(list(topic_codes)),
                "scope_type": scope_type,
                "scope_id": scope_id,
                "status": "draft",
            },
        )
        _add_version(ws, convention_id, 1, parsed, demands, note, drafted_on)
    return get_convention(ws, convention_id)


def _add_version(
    ws: Workspace,
    convention_id: str,
    number: int,
    articles: tuple[str, ...],
    demands: tuple[str, ...],
    note: str,
    drafted_on: dt.date | None,
) -> None:
    ws.add(
        "convention_versions",
        {
            "convention_id": convention_id,
            "version": number,
            "articles": json.dumps(list(articles), ensure_ascii=False),
            "demand_ids": json.dumps(list(demands)),
            "note": str(note).strip() or None,
            "drafted_on": drafted_on or dt.date.today(),
            "status": VersionStatus.DRAFT.value,
        },
        idempotency_key=f"convention|{convention_id}|v{number}",
    )


def save_version(
    ws: Workspace,
    convention_id: str,
    articles: str | Sequence[str],
    *,
    note: str = "",
    demand_ids: Iterable[str] | None = None,
    drafted_on: dt.date | None = None,
) -> ConventionVersion | None:
    """Store a revision as the next version (every earlier version is kept); return it.

    Returns None, storing nothing, when the articles are those of the latest
    version. The demands default to those of the latest version.
    """
    convention = get_convention(ws, convention_id)
    parsed = _articles(articles)
    latest = convention.latest
    if not diff_articles(latest.articles, parsed):
        return None
    demands = _demands(ws, demand_ids) if demand_ids is not None else latest.demand_ids
    _add_version(ws, convention_id, latest.version + 1, parsed, demands, note, drafted_on)
    return get_convention(ws, convention_id).latest


def version_diff(ws: Workspace, convention_id: str, old: int, new: int) -> tuple[tuple[ArticleChange, ...], str]:
    """Return the changes from version ``old`` to ``new`` and their line ("第3条 修改、第5条 新增")."""
    convention = get_convention(ws, convention_id)
    changes = diff_articles(convention.version(old).articles, convention.version(new).articles)
    return changes, diff_text(changes)


# --- voting and adopting ---------------------------------------------------------------------------
def put_to_vote(
    ws: Workspace,
    convention_id: str,
    version: int | None = None,
    *,
    mode: VoteMode | str = VoteMode.WHOLE,
    rule: str = "yes_no_abstain",
    electorate: str = "households",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    rule_params: Any = None,
) -> tuple[str, ...]:
    """Create the vote(s) of a version (the latest by default) and return their ids.

    ``mode`` ``whole``: one vote ``<id>-v<n>`` on the whole text; ``per_article``:
    one vote ``<id>-v<n>-<k>`` per article. The scope is the convention's.
    Ballots are then recorded, counted and recounted with the vote workflow.

    Raises
    ------
    ConventionError
        ``convention.already_voting`` when the version has votes already,
        ``convention.bad_code`` for a rule that is not a yes/no/abstain one.
    """
    convention = get_convention(ws, convention_id)
    target = convention.version(version) if version else convention.latest
    if target.vote_ids:
        raise ConventionError("convention.already_voting", version=target.version, votes="、".join(target.vote_ids))
    (mode_code,) = _codes([mode], VoteMode, "vote_mode")
    if rule not in VOTE_RULES:
        raise ConventionError(
            "convention.bad_code", value=rule, what=i18n.t("column.rule"), allowed="、".join(VOTE_RULES)
        )
    scope = {"scope_type": convention.scope_type or "community", "scope_id": convention.scope_id}
    questions: list[tuple[str, str]] = []
    if mode_code == VoteMode.WHOLE:
        question = i18n.t("convention.vote_question", title=convention.title, version=target.version)
        questions.append((f"{convention_id}-v{target.version}", question))
    else:
        for number, text in enumerate(target.articles, start=1):
            question = i18n.t(
                "convention.vote_question_article",
                title=convention.title,
                version=target.version,
                article=article_label(number),
                text=text,
            )
            questions.append((f"{convention_id}-v{target.version}-{number}", question))
    with ws.transaction():
        for vote_id, question in questions:
            vote_flow.create_vote(
                ws,
                vote_id,
                question,
                YES_NO_ABSTAIN_OPTIONS,
                rule=rule,
                electorate=electorate,
                opens_on=opens_on,
                closes_on=closes_on,
                rule_params=rule_params,
                **scope,
            )
        ids = [v for v, _ in questions]
        ws.update(
            "convention_versions",
            target.uuid,
            {"vote_mode": mode_code, "vote_ids": json.dumps(ids), "status": VersionStatus.VOTING.value},
        )
        ws.update("conventions", convention.uuid, {"status": "voting"})
    return tuple(ids)


@dataclass(frozen=True)
class VoteOutcome:
    """One vote of a version as recounted: its figures and whether it passed."""

    vote_id: str
    passed: bool
    yes: int
    no: int
    abstain: int

    def describe(self, language: str | None = None) -> str:
        """ "表决 GY01-v2：赞成 30 票，反对 2 票，弃权 1 票"."""
        return i18n.t(
            "convention.vote_summary", language, vote_id=self.vote_id, yes=self.yes, no=self.no, abstain=self.abstain
        )


def vote_outcomes(ws: Workspace, convention_id: str, version: int) -> tuple[VoteOutcome, ...]:
    """Recount every vote of a version from its stored ballots and return the outcomes.

    Raises
    ------
    ConventionError
        ``convention.not_voted`` or ``convention.not_counted``.
    RecordError, VoteError
        When a recount does not reproduce the stored result (``vote_workflow.recount_differs``)
        or the stored ballots are not those counted (``vote.digest_mismatch``).
    """
    target = get_convention(ws, convention_id).version(version)
    if not target.vote_ids:
        raise ConventionError("convention.not_voted", version=version)
    outcomes = []
    for vote_id in target.vote_ids:
        try:
            stored = vote_flow.recount_vote(ws, vote_id)
        except RecordError as exc:
            if exc.reason == "vote_workflow.not_counted":
                raise ConventionError("convention.not_counted", vote_id=vote_id) from None
            raise
        scores = dict(stored.result.scores)
        yes, no, abstain = (int(scores.get(o, 0)) for o in YES_NO_ABSTAIN_OPTIONS)
        outcomes.append(VoteOutcome(vote_id, bool(stored.result.passed), yes, no, abstain))
    return tuple(outcomes)


def adopt_version(ws: Workspace, convention_id: str, version: int, adopted_on: dt.date) -> ConventionVersion:
    """Adopt a version from its counted votes, after recounting each one; return the adopted version.

    Every vote of the version must have passed (for a per-article vote: every
    article). The earlier adopted version becomes ``superseded``. A version
    whose votes did not all pass is marked ``rejected`` and ConventionError
    ``convention.not_passed`` is raised, naming the figures.
    """
    convention = get_convention(ws, convention_id)
    target = convention.version(version)
    outcomes = vote_outcomes(ws, convention_id, version)
    summary = i18n.t("convention.vote_join").join(o.describe() for o in outcomes)
    if not all(o.passed for o in outcomes):
        ws.update("convention_versions", target.uuid, {"status": VersionStatus.REJECTED.value})
        raise ConventionError("convention.not_passed", version=version, votes=summary)
    with ws.transaction():
        if convention.adopted is not None and convention.adopted.version != version:
            ws.update("convention_versions", convention.adopted.uuid, {"status": VersionStatus.SUPERSEDED.value})
        ws.update("convention_versions", target.uuid, {"status": VersionStatus.ADOPTED.value, "adopted_on": adopted_on})
        ws.update("conventions", convention.uuid, {"status": "adopted", "adopted_version": version})
    return replace(target, status=VersionStatus.ADOPTED, adopted_on=adopted_on)


def adopted(ws: Workspace, convention_id: str) -> ConventionVersion:
    """Return the version in force; ConventionError ``convention.not_adopted`` when there is none."""
    version = get_convention(ws, convention_id).adopted
    if version is None:
        raise ConventionError("convention.not_adopted", convention_id=convention_id)
    return version


# --- publishing and printing -----------------------------------------------------------------------
def convention_document(
    ws: Workspace, convention_id: str, *, issuer: str, day: dt.date | None = None
) -> ConventionDocument:
    """Return the adopted version as a printable document (A3 poster, Word), with its vote result."""
    from cogov_toolkit.render.convention import ConventionDocument

    convention = get_convention(ws, convention_id)
    version = adopted(ws, convention_id)
    outcomes = vote_outcomes(ws, convention_id, version.version)
    kind = i18n.label("convention_kind", convention.kind.value)
    adopted_line = i18n.t(
        "convention.adopted_line",
        kind=kind,
        version=version.version,
        votes=i18n.t("convention.vote_join").join(o.describe() for o in outcomes),
        day=format_date(version.adopted_on or dt.date.today()),
    )
    sources = (
        i18n.t("convention.sources", kind=kind, demands="、".join(version.demand_ids)) if version.demand_ids else ""
    )
    return ConventionDocument(
        title=convention.title,
        kind=kind,
        articles=version.articles,
        adopted_line=adopted_line,
        sources_line=sources,
        issuer=issuer,
        day=day or version.adopted_on or dt.date.today(),
    )


def write_convention_files(
    ws: Workspace, convention_id: str, folder: str | Path, *, issuer: str, day: dt.date | None = None
) -> list[Path]:
    """Write the adopted version as an A3 poster (PDF) and a Word document into ``folder``; return the paths."""
    from cogov_toolkit.render.convention import write_convention_docx, write_convention_poster

    document = convention_document(ws, convention_id, issuer=issuer, day=day)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = document.file_stem()
    return [
        write_convention_poster(document, folder / f"{stem}_A3海报.pdf"),
        write_convention_docx(document, folder / f"{stem}.docx"),
    ]


def convention_notice(
    ws: Workspace,
    convention_id: str,
    *,
    contact: str,
    office_phone: str,
    issuer: str,
    issued_on: dt.date,
    objection_address: str = "",
    notice_id: str | None = None,
) -> Notice:
    """Return the 公示 of the adopted version: its full text, article by article, and the vote it passed by.

    For the notice pack and its review step (:class:`cogov_toolkit.widgets.notice_review.NoticeReview`).
    """
    convention = get_convention(ws, convention_id)
    version = adopted(ws, convention_id)
    document = convention_document(ws, convention_id, issuer=issuer, day=issued_on)
    columns = [i18n.t("convention.notice.column_article"), i18n.t("convention.notice.column_text")]
    rows = [(article_label(n), text) for n, text in enumerate(version.articles, start=1)]
    start, end = default_period(issued_on)
    notes = tuple(line for line in (document.adopted_line, document.sources_line) if line)
    notice = Notice(
        notice_id=notice_id or f"GS-GY-{convention_id}-v{version.version}",
        title=i18n.t("convention.notice.title", title=convention.title),
        basis=i18n.t("convention.notice.basis", title=convention.title),
        matter=i18n.t("convention.notice.matter", title=convention.title, version=version.version),
        start_on=start,
        end_on=end,
        contact=contact,
        office_phone=office_phone,
        issuer=issuer,
        issued_on=issued_on,
        kind="decision",
        table=NoticeTable.from_records(columns, rows),
        objection_address=objection_address,
        subject_id=convention_id,
        notes=notes,
    )
    check_public(notice, publication_gate(ws))
    return notice


def versions_frame(ws: Workspace, convention_id: str) -> pd.DataFrame:
    """Return one row per version: number, status, articles, drafted, votes, adopted, what changed since the one before."""
    convention = get_convention(ws, convention_id)
    rows, previous = [], None
    for version in convention.versions:
        change = diff_text(diff_articles(previous.articles, version.articles)) if previous else ""
        rows.append(
            {
                "version": version.version,
                "status": i18n.label("convention_version_status", version.status.value),
                "articles": len(version.articles),
                "drafted_on": version.drafted_on,
                "vote_ids": "、".join(version.vote_ids),
                "adopted_on": version.adopted_on,
                "change": change,
            }
        )
        previous = version
    return pd.DataFrame(rows)


__all__ = [
    "VOTE_RULES",
    "Convention",
    "ConventionVersion",
    "VoteOutcome",
    "convention_ids",
    "demand_choices",
    "get_convention",
    "create_convention",
    "save_version",
    "version_diff",
    "put_to_vote",
    "vote_outcomes",
    "adopt_version",
    "adopted",
    "convention_document",
    "write_convention_files",
    "convention_notice",
    "versions_frame",
    # re-exported for widgets and notebooks
    "ConventionKind",
    "ConventionTopic",
    "VersionStatus",
    "VoteMode",
    "diff_text",
    "parse_articles",
]
