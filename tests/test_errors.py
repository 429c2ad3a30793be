"""One error family: every toolkit error and warning is defined in errors.py and belongs to the family."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import cogov_toolkit
from cogov_toolkit import errors, i18n

OPTIONAL = ("ipywidgets", "ipyleaflet", "folium", "matplotlib", "docx", "qrcode")


def _modules():
    for info in pkgutil.walk_packages(cogov_toolkit.__path__, "cogov_toolkit."):
        try:
            yield importlib.import_module(info.name)
        except ImportError as exc:  # an optional extra not installed: nothing to check there
            assert exc.name and exc.name.split(".")[0] in OPTIONAL, exc


def exception_classes_outside_errors() -> list[str]:
    found = []
    for module in _modules():
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException | Warning) and obj.__module__ == module.__name__:
                if module.__name__ != "cogov_toolkit.errors":
                    found.append(f"{module.__name__}.{name}")
    return found


def test_every_error_and_warning_is_defined_in_errors_py() -> None:
    assert exception_classes_outside_errors() == []


def test_every_family_member_derives_from_the_two_bases_only() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if not (inspect.isclass(obj) and issubclass(obj, BaseException)):
            continue
        assert issubclass(obj, errors.CogovError | errors.CogovWarning), name
        builtins = [b for b in obj.__mro__ if b.__module__ == "builtins" and b not in (object, BaseException)]
        allowed = {Exception, Warning, UserWarning}
        assert set(builtins) <= allowed, (name, builtins)


def test_every_default_reason_is_a_catalog_key() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if inspect.isclass(obj) and issubclass(obj, errors.CogovError):
            assert i18n.has(f"error.{obj.reason}"), name
        elif inspect.isclass(obj) and issubclass(obj, errors.CogovWarning):
            assert i18n.has(obj.reason), name


def test_the_scan_finds_an_error_class_defined_elsewhere(monkeypatch) -> None:
    import cogov_toolkit.core.escape as escape

    stray = type("StrayError", (ValueError,), {"__module__": escape.__name__})
    monkeypatch.setattr(escape, "StrayError", stray, raising=False)
    assert "cogov_toolkit.core.escape.StrayError" in exception_classes_outside_errors()
