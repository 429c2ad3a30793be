"""Typing in paper ballots at the meeting: one household per row, Enter to save, instant feedback.

The household is typed as building-unit-room ("5-2-301", "5栋2单元301") or as its
household id ("H0133"); the option is chosen with large buttons, or typed after the
address as its number ("5-2-301 1" for the first option), so a fast typist never
leaves the keyboard. A ballot of several choices takes what the vote's ballot holds:
several numbers for a selection or a budget's approval ballot ("5-2-301 1 3 4"), the
numbers in order for a ranking ("5-2-301 3 1 2", or clicks in order), number:points
for a cumulative ballot ("5-2-301 1:3 4:2"). Each saved row is a durable record at once. For double entry,
two people type the same stack in two :class:`BallotEntry` sessions that do not
store; :class:`DoubleEntry` shows where they differ and stores only when they agree.
Every message that echoes typed text is escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.widgets.feedback import guarded
from cogov_toolkit.workflows.votes import (
    BallotKind,
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
    choice: Any  # an option; several (a tuple, in ballot or rank order); or points per option (a dict)

    @property
    def label(self) -> str:
        """The choice as people read it: 口袋花园 · 张家、李家 · 张家 > 李家 · 张家 3、李家 2."""
        return choice_label(self.choice)


#: ballot kinds typed as several numbers (or number:points) after the address
SEVERAL = (BallotKind.APPROVAL, BallotKind.RANKING, BallotKind.CUMULATIVE, BallotKind.SCORE)
_CHOICES = re.compile(r"^(?P<address>.*?)\s+(?P<choices>\d+(?::\d+)?(?:\s*[\s,、>;]\s*\d+(?::\d+)?)*)$")


def choice_label(choice: Any) -> str:
    """Return a stored choice as people read it (several options joined by 、, a ranking by >)."""
    if isinstance(choice, Mapping):
        return "、".join(f"{o} {n}" for o, n in choice.items())
    if isinstance(choice, RankedChoice):
        return " > ".join(choice)
    if isinstance(choice, tuple):
        return "、".join(choice)
    return str(choice)


class RankedChoice(tuple):
    """A ranking typed or clicked in order (a tuple that shows as "A > B")."""


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
        self.kind = self.vote.kind
        self.picks: list[Any] = []  # several choices: one toggle per option (approval, ranking)
        self.points: list[Any] = []  # points per option (cumulative, score)
        self._order: list[int] = []  # ranking: the options in the order they were clicked
        self.picked = widgets.HTML()
        if self.kind in SEVERAL:
            self.choice = None
            self._several_widgets(widgets)
            chooser = widgets.VBox([widgets.HBox(self.picks or self.points, layout={"flex_flow": "row wrap"}),
                                    self.picked])  # fmt: skip
        else:
            self.choice = widgets.ToggleButtons(
                options=[(f"{i}. {o}", o) for i, o in enumerate(self.vote.options, start=1)],
                value=None,
                style={"button_width": "10em"},
            )
            self.choice.add_class("cogov-ballot-choice")
            chooser = self.choice
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
        if self.choice is not None:
            self.choice.observe(self._chosen, names="value")
        self.save_button.on_click(lambda _: self._soon(self.press_enter))
        title = widgets.HTML(f"<b>{html_text(session)}</b>") if session else widgets.HTML()
        # 告知: who voted how stays in the private file; only totals are published
        self.privacy_notice = widgets.HTML(f"<small>{html_text(i18n.t('privacy.notice_ballot'))}</small>")
        self.widget = widgets.VBox(
            [title, self.household, chooser, self.save_button, self.message, self.counter, self.privacy_notice]
        )
        self.widget.add_class("cogov-ballot-entry")
        self._show_count()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _several_widgets(self, widgets: Any) -> None:
        """One toggle per option (approval, ranking) or one points box per option (cumulative, score)."""
        if self.kind in (BallotKind.APPROVAL, BallotKind.RANKING):
            for i, option in enumerate(self.vote.options):
                toggle = widgets.ToggleButton(value=False, description=f"{i + 1}. {option}", layout={"width": "12em"})
                toggle.add_class("cogov-ballot-pick")
                toggle.observe(lambda change, i=i: self._picked(i, change["new"]), names="value")
                self.picks.append(toggle)
        else:
            top = self.vote.max_total or 100
            for i, option in enumerate(self.vote.options):
                box = widgets.BoundedIntText(value=0, min=0, max=top, description=f"{i + 1}. {option}",
                                             style={"description_width": "initial"}, layout={"width": "14em"})  # fmt: skip
                box.add_class("cogov-ballot-points")
                box.observe(lambda _: self._show_picked(), names="value")
                self.points.append(box)
        self._show_picked()

    def _picked(self, index: int, on: bool) -> None:
        if on and index not in self._order:
            self._order.append(index)
        elif not on and index in self._order:
            self._order.remove(index)
        self._confirmed = ""
        self._show_picked()
        self.household.focus()

    def _clicked_choice(self) -> Any:
        """The choice the buttons (or points boxes) hold now, or None when nothing is chosen."""
        options = self.vote.options
        if self.kind is BallotKind.RANKING:
            return RankedChoice(options[i] for i in self._order) if self._order else None
        if self.kind is BallotKind.APPROVAL:
            chosen = tuple(o for o, t in zip(options, self.picks, strict=True) if t.value)
            return chosen or None
        points = {o: int(b.value) for o, b in zip(options, self.points, strict=True) if b.value}
        return points or None

    def _show_picked(self) -> None:
        choice = self._clicked_choice()
        key = f"ballot_entry.picked_{self.kind.value}"
        self.picked.value = html_text(i18n.t(key, choice=choice_label(choice) if choice else "—"))

    def _clear_choice(self) -> None:
        if self.choice is not None:
            self.choice.value = None
            return
        self._order.clear()
        for widget in self.picks:
            widget.value = False
        for widget in self.points:
            widget.value = 0
        self._show_picked()

    def _typed_several(self, typed: str) -> tuple[Any, str | None]:
        """Read the numbers typed after the address: the choice, or None and why it cannot be read."""
        options = self.vote.options
        tokens = [t for t in re.split(r"[\s,、>;]+", typed) if t]
        if self.kind in (BallotKind.CUMULATIVE, BallotKind.SCORE):
            points: dict[str, int] = {}
            for token in tokens:
                number, _, amount = token.partition(":")
                if not 1 <= int(number) <= len(options):
                    return None, i18n.t("ballot_entry.no_such_number", number=number, count=len(options))
                points[options[int(number) - 1]] = points.get(options[int(number) - 1], 0) + int(amount or 1)
            return {o: n for o, n in points.items() if n}, None
        numbers = []
        for token in tokens:
            number = int(token.partition(":")[0])
            if not 1 <= number <= len(options):
                return None, i18n.t("ballot_entry.no_such_number", number=number, count=len(options))
            if number in numbers:
                return None, i18n.t("ballot_entry.number_twice", number=number)
            numbers.append(number)
        if self.kind is BallotKind.RANKING:
            return RankedChoice(options[n - 1] for n in numbers), None
        return tuple(options[n - 1] for n in sorted(numbers)), None

    def _over_limit(self, choice: Any) -> str | None:
        """Why the choice is more than the ballot allows (more approvals or points), or None."""
        vote = self.vote
        if self.kind is BallotKind.APPROVAL and vote.max_choices and len(choice) > vote.max_choices:
            return i18n.t("ballot_entry.too_many", count=len(choice), limit=vote.max_choices)
        if isinstance(choice, Mapping) and vote.max_total and sum(choice.values()) > vote.max_total:
            return i18n.t("ballot_entry.too_many_points", count=sum(choice.values()), limit=vote.max_total)
        return None

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
        if self.kind in SEVERAL:
            choice = self._clicked_choice()
            address, typed = _split_several(text)
            if typed is not None:
                choice, problem = self._typed_several(typed)
                if problem:
                    return self._fail(problem)
        else:
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
        if not choice:
            return self._fail(i18n.t("ballot_entry.no_option", address=where))
        over = self._over_limit(choice)
        if over:
            return self._fail(i18n.t("ballot_entry.over_limit", address=where, why=over))
        if any(e.household_id == household for e in self.entered) or self._has_ballot(household):
            return self._fail(i18n.t("ballot_entry.already", household=where))
        row = EnteredBallot(len(self.entered) + 1, household, choice)
        if self.store:
            record_ballots(
                self.ws, self.vote.vote_id, [RawBallot(f"纸质:{household}", household, choice)], Channel.PAPER
            )
        self.entered.append(row)
        self.household.value = ""
        self._clear_choice()
        saved = i18n.t("ballot_entry.saved", number=row.number, household=where, choice=row.label)
        self.message.value = self._confirmed = (
            f'<span class="cogov-message cogov-message-ok" style="color:#1a7f37;font-size:1.2em">✔ '
            f"{html_text(saved)}</span>"
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
            (where.get(h, h), choice_label(a.get(h, "")), choice_label(b.get(h, "")))
            for h in sorted(a.keys() | b.keys())
            if a.get(h) != b.get(h)
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


def _split_several(text: str) -> tuple[str, str | None]:
    """Split "5-2-301 1 3" (or "5-2-301 3>1", "5-2-301 1:3 2:2") into the address and the typed numbers."""
    match = _CHOICES.match(text)
    if not match or not match.group("address").strip():
        return text, None
    numbers = [int(t.partition(":")[0]) for t in re.split(r"[\s,、>;]+", match.group("choices")) if t]
    if any(n > 99 for n in numbers):  # a room number ("5栋2单元 301"), not an option's
        return text, None
    return match.group("address").strip(), match.group("choices")


def _split_option(text: str, n_options: int) -> tuple[str, int | None]:
    """Split "5-2-301 1" into the address and the option's index (0-based), if a number ends the text."""
    head, _, tail = text.rpartition(" ")
    if head and tail.isdigit() and 1 <= int(tail) <= n_options:
        return head.strip(), int(tail) - 1
    return text, None


__all__ = ["EnteredBallot", "BallotEntry", "DoubleEntry", "RankedChoice", "address_labels", "choice_label"]
