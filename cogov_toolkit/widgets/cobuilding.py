"""Widgets of 发展共建 and project accountability: the register, sessions, money and milestones, 财务公开, 光荣榜.

Thin adapters over :mod:`cogov_toolkit.workflows.cobuilding`: Chinese labels,
large buttons, every message escaped, nothing written until a button is
clicked (Run All writes nothing). A test or a demo drives them from code (set
values, ``.click()``).

* :class:`ContributionForm`: one contribution, the contact kept private, the
  public name only with consent;
* :class:`SessionForm`: a 社区工坊 session with its head count, minutes and sign-in sheet;
* :class:`FinancePanel`: a project's budget, sources, payments and milestones, with the figures checked;
* :class:`PhotoForm`: a before/after photo stored inside the workspace, EXIF and location stripped;
* :class:`FinanceNoticeReview`: the 财务公开 review step: figures that do not add
  up are listed, and publishing needs a second tick that says so;
* :class:`HonourRollPanel`: the 光荣榜 of a period, through the notice review step.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import OK_COLOUR, on_click, say
from cogov_toolkit.workflows import cobuilding as flow
from cogov_toolkit.workflows.cobuilding import ContributionKind, ContributorType, FundingSource, PhotoStage, yuan_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    import folium

    from cogov_toolkit.render.interactive import InteractiveOptions
    from cogov_toolkit.render.notice_pack import NoticePack
    from cogov_toolkit.storage import Workspace
    from cogov_toolkit.widgets.notice_review import NoticeReview

BUTTON_LAYOUT = {"width": "16em", "height": "3em"}  # large targets for a touch screen
_WIDE = {"width": "36em"}
_STYLE = {"description_width": "8em"}


def _t(key: str) -> str:
    return i18n.t(f"cobuilding.form.{key}")


def _options(enum: type, kind: str) -> list[tuple[str, str]]:
    return [(i18n.label(kind, str(code)), str(code)) for code in enum]


def _text(widgets: Any, key: str, value: str = "", *, wide: bool = False) -> Any:
    return widgets.Text(value=value, description=_t(key), style=_STYLE, layout=_WIDE if wide else {})


def _project_dropdown(widgets: Any, ws: Workspace, *, optional: bool = True) -> Any:
    choices = flow.project_choices(ws)
    options = ([(_t("no_project"), None)] if optional else []) + choices
    return widgets.Dropdown(
        options=options, value=options[0][1] if options else None, description=_t("project"), style=_STYLE, layout=_WIDE
    )


def _display(widget: Any) -> None:
    from IPython.display import display

    display(widget)


class _OfficeFields:
    """The public contact, office phone and issuing body of a notice (the office's, never a resident's)."""

    def __init__(self, widgets: Any, ws: Workspace) -> None:
        from cogov_toolkit.workflows.settings import get_settings

        saved = get_settings(ws)  # the community's settings, entered once in the banner
        self.contact = _text(widgets, "contact", saved.contact)
        self.office_phone = _text(widgets, "office_phone", saved.office_phone)
        default_issuer = (
            i18n.t("cobuilding.form.issuer_default", community=ws.community_name) if ws.community_name else ""
        )
        self.issuer = _text(widgets, "issuer", saved.issuer or default_issuer, wide=True)
        self.box = widgets.HBox([self.contact, self.office_phone, self.issuer])

    def values(self) -> dict[str, str]:
        return {"contact": self.contact.value, "office_phone": self.office_phone.value, "issuer": self.issuer.value}


def _mark(form: object, name: str, fields: Iterable[str]) -> None:
    """Give the form's box the CSS class ``cogov-NAME`` and each field ``cogov-NAME-FIELD`` (for browser tests)."""
    form.widget.add_class(f"cogov-{name}")
    for field in fields:
        getattr(form, field).add_class(f"cogov-{name}-{field}")


