"""What every form says back: one way to show a message, and one guard around every callback.

A widget callback runs in the kernel; an exception there would only reach
JupyterLab's log console, in English, while the form keeps showing its last
"已保存". :func:`guarded` wraps each callback so that any exception becomes a
Chinese message in red inside the form: a toolkit error shows its own message,
anything else says that something unexpected happened and where the details
were written (a crash log in the user's cache folder), never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError

ERROR_COLOUR = "#b00020"
OK_COLOUR = "#1b5e20"
NOTE_COLOUR = "#444"
BUTTON = {"width": "14em", "height": "3em"}  # large targets: projector remote, touch screen

F = TypeVar("F", bound=Callable[..., Any])


def message_html(text: str, *, error: bool = False, note: bool = False) -> str:
    """Return ``text`` as the HTML of a form message (escaped, one line per line, red for an error)."""
    colour = ERROR_COLOUR if error else NOTE_COLOUR if note else OK_COLOUR
    body = "<br>".join(html_text(line) for line in str(text).splitlines())
    kind = "cogov-message-error" if error else "cogov-message-ok"
    return f"<div class='cogov-message {kind}' style='font-size:1.1em;color:{colour}'>{body}</div>"


def say(target: Any, text: str, *, error: bool = False, note: bool = False) -> None:
    """Show ``text`` in an HTML widget ``target`` (escaped; red when ``error``)."""
    target.value = message_html(text, error=error, note=note)


def plain(html_value: str) -> str:
    """Return the text a message widget shows (tags removed, entities decoded), e.g. for a printed summary."""
    import html
    import re

    return html.unescape(re.sub(r"<br\s*/?>", "\n", re.sub(r"<(?!br)[^>]+>", "", html_value))).strip()


def crash_log(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error to the toolkit's crash log; return its path (None if unwritable)."""
    import traceback

    from cogov_toolkit._paths import user_cache_dir

    try:
        folder = user_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "cogov-widget-error.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
            fh.write("\n")
        return log
    except OSError:
        return None


def error_text(exc: BaseException) -> str:
    """Return what the planner reads for an exception: the toolkit's message, or a plain Chinese note."""
    if isinstance(exc, CogovError):
        return exc.message()
    log = crash_log(exc)
    return i18n.t("widgets.unexpected", error=type(exc).__name__, detail=str(exc)[:200], log=str(log or ""))


def guarded(target: Callable[[Any], Any] | Any) -> Callable[[F], F]:
    """Decorate a callback so that any exception is shown in the form's message widget, in Chinese.

    ``target`` is the HTML widget to write into, or a function returning it:
    of the widget object for methods (``@guarded(lambda self: self.message)``),
    or of nothing (``guarded(lambda: self.message)(self.show)``). The callback
    returns None when it failed.
    """

    def decorate(callback: F) -> F:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except Exception as exc:  # the edge of the widget: nothing may escape to the log console only
                say(_widget(target, args), error_text(exc), error=True)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


def _widget(target: Any, args: tuple[Any, ...]) -> Any:
    if hasattr(target, "value"):
        return target
    takes = getattr(getattr(target, "__code__", None), "co_argcount", 0)
    return target(args[0]) if takes and args else target()


def on_click(button: Any, message: Any, action: Callable[[], Any]) -> None:
    """Run ``action`` when ``button`` is clicked, with the button disabled meanwhile and errors shown in ``message``."""

    def clicked(_: Any) -> None:
        button.disabled = True  # a second tap while saving does nothing
        try:
            guarded(message)(action)()
        finally:
            button.disabled = False

    button.on_click(clicked)


__all__ = ["ERROR_COLOUR", "OK_COLOUR", "BUTTON", "message_html", "say", "plain", "error_text", "guarded", "on_click"]
