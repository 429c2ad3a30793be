"""Each closed list of codes is declared once (core/codes.py); the schema's allowed values come from it."""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import types
from collections.abc import Iterable

import pytest

import cogov_toolkit
from cogov_toolkit import i18n
from cogov_toolkit.core import codes
from cogov_toolkit.core.schema import ENUMS, LAYERS, PRIVATE_TABLES, RECORD_TABLES

#: modules that need a display or a browser to import; they declare no stored codes
_SKIPPED = ("cogov_toolkit.widgets", "cogov_toolkit.notebooks", "cogov_toolkit.lab", "cogov_toolkit.demo.tablet")


def duplicated_lists(modules: Iterable[types.ModuleType]) -> list[str]:
    """Name every enum, outside core/codes.py, whose codes are those of a schema list: a second declaration."""
    lists = {frozenset(values): name for name, values in ENUMS.items()}
    found = []
    for module in modules:
        for name, value in vars(module).items():
            if not (inspect.isclass(value) and issubclass(value, enum.Enum)) or value.__module__ != module.__name__:
                continue
            if value.__module__ == codes.__name__:
                continue
            members = frozenset(str(m.value) for m in value)
            if members in lists:
                found.append(f"{module.__name__}.{name} = ENUMS[{lists[members]!r}]")
    return found


def _package_modules() -> list[types.ModuleType]:
    out = []
    for info in pkgutil.walk_packages(cogov_toolkit.__path__, "cogov_toolkit."):
        if info.name.startswith(_SKIPPED):
            continue
        out.append(importlib.import_module(info.name))
    return out


@pytest.mark.parametrize("name", sorted(codes.CODE_LISTS))
def test_the_schema_takes_each_declared_list(name: str) -> None:
    assert ENUMS[name] == tuple(code.value for code in codes.CODE_LISTS[name])
    assert all(type(code) is str for code in ENUMS[name])  # plain text, as stored


def test_no_list_is_declared_twice() -> None:
    assert duplicated_lists(_package_modules()) == []


def test_the_scan_finds_a_second_declaration() -> None:
    planted = types.ModuleType("planted")

    class Triage(enum.StrEnum):
        MAJOR = "major"
        MINOR = "minor"
        PRIVATE = "private"

    Triage.__module__ = "planted"
    planted.Triage = Triage
    planted.TriageClass = codes.TriageClass  # a re-export is no second declaration
    assert duplicated_lists([planted]) == ["planted.Triage = ENUMS['triage_class']"]


def test_the_modules_that_use_a_list_re_export_the_one_declaration() -> None:
    from cogov_toolkit.core import adoption, triage, workdays
    from cogov_toolkit.core.votes import params
    from cogov_toolkit.workflows import notices, votes

    assert triage.TriageClass is codes.TriageClass and workdays.DemandUrgency is codes.DemandUrgency
    assert adoption.AdopterType is codes.AdopterType and params.Rule is codes.Rule
    assert votes.Channel is codes.Channel and votes.Step is codes.Step and notices.NoticeKind is codes.NoticeKind


def test_every_coded_column_names_a_list_whose_codes_have_both_labels() -> None:
    columns = [
        *(c for t in (*RECORD_TABLES.values(), *PRIVATE_TABLES.values()) for c in t.columns),
        *(c for layer in LAYERS.values() for c in layer.columns),
    ]
    coded = {c.enum for c in columns if c.enum}
    assert coded <= set(ENUMS), coded - set(ENUMS)
    # a key in the catalog has both languages (tests/test_i18n.py checks every key for zh and en)
    missing = [f"label.{n}.{c}" for n in sorted(set(codes.CODE_LISTS) | coded) for c in ENUMS[n]]
    assert [key for key in missing if not i18n.has(key)] == []
    assert not i18n.has("label.triage_class.nope")  # the check can fail