# --- the register --------------------------------------------------------------------------------
class ContributionForm:
    """Record one contribution: who (private), what, for which project; the public name only with consent.

    Attributes: ``contributed_on``, ``contributor_type``, ``name``, ``phone``,
    ``household``, ``consent``, ``public_name``, ``kind``, ``project``, ``task``,
    ``hours``, ``quantity``, ``value_yuan``, ``save_button``, ``message``.
    ``saved`` lists the ids recorded through this form.
    """

    def __init__(self, ws: Workspace) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.saved: list[str] = []
        self._key = uuid.uuid4().hex  # one per filled form: a double tap saves once
        self.contributed_on = widgets.DatePicker(description=_t("contributed_on"), style=_STYLE)
        self.contributor_type = widgets.Dropdown(
            options=_options(ContributorType, "contributor_type"), description=_t("contributor_type"), style=_STYLE
        )
        self.name = _text(widgets, "name")
        self.phone = _text(widgets, "phone")
        self.household = _text(widgets, "household")
        self.consent = widgets.Checkbox(description=_t("consent"), value=False, indent=False, layout=_WIDE)
        self.public_name = _text(widgets, "public_name")
        self.kind = widgets.Dropdown(
            options=_options(ContributionKind, "contribution_kind"), description=_t("kind"), style=_STYLE
        )
        self.project = _project_dropdown(widgets, ws)
        self.task = _text(widgets, "task", wide=True)
        self.hours = _text(widgets, "hours")
        self.quantity = _text(widgets, "quantity")
        self.value_yuan = _text(widgets, "value_yuan")
        self.save_button = widgets.Button(description=_t("save"), button_style="primary", layout=BUTTON_LAYOUT)
        self.message = widgets.HTML()
        on_click(self.save_button, self.message, self.save)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(_t('contribution_title'))}</h3>"),
                widgets.HBox([self.contributed_on, self.contributor_type]),
                widgets.HTML(f"<i>{html_text(_t('private_note'))}</i>"),
                widgets.HBox([self.name, self.phone, self.household]),
                widgets.HBox([self.consent, self.public_name]),
                widgets.HBox([self.kind, self.project]),
                self.task,
                widgets.HBox([self.hours, self.quantity, self.value_yuan]),
                self.save_button,
                self.message,
            ]
        )
        _mark(
            self,
            "contribution",
            [
                "contributor_type",
                "name",
                "phone",
                "household",
                "consent",
                "public_name",
                "kind",
                "project",
                "task",
                "hours",
                "quantity",
                "value_yuan",
                "save_button",
            ],
        )

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def save(self) -> str | None:
        """Store the contribution; say what was saved, or every problem; return its id."""
        contact = flow.ContributorContact(
            self.household.value or None, self.name.value or None, self.phone.value or None
        )
        try:
            contribution_id = flow.record_contribution(
                self.ws,
                contributed_on=self.contributed_on.value or dt.date.today(),
                contributor_type=self.contributor_type.value,
                kind=self.kind.value,
                project_id=self.project.value,
                task=self.task.value,
                hours=self.hours.value,
                quantity=self.quantity.value,
                value_yuan=self.value_yuan.value,
                contact=contact,
                consent=self.consent.value,
                public_name=self.public_name.value,
                idempotency_key=self._key,
            )
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self.saved.append(contribution_id)
        what = f"{contribution_id} {i18n.label('contribution_kind', self.kind.value)}"
        say(self.message, i18n.t("cobuilding.form.saved", what=what))
        self._key = uuid.uuid4().hex
        for field in (
            self.name,
            self.phone,
            self.household,
            self.public_name,
            self.task,
            self.hours,
            self.quantity,
            self.value_yuan,
        ):
            field.value = ""
        self.consent.value = False
        return contribution_id


