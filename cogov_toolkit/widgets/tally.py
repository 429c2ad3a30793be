"""The live tally (现场唱票) for a projector: one big number per option, updated as ballots are saved.

It screens and counts the stored ballots exactly as the count does
(:func:`~cogov_toolkit.workflows.votes.tally_now`: roll, scope, duplicates and
unknown options set aside by the same rules), so the figures the room sees are
the figures the count will publish. It shows options and numbers only: no
household, room or phone ever appears on the projected board. While a selection
or a budget is open (or a vote created to hide them) the board shows the ballots
received only, never running figures (:func:`~cogov_toolkit.workflows.selections.board`);
the figures appear once the vote is counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.render.vote_results import OPTION_COLOURS
from cogov_toolkit.widgets.feedback import guarded
from cogov_toolkit.workflows.selections import board
from cogov_toolkit.workflows.votes import fraction_text, get_vote

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace
    from cogov_toolkit.widgets.ballot_entry import BallotEntry


class LiveTally:
    """A projector view of the running count of one vote.

    Attributes: ``board`` (HTML, the big numbers), ``refresh_button``; ``counts``
    maps each option to its running count after the last :meth:`refresh`.
    """

    def __init__(self, ws: Workspace, vote_id: str) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.vote = get_vote(ws, vote_id)
        self.counts: dict[str, int] = {}
        self.counted = 0
        self.set_aside = 0
        self.received = 0
        self.hidden = False
        self.board = widgets.HTML()
        self.message = widgets.HTML()
        self.refresh_button = widgets.Button(
            description=i18n.t("tally.refresh"), layout={"width": "10em", "height": "3em"}
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self.widget = widgets.VBox([self.board, self.refresh_button, self.message])
        self.widget.add_class("cogov-tally")
        self.refresh()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def follow(self, entry: BallotEntry) -> None:
        """Refresh after every row saved in ``entry``."""
        entry.on_saved.append(lambda _: self.refresh())

    def refresh(self) -> dict[str, int]:
        """Screen and count the stored ballots as the count does, and redraw the board; return the figures."""
        guarded(self.message)(self._refresh)()
        return self.counts

    def _refresh(self) -> None:
        now = board(self.ws, self.vote.vote_id)
        self.vote, self.hidden, self.received = now.vote, now.hidden, now.received
        if now.result is None:  # an open selection or budget: ballots received, no figures
            self.counts, self.counted, self.set_aside = {}, 0, 0
            self.board.value = self._hidden_html()
        else:
            self.counts = dict(now.result.scores)
            self.counted = now.result.ballots_counted
            self.set_aside = len(now.result.set_aside)
            self.board.value = self._html()
        self.message.value = ""

    def _hidden_html(self) -> str:
        title = html_text(self.vote.question)
        note = html_text(i18n.t("tally.hidden"))
        return (
            f'<div style="font-family:sans-serif;background:#fff;color:#111">'
            f'<div style="font-size:36px;font-weight:bold">{title}</div>'
            f'<div style="font-size:32px">{html_text(i18n.t("tally.received"))}</div>'
            f'<div class="cogov-tally-received" style="font-size:96px;font-weight:bold">{self.received}</div>'
            f'<div style="font-size:24px">{note}</div></div>'
        )

    def _html(self) -> str:
        cells = "".join(
            f'<div style="flex:1;text-align:center;padding:0.5em;border-top:12px solid {OPTION_COLOURS[i % 8]}">'
            f'<div style="font-size:32px">{html_text(option)}</div>'
            f'<div style="font-size:96px;font-weight:bold;line-height:1.1">{html_text(fraction_text(n))}</div></div>'
            for i, (option, n) in enumerate(self.counts.items())
        )
        total = html_text(i18n.t("tally.total", count=self.counted, set_aside=self.set_aside))
        title = html_text(self.vote.question)
        return (
            f'<div style="font-family:sans-serif;background:#fff;color:#111">'
            f'<div style="font-size:36px;font-weight:bold">{title}</div>'
            f'<div style="display:flex;gap:1em">{cells}</div>'
            f'<div style="font-size:28px">{total}</div></div>'
        )


__all__ = ["LiveTally"]
