"""The convention editor: draft from demands, save each revision as a version, compare, vote, adopt, print, publish.

A thin adapter over :mod:`cogov_toolkit.workflows.conventions`. Ballots are
entered and counted with the vote tools (:mod:`cogov_toolkit.widgets.ballot_entry`);
this panel creates the votes and, once they are counted, adopts the version
from them after recounting. Nothing is written until a button is clicked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.cobuilding import BUTTON_LAYOUT, say
from cogov_toolkit.widgets.feedback import on_click
from cogov_toolkit.workflows import conventions as flow
from cogov_toolkit.workflows.conventions import ConventionKind, ConventionTopic, VoteMode

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace
    from cogov_toolkit.widgets.notice_review import NoticeReview

_STYLE = {"description_width": "8em"}
_WIDE = {"width": "40em"}
NEW = "__new__"


def _t(key: str) -> str:
    return i18n.t(f"convention.editor.{key}")


class ConventionEditor:
    """Widgets to write a convention and carry it through revision, vote, adoption, print and 公示.

    Attributes: ``pick`` (Dropdown of conventions, or a new one), ``convention_id``,
    ``title``, ``kind``, ``topics``, ``demands``, ``articles`` (Textarea),
    ``note``, ``save_button``; ``old_version``, ``new_version``, ``compare_button``,
    ``diff`` (HTML); ``vote_mode``, ``rule``, ``vote_button``; ``adopted_on``,
    ``adopt_button``; ``issuer``, ``print_button``; ``publish_button`` and
    ``review_box``; ``versions`` (HTML table) and ``message``. ``today`` gives the
    date of a notice and of an adoption left blank (the workshop banner's date in a notebook).
    """

    def __init__(self, ws: Workspace, out_dir: str | Path, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        import ipywidgets as widgets

        from cogov_toolkit.workflows.settings import get_settings

        saved = get_settings(ws)  # the community's settings, entered once in the banner
        self.ws = ws
        self.today = today
        self.out_dir = Path(out_dir)
        self.review: NoticeReview | None = None
        self.files: list[Path] = []
        self.pick = widgets.Dropdown(description=_t("pick"), style=_STYLE, layout=_WIDE)
        self.convention_id = widgets.Text(description=_t("convention_id"), style=_STYLE)
        self.title = widgets.Text(description=_t("name"), style=_STYLE, layout=_WIDE)
        self.kind = widgets.Dropdown(
            options=[(i18n.label("convention_kind", str(k)), str(k)) for k in ConventionKind],
            description=_t("kind"),
            style=_STYLE,
        )
        self.topics = widgets.SelectMultiple(
            options=[(i18n.label("convention_topic", str(t)), str(t)) for t in ConventionTopic],
            description=_t("topics"),
            style=_STYLE,
        )
        self.demands = widgets.SelectMultiple(options=flow.demand_choices(ws), description=_t("demands"), style=_STYLE)
        self.articles = widgets.Textarea(
            description=_t("articles"), style=_STYLE, layout={"width": "40em", "height": "14em"}
        )
        self.note = widgets.Text(description=_t("note"), style=_STYLE, layout=_WIDE)
        self.save_button = widgets.Button(description=_t("save"), button_style="primary", layout=BUTTON_LAYOUT)
        self.old_version = widgets.Dropdown(description=_t("versions"), style=_STYLE)
        self.new_version = widgets.Dropdown(description="→", style={"description_width": "2em"})
        self.compare_button = widgets.Button(description=_t("compare"), layout=BUTTON_LAYOUT)
        self.diff = widgets.HTML()
        self.vote_mode = widgets.Dropdown(
            options=[(i18n.label("vote_mode", str(m)), str(m)) for m in VoteMode],
            description=_t("vote_mode"),
            style=_STYLE,
        )
        self.rule = widgets.Dropdown(
            options=[(i18n.label("vote_rule", r), r) for r in flow.VOTE_RULES],
            description=i18n.t("column.rule"),
            style=_STYLE,
        )
        self.vote_button = widgets.Button(description=_t("put_to_vote"), layout=BUTTON_LAYOUT)
        self.adopted_on = widgets.DatePicker(description=i18n.t("column.adopted_on"), style=_STYLE)
        self.adopt_button = widgets.Button(description=_t("adopt"), layout=BUTTON_LAYOUT)
        self.issuer = widgets.Text(
            value=saved.issuer
            or (i18n.t("cobuilding.form.issuer_default", community=ws.community_name) if ws.community_name else ""),
            description=_t("issuer"),
            style=_STYLE,
            layout=_WIDE,
        )
        self.print_button = widgets.Button(description=_t("print"), layout=BUTTON_LAYOUT)
        self.contact = widgets.Text(value=saved.contact, description=i18n.t("cobuilding.form.contact"), style=_STYLE)
        self.office_phone = widgets.Text(
            value=saved.office_phone, description=i18n.t("cobuilding.form.office_phone"), style=_STYLE
        )
        self.publish_button = widgets.Button(description=_t("publish"), layout=BUTTON_LAYOUT)
        self.review_box = widgets.VBox()
        self.versions = widgets.HTML()
        self.message = widgets.HTML()
        self.pick.observe(lambda _: self.load(), names="value")
        on_click(self.save_button, self.message, self.save)
        on_click(self.compare_button, self.message, self.compare)
        on_click(self.vote_button, self.message, self.put_to_vote)
        on_click(self.adopt_button, self.message, self.adopt)
        on_click(self.print_button, self.message, self.print_files)
        on_click(self.publish_button, self.message, self.publish)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(_t('title'))}</h3>"),
                self.pick,
                widgets.HBox([self.convention_id, self.kind]),
                self.title,
                widgets.HBox([self.topics, self.demands]),
                self.articles,
                self.note,
                self.save_button,
                self.versions,
                widgets.HBox([self.old_version, self.new_version, self.compare_button]),
                self.diff,
                widgets.HBox([self.vote_mode, self.rule, self.vote_button]),
                widgets.HBox([self.adopted_on, self.adopt_button]),
                self.issuer,
                self.print_button,
                widgets.HBox([self.contact, self.office_phone, self.publish_button]),
                self.message,
                self.review_box,
            ]
        )
        self._refresh_choices()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # --- reading -----------------------------------------------------------------------------------
    def _refresh_choices(self, chosen: str | None = None) -> None:
        options = [(_t("new"), NEW), *flow.convention_ids(self.ws)]
        self.pick.options = options
        self.pick.value = chosen if chosen in {v for _, v in options} else options[-1][1]
        self.load()

    def load(self) -> None:
        """Show the chosen convention: fields, latest articles, versions."""
        if self.pick.value in (None, NEW):
            self.convention_id.disabled = False
            self.versions.value = ""
            for dropdown in (self.old_version, self.new_version):
                dropdown.options = []
            return
        convention = flow.get_convention(self.ws, self.pick.value)
        self.convention_id.value, self.convention_id.disabled = convention.convention_id, True
        self.title.value = convention.title
        self.kind.value = convention.kind.value
        self.topics.value = tuple(t.value for t in convention.topics)
        known = {v for _, v in self.demands.options}
        self.demands.value = tuple(d for d in convention.latest.demand_ids if d in known)
        self.articles.value = convention.latest.text()
        numbers = [(i18n.t("convention.version", version=v.version), v.version) for v in convention.versions]
        self.old_version.options = self.new_version.options = numbers
        self.old_version.value = numbers[max(0, len(numbers) - 2)][1]
        self.new_version.value = numbers[-1][1]
        self._show_versions()

    def _show_versions(self) -> None:
        frame = flow.versions_frame(self.ws, self.pick.value)
        head = "".join(
            f"<th>{html_text(i18n.t(f'column.{c}') if c != 'change' else _t('versions'))}</th>" for c in frame.columns
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{html_text('' if v is None else v)}</td>" for v in row) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        self.versions.value = f"<table style='border-collapse:collapse' border='1'><tr>{head}</tr>{body}</table>"

    def _current(self) -> str | None:
        return None if self.pick.value in (None, NEW) else self.pick.value

    # --- actions -----------------------------------------------------------------------------------
    def save(self) -> int | None:
        """Create the convention, or save the articles as its next version; say what changed."""
        try:
            if self._current() is None:
                convention = flow.create_convention(
                    self.ws,
                    self.convention_id.value,
                    self.title.value,
                    self.articles.value,
                    kind=self.kind.value,
                    topics=self.topics.value,
                    demand_ids=self.demands.value,
                    note=self.note.value,
                )
                version, diff = convention.latest, i18n.t("convention.no_change")
            else:
                version = flow.save_version(
                    self.ws, self._current(), self.articles.value, note=self.note.value, demand_ids=self.demands.value
                )
                if version is None:
                    say(self.message, _t("unchanged"))
                    return None
                diff = flow.version_diff(self.ws, self._current(), version.version - 1, version.version)[1]
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self._refresh_choices(version.convention_id)
        say(self.message, i18n.t("convention.editor.saved", title=self.title.value, version=version.version, diff=diff))
        self.note.value = ""
        return version.version

    def compare(self) -> str | None:
        """Show what changed between the two chosen versions ("第3条 修改、第5条 新增")."""
        if self._current() is None or self.old_version.value is None:
            return None
        try:
            _, text = flow.version_diff(self.ws, self._current(), self.old_version.value, self.new_version.value)
        except CogovError as exc:
            say(self.diff, exc.message(), error=True)
            return None
        say(
            self.diff,
            i18n.t("convention.editor.diff", old=self.old_version.value, new=self.new_version.value, diff=text),
        )
        return text

    def put_to_vote(self) -> tuple[str, ...] | None:
        """Create the vote(s) of the latest version."""
        if self._current() is None:
            return None
        try:
            ids = flow.put_to_vote(self.ws, self._current(), mode=self.vote_mode.value, rule=self.rule.value)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self._show_versions()
        say(self.message, i18n.t("convention.editor.voting", votes="、".join(ids)))
        return ids

    def adopt(self) -> bool:
        """Adopt the latest version from its counted votes (recounted first)."""
        if self._current() is None:
            return False
        latest = flow.get_convention(self.ws, self._current()).latest
        try:
            version = flow.adopt_version(
                self.ws, self._current(), latest.version, self.adopted_on.value or self.today()
            )
            outcomes = flow.vote_outcomes(self.ws, self._current(), version.version)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            self._show_versions()
            return False
        self._show_versions()
        votes = i18n.t("convention.vote_join").join(o.describe() for o in outcomes)
        say(
            self.message,
            i18n.t("convention.editor.adopted", title=self.title.value, version=version.version, votes=votes),
        )
        return True

    def print_files(self) -> list[Path]:
        """Write the adopted version as an A3 poster and a Word file."""
        if self._current() is None:
            return []
        try:
            self.files = flow.write_convention_files(self.ws, self._current(), self.out_dir, issuer=self.issuer.value)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return []
        say(self.message, i18n.t("convention.editor.printed", files="、".join(p.name for p in self.files)))
        return self.files

    def publish(self) -> NoticeReview | None:
        """Open the 公示 of the adopted version in the notice review step."""
        from cogov_toolkit.widgets.notice_review import NoticeReview
        from cogov_toolkit.workflows.cobuilding import save_draft

        if self._current() is None:
            return None
        try:
            notice = flow.convention_notice(
                self.ws,
                self._current(),
                contact=self.contact.value,
                office_phone=self.office_phone.value,
                issuer=self.issuer.value,
                issued_on=self.today(),
            )
            save_draft(self.ws, notice)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self.review = NoticeReview(self.ws, notice, self.out_dir)
        self.review_box.children = (self.review.widget,)
        return self.review


__all__ = ["ConventionEditor"]