class SessionForm:
    """Record a 社区工坊 session: date, title, head count, minutes (会议记录) and the sign-in sheet (签到表, private).

    Attributes: ``held_on``, ``title``, ``workshop``, ``project``, ``attendance``,
    ``minutes``, ``signins``, ``save_button``, ``message``; ``saved`` lists the ids.
    """

    def __init__(self, ws: Workspace) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.saved: list[str] = []
        self._key = uuid.uuid4().hex
        self.held_on = widgets.DatePicker(description=_t("held_on"), style=_STYLE)
        self.title = _text(widgets, "session_name", wide=True)
        self.workshop = _text(widgets, "workshop")
        self.project = _project_dropdown(widgets, ws)
        self.attendance = _text(widgets, "attendance")
        self.minutes = widgets.Textarea(
            description=_t("minutes"), style=_STYLE, layout={"width": "36em", "height": "8em"}
        )
        self.signins = widgets.Textarea(
            description=_t("signins"), style=_STYLE, layout={"width": "36em", "height": "8em"}
        )
        self.save_button = widgets.Button(description=_t("save"), button_style="primary", layout=BUTTON_LAYOUT)
        self.message = widgets.HTML()
        on_click(self.save_button, self.message, self.save)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(_t('session_title'))}</h3>"),
                widgets.HBox([self.held_on, self.attendance]),
                self.title,
                widgets.HBox([self.workshop, self.project]),
                self.minutes,
                widgets.HTML(f"<i>{html_text(_t('private_note'))}</i>"),
                self.signins,
                self.save_button,
                self.message,
            ]
        )
        _mark(self, "session", ["title", "workshop", "project", "attendance", "minutes", "signins", "save_button"])

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def save(self) -> str | None:
        """Store the session and its sign-ins in one transaction; return its id."""
        try:
            session_id = flow.record_session(
                self.ws,
                held_on=self.held_on.value or dt.date.today(),
                title=self.title.value,
                workshop=self.workshop.value,
                project_id=self.project.value,
                attendance=self.attendance.value or None,
                minutes=self.minutes.value,
                signins=flow.parse_signins(self.signins.value),
                idempotency_key=self._key,
            )
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self.saved.append(session_id)
        say(self.message, i18n.t("cobuilding.form.saved", what=f"{session_id} {self.title.value}"))
        self._key = uuid.uuid4().hex
        for field in (self.title, self.attendance, self.minutes, self.signins):
            field.value = ""
        return session_id


# --- a project's money and milestones ------------------------------------------------------------
class FinancePanel:
    """A project's budget, funding sources, payments and milestones, with its figures checked after every entry.

    Attributes: ``project``, ``budget`` and ``budget_button``; ``source``,
    ``source_amount`` and ``source_button``; ``spent_on``, ``spent_amount``,
    ``item``, ``receipt`` and ``spending_button``; ``milestone``,
    ``planned_on``, ``actual_on`` and ``milestone_button``; ``summary`` and ``message`` (HTML).
    """

    def __init__(self, ws: Workspace, *, as_of: dt.date | None = None) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.as_of = as_of
        self.project = _project_dropdown(widgets, ws, optional=False)
        self.budget = _text(widgets, "budget")
        self.budget_button = widgets.Button(description=_t("save_budget"), layout=BUTTON_LAYOUT)
        self.source = widgets.Dropdown(
            options=_options(FundingSource, "funding_source"), description=_t("source"), style=_STYLE
        )
        self.source_amount = _text(widgets, "amount")
        self.source_button = widgets.Button(description=_t("add_source"), layout=BUTTON_LAYOUT)
        self.spent_on = widgets.DatePicker(description=_t("spent_on"), style=_STYLE)
        self.spent_amount = _text(widgets, "amount")
        self.item = _text(widgets, "item")
        self.receipt = _text(widgets, "receipt")
        self.spending_button = widgets.Button(description=_t("add_spending"), layout=BUTTON_LAYOUT)
        self.milestone = _text(widgets, "milestone")
        self.planned_on = widgets.DatePicker(description=_t("planned_on"), style=_STYLE)
        self.actual_on = widgets.DatePicker(description=_t("actual_on"), style=_STYLE)
        self.milestone_button = widgets.Button(description=_t("add_milestone"), layout=BUTTON_LAYOUT)
        self.summary = widgets.HTML()
        self.message = widgets.HTML()
        on_click(self.budget_button, self.message, self.save_budget)
        on_click(self.source_button, self.message, self.add_source)
        on_click(self.spending_button, self.message, self.add_spending)
        on_click(self.milestone_button, self.message, self.add_milestone)
        self.project.observe(lambda _: self.refresh(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(_t('finance_title'))}</h3>"),
                self.project,
                self.summary,
                widgets.HBox([self.budget, self.budget_button]),
                widgets.HBox([self.source, self.source_amount, self.source_button]),
                widgets.HBox([self.spent_on, self.spent_amount]),
                widgets.HBox([self.item, self.receipt, self.spending_button]),
                widgets.HBox([self.milestone, self.planned_on, self.actual_on]),
                self.milestone_button,
                self.message,
            ]
        )
        self.refresh()

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def refresh(self) -> None:
        """Show the project's figures and whatever does not add up."""
        if not self.project.value:
            self.summary.value = ""
            return
        try:
            money = flow.finance(self.ws, self.project.value, self.as_of)
        except CogovError as exc:
            say(self.summary, exc.message(), error=True)
            return
        unset = i18n.t("cobuilding.finance.no_budget")
        line = i18n.t(
            "cobuilding.form.summary",
            budget=yuan_text(money.budget_fen) if money.budget_fen is not None else unset,
            sources=yuan_text(money.sources_fen),
            spent=yuan_text(money.spent_fen),
            balance=yuan_text(money.balance_fen) if money.balance_fen is not None else unset,
        )
        lines = [line] + [f.message() for f in money.flags]
        say(self.summary, "\n".join(lines), error=bool(money.flags))

    def _run(self, action: Any, what: str, fields: tuple[Any, ...]) -> bool:
        try:
            action()
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return False
        say(self.message, i18n.t("cobuilding.form.saved", what=what))
        for field in fields:  # text fields of one entry, emptied for the next
            field.value = ""
        self.refresh()
        return True

    def save_budget(self) -> bool:
        """Set the project's budget."""
        return self._run(lambda: flow.set_budget(self.ws, self.project.value, self.budget.value), _t("budget"), ())

    def add_source(self) -> bool:
        """Add a funding source."""
        return self._run(
            lambda: flow.add_budget_source(self.ws, self.project.value, self.source.value, self.source_amount.value),
            i18n.label("funding_source", self.source.value),
            (self.source_amount,),
        )

    def add_spending(self) -> bool:
        """Record a payment with its receipt reference."""
        return self._run(
            lambda: flow.record_spending(
                self.ws,
                self.project.value,
                spent_on=self.spent_on.value or dt.date.today(),
                amount_yuan=self.spent_amount.value,
                item=self.item.value,
                receipt_ref=self.receipt.value,
            ),
            self.item.value,
            (self.spent_amount, self.item, self.receipt),
        )

    def add_milestone(self) -> bool:
        """Add a milestone with its planned (and, when reached, actual) date."""
        return self._run(
            lambda: flow.add_milestone(
                self.ws, self.project.value, self.milestone.value, self.planned_on.value, actual_on=self.actual_on.value
            ),
            self.milestone.value,
            (self.milestone,),
        )


