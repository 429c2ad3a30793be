"""The one place where resident text is made safe for HTML and for spreadsheets.

Resident-typed text (demand text, comments, site names) is data, never markup
and never a formula. Every module that turns such text into HTML calls
:func:`html_text`; every export to CSV/Excel passes cells through
:func:`spreadsheet_cell`.
"""

from __future__ import annotations

import html
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


__all__ = ["FORMULA_PREFIXES", "html_text", "spreadsheet_cell"]
