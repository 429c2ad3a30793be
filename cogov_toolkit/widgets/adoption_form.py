"""The adoption form: register an adoption of a zone, and log a care check.

A thin adapter over :mod:`cogov_toolkit.layers.adoptions`: Chinese labels,
large buttons, every message escaped. Real name, phone and household go to
the private file only; the name to publish is shown only with the consent box
ticked. A test or a demo drives it from code (set values, ``.click()``).
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
from cogov_toolkit.workflows import adoptions as register
from cogov_toolkit.workflows.adoptions import AdopterType, CareResult

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "16em", "height": "3em"}
_WIDE = {"width": "36em"}
_STYLE = {"description_width": "8em"}


def _zone_options(ws: Workspace) -> list[tuple[str, str]]:
    zones = ws.read_layer("adoption_zones")
    return [
        (f"{number}号 {i18n.label('adoption_zone_type', zone_type)}", str(zone_id))
        for zone_id, number, zone_type in zip(zones["zone_id"], zones["number"], zones["zone_type"], strict=True)
    ]


class AdoptionForm:
    """Widgets to register adoptions and log care checks.

    Attributes: ``zone``, ``adopter_type``, ``public_name``, ``consent``,
    ``contact_name``, ``contact_phone``, ``household``, ``start_on``,
    ``duties``, ``register_button``; ``care_zone``, ``checked_on``,
    ``result``, ``note``, ``photo``, ``log_button``; ``message`` (HTML).
    ``registered`` lists the adoption ids registered through this form.
    """

    def __init__(self, ws: Workspace, *, today: Callable[[], date] | None = None) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.today = today or date.today
        self.registered: list[str] = []
        self._key = uuid.uuid4().hex
        zones = _zone_options(ws)

        def labelled(widget_class: type, key: str, **kwargs: object) -> widgets.Widget:
            return widget_class(description=i18n.t(key), style=_STYLE, **kwargs)

        self.zone = labelled(widgets.Dropdown, "adoption_flow.form.zone", options=zones, layout=_WIDE)
        self.adopter_type = labelled(
            widgets.Dropdown,
            "adoption_flow.form.adopter_type",
            options=[(i18n.label("adopter_type", t), str(t)) for t in AdopterType],
        )
        self.public_name = labelled(widgets.Text, "adoption_flow.form.public_name")
        self.consent = widgets.Checkbox(description=i18n.t("adoption_flow.form.consent"), value=False)
        self.contact_name = labelled(widgets.Text, "adoption_flow.form.contact_name")
        self.contact_phone = labelled(widgets.Text, "adoption_flow.form.contact_phone")
        self.household = labelled(widgets.Text, "adoption_flow.form.household")
        self.start_on = labelled(widgets.DatePicker, "adoption_flow.form.start_on", value=self.today())
        self.duties = labelled(widgets.Textarea, "adoption_flow.form.duties", layout=_WIDE)
        self.register_button = widgets.Button(
            description=i18n.t("adoption_flow.form.register"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.care_zone = labelled(widgets.Dropdown, "adoption_flow.form.care_zone", options=zones, layout=_WIDE)
        self.checked_on = labelled(widgets.DatePicker, "adoption_flow.form.checked_on", value=self.today())
        self.result = labelled(
            widgets.Dropdown,
            "adoption_flow.form.result",
            options=[(i18n.label("care_result", r), str(r)) for r in CareResult],
        )
        self.note = labelled(widgets.Text, "adoption_flow.form.note", layout=_WIDE)
        self.photo = labelled(widgets.Text, "adoption_flow.form.photo", layout=_WIDE)
        self.log_button = widgets.Button(description=i18n.t("adoption_flow.form.log"), layout=BUTTON_LAYOUT)
        self.message = widgets.HTML()
        # 告知: what is kept of the adopter, and that the name is shown only with consent
        self.privacy_notice = widgets.HTML(f"<small>{html_text(i18n.t('privacy.notice_adoption'))}</small>")
        self.register_button.on_click(lambda _: guarded(self.message)(self.register)())
        self.log_button.on_click(lambda _: guarded(self.message)(self.log)())
        self.widget = widgets.VBox(
            [
                self.zone,
                self.adopter_type,
                widgets.HBox([self.public_name, self.consent]),
                widgets.HBox([self.contact_name, self.contact_phone, self.household]),
                self.privacy_notice,
                self.start_on,
                self.duties,
                self.register_button,
                widgets.HTML("<hr>"),
                self.care_zone,
                self.checked_on,
                self.result,
                self.note,
                self.photo,
                self.log_button,
                self.message,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def register(self) -> str | None:
        """Register the adoption filled in; return its id, or None after showing the problem."""
        contact = register.AdopterContact(
            self.household.value or None, self.contact_name.value or None, self.contact_phone.value or None
        )
        try:
            adoption_id = register.register_adoption(
                self.ws,
                zone_id=self.zone.value,
                adopter_type=self.adopter_type.value,
                start_on=self.start_on.value or self.today(),
                public_name=self.public_name.value or None,
                publish_name_consent=self.consent.value,
                duties=self.duties.value or None,
                contact=contact,
                idempotency_key=self._key,
            )
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        record = self.ws.find("adoptions", adoption_id)  # the one adoption just stored
        self.registered.append(adoption_id)
        self._say(
            i18n.t(
                "adoption_flow.form.registered",
                adoption_id=adoption_id,
                zone=self.zone.label,
                adopter=self.public_name.value.strip() or i18n.label("adopter_type", self.adopter_type.value),
                start=record["start_on"],
                end=record["end_on"],
            )
        )
        self._key = uuid.uuid4().hex
        for field in (self.public_name, self.contact_name, self.contact_phone, self.household, self.duties):
            field.value = ""
        self.consent.value = False
        return adoption_id

    def log(self) -> str | None:
        """Log the care check filled in; return its uuid, or None after showing the problem."""
        day = self.checked_on.value or self.today()
        try:
            logged = register.log_care(
                self.ws,
                self.care_zone.value,
                day,
                self.result.value,
                note=self.note.value or None,
                photo_path=self.photo.value or None,
            )
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        self._say(i18n.t("adoption_flow.form.logged", zone=self.care_zone.label, day=day.isoformat()))
        self.note.value = self.photo.value = ""
        return logged

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.value = message_html(text, error=error)


__all__ = ["AdoptionForm"]