class PhotoForm:
    """Store a before/during/after photo of a project inside the workspace (so it stays one file).

    The stored copy is redrawn from its pixels: no camera data, time or GPS
    position. A photo with faces or minors needs a consent record's reference.
    Attributes: ``project``, ``stage``, ``taken_on``, ``caption``, ``shows_faces``,
    ``shows_minors``, ``consent_ref``, ``upload`` (FileUpload), ``save_button``,
    ``message``, ``listing`` (HTML); ``saved`` lists the ids stored.
    """

    def __init__(self, ws: Workspace) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.saved: list[str] = []
        self.project = _project_dropdown(widgets, ws, optional=False)
        self.stage = widgets.Dropdown(
            options=_options(PhotoStage, "photo_stage"), description=_t("stage"), style=_STYLE
        )
        self.taken_on = widgets.DatePicker(description=i18n.t("cobuilding.photo.taken_on"), style=_STYLE)
        self.caption = widgets.Text(description=i18n.t("cobuilding.photo.caption"), style=_STYLE, layout=_WIDE)
        self.shows_faces = widgets.Checkbox(description=i18n.t("cobuilding.photo.shows_faces"), indent=False)
        self.shows_minors = widgets.Checkbox(description=i18n.t("cobuilding.photo.shows_minors"), indent=False)
        self.consent_ref = widgets.Text(description=i18n.t("cobuilding.photo.consent_ref"), style=_STYLE)
        self.upload = widgets.FileUpload(
            accept=".jpg,.jpeg,.png", multiple=False, description=i18n.t("cobuilding.photo.upload")
        )
        self.save_button = widgets.Button(
            description=i18n.t("cobuilding.photo.save"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        self.listing = widgets.HTML()
        on_click(self.save_button, self.message, self.save)
        self.project.observe(lambda _: self._list(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(i18n.t('cobuilding.photo.title'))}</h3>"),
                widgets.HBox([self.project, self.stage]),
                widgets.HBox([self.taken_on, self.caption]),
                widgets.HTML(f"<i>{html_text(i18n.t('cobuilding.photo.consent_note'))}</i>"),
                widgets.HBox([self.shows_faces, self.shows_minors, self.consent_ref]),
                widgets.HBox([self.upload, self.save_button]),
                self.message,
                self.listing,
            ]
        )
        self._list()

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def _list(self) -> None:
        if not self.project.value:
            self.listing.value = ""
            return
        frame = flow.photos(self.ws, self.project.value)
        names = "、".join(
            f"{row.photo_id}（{i18n.label('photo_stage', row.stage)}）" for row in frame.itertuples(index=False)
        )
        text = i18n.t("cobuilding.photo.listed", project=self.project.value, count=len(frame), photos=names or "—")
        self.listing.value = f"<div style='color:#555'>{html_text(text)}</div>"

    def save(self, path: str | Path | None = None) -> str | None:
        """Store the chosen photo (or the file at ``path``); say its size and that its metadata is gone."""
        if path is not None:
            source: str | Path | bytes = Path(path)
        elif self.upload.value:
            source = bytes(self.upload.value[0]["content"])
        else:
            say(self.message, i18n.t("cobuilding.photo.nothing"), error=True)
            return None
        try:
            photo_id = flow.add_photo(
                self.ws,
                self.project.value,
                source,
                self.stage.value,
                taken_on=self.taken_on.value,
                caption=self.caption.value,
                shows_faces=self.shows_faces.value,
                shows_minors=self.shows_minors.value,
                consent_ref=self.consent_ref.value,
            )
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        row = flow.photos(self.ws, self.project.value).set_index("photo_id").loc[photo_id]
        say(
            self.message,
            i18n.t("cobuilding.photo.stored", photo_id=photo_id, width=int(row["width"]), height=int(row["height"])),
        )
        self.saved.append(photo_id)
        self.caption.value = self.consent_ref.value = ""
        self.shows_faces.value = self.shows_minors.value = False
        self.upload.value = ()
        self._list()
        return photo_id


# --- notices -------------------------------------------------------------------------------------
class FinanceNoticeReview:
    """The 财务公开 review step: the notice as published, what does not add up, and two ticks before publishing.

    Built when the planner clicks ``build_button`` (Run All builds nothing).
    With flags, ``confirm_flags`` ("我已核实以上问题，仍要发布") must be ticked as
    well as ``confirm``; the flags are then stated in the notice. Attributes:
    ``project``, ``as_of``, the office fields, ``build_button``, ``flags``,
    ``preview`` (HTML), ``confirm_flags``, ``confirm``, ``greyscale``,
    ``publish_button``, ``message``; ``review`` and ``pack`` once built and written.
    """

    def __init__(self, ws: Workspace, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.out_dir = Path(out_dir)
        self.review: flow.FinanceReview | None = None
        self.pack: NoticePack | None = None
        self.project = _project_dropdown(widgets, ws, optional=False)
        self.as_of = widgets.DatePicker(description=_t("as_of"), style=_STYLE)
        self.office = _OfficeFields(widgets, ws)
        self.build_button = widgets.Button(description=_t("build_notice"), layout=BUTTON_LAYOUT)
        self.flags = widgets.HTML()
        self.preview = widgets.HTML()
        self.confirm_flags = widgets.Checkbox(
            description=i18n.t("cobuilding.review.confirm_flags"), value=False, indent=False, layout={"width": "48em"}
        )
        self.confirm = widgets.Checkbox(description=i18n.t("notice.review.confirm"), value=False, indent=False)
        self.greyscale = widgets.Checkbox(description=i18n.t("notice.review.greyscale"), value=False, indent=False)
        self.publish_button = widgets.Button(
            description=i18n.t("notice.review.publish"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        on_click(self.build_button, self.message, self.build)
        on_click(self.publish_button, self.message, self.publish)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(i18n.t('cobuilding.review.heading'))}</h3>"),
                widgets.HBox([self.project, self.as_of]),
                self.office.box,
                self.build_button,
                self.flags,
                self.preview,
                self.confirm_flags,
                widgets.HBox([self.greyscale, self.confirm]),
                self.publish_button,
                self.message,
            ]
        )

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def build(self) -> flow.FinanceReview | None:
        """Build the notice of the chosen project and day; show it and its flags."""
        from cogov_toolkit.widgets.notice_review import preview_html

        self.review, self.pack = None, None
        self.confirm.value = self.confirm_flags.value = False
        try:
            review = flow.finance_review(
                self.ws, self.project.value, self.as_of.value or dt.date.today(), **self.office.values()
            )
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            self.preview.value = self.flags.value = ""
            return None
        self.review = review
        if review.flags:
            say(self.flags, "\n".join([i18n.t("cobuilding.review.flags"), *review.flag_messages()]), error=True)
        else:
            say(self.flags, i18n.t("cobuilding.review.adds_up"))
        self.confirm_flags.layout.display = None if review.flags else "none"
        self.preview.value = preview_html(review.notice)
        self.message.value = ""
        return review

    def publish(self) -> NoticePack | None:
        """Write the notice pack once the planner confirmed (and confirmed the flags, if any)."""
        if self.review is None:
            say(self.message, i18n.t("cobuilding.review.build_first"), error=True)
            return None
        if self.review.flags and not self.confirm_flags.value:
            say(self.message, i18n.t("cobuilding.review.flags_not_confirmed"), error=True)
            return None
        if not self.confirm.value:
            say(self.message, i18n.t("notice.review.not_confirmed"), error=True)
            return None
        try:
            self.pack = flow.publish_finance_notice(
                self.ws,
                self.review,
                self.out_dir,
                confirm_flags=self.confirm_flags.value,
                greyscale=self.greyscale.value,
            )
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        names = "".join(f"<li>{html_text(p.name)}</li>" for p in self.pack.files)
        head = html_text(i18n.t("notice.review.published", count=len(self.pack.files), folder=str(self.out_dir)))
        self.message.value = f"<div class='cogov-message cogov-message-ok' style='font-size:1.1em;color:{OK_COLOUR}'>{head}<ul>{names}</ul></div>"
        return self.pack


class HonourRollPanel:
    """The 光荣榜 of a period: built on a click, then shown in the notice review step (confirm, then files).

    Attributes: ``start``, ``end``, the office fields, ``build_button``,
    ``message``, ``review_box`` (holds the :class:`~cogov_toolkit.widgets.notice_review.NoticeReview`);
    ``review`` once built.
    """

    def __init__(self, ws: Workspace, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.out_dir = Path(out_dir)
        self.review: NoticeReview | None = None
        self.start = widgets.DatePicker(description=_t("honour_start"), style=_STYLE)
        self.end = widgets.DatePicker(description=_t("honour_end"), style=_STYLE)
        self.office = _OfficeFields(widgets, ws)
        self.build_button = widgets.Button(description=_t("build_honour"), layout=BUTTON_LAYOUT)
        self.message = widgets.HTML()
        self.review_box = widgets.VBox()
        on_click(self.build_button, self.message, self.build)
        self.widget = widgets.VBox(
            [widgets.HBox([self.start, self.end]), self.office.box, self.build_button, self.message, self.review_box]
        )

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def build(self) -> NoticeReview | None:
        """Build the honour roll of the period and open its review step."""
        from cogov_toolkit.widgets.notice_review import NoticeReview

        end = self.end.value or dt.date.today()
        start = self.start.value or end.replace(month=1, day=1)
        try:
            notice = flow.honour_roll_notice(self.ws, start, end, **self.office.values())
            flow.save_draft(self.ws, notice)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            self.review_box.children = ()
            return None
        self.message.value = ""
        self.review = NoticeReview(self.ws, notice, self.out_dir)
        self.review_box.children = (self.review.widget,)
        return self.review


def project_status_map(
    ws: Workspace, as_of: dt.date | None = None, options: InteractiveOptions | None = None
) -> folium.Map:
    """Return the offline map of the projects' sites by status, with budget, spending and milestones in the popups."""
    from cogov_toolkit.render.interactive import InteractiveOptions, content_map

    content = flow.project_status_content(ws, as_of or dt.date.today())
    return content_map(content, options or InteractiveOptions())


__all__ = [
    "ContributionForm",
    "SessionForm",
    "FinancePanel",
    "PhotoForm",
    "FinanceNoticeReview",
    "HonourRollPanel",
    "project_status_map",
    "say",
]
