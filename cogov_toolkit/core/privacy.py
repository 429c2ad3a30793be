"""The publication gate: the one rule for what may leave the workspace.

Everything published or shared — a 公示, a roster, a sign, a report, a map,
an export, the shared copy — passes through one :class:`PublicationGate`. The
gate is built from the workspace's private strings (every name, phone and
hardship note of the private file, and every household id) and its consent
records; it finds and masks

* phone and ID numbers: seven or more digits, half- or full-width, with the
  usual separators (spaces, dashes, dots, brackets), an ID number's final X
  and a ``+86`` included; an ISO date such as 2026-05-25 is not one;
* room addresses: 5栋2单元301, 5号楼301室, 5-2-301;
* household ids (H0118), as whole tokens;
* any private string (a name, a phone typed oddly, a hardship note), except a
  name whose owner consented to this publication's purpose
  (:class:`Consent`): a name on the adopter roster is published only under an
  active ``adopter_roster`` consent, and a withdrawn consent removes it from
  the next publication.

Aggregates leave the workspace only with small groups suppressed:
:func:`suppress_small_groups` hides groups of fewer than five people and then,
within every margin that is published as a total, as many further groups as
it takes so that the total minus the shown groups never reveals a hidden one
(complementary suppression).

Pure: the workflow layer (:func:`cogov_toolkit.workflows.privacy.publication_gate`)
and the storage's shared copy build a gate from their tables with
:meth:`PublicationGate.from_tables`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cogov_toolkit.core.codes import Purpose
from cogov_toolkit.core.schema import PRIVATE_TABLES
from cogov_toolkit.core.values import is_blank, optional_date
from cogov_toolkit.errors import Problem

#: groups of fewer people than this are never published (DOMAIN.md: a building figure from fewer than 5)
MIN_GROUP = 5
#: what a masked number, household id or room becomes
MASK = "***"
#: what follows the first character of a masked name ("王样一" -> "王**", as on the adoption roster)
NAME_MASK = "**"

_D = "0-9\uff10-\uff19"  # half- and full-width digits
_SEP = " \u00a0\u3000\\-\uff0d\u2010\u2011\u2012\u2013\u2014.\uff0e()\uff08\uff09"  # spaces, dashes, dots, brackets
#: a phone or ID number: 7+ digits, separators allowed between them, +86 in front, X at the end of an ID
LONG_NUMBER = re.compile(
    rf"(?<![{_D}])(?:[+\uff0b](?:86|\uff18\uff16)[{_SEP}]*)?[{_D}](?:[{_SEP}]{{0,2}}[{_D}]){{6,}}(?:[xX\uff38\uff58](?![a-zA-Z]))?"
)
_ISO_DATE = re.compile(r"^(19|20)\d\d[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])$")
_BUILDING = r"(?:栋|幢|号楼|座|#|＃)"
_S = r"[ \u3000]*"
#: a room address: 5栋2单元301(室), 5号楼301室, 5-2-301 (half- or full-width digits)
ROOM_ADDRESS = re.compile(
    rf"(?P<building>[{_D}]+{_S}{_BUILDING}){_S}(?:[{_D}]+{_S}单元{_S})?[{_D}]{{3,4}}(?:室|号|户)?(?![{_D}])"
    rf"|(?<![{_D}\-－])[{_D}]{{1,3}}[-－][{_D}]{{1,2}}[-－][{_D}]{{3,4}}(?![{_D}])"
)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Consent:
    """One person's consent to be named in one kind of publication, from a day, until withdrawn.

    ``name`` (the real name) and ``public_name`` (how they agreed to be shown)
    stay out of the repr, so that a log never carries them.
    """

    purpose: Purpose
    given_on: dt.date
    household_id: str | None = None
    name: str | None = field(default=None, repr=False)
    public_name: str | None = field(default=None, repr=False)
    withdrawn_on: dt.date | None = None
    subject_id: str | None = None  # the record it concerns, e.g. an adoption id

    def active(self, on: dt.date | None = None) -> bool:
        """Return True when the consent covers ``on`` (today when None)."""
        day = on or dt.date.today()
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    def names(self) -> set[str]:
        """The names this consent lets a publication show."""
        return {n.strip() for n in (self.name, self.public_name) if isinstance(n, str) and n.strip()}


@dataclass(frozen=True)
class Leak:
    """Something a text would publish that it may not: its kind and the text around it, masked."""

    kind: str  # "number", "room", "household", "private"
    excerpt: str


# --- finding -----------------------------------------------------------------------------------------------
def digits_of(text: str) -> str:
    """Return the digits of ``text`` (full-width ones made half-width), in order."""
    return re.sub(r"\D", "", text.translate(_FULL_WIDTH_DIGITS))


def _is_date(match: str) -> bool:
    """Return True for an ISO-like date, possibly followed by hour and minutes (2026-05-25 09 00)."""
    text = match.translate(_FULL_WIDTH_DIGITS).strip()
    head = re.match(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})((?:[ ]\d{1,2}){0,3})$", text)
    return bool(head and _ISO_DATE.match(head.group(1)))


def find_numbers(text: str) -> list[str]:
    """Return the phone and ID numbers in ``text``, as digits only (``"13900004242"``)."""
    if not isinstance(text, str):
        return []
    return [digits_of(m.group()) for m in LONG_NUMBER.finditer(text) if not _is_date(m.group())]


def mask_numbers(text: Any, *, allowed: Iterable[str] = ()) -> Any:
    """Return ``text`` with every phone or ID number masked (those in ``allowed``, as digits, kept)."""
    if not isinstance(text, str):
        return text
    keep = {digits_of(a) for a in allowed if a}

    def sub(match: re.Match[str]) -> str:
        found = match.group()
        return found if _is_date(found) or digits_of(found) in keep else MASK

    return LONG_NUMBER.sub(sub, text)


def mask_rooms(text: Any) -> Any:
    """Return ``text`` with room addresses masked: "5栋2单元301" -> "5栋***", "5-2-301" -> "***"."""
    if not isinstance(text, str):
        return text
    return ROOM_ADDRESS.sub(lambda m: (m.group("building") or "") + MASK, text)


def _trie_pattern(words: Iterable[str]) -> str:
    """Return a regular expression matching any of ``words`` (longest first), built as a character trie.

    A trie keeps the match linear in the text even for thousands of names,
    where a plain alternation would try every name at every position.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class _Matcher:
    """Find any of many strings in a text, fast (a compiled trie); tokens match only as whole tokens."""

    def __init__(self, words: Iterable[str], *, whole_tokens: bool = False) -> None:
        self.words = frozenset(w for w in words if w)
        if not self.words:
            self.pattern = None
            return
        body = _trie_pattern(self.words)
        if whole_tokens:
            body = rf"(?<![A-Za-z0-9\uff10-\uff19])(?:{body})(?![A-Za-z0-9\uff10-\uff19])"
        self.pattern = re.compile(body)

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        return self.pattern.finditer(text) if self.pattern is not None else ()

    def sub(self, repl: Any, text: str) -> str:
        return self.pattern.sub(repl, text) if self.pattern is not None else text


