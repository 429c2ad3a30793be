"""The toolkit's own errors: one family, each with a reason code.

Every error a planner can meet is a :class:`CogovError`. Its ``reason`` is a
machine-readable code and doubles as the i18n key (``error.<reason>``) of the
message, so widgets show the Chinese text and tests match on the code. Errors
about input files carry the file, sheet, row and column, and a validation
error carries *every* problem of a file at once (``problems``), not only the
first, so a planner can fix the whole sheet in one go.

Rows are counted the way a person sees the file: in a CSV or Excel sheet the
header is row 1 and the first data row is row 2; in a GIS file the first
feature is row 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cogov_toolkit import i18n


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    reason: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def location(self, language: str | None = None) -> str:
        """Return "文件 … 第 N 行 … 列" in the chosen language (empty parts left out)."""
        parts = []
        if self.file:
            parts.append(i18n.t("error.where.file", language, file=Path(self.file).name))
        if self.sheet:
            parts.append(i18n.t("error.where.sheet", language, sheet=self.sheet))
        if self.row is not None:
            parts.append(i18n.t("error.where.row", language, row=self.row))
        if self.column:
            parts.append(i18n.t("error.where.column", language, column=self.column))
        return i18n.t("error.where.join", language).join(parts)

    def message(self, language: str | None = None) -> str:
        """Return the located, translated message of this problem."""
        params = self.params
        if self.file and "file" not in params:  # a message may name the file too; never show a raw {file}
            params = {**params, "file": Path(self.file).name}
        text = i18n.t(f"error.{self.reason}", language, **params)
        where = self.location(language)
        return i18n.t("error.where.located", language, where=where, text=text) if where else text


class CogovError(Exception):
    """Raised when the toolkit cannot do what was asked; base of every toolkit error."""

    reason = "generic"

    def __init__(
        self,
        reason: str | None = None,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        problems: Iterable[Problem] = (),
        **params: Any,
    ) -> None:
        self.reason = reason or type(self).reason
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.sheet = sheet
        self.params = params
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.message())

    @property
    def headline(self) -> Problem:
        """The error's own message as a :class:`Problem` (location included)."""
        return Problem(self.reason, self.file, self.row, self.column, self.sheet, self.params)

    def message(self, language: str | None = None) -> str:
        """Return the whole message, headline then each problem, in the chosen language."""
        lines = [self.headline.message(language)]
        shown = self.problems[:MAX_LISTED]
        lines += [f"  - {p.message(language)}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append("  " + i18n.t("error.more_problems", language, count=len(self.problems) - len(shown)))
        if i18n.has(f"hint.{self.reason}"):
            params = {"file": Path(self.file).name, **self.params} if self.file else self.params
            lines.append(i18n.t(f"hint.{self.reason}", language, **params))
        return "\n".join(lines)

    def __str__(self) -> str:  # the current language, even if it changed since raising
        return self.message()

    def _repr_html_(self) -> str:
        """Show the error in a notebook as an escaped, readable box instead of a traceback."""
        from cogov_toolkit.core.escape import html_text

        body = "<br>".join(html_text(line) for line in self.message().splitlines())
        return f'<div class="cogov-error" style="border-left:4px solid #c0392b;padding:6px 10px">{body}</div>'


#: how many problems a message lists before saying "and N more" (all stay in ``problems``)
MAX_LISTED = 50


# --- bad input files -------------------------------------------------------
class InputError(CogovError):
    """Raised when an input file cannot be used as it is."""

    reason = "input"


class EncodingError(InputError):
    """Raised when a text file is in none of the encodings we accept (UTF-8, GBK, GB18030)."""

    reason = "encoding"


class EmptyFileError(InputError):
    """Raised when an input file has no bytes, or no data rows."""

    reason = "empty_file"


class CorruptFileError(InputError):
    """Raised when an input file is truncated or not the format its name says."""

    reason = "corrupt_file"


class UnsupportedFormatError(InputError):
    """Raised when a file's type is not one the toolkit reads."""

    reason = "unsupported_format"


class ArchiveTooLargeError(InputError):
    """Raised when a zip member (zipped shapefile, KMZ, .xlsx) would inflate past the toolkit's cap."""

    reason = "import.archive_member_too_large"


class FileTooLargeError(InputError):
    """Raised when a file to be read whole is bigger than the toolkit reads."""

    reason = "import.file_too_large"


class PlacemarkError(InputError):
    """Raised inside the KML/GPX reader when one placemark's geometry cannot be used; the reader lists it and goes on."""

    reason = "import.placemark_left_out"

    def __init__(self, key: str, detail: str = "") -> None:
        self.key = key  # the catalog key under import.placemark that says why
        self.detail = detail
        super().__init__(name="", why=key, key=key, detail=detail)


class MissingColumnsError(InputError):
    """Raised when required columns are absent from a table."""

    reason = "missing_columns"


class CRSError(InputError):
    """Raised when a layer's coordinate reference system is missing or unusable."""

    reason = "crs_unknown"


class ValidationError(InputError):
    """Raised when rows of an input fail checks; ``problems`` lists every one."""

    reason = "validation"


# --- the workspace ---------------------------------------------------------
class WorkspaceError(CogovError):
    """Raised when a workspace cannot be opened, created or written."""

    reason = "workspace"


class NotAWorkspaceError(WorkspaceError):
    """Raised when a file is not a cogov workspace (or not a GeoPackage at all)."""

    reason = "not_a_workspace"


class DamagedWorkspaceError(WorkspaceError):
    """Raised when a workspace file (or its private file) is damaged: cut short, overwritten, or failing quick_check.

    The message names the newest sound backup and how to restore it.
    """

    reason = "workspace.damaged"


class PrivateFileMissingError(WorkspaceError):
    """Raised when a workspace's private file is not beside it (open with ``no_private_data=True`` if that is so)."""

    reason = "workspace.private_missing"


class WorkspaceVersionError(WorkspaceError):
    """Raised when a workspace was written by a newer toolkit than this one."""

    reason = "workspace_too_new"


class WorkspaceUpgradeNeededError(WorkspaceError):
    """Raised when a workspace from an older toolkit is opened without ``upgrade=True`` (it is never upgraded silently)."""

    reason = "workspace.needs_upgrade"


class RecordError(CogovError):
    """Raised when a record does not fit its table (unknown table or field, bad value)."""

    reason = "record"


class ConfigurationError(CogovError):
    """Raised when a needed optional part (a backend, a library) is not available."""

    reason = "configuration"


class ConversionError(CogovError):
    """Raised when a value does not fit its declared column.

    ``reason`` is the reason code (the message is ``error.<reason>`` in the
    catalog); ``params`` fill the message and always include the ``value`` as
    given (trimmed), except for a missing required value.
    """

    reason = "conversion"

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason, **params)


