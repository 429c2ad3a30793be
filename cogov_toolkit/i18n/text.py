"""Text shown in the language current when it is shown: :class:`LocalText` and the list and label helpers.

Error parameters are fixed when an error is raised, but a planner may switch
language afterwards; these helpers keep such text language-following.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cogov_toolkit import i18n


# --- text shown in the current language ---------------------------------------------
class LocalText(str):
    """A message parameter rendered in the language current when the message is shown.

    Error parameters are fixed when the error is raised, but a planner may switch
    to English afterwards (or a test may). As a ``str`` it holds the Chinese text,
    so it compares, pickles and serialises like plain text; formatting it into a
    message (or ``str()``) renders it in the current language.
    """

    def __new__(cls, render: Callable[[str | None], str]) -> LocalText:
        """Wrap ``render(language)``; the plain ``str`` value is the Chinese rendering."""
        self = super().__new__(cls, render(i18n.DEFAULT_LANGUAGE))
        self._render = render
        return self

    def __str__(self) -> str:
        return self._render(None)

    def __format__(self, spec: str) -> str:
        return format(self._render(None), spec)

    def __reduce__(self) -> tuple[Any, ...]:
        # a closure does not pickle; the Chinese text does
        return (str, (str.__str__(self),))


def listed(items: Iterable[object], display: Callable[[object, str | None], str] | None = None) -> LocalText:
    """Return items joined with the list separator of the current language ("、" or ", ")."""
    items = tuple(items)
    shown = display or (lambda item, language: str(item))

    def render(language: str | None) -> str:
        if not items:
            return i18n.t("import.nothing", language)
        return i18n.t("import.list_separator", language).join(shown(i, language) for i in items)

    return LocalText(render)


# --- text shown in the current language (LocalText and listed: core.records) ---------
def localised(key: str, **params: object) -> LocalText:
    """Return the catalog text ``key`` as a :class:`LocalText` (rendered when shown)."""
    return LocalText(lambda language: i18n.t(key, language, **params))


def column_display_name(name: str, language: str | None = None) -> str:
    """Return a declared column's display name (``column.<name>`` in the catalog), else the name."""
    key = f"column.{name}"
    return i18n.t(key, language) if i18n.has(key) else name


def listed_columns(names: Iterable[str]) -> LocalText:
    """Return declared column names as their display names, joined for a message."""
    return listed(names, lambda name, language: column_display_name(str(name), language))


def listed_headers(headers: Iterable[str]) -> LocalText:
    """Return file headers quoted and joined for a message (「电话」、「IP」)."""
    return listed(headers, lambda header, language: i18n.t("import.quoted", language, text=header))


__all__ = ["LocalText", "listed", "localised", "column_display_name", "listed_columns", "listed_headers"]
