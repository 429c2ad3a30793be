"""Typing in paper ballots at the meeting: one household per row, Enter to save, instant feedback.

The household is typed as building-unit-room ("5-2-301", "5栋2单元301") or as its
household id ("H0133"); the option is chosen with large buttons, or typed after the
address as its number ("5-2-301 1" for the first option), so a fast typist never
leaves the keyboard. Each saved row is a durable record at once. For double entry,
two people type the same stack in two :class:`BallotEntry` sessions that do not
store; :class:`DoubleEntry` shows where they differ and stores only when they agree.
Every message that echoes typed text is escaped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.widgets.feedback import guarded
from cogov_toolkit.workflows.votes import (
    Channel,
    LineProblem,
    RawBallot,
    get_vote,
    jielong_roll,
    parse_jielong,
    record_ballots,
    roll_for,
    stored_ballots,
)

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "10em", "height": "3em"}  # large targets for a tablet or a hurried typist
SETTLE_S = 0.4  # how long a save from the browser waits for the typed value sent just after Enter


@dataclass(frozen=True)
class EnteredBallot:
    """One typed row: the running number in the session, the household and the option."""

    number: int
    household_id: str
    choice: str


class BallotEntry:
    """A keyboard-friendly form for paper ballots of one vote.

    The documented flow: type the room, click an option (the cursor goes back to
    the room box), press Enter; or, keyboard only, type the option's number after
    the room ("5-2-201 3") and press Enter. Full-width input from a Chinese IME
    ("５－２－２０１　３") is read the same. Only Enter or the 保存 button saves:
    leaving the box (a click on an option) never saves and never complains.
    Every failed save says why in red, in the form; a second tap right after a
    save shows that save's confirmation again.

    Attributes (the widgets, so a test or a demo can drive them): ``household``
    (Text), ``choice`` (ToggleButtons), ``save_button``, ``message`` (HTML),
    ``counter`` (HTML). ``entered`` lists the rows of this session; ``on_saved``
    callbacks run after each saved row. :meth:`press_enter` does what Enter does.

    Parameters
    ----------
    ws : Workspace
    vote_id : str
    store : bool
        True: each row is stored at once. False: a double-entry session, rows kept in memory.
    session : str
        A name for the person typing (double entry), shown above the form.
    """

    def __init__(self, ws: Workspace, vote_id: str, *, store: bool = True, session: str = "") -> None:
        import warnings

        import ipywidgets as widgets

        self.ws = ws
        self.vote = get_vote(ws, vote_id)
        self.store = store
        self.session = session
        roll = roll_for(ws, self.vote)
        self._roll = jielong_roll(roll)
        self._addresses = address_labels(roll)
        self.entered: list[EnteredBallot] = []
        self.on_saved: list[Callable[[EnteredBallot], None]] = []
        self._confirmed = ""  # the last confirmation, shown again for a second tap with nothing new typed
        self.household = widgets.Text(
            description=i18n.t("ballot_entry.household"),
            placeholder=i18n.t("ballot_entry.placeholder"),
            # the value comes to the kernel on Enter or on leaving the box, as one message; Enter's own
            # event is sent just before it, so a save from the browser waits a moment for the value (_soon)
            continuous_update=False,
            style={"description_width": "initial"},
            layout={"width": "28em"},
        )
        self.household.add_class("cogov-ballot-household")
        self.choice = widgets.ToggleButtons(
            options=[(f"{i}. {o}", o) for i, o in enumerate(self.vote.options, start=1)],
            value=None,
            style={"button_width": "10em"},
        )
        self.choice.add_class("cogov-ballot-choice")
        self.save_button = widgets.Button(
            description=i18n.t("ballot_entry.save"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.save_button.add_class("cogov-ballot-save")
        self.message = widgets.HTML()
        self.counter = widgets.HTML()
        with warnings.catch_warnings():  # Enter in a Text: still the one event ipywidgets sends for it
            warnings.simplefilter("ignore", DeprecationWarning)
            self.household.on_submit(lambda _: self._soon(self.press_enter))
        self.household.observe(self._typing, names="value")
        self.choice.observe(self._chosen, names="value")
        self.save_button.on_click(lambda _: self._soon(self.press_enter))
        title = widgets.HTML(f"<b>{html_text(session)}</b>") if session else widgets.HTML()
        # 告知: who voted how stays in the private file; only totals are published
        self.privacy_notice = widgets.HTML(f"<small>{html_text(i18n.t('privacy.notice_ballot'))}</small>")
        self.widget = widgets.VBox(
            [title, self.household, self.choice, self.save_button, self.message, self.counter, self.privacy_notice]
        )
        self.widget.add_class("cogov-ballot-entry")
        self._show_count()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    @staticmethod
    def _soon(action: Callable[[], object]) -> None:
        """Run ``action`` once the messages the browser sent with this one have arrived (a browser's Enter).

        The browser sends Enter's event before the box's new value; the kernel handles
        messages in order, so the action runs a moment later, after the value. Outside
        a running event loop (code driving the form), it runs at once.
        """
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            action()
            return
        loop.call_later(SETTLE_S, action)

    def _typing(self, change: dict) -> None:
        if change["new"].strip():
            self._confirmed = ""  # something new is being typed: a tap now is a new save

    def _chosen(self, change: dict) -> None:
        if change["new"] is not None:
            self._confirmed = ""
            self.household.focus()  # back to the room box, so Enter saves

    def press_enter(self) -> EnteredBallot | None:
        """Save the typed row, as Enter or the 保存 button does (errors are shown in the form)."""
        self.save_button.disabled = True
        try:
            return guarded(self.message)(self.save)()
        finally:
            self.save_button.disabled = False

    def save(self) -> EnteredBallot | None:
        """Save the typed row; return it, or None with the reason shown in ``message``."""
        text = unicodedata.normalize("NFKC", self.household.value).strip()
        if not text and self._confirmed:  # a double tap: the one save, confirmed again
            self.message.value = self._confirmed
            return self.entered[-1] if self.entered else None
        choice = self.choice.value
        address, typed_choice = _split_option(text, len(self.vote.options))
        if typed_choice is not None:
            choice = self.vote.options[typed_choice]
        if not address:
            return self._fail(i18n.t("ballot_entry.empty"))
        household = self._household(address)
        if household is None:
            return None
        where = self._addresses.get(household, household)
        if choice is None:
            return self._fail(i18n.t("ballot_entry.no_option", address=where))
        if any(e.household_id == household for e in self.entered) or self._has_ballot(household):
            return self._fail(i18n.t("ballot_entry.already", household=where))
        row = EnteredBallot(len(self.entered) + 1, household, choice)
        if self.store:
            record_ballots(
                self.ws, self.vote.vote_id, [RawBallot(f"纸质:{household}", household, choice)], Channel.PAPER
            )
        self.entered.append(row)
        self.household.value = ""
        self.choice.value = None
        self.message.value = self._confirmed = (
            f'<span class="cogov-message cogov-message-ok" style="color:#1a7f37;font-size:1.2em">✔ '
            f"{html_text(i18n.t('ballot_entry.saved', number=row.number, household=where, choice=choice))}</span>"
        )
        self.household.focus()
        self._show_count()
        for callback in self.on_saved:
            callback(row)
        return row

    @property
    def message_text(self) -> str:
        """The message shown, as plain text."""
        from cogov_toolkit.widgets.feedback import plain

        return plain(self.message.value)

    def _has_ballot(self, household: str) -> bool:
        # read at each row, not once: ballots imported or pasted meanwhile count too
        return self.store and any(b.voter == household for b in stored_ballots(self.ws, self.vote.vote_id))

    def _household(self, address: str) -> str | None:
        """Return the household typed, or None with the reason shown."""
        if address.upper() in self._roll.household_ids:
            return address.upper()
        parsed = parse_jielong(f"1. {address} {self.vote.options[0]}", self._roll, self.vote.options)
        if parsed.ballots:
            return parsed.ballots[0].household_id
        problem = parsed.to_check[0].problem if parsed.to_check else LineProblem.NO_ADDRESS
        self._fail(i18n.t("ballot_entry.bad_household", text=address, reason=i18n.t(problem.key)))
        return None

    def _fail(self, text: str) -> None:
        self._confirmed = ""
        self.message.value = (
            f'<span class="cogov-message cogov-message-error" style="color:#c0392b;font-size:1.2em">'
            f"✘ {html_text(text)}</span>"
        )
        return None

    def _show_count(self) -> None:
        self.counter.value = html_text(i18n.t("ballot_entry.count", count=len(self.entered)))

    def frame(self) -> pd.DataFrame:
        """Return this session's rows as a table (number, household, choice)."""
        return pd.DataFrame(
            [(e.number, e.household_id, e.choice) for e in self.entered], columns=["number", "household_id", "choice"]
        )


def address_labels(roll: pd.DataFrame) -> dict[str, str]:
    """Return household id -> the address people say ("5栋2单元201") for a roll from ``roll_for``."""
    return {
        str(h): f"{label}{int(unit)}单元{room}" if pd.notna(unit) else f"{label}{room}"
        for h, label, unit, room in zip(roll["household_id"], roll["label"], roll["unit"], roll["room"], strict=True)
    }


class DoubleEntry:
    """Two people type the same paper ballots; the differences are shown; agreed ballots are stored.

    Attributes: ``first`` and ``second`` (two non-storing :class:`BallotEntry`),
    ``compare_button``, ``store_button``, ``differences`` (HTML table), ``message``.
    """

    def __init__(self, ws: Workspace, vote_id: str) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.vote_id = vote_id
        self.first = BallotEntry(ws, vote_id, store=False, session=i18n.t("ballot_entry.first"))
        self.second = BallotEntry(ws, vote_id, store=False, session=i18n.t("ballot_entry.second"))
        self.compare_button = widgets.Button(description=i18n.t("ballot_entry.compare"), layout=BUTTON_LAYOUT)
        self.store_button = widgets.Button(
            description=i18n.t("ballot_entry.store_agreed"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.differences = widgets.HTML()
        self.message = widgets.HTML()
        self.compare_button.on_click(lambda _: self.compare())
        self.store_button.on_click(lambda _: self.store())
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.first.widget, self.second.widget]),
                widgets.HBox([self.compare_button, self.store_button]),
                self.differences,
                self.message,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def diff(self) -> pd.DataFrame:
        """Return the households the two sessions disagree on: missing in one, or another option."""
        a = {e.household_id: e.choice for e in self.first.entered}
        b = {e.household_id: e.choice for e in self.second.entered}
        where = self.first._addresses  # the address people say ("5栋2单元302"), not the household id
        rows = [
            (where.get(h, h), a.get(h, ""), b.get(h, "")) for h in sorted(a.keys() | b.keys()) if a.get(h) != b.get(h)
        ]
        return pd.DataFrame(
            rows,
            columns=[i18n.t("ballot_entry.household"), i18n.t("ballot_entry.first"), i18n.t("ballot_entry.second")],
        )

    def compare(self) -> pd.DataFrame:
        """Show the differences as a table (escaped) and return them."""
        table = self.diff()
        if table.empty:
            self.differences.value = html_text(i18n.t("ballot_entry.no_differences", count=len(self.first.entered)))
        else:
            self.differences.value = table.to_html(index=False, escape=True)
        return table

    def store(self) -> int:
        """Store the ballots when the two sessions agree; return how many were stored (0 if they differ)."""
        if not self.compare().empty:
            self.message.value = html_text(i18n.t("ballot_entry.resolve_first"))
            return 0
        ballots = [RawBallot(f"纸质:{e.household_id}", e.household_id, e.choice) for e in self.first.entered]
        before = self.ws.count("ballots")
        record_ballots(self.ws, self.vote_id, ballots, Channel.PAPER)
        stored = self.ws.count("ballots") - before
        self.message.value = html_text(i18n.t("ballot_entry.stored", count=stored))
        return stored


def _split_option(text: str, n_options: int) -> tuple[str, int | None]:
    """Split "5-2-301 1" into the address and the option's index (0-based), if a number ends the text."""
    head, _, tail = text.rpartition(" ")
    if head and tail.isdigit() and 1 <= int(tail) <= n_options:
        return head.strip(), int(tail) - 1
    return text, None


__all__ = ["EnteredBallot", "BallotEntry", "DoubleEntry", "address_labels"]
