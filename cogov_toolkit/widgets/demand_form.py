"""The demand form used at meetings: record a demand, see the suggested class with its reason, confirm.

A thin adapter over :mod:`cogov_toolkit.layers.demands`: Chinese labels,
large buttons, every message escaped. The contact fields go to the private
file only. A test or a demo drives it from code (set values, ``.click()``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import guarded, message_html
from cogov_toolkit.workflows import demands as flow
from cogov_toolkit.workflows.demands import TriageClass, TriageScope, current_class
from cogov_toolkit.workflows.overview import ENUMS

if TYPE_CHECKING:
    import folium

    from cogov_toolkit.render.interactive import InteractiveOptions
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "16em", "height": "3em"}  # large targets for a touch screen
_WIDE = {"width": "36em"}
_STYLE = {"description_width": "7em"}


def _options(enum: str) -> list[tuple[str, str]]:
    return [(i18n.label(enum, code), code) for code in ENUMS[enum]]


class DemandForm:
    """Widgets to record a demand at a meeting and confirm its 三事分流 class.

    Attributes (the widgets, so a demo can drive them): ``channel``,
    ``reported_on``, ``place``, ``category``, ``urgency``, ``scope``,
    ``text``, ``contact_name``, ``contact_phone``, ``household``,
    ``suggest_button``, ``suggestion`` (HTML), ``triage_class``,
    ``save_button`` and ``message`` (HTML). ``saved`` lists the demand ids
    recorded through this form.

    The suggested class follows the category, place and scope as they are chosen
    (unless the planner picks a class by hand). After a save every field of the
    demand is reset (the date to ``today``, the class to the suggestion), so
    nothing of one demand is silently carried into the next; a second tap right
    after a save shows that save's confirmation again.
    """

    def __init__(self, ws: Workspace, *, by: str | None = None, today: Callable[[], date] | None = None) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.by = by
        self.today = today or date.today
        self.saved: list[str] = []
        self._key = uuid.uuid4().hex  # one per filled form: a double tap saves once
        self._confirmed = ""  # the last confirmation: a tap with nothing changed since shows it again
        self._resetting = False
        self._class_by_hand = False

        def dropdown(key: str, options: list, value: object) -> widgets.Dropdown:
            return widgets.Dropdown(options=options, value=value, description=i18n.t(key), style=_STYLE, layout=_WIDE)

        self.channel = dropdown("demand_flow.form.channel", _options("demand_channel"), "meeting")
        self.reported_on = widgets.DatePicker(
            value=self.today(), description=i18n.t("demand_flow.form.reported_on"), style=_STYLE
        )
        places = [(i18n.t("demand_flow.form.no_place"), None), *flow.place_choices(ws)]
        self.place = dropdown("demand_flow.form.place", places, None)
        self.category = dropdown("demand_flow.form.category", _options("demand_category"), "sanitation")
        self.urgency = dropdown("demand_flow.form.urgency", _options("demand_urgency"), "general")
        scopes = [(i18n.t("demand_flow.form.no_place"), None)] + [
            (i18n.t(f"triage.scope.{s}"), str(s)) for s in TriageScope
        ]
        self.scope = dropdown("demand_flow.form.scope", scopes, None)
        self.text = widgets.Textarea(description=i18n.t("demand_flow.form.text"), style=_STYLE, layout=_WIDE)
        self.contact_name = widgets.Text(description=i18n.t("demand_flow.form.contact_name"), style=_STYLE)
        self.contact_phone = widgets.Text(description=i18n.t("demand_flow.form.contact_phone"), style=_STYLE)
        self.household = widgets.Text(description=i18n.t("demand_flow.form.household"), style=_STYLE)
        self.suggest_button = widgets.Button(description=i18n.t("demand_flow.form.suggest"), layout=BUTTON_LAYOUT)
        self.suggestion = widgets.HTML()
        self.triage_class = dropdown(
            "demand_flow.form.triage_class", [(i18n.label("triage_class", c), str(c)) for c in TriageClass], "minor"
        )
        self.save_button = widgets.Button(
            description=i18n.t("demand_flow.form.save"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        # 告知: what is kept of the reporter and why, shown where the contact is typed
        self.privacy_notice = widgets.HTML(f"<small>{html_text(i18n.t('privacy.notice_demand'))}</small>")
        self.suggest_button.on_click(lambda _: self.suggest())
        self.save_button.on_click(lambda _: self._save_clicked())
        for field in (self.category, self.place, self.scope):
            field.observe(lambda _: self._suggest_quietly(), names="value")
        for field in (self.channel, self.reported_on, self.urgency, self.text, self.contact_name,
                      self.contact_phone, self.household):  # fmt: skip
            field.observe(lambda _: self._changed(), names="value")
        self.triage_class.observe(lambda _: self._class_chosen(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(i18n.t('demand_flow.form.title'))}</h3>"),
                self.channel,
                self.reported_on,
                self.place,
                self.category,
                self.urgency,
                self.scope,
                self.text,
                widgets.HTML(f"<i>{html_text(i18n.t('demand_flow.form.private_note'))}</i>"),
                widgets.HBox([self.contact_name, self.contact_phone, self.household]),
                self.privacy_notice,
                self.suggest_button,
                self.suggestion,
                self.triage_class,
                self.save_button,
                self.message,
            ]
        )
        self.widget.add_class("cogov-demand-form")
        self.text.add_class("cogov-demand-text")
        self.save_button.add_class("cogov-demand-save")
        self._suggest_quietly()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _place(self) -> tuple[str | None, str | None]:
        return self.place.value if self.place.value else (None, None)

    def _changed(self) -> None:
        if not self._resetting:
            self._confirmed = ""

    def _class_chosen(self) -> None:
        if not self._resetting:
            self._class_by_hand = True
            self._confirmed = ""

    def _suggest_quietly(self) -> None:
        """Follow the suggestion as the category, place and scope change (unless the class was picked by hand)."""
        self._changed()
        if not self._class_by_hand:
            guarded(self.suggestion)(self.suggest)()

    def suggest(self) -> None:
        """Show the suggested class and its reason, and preselect it."""
        from cogov_toolkit.workflows.demands import suggest_class

        place_type, _ = self._place()
        try:
            found = suggest_class(self.category.value, place_type, self.scope.value)
        except CogovError as exc:
            self._say(self.suggestion, exc.message(), error=True)
            return
        was = self._resetting
        self._resetting = True  # preselecting the suggestion is not a choice by hand
        try:
            self.triage_class.value = str(found.triage_class)
        finally:
            self._resetting = was
        self._class_by_hand = False
        self._say(self.suggestion, found.explain())

    def _save_clicked(self) -> str | None:
        self.save_button.disabled = True  # a second tap while saving does nothing
        try:
            if self._confirmed:  # nothing changed since the last save: a double tap, confirmed once
                self.message.value = self._confirmed
                return self.saved[-1] if self.saved else None
            return guarded(self.message)(self.save)()
        finally:
            self.save_button.disabled = False

    def save(self) -> str | None:
        """Record the demand (contact private), confirm the chosen class, and say so; return its id."""
        place_type, place_id = self._place()
        day = self.reported_on.value or date.today()
        contact = flow.Contact(
            self.household.value or None, self.contact_name.value or None, self.contact_phone.value or None
        )
        try:
            demand_id = flow.record_demand(
                self.ws,
                reported_on=day,
                channel=self.channel.value,
                category=self.category.value,
                text=self.text.value,
                place_type=place_type,
                place_id=place_id,
                urgency=self.urgency.value,
                scope=self.scope.value,
                contact=contact,
                by=self.by,
                idempotency_key=self._key,
            )
            so_far = flow.history(self.ws, demand_id)
            if current_class(so_far) is None:  # a retried save has confirmed it already
                flow.confirm_class(self.ws, demand_id, self.triage_class.value, at=so_far[0].at, by=self.by)
            deadline = flow.reply_deadline(self.ws, demand_id)
        except CogovError as exc:
            self._say(self.message, exc.message(), error=True)
            return None
        self.saved.append(demand_id)
        excerpt = self.text.value.strip()
        text = i18n.t(
            "demand_flow.form.saved",
            demand_id=demand_id,
            text=excerpt if len(excerpt) <= 20 else excerpt[:20] + "…",
            triage_class=i18n.label("triage_class", self.triage_class.value),
            deadline=deadline.describe(),
        )
        self._clear()
        self._say(self.message, text + "\n" + i18n.t("demand_flow.form.reset"))
        self._confirmed = self.message.value
        return demand_id

    def _clear(self) -> None:
        """Reset every field of one demand for the next one (date: today; class: the suggestion); a new form key."""
        self._key = uuid.uuid4().hex
        self._resetting = True
        try:
            for field in (self.text, self.contact_name, self.contact_phone, self.household):
                field.value = ""
            self.channel.value = "meeting"
            self.reported_on.value = self.today()
            self.place.value = None
            self.category.value = "sanitation"
            self.urgency.value = "general"
            self.scope.value = None
        finally:
            self._resetting = False
        self._class_by_hand = False
        self.suggest()

    @staticmethod
    def _say(target: object, text: str, *, error: bool = False) -> None:
        target.value = message_html(text, error=error)


def open_demands_map(ws: Workspace, options: InteractiveOptions | None = None) -> folium.Map:
    """Return the offline map of the demands not yet resolved, on the buildings, coloured by triage class.

    See :func:`cogov_toolkit.workflows.maps.open_demands_map`.
    """
    from cogov_toolkit.workflows.maps import open_demands_map as demands_map

    return demands_map(ws, options)


__all__ = ["DemandForm", "open_demands_map"]
