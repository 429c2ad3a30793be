"""One catalog of user-facing strings: Chinese by default, English on request.

Every string a planner or resident sees is looked up here by key. The catalog is
data (``catalog/*.toml``, one file per area of the toolkit, merged into one
table at first use), so a translator edits TOML, not Python. A key that is
missing, or a language that is missing for a key, is caught by the test suite.

>>> from cogov_toolkit import i18n
>>> i18n.t("workspace.saved", count=3)          # doctest: +SKIP
'已保存 3 条记录。'
"""

from __future__ import annotations

import os
import string
import threading
import tomllib
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_CATALOG_DIR = Path(__file__).with_name("catalog")
_lock = threading.Lock()
_catalog: dict[str, dict[str, str]] | None = None
_language = os.environ.get("COGOV_LANG", DEFAULT_LANGUAGE)
if _language not in LANGUAGES:
    _language = DEFAULT_LANGUAGE


def _load() -> dict[str, dict[str, str]]:
    global _catalog
    with _lock:
        if _catalog is None:
            merged: dict[str, dict[str, str]] = {}
            for path in sorted(_CATALOG_DIR.glob("*.toml")):
                with path.open("rb") as fh:
                    table = tomllib.load(fh)
                for key, entry in _flatten(table):
                    if key in merged:
                        raise RuntimeError(f"i18n key {key!r} defined twice ({path.name})")
                    merged[key] = entry
            _catalog = merged
    return _catalog


def _flatten(table: dict, prefix: str = ""):
    """Yield (dotted key, {lang: text}) for every leaf entry of a TOML table."""
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and set(value) & set(LANGUAGES):
            yield key, value
        elif isinstance(value, dict):
            yield from _flatten(value, key + ".")
        else:
            raise RuntimeError(f"i18n entry {key!r} must be a table with zh/en texts")


def catalog() -> dict[str, dict[str, str]]:
    """Return the whole merged catalog (key -> {language: text})."""
    return _load()


def get_language() -> str:
    """Return the language currently used for messages ("zh" or "en")."""
    return _language


def set_language(language: str) -> None:
    """Choose the language of every message from now on ("zh" default, or "en")."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    _language = language


def has(key: str) -> bool:
    """Return True when the catalog holds ``key``."""
    return key in _load()


def t(key: str, language: str | None = None, /, **params: object) -> str:
    """Return the text for ``key`` in the current (or given) language, filled with params.

    A missing key returns the key itself in brackets rather than raising: a
    half-translated message is better than a crash in front of residents. The
    tests make sure no such key ships.
    """
    entry = _load().get(key)
    lang = language or _language
    if entry is None:
        return f"[{key}]"
    # an empty text is a real translation (e.g. a separator); only a missing language falls back
    text = entry[lang] if lang in entry else entry.get(DEFAULT_LANGUAGE, f"[{key}]")
    if not params:
        return text
    return string.Formatter().vformat(text, (), _SafeParams(params))


def placeholders(text: str) -> set[str]:
    """Return the placeholder names used in a catalog text."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


class _SafeParams(dict):
    """Leave an unknown placeholder visible instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def label(kind: str, code: str | None, language: str | None = None) -> str:
    """Return the display label of an enum code, e.g. ``label("idle_plot_status", "idle")``."""
    if code is None or code == "":
        return ""
    key = f"label.{kind}.{code}"
    return t(key, language) if has(key) else str(code)


__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "catalog",
    "get_language",
    "set_language",
    "has",
    "t",
    "label",
    "placeholders",
]
