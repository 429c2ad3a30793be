"""One catalog: every string in both languages, same placeholders, and no key used that is missing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS

PACKAGE = Path(__file__).resolve().parents[1] / "cogov_toolkit"


def keys_used_in(source: str) -> set[str]:
    """Return the catalog keys a module's source refers to (error reasons, t() keys, labels)."""
    used = set()
    tree = ast.parse(source)
    warning_reasons = set()  # a warning's reason is a catalog key itself, not error.<reason>
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "").endswith("Warning") for b in node.bases):
            for item in node.body:
                if isinstance(item, ast.Assign) and any(getattr(t, "id", "") == "reason" for t in item.targets):
                    warning_reasons.add(id(item))
                    used.add(item.value.value)
    for node in ast.walk(tree):
        if id(node) in warning_reasons:
            continue
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            arg = node.args[0].value
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if not isinstance(arg, str):
                continue
            if name == "Problem" or (name.endswith("Error") and name != "ValueError"):
                used.add(f"error.{arg}")
            elif name == "ValueError" and "." in arg and " " not in arg:
                used.add(f"error.{arg}")  # reason codes travel inside ValueError in core/records.py
            elif name == "t":
                used.add(arg)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "reason" for t in node.targets):
            if isinstance(node.value, ast.Constant):
                used.add(f"error.{node.value.value}")
    return used


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in i18n.catalog().items():
        assert set(entry) == set(i18n.LANGUAGES), key
        if not key.endswith(".join"):  # separators may be empty (Chinese joins without spaces)
            assert all(text.strip() for text in entry.values()), key
        assert i18n.placeholders(entry["zh"]) == i18n.placeholders(entry["en"]), key


def test_every_key_used_in_the_package_is_in_the_catalog() -> None:
    missing = {}
    for path in PACKAGE.rglob("*.py"):
        absent = {k for k in keys_used_in(path.read_text(encoding="utf-8")) if not i18n.has(k)}
        if absent:
            missing[str(path.relative_to(PACKAGE))] = sorted(absent)
    assert missing == {}


def test_the_key_scan_finds_a_missing_key() -> None:
    source = (
        'raise RecordError("record.no_such_reason")\nProblem("import.nope")\nt("label.nothing")\n'
        'class OddWarning(CogovWarning):\n    reason = "warning.nothing"\n'
    )
    assert keys_used_in(source) == {
        "error.record.no_such_reason",
        "error.import.nope",
        "label.nothing",
        "warning.nothing",
    }
    assert not any(i18n.has(k) for k in keys_used_in(source))


@pytest.mark.parametrize("enum", sorted(ENUMS))
def test_every_enum_code_has_a_label_in_both_languages(enum: str) -> None:
    for code in ENUMS[enum]:
        assert i18n.has(f"label.{enum}.{code}"), f"label.{enum}.{code}"


def test_language_switch_and_default() -> None:
    assert i18n.get_language() == "zh"
    assert i18n.label("idle_plot_status", "idle") == "闲置"
    i18n.set_language("en")
    try:
        assert i18n.label("idle_plot_status", "idle") == "idle"
    finally:
        i18n.set_language("zh")
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_missing_key_shows_the_key_instead_of_crashing() -> None:
    assert i18n.t("no.such.key") == "[no.such.key]"
    assert i18n.t("error.import.not_a_number", value="x") == "「x」不是数字。"
