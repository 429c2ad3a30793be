"""The demand form used at meetings: record a demand, see the suggested class with its reason, confirm.

A thin adapter over :mod:`cogov_toolkit.layers.demands`: Chinese labels,
large buttons, every message escaped. The contact fields go to the private
file only. A test or a demo drives it from code (set values, ``.click()``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
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
    """

    def __init__(self, ws: Workspace, *, by: str | None = None) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.by = by
        self.saved: list[str] = []
        self._key = uuid.uuid4().hex  # one per filled form: a double tap saves once

        def dropdown(key: str, options: list, value: object) -> widgets.Dropdown:
            return widgets.Dropdown(options=options, value=value, description=i18n.t(key), style=_STYLE, layout=_WIDE)

        self.channel = dropdown("demand_flow.form.channel", _options("demand_channel"), "meeting")
        self.reported_on = widgets.DatePicker(description=i18n.t("demand_flow.form.reported_on"), style=_STYLE)
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
        self.save_button.on_click(lambda _: self.save())
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

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _place(self) -> tuple[str | None, str | None]:
        return self.place.value if self.place.value else (None, None)

    def suggest(self) -> None:
        """Show the suggested class and its reason, and preselect it."""
        from cogov_toolkit.workflows.demands import suggest_class

        place_type, _ = self._place()
        try:
            found = suggest_class(self.category.value, place_type, self.scope.value)
        except CogovError as exc:
            self._say(self.suggestion, exc.message(), error=True)
            return
        self.triage_class.value = str(found.triage_class)
        self._say(self.suggestion, found.explain())

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
        self._say(self.message, text)
        self._clear()
        return demand_id

    def _clear(self) -> None:
        """Empty the fields that belong to one demand, for the next one; a new form key."""
        self._key = uuid.uuid4().hex
        for field in (self.text, self.contact_name, self.contact_phone, self.household):
            field.value = ""
        self.suggestion.value = ""

    @staticmethod
    def _say(target: object, text: str, *, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        body = "<br>".join(html_text(line) for line in text.splitlines())
        target.value = f"<div style='font-size:1.1em;color:{colour}'>{body}</div>"


def open_demands_map(ws: Workspace, options: InteractiveOptions | None = None) -> folium.Map:
    """Return the offline map of the demands not yet resolved, on the buildings, coloured by triage class.

    See :func:`cogov_toolkit.workflows.maps.open_demands_map`.
    """
    from cogov_toolkit.workflows.maps import open_demands_map as demands_map

    return demands_map(ws, options)


__all__ = ["DemandForm", "open_demands_map"]