class ExpressionError(CogovError):
    """Raised when a relevance or constraint expression does not parse (``reason`` is an i18n code)."""

    reason = "expression"

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason, **params)

    def detail(self) -> str:
        """Return the translated explanation."""
        return i18n.t(f"error.{self.reason}", **self.params)


# --- workflows -------------------------------------------------------------
class DeadlineError(CogovError):
    """Raised when a deadline cannot be worked out (bad policy, unknown urgency, bad time)."""

    reason = "deadline.cannot_compute"


class TriageError(CogovError):
    """Raised when a demand cannot be triaged as asked (unknown code, bad rule table, bad demands table)."""

    reason = "triage.cannot_triage"


class DemandTransitionError(TriageError):
    """Raised when a status change, reclassification or escalation breaks a demand's workflow."""

    reason = "triage.bad_transition"


class DemandError(CogovError):
    """Raised when a demand cannot be recorded, found or moved on as asked."""

    reason = "demand_flow.cannot_record"


class AdoptionError(CogovError):
    """Raised when the adoption register cannot be read or a term cannot be changed as asked."""

    reason = "adoption.cannot_register"


class AdoptionRegisterError(CogovError):
    """Raised when an adoption cannot be registered, renewed, ended or logged as asked."""

    reason = "adoption_flow.cannot_register"


class NoticeError(CogovError):
    """Raised when a notice is incomplete or would publish personal data."""

    reason = "notice.invalid"


class VoteError(CogovError):
    """Raised when a vote cannot be counted as asked (wrong ballots for the rule, missing parameter, bad input)."""

    # a concrete reason (vote.<x>, message error.vote.<x>) is always passed; this is the fallback
    reason = "vote.cannot_count"


class CobuildingError(CogovError):
    """Raised when a contribution, session, budget, spending entry, milestone or photo cannot be recorded as asked."""

    reason = "cobuilding.cannot_record"


class ConventionError(CogovError):
    """Raised when a convention or a version of it cannot be drafted, voted on, adopted or published as asked."""

    reason = "convention.cannot_record"


class AssessmentError(CogovError):
    """Raised when an indicator's target or the 街道's scoring sheet (考核表) cannot be used as given."""

    reason = "assessment.cannot_assess"


# --- warnings --------------------------------------------------------------
class CogovWarning(UserWarning):
    """Base of the toolkit's warnings: something recoverable a planner should know about.

    ``reason`` is the i18n key of the message and ``params`` fill it, as a
    :class:`CogovError`'s reason does for errors.
    """

    reason = "warning.generic"

    def __init__(self, reason: str | None = None, **params: Any) -> None:
        self.reason = reason or type(self).reason
        self.params = params
        super().__init__(self.message())

    def message(self, language: str | None = None) -> str:
        """Return the warning's text in the chosen language."""
        return i18n.t(self.reason, language, **self.params)


class BackupWarning(CogovWarning):
    """Warned when a backup could not be taken (the work itself is saved)."""

    reason = "backup.warning.failed"


class HolidaysNotPublishedWarning(CogovWarning):
    """Warned when a year's holidays are unknown and working days fall back to Monday–Friday."""

    reason = "deadline.warning.holidays_not_published"


class TriageWarning(CogovWarning):
    """Warned when triage data hold something odd that the figures leave out."""

    reason = "triage.warning.history_without_demand"


__all__ = [
    "Problem",
    "MAX_LISTED",
    "CogovError",
    "InputError",
    "EncodingError",
    "EmptyFileError",
    "CorruptFileError",
    "UnsupportedFormatError",
    "ArchiveTooLargeError",
    "FileTooLargeError",
    "PlacemarkError",
    "MissingColumnsError",
    "CRSError",
    "ValidationError",
    "WorkspaceError",
    "NotAWorkspaceError",
    "WorkspaceVersionError",
    "WorkspaceUpgradeNeededError",
    "RecordError",
    "ConfigurationError",
    "ConversionError",
    "ExpressionError",
    "DeadlineError",
    "TriageError",
    "DemandTransitionError",
    "DemandError",
    "AdoptionError",
    "AdoptionRegisterError",
    "NoticeError",
    "VoteError",
    "CobuildingError",
    "ConventionError",
    "AssessmentError",
    "CogovWarning",
    "HolidaysNotPublishedWarning",
    "TriageWarning",
]