# --- the gate ----------------------------------------------------------------------------------------------
#: the columns of a private table that hold a person's words: every value is a private string
PERSONAL_TEXT = ("name", "phone", "hardship_note", "public_name")
#: private tables and their personal text columns, derived from the schema, so a new private table counts at once
PRIVATE_TEXT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    spec.name: tuple(c.name for c in spec.columns if c.name in PERSONAL_TEXT)
    for spec in PRIVATE_TABLES.values()
    if any(c.name in PERSONAL_TEXT for c in spec.columns)
}
#: private tables whose ``household_id`` column names households
HOUSEHOLD_COLUMNS: Mapping[str, str] = {
    spec.name: "household_id" for spec in PRIVATE_TABLES.values() if "household_id" in spec.column_names
}


def _present(value: Any) -> bool:
    return not is_blank(value)


def _day(value: Any) -> dt.date | None:
    return optional_date(value)


class PublicationGate:
    """What may be published: the private strings it refuses or masks, and the consents that allow a name.

    Build one with :meth:`from_tables` (a workspace's private tables); use
    :meth:`for_purpose` for a publication that may name people who consented
    to it. A gate without a purpose lets no private name through.
    """

    def __init__(
        self,
        *,
        private_strings: Iterable[str] = (),
        household_ids: Iterable[str] = (),
        consents: Iterable[Consent] = (),
        purpose: Purpose | str | None = None,
        on: dt.date | None = None,
    ) -> None:
        self.purpose = Purpose(purpose) if purpose is not None else None
        self.on = on
        self.consents: tuple[Consent, ...] = tuple(consents)
        # one-character strings would match ordinary text; masked forms ("5栋王**") are already safe
        self._private = frozenset(
            s.strip() for s in private_strings if isinstance(s, str) and len(s.strip()) >= 2 and NAME_MASK not in s
        )
        self._households = frozenset(str(h).strip() for h in household_ids if _present(h))
        self._allowed = frozenset(self._allowed_names())
        self._names = _Matcher(sorted(self._private - self._allowed, key=len, reverse=True))
        self._household_matcher = _Matcher(self._households, whole_tokens=True)

    # --- building -------------------------------------------------------------------------------
    @classmethod
    def from_tables(
        cls,
        private: Mapping[str, pd.DataFrame],
        *,
        household_ids: Iterable[str] = (),
    ) -> PublicationGate:
        """Build the gate from a workspace's private tables (by name) and its households' ids.

        Every private table that names a household or holds a name, phone or
        note contributes; a table that is missing or empty contributes nothing.
        """
        strings: set[str] = set()
        households: set[str] = {str(h).strip() for h in household_ids if _present(h)}
        for table, columns in PRIVATE_TEXT_COLUMNS.items():
            frame = private.get(table)
            if frame is None or frame.empty:
                continue
            for column in columns:
                if column in frame.columns:
                    strings |= {str(v).strip() for v in frame[column] if _present(v)}
        for table, column in HOUSEHOLD_COLUMNS.items():
            frame = private.get(table)
            if frame is not None and not frame.empty and column in frame.columns:
                households |= {str(v).strip() for v in frame[column] if _present(v)}
        return cls(private_strings=strings, household_ids=households, consents=consents_from(private.get("consents")))

    def for_purpose(self, purpose: Purpose | str, on: dt.date | None = None) -> PublicationGate:
        """Return this gate for a publication of ``purpose`` on ``on``: consented names pass."""
        return PublicationGate(
            private_strings=self._private,
            household_ids=self._households,
            consents=self.consents,
            purpose=purpose,
            on=on,
        )

    def _allowed_names(self) -> set[str]:
        if self.purpose is None:
            return set()
        allowed: set[str] = set()
        for consent in self.consents:
            if consent.purpose == self.purpose and consent.active(self.on):
                allowed |= consent.names()
        # a name someone withdrew (or never gave) for this purpose stays refused, even if another consent names it
        return allowed

    # --- asking ---------------------------------------------------------------------------------
    def consented(self, name: str | None, *, subject_id: str | None = None, household_id: str | None = None) -> bool:
        """Return True when ``name`` may appear in this gate's publication (an active consent for its purpose).

        With ``subject_id`` or ``household_id`` the consent must also concern that record or household.
        """
        if self.purpose is None or not isinstance(name, str) or not name.strip():
            return False
        for consent in self.consents:
            if consent.purpose != self.purpose or not consent.active(self.on):
                continue
            if subject_id is not None and consent.subject_id not in (None, subject_id):
                continue
            if household_id is not None and consent.household_id not in (None, household_id):
                continue
            if name.strip() in consent.names():
                return True
        return False

    @property
    def private_strings(self) -> frozenset[str]:
        """The strings this gate refuses (private strings less the names consented to its purpose)."""
        return self._private - self._allowed

    def leaks(self, text: Any, *, allowed_numbers: Iterable[str] = ()) -> list[Leak]:
        """Return what ``text`` would publish that it may not (empty: it may be published as it is)."""
        if not isinstance(text, str) or not text:
            return []
        found: list[Leak] = []
        keep = {digits_of(a) for a in allowed_numbers if a}
        excerpt = None
        for match in LONG_NUMBER.finditer(text):
            if not _is_date(match.group()) and digits_of(match.group()) not in keep:
                excerpt = excerpt or self.excerpt(text, allowed_numbers=keep)
                found.append(Leak("number", excerpt))
        if ROOM_ADDRESS.search(text):
            found.append(Leak("room", excerpt or self.excerpt(text, allowed_numbers=keep)))
        if any(True for _ in self._household_matcher.finditer(text)):
            found.append(Leak("household", excerpt or self.excerpt(text, allowed_numbers=keep)))
        if any(True for _ in self._names.finditer(text)):
            found.append(Leak("private", excerpt or self.excerpt(text, allowed_numbers=keep)))
        return found

    def is_public(self, text: Any, *, allowed_numbers: Iterable[str] = ()) -> bool:
        """Return True when ``text`` holds nothing private."""
        return not self.leaks(text, allowed_numbers=allowed_numbers)

    # --- masking --------------------------------------------------------------------------------
    def mask(self, text: Any, *, allowed_numbers: Iterable[str] = ()) -> Any:
        """Return ``text`` fit to publish: numbers, rooms and household ids masked, names cut to "王**"."""
        if not isinstance(text, str) or not text:
            return text
        masked = mask_numbers(text, allowed=allowed_numbers)
        masked = mask_rooms(masked)
        masked = self._household_matcher.sub(MASK, masked)
        return self._names.sub(lambda m: m.group()[0] + NAME_MASK, masked)

    def excerpt(self, text: str, *, allowed_numbers: Iterable[str] = (), width: int = 30) -> str:
        """Return ``text`` for an error message: masked and shortened (a message is shown too)."""
        shown = self.mask(text, allowed_numbers=allowed_numbers)
        return shown if len(shown) <= width else shown[:width] + "…"

    def mask_frame(self, frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """Return a copy of ``frame`` with every text cell of ``columns`` (all text columns by default) masked."""
        out = frame.copy()
        chosen = list(columns) if columns is not None else list(out.columns)
        for column in chosen:
            if column in out.columns and not pd.api.types.is_numeric_dtype(out[column]):
                out[column] = out[column].map(self.mask)
        return out

    def problems(self, texts: Iterable[str], *, allowed_numbers: Iterable[str] = ()) -> list[Problem]:
        """Return one Problem per text that would publish something private (reasons ``privacy.leak_<kind>``)."""
        out: list[Problem] = []
        for text in texts:
            for leak in self.leaks(text, allowed_numbers=allowed_numbers):
                out.append(Problem(f"privacy.leak_{leak.kind}", params={"text": leak.excerpt}))
        return out

    def __repr__(self) -> str:
        return (
            f"PublicationGate(purpose={self.purpose!s}, private_strings={len(self._private)}, "
            f"households={len(self._households)}, consents={len(self.consents)})"
        )


def consents_from(frame: pd.DataFrame | None) -> tuple[Consent, ...]:
    """Return the consents of a ``consents`` table (rows with an unknown purpose or no date are left out)."""
    if frame is None or frame.empty:
        return ()
    out = []
    for row in frame.to_dict("records"):
        try:
            purpose = Purpose(row.get("purpose"))
        except ValueError:
            continue
        given = _day(row.get("given_on"))
        if given is None:
            continue
        out.append(
            Consent(
                purpose=purpose,
                given_on=given,
                household_id=str(row["household_id"]).strip() if _present(row.get("household_id")) else None,
                name=str(row["name"]).strip() if _present(row.get("name")) else None,
                public_name=str(row["public_name"]).strip() if _present(row.get("public_name")) else None,
                withdrawn_on=_day(row.get("withdrawn_on")),
                subject_id=str(row["subject_id"]).strip() if _present(row.get("subject_id")) else None,
            )
        )
    return tuple(out)


# --- aggregates --------------------------------------------------------------------------------------------
def suppress_small_groups(
    frame: pd.DataFrame,
    count: str,
    margins: Sequence[str] = (),
    *,
    min_group: int = MIN_GROUP,
) -> pd.Series:
    """Return a boolean Series: True for each group (row) that must not be published.

    Primary suppression hides every group of 1 to ``min_group - 1`` people.
    Complementary suppression then looks at each margin (the rows sharing the
    values of ``margins``, whose total is published): while exactly one group
    of a margin is hidden, the smallest shown group of that margin is hidden
    too, so that the total minus the shown groups gives only a sum of at least
    two hidden groups, never one group's figure. A margin whose only group is
    hidden is flagged whole (the caller does not publish its total).
    """
    counts = pd.to_numeric(frame[count], errors="coerce").fillna(0)
    hidden = (counts > 0) & (counts < min_group)
    if not margins or frame.empty:
        return hidden
    for _, part in frame.groupby(list(margins), dropna=False, sort=False):
        rows = list(part.index)
        while True:
            inside = [r for r in rows if hidden[r]]
            shown = [r for r in rows if not hidden[r] and counts[r] > 0]
            if len(inside) != 1 or not shown:
                break
            hidden[min(shown, key=lambda r: (counts[r], str(r)))] = True
    return hidden


def margin_hidden(frame: pd.DataFrame, hidden: pd.Series, margins: Sequence[str], count: str) -> pd.Series:
    """Return, per row, True when its margin's total would reveal a hidden group (its only group is hidden)."""
    counts = pd.to_numeric(frame[count], errors="coerce").fillna(0)
    shown = (~hidden) & (counts > 0)
    if not margins:
        return pd.Series(not shown.any() and hidden.any(), index=frame.index)
    any_shown = shown.groupby([frame[m] for m in margins], dropna=False).transform("any")
    return hidden & ~any_shown


def response_summaries(evaluations: pd.DataFrame, *, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Return per-item aggregates of evaluation responses, fit to share: no response row, small groups hidden.

    One row per (project, phase, evaluator role, item) with the number of
    respondents and the mean of the numeric answers, plus one row per
    (project, phase, item) for all roles together (``evaluator_role`` "all").
    A role group of fewer than ``min_group`` respondents is hidden (count and
    mean empty, ``suppressed`` true), and so is a second group of the same
    project, phase and item whenever the all-roles total would otherwise give
    the hidden one away.
    """
    columns = ["project_id", "phase", "evaluator_role", "item", "respondents", "mean", "suppressed"]
    records = []
    for row in evaluations.to_dict("records"):
        answers = row.get("answers")
        if isinstance(answers, str):
            try:
                answers = json.loads(answers)
            except ValueError:
                answers = {}
        if not isinstance(answers, Mapping):
            continue
        for item, value in answers.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                continue
            records.append((row.get("project_id"), row.get("phase"), row.get("evaluator_role"), str(item), value))
    if not records:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(records, columns=["project_id", "phase", "evaluator_role", "item", "value"])
    keys = ["project_id", "phase", "item"]
    by_role = long.groupby([*keys, "evaluator_role"], dropna=False)["value"].agg(["count", "mean"]).reset_index()
    by_role = by_role.rename(columns={"count": "respondents"})
    hidden = suppress_small_groups(by_role, "respondents", keys, min_group=min_group)
    total = long.groupby(keys, dropna=False)["value"].agg(["count", "mean"]).reset_index()
    total = total.rename(columns={"count": "respondents"}).assign(evaluator_role="all")
    total_hidden = (total["respondents"] < min_group).to_numpy().copy()  # pandas 3 hands out read-only views
    whole = margin_hidden(by_role, hidden, keys, "respondents")
    if whole.any():  # a margin with no shown group: its total would be that group's figure
        lost = set(map(tuple, by_role.loc[whole, keys].astype(str).to_numpy()))
        total_hidden |= [tuple(map(str, k)) in lost for k in total[keys].to_numpy()]
    by_role = by_role.assign(suppressed=hidden.to_numpy())
    total = total.assign(suppressed=total_hidden)
    out = pd.concat([by_role, total], ignore_index=True)[columns]
    out["respondents"] = out["respondents"].astype("Int64").mask(out["suppressed"])
    out["mean"] = out["mean"].astype(float).mask(out["suppressed"]).round(3)
    return out.sort_values(["project_id", "phase", "item", "evaluator_role"], kind="stable").reset_index(drop=True)


def household_totals(households: pd.DataFrame) -> pd.DataFrame:
    """Return the households per building and unit (count, owners, registered area): no household row."""
    columns = ["building_id", "unit", "households", "owners", "registered_area_m2"]
    if households.empty:
        return pd.DataFrame(columns=columns)
    frame = households.assign(
        _owner=pd.to_numeric(households.get("is_owner"), errors="coerce").fillna(0).astype(int),
        _area=pd.to_numeric(households.get("registered_area_m2"), errors="coerce"),
    )
    grouped = frame.groupby(["building_id", "unit"], dropna=False).agg(
        households=("household_id", "size"), owners=("_owner", "sum"), registered_area_m2=("_area", "sum")
    )
    return grouped.reset_index()[columns]


_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"  # letters only: a reference is never read as a number


def random_reference(prefix: str = "BR-", length: int = 10) -> str:
    """Return a random reference ("BR-KQMXTAPDHW") that names no household, room or time.

    Ten letters of 23: a million ballots share one by chance with odds of about 1 in 80.
    """
    return prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))


def with_purpose(gate: PublicationGate, purpose: Purpose | str | None, on: dt.date | None = None) -> PublicationGate:
    """Return ``gate`` for ``purpose`` (the gate itself when None)."""
    return gate if purpose is None else gate.for_purpose(purpose, on)


__all__ = [
    "MIN_GROUP",
    "MASK",
    "NAME_MASK",
    "LONG_NUMBER",
    "ROOM_ADDRESS",
    "PRIVATE_TEXT_COLUMNS",
    "HOUSEHOLD_COLUMNS",
    "Purpose",
    "Consent",
    "Leak",
    "PublicationGate",
    "consents_from",
    "digits_of",
    "find_numbers",
    "mask_numbers",
    "mask_rooms",
    "suppress_small_groups",
    "margin_hidden",
    "response_summaries",
    "household_totals",
    "with_purpose",
    "random_reference",
]
