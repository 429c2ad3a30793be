"""The one place where resident text is made safe for HTML, for spreadsheets and for file names.

Resident-typed text (demand text, comments, site names) is data, never markup
and never a formula. Every module that turns such text into HTML calls
:func:`html_text`; every export to CSV/Excel passes cells through
:func:`spreadsheet_cell`; every file name built from data (a title, a
project id) goes through :func:`file_name`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

#: a cell starting with one of these is read as a formula by Excel, WPS or LibreOffice
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: Any) -> str:
    """Return ``value`` as text safe inside HTML elements and quoted attributes."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def spreadsheet_cell(value: Any) -> Any:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula.

    Numbers pass unchanged (a negative number is a number, not a formula); a
    string that would start a formula gets a leading apostrophe, which Excel and
    WPS show as plain text (OWASP's advice for CSV injection).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


#: what no file name on Windows, macOS or Linux may hold, and what would climb out of a folder
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def file_name(text: Any, *, fallback: str = "file", max_length: int = 60) -> str:
    """Return ``text`` as one safe file name part: no folder separator, no "..", no control character.

    ``"../../etc/passwd"`` becomes ``"etc_passwd"``; an empty result, or a name
    Windows reserves (CON, NUL …), becomes ``fallback``.
    """
    name = unicodedata.normalize("NFKC", str(text) if text is not None else "")
    name = _UNSAFE_IN_NAME.sub("_", name)
    name = re.sub(r"\.{2,}", "_", name).strip(" ._")
    name = re.sub(r"_{2,}", "_", name)[:max_length].strip(" ._")
    if not name or name.upper().split(".")[0] in _RESERVED_NAMES:
        return fallback
    return name


__all__ = ["FORMULA_PREFIXES", "html_text", "spreadsheet_cell", "file_name"]
