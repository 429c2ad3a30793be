"""The buttons of notebooks 03–05: uploads with their import report, dashboards, notices, signs and reports.

Each panel is a thin form over one workflow call per action, on the community of
the notebook's :class:`~cogov_toolkit.widgets.workshop.Workshop` (its open
workspace, the date the forms use, its settings and output folder). Uploaded
files are kept beside the workspace (``导入的文件/``) so the import report can
name them; every callback is guarded (a Chinese message in red in the panel).
Nothing is written until the planner clicks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.widgets.feedback import BUTTON, guarded, message_html, say
from cogov_toolkit.widgets.vote_desk import UPLOAD_FOLDER, save_upload
from cogov_toolkit.workflows.overview import ENUMS

if TYPE_CHECKING:
    from cogov_toolkit.widgets.workshop import Workshop

_STYLE = {"description_width": "7em"}


def _table_html(frame: Any) -> str:
    return frame.to_html(index=False, escape=True, classes="cogov-table", na_rep="")


def _settings_or_say(workshop: Workshop, message: Any) -> Any:
    """Return the community's settings, or say which must be entered first (None)."""
    settings = workshop.settings
    if settings.missing():
        names = "、".join(i18n.t(f"workshop.{m}") for m in settings.missing())
        say(message, i18n.t("vote_desk.settings_first", names=names), error=True)
        return None
    return settings


class _Upload:
    """A FileUpload and an import button; :meth:`import_path` does the work once the file is saved."""

    accept = ".csv,.xlsx,.xls"

    def __init__(self, workshop: Workshop, label_key: str, extra: list[Any] | None = None) -> None:
        import ipywidgets as widgets

        self.workshop = workshop
        self.last: Any = None
        self.upload = widgets.FileUpload(
            accept=self.accept, multiple=False, description=i18n.t(label_key), layout=BUTTON
        )
        self.import_button = widgets.Button(description=i18n.t("panels.import"), button_style="primary", layout=BUTTON)
        self.message = widgets.HTML()
        self.import_button.on_click(lambda _: self.import_uploaded())
        self.widget = widgets.VBox([*(extra or []), widgets.HBox([self.upload, self.import_button]), self.message])

    @guarded(lambda self: self.message)
    def import_uploaded(self) -> Any:
        """Import the uploaded file (kept beside the workspace under 导入的文件/)."""
        path = save_upload(self.upload, self.workshop.ws.path.parent / UPLOAD_FOLDER)
        if path is None:
            say(self.message, i18n.t("vote_desk.no_file"), error=True)
            return None
        return self.import_path(path)

    def import_path(self, path: str | Path) -> Any:  # pragma: no cover - each panel says what it imports
        raise NotImplementedError


class DemandImport(_Upload):
    """Upload an issue list (问题清单, CSV/Excel) and import its demands, with the report."""

    def __init__(self, workshop: Workshop) -> None:
        super().__init__(workshop, "panels.demands_upload")

    @guarded(lambda self: self.message)
    def import_path(self, path: str | Path) -> Any:
        """Import the demands of a file; every problem of the file is listed, nothing imported then."""
        from cogov_toolkit.workflows.demands import import_demands

        self.last = import_demands(self.workshop.ws, Path(path))
        say(self.message, str(self.last))
        return self.last


class SurveyImport(_Upload):
    """Upload a 问卷星 or KoboToolbox/ODK export and store its responses for a project and phase."""

    def __init__(self, workshop: Workshop) -> None:
        import ipywidgets as widgets

        from cogov_toolkit.widgets.evaluation_form import form_choices
        from cogov_toolkit.workflows.evaluations import bundled_form_ids

        projects, _ = form_choices(workshop.ws)
        self.source = widgets.ToggleButtons(
            options=[(i18n.t("panels.wjx"), "wjx"), (i18n.t("panels.kobo"), "kobo")], value="wjx"
        )
        self.questionnaire = widgets.Dropdown(
            options=[(i18n.t(f"panels.form.{f}") if i18n.has(f"panels.form.{f}") else f, f) for f in bundled_form_ids()],
            value="satisfaction_5" if "satisfaction_5" in bundled_form_ids() else None,
            description=i18n.t("panels.questionnaire"), style=_STYLE,
        )  # fmt: skip
        self.project = widgets.Dropdown(options=projects, description=i18n.t("panels.project"), style=_STYLE)
        self.phase = widgets.Dropdown(
            options=[(i18n.label("evaluation_phase", p), p) for p in ENUMS["evaluation_phase"]], value="mid",
            description=i18n.t("panels.phase"), style=_STYLE,
        )  # fmt: skip
        super().__init__(workshop, "panels.survey_upload", [self.source, self.questionnaire, self.project, self.phase])

    @guarded(lambda self: self.message)
    def import_path(self, path: str | Path) -> Any:
        """Read the export against the questionnaire and store the accepted rows (a second import stores nothing twice)."""
        from cogov_toolkit.workflows.evaluations import (
            bundled_questionnaire,
            read_kobo_csv,
            read_wjx_export,
            store_import,
        )

        if not self.project.value:
            say(self.message, i18n.t("panels.project_first"), error=True)
            return None
        questionnaire = bundled_questionnaire(self.questionnaire.value)
        read = read_wjx_export if self.source.value == "wjx" else read_kobo_csv
        report = read(Path(path), questionnaire)
        self.last = store_import(self.workshop.ws, report, project_id=self.project.value, phase=self.phase.value)
        say(self.message, self.last.summary() + "\n" + i18n.t("panels.stored", count=len(self.last.stored)))
        return self.last


class EvaluationReportPanel:
    """Compare a project before and after, and write its report (HTML, PDF, Excel) with a button."""

    def __init__(self, workshop: Workshop) -> None:
        import ipywidgets as widgets

        from cogov_toolkit.widgets.evaluation_form import form_choices

        self.workshop = workshop
        self.report: Any = None
        self.files: list[Path] = []
        projects, _ = form_choices(workshop.ws)
        phases = [(i18n.label("evaluation_phase", p), p) for p in ENUMS["evaluation_phase"]]
        self.project = widgets.Dropdown(options=projects, description=i18n.t("panels.project"), style=_STYLE)
        self.before = widgets.Dropdown(options=phases, value="pre", description=i18n.t("panels.before"), style=_STYLE)
        self.after = widgets.Dropdown(options=phases, value="post", description=i18n.t("panels.after"), style=_STYLE)
        self.compare_button = widgets.Button(description=i18n.t("panels.compare"), layout=BUTTON)
        self.write_button = widgets.Button(
            description=i18n.t("panels.write_report"), button_style="primary", layout=BUTTON
        )
        self.tables = widgets.HTML()
        self.message = widgets.HTML()
        self.compare_button.on_click(lambda _: self.compare())
        self.write_button.on_click(lambda _: self.write())
        self.widget = widgets.VBox(
            [self.project, widgets.HBox([self.before, self.after]),
             widgets.HBox([self.compare_button, self.write_button]), self.message, self.tables]
        )  # fmt: skip

    @guarded(lambda self: self.message)
    def compare(self) -> Any:
        """Build the report of the project (means, intervals, paired change) and show its tables."""
        from cogov_toolkit.render.evaluation_report import changes_table, items_table
        from cogov_toolkit.workflows.evaluations import build_report, bundled_questionnaire

        if not self.project.value:
            say(self.message, i18n.t("panels.project_first"), error=True)
            return None
        self.report = build_report(
            self.workshop.ws, self.project.value, bundled_questionnaire("satisfaction_5"),
            before=self.before.value, after=self.after.value,
        )  # fmt: skip
        self.tables.value = _table_html(items_table(self.report)) + _table_html(changes_table(self.report))
        say(self.message, i18n.t("panels.compared"))
        return self.report

    @guarded(lambda self: self.message)
    def write(self) -> list[Path]:
        """Write the report's HTML, PDF and Excel into the output folder (figures only, no names)."""
        from cogov_toolkit.render.evaluation_report import write_report

        if self.report is None and self.compare() is None:
            return []
        self.files = write_report(self.report, self.workshop.out_dir())
        say(self.message, i18n.t("panels.written", files="、".join(p.name for p in self.files),
                                 folder=str(self.workshop.out_dir())))  # fmt: skip
        return self.files


class DemandDesk:
    """Notebook 04's buttons: confirm the suggested classes, the dashboard, the open-demands map, the reply notice."""

    def __init__(self, workshop: Workshop) -> None:
        import ipywidgets as widgets

        self.workshop = workshop
        self.review: Any = None
        self.map_file: Path | None = None
        self.confirm_button = widgets.Button(description=i18n.t("panels.confirm_suggested"), layout=BUTTON)
        self.triage_message = widgets.HTML()
        self.dashboard_button = widgets.Button(description=i18n.t("panels.dashboard"), layout=BUTTON)
        self.dashboard = widgets.HTML()
        self.map_button = widgets.Button(description=i18n.t("panels.open_map"), layout=BUTTON)
        self.map_area = widgets.HTML()
        self.map_message = widgets.HTML()
        today = workshop.today
        self.start = widgets.DatePicker(value=today.replace(day=1), description=i18n.t("panels.from"), style=_STYLE)
        self.end = widgets.DatePicker(value=today, description=i18n.t("panels.to"), style=_STYLE)
        self.notice_button = widgets.Button(
            description=i18n.t("panels.build_notice"), button_style="primary", layout=BUTTON
        )
        self.notice_message = widgets.HTML()
        self.review_area = widgets.VBox()
        self.confirm_button.on_click(lambda _: self.confirm_suggested())
        self.dashboard_button.on_click(lambda _: self.show_dashboard())
        self.map_button.on_click(lambda _: self.open_map())
        self.notice_button.on_click(lambda _: self.build_notice())
        self.triage_panel = widgets.VBox([self.confirm_button, self.triage_message])
        self.dashboard_panel = widgets.VBox([self.dashboard_button, self.dashboard])
        self.map_panel = widgets.VBox([self.map_button, self.map_message, self.map_area])
        self.notice_panel = widgets.VBox(
            [widgets.HBox([self.start, self.end]), self.notice_button, self.notice_message, self.review_area]
        )

    @guarded(lambda self: self.triage_message)
    def confirm_suggested(self) -> list[str]:
        """Confirm the suggested class of every demand not triaged yet (each can be changed later)."""
        from cogov_toolkit.workflows import demands as flow

        ws = self.workshop.ws
        done: dict[str, int] = {}
        confirmed = []
        for demand_id, history in flow.histories(ws).items():
            if flow.current_class(history) is not None:
                continue
            suggested = flow.suggestion(ws, demand_id)
            flow.confirm_class(ws, demand_id, suggested.triage_class, at=_now())
            done[str(suggested.triage_class)] = done.get(str(suggested.triage_class), 0) + 1
            confirmed.append(demand_id)
        counts = "，".join(f"{i18n.label('triage_class', k)} {v}" for k, v in done.items()) or "0"
        say(self.triage_message, i18n.t("panels.confirmed", count=len(confirmed), counts=counts))
        return confirmed

    @guarded(lambda self: self.dashboard)
    def show_dashboard(self) -> Any:
        """Show the dashboard at the end of the day the banner shows."""
        from cogov_toolkit.workflows.demands import demand_dashboard, overdue_table

        figures = demand_dashboard(self.workshop.ws, _end_of(self.workshop.today))
        overdue = overdue_table(self.workshop.ws, figures)
        self.dashboard.value = figures._repr_html_() + _table_html(overdue.head(20))
        return figures

    @guarded(lambda self: self.map_message)
    def open_map(self) -> Path | None:
        """Draw the offline map of open demands (no names, no phones) and save it as a web page."""
        from cogov_toolkit.render.interactive import save_html
        from cogov_toolkit.widgets.demand_form import open_demands_map

        folium_map = open_demands_map(self.workshop.ws)
        target = self.workshop.out_dir() / i18n.t("panels.map_file")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.map_file = save_html(folium_map, target)
        self.map_area.value = folium_map._repr_html_()
        say(self.map_message, i18n.t("panels.map_saved", path=str(self.map_file)))
        return self.map_file

    @guarded(lambda self: self.notice_message)
    def build_notice(self) -> Any:
        """Build the reply notice of the period from the community's settings and show it for review."""
        from cogov_toolkit.widgets.notice_review import NoticeReview
        from cogov_toolkit.workflows.notices import triage_replies_notice

        settings = _settings_or_say(self.workshop, self.notice_message)
        if settings is None:
            return None
        notice = triage_replies_notice(
            self.workshop.ws, self.start.value, self.end.value, contact=settings.contact,
            office_phone=settings.office_phone, issuer=settings.issuer, issued_on=self.workshop.today,
        )  # fmt: skip
        self.review = NoticeReview(self.workshop.ws, notice, self.workshop.out_dir("公示"))
        self.review_area.children = [self.review.widget]
        say(self.notice_message, i18n.t("vote_desk.notice_built"))
        return self.review


class AdoptionDesk:
    """Notebook 05's buttons: alerts for the banner's date, renew or end an adoption, signs, the roster notice."""

    def __init__(self, workshop: Workshop) -> None:
        import ipywidgets as widgets

        self.workshop = workshop
        self.review: Any = None
        self.signs: Path | None = None
        self.alerts_button = widgets.Button(description=i18n.t("panels.alerts"), layout=BUTTON)
        self.alerts = widgets.HTML()
        self.adoption = widgets.Dropdown(description=i18n.t("panels.adoption"), style=_STYLE, layout={"width": "36em"})
        self.renew_button = widgets.Button(description=i18n.t("panels.renew"), layout=BUTTON)
        self.end_button = widgets.Button(description=i18n.t("panels.end"), layout=BUTTON)
        self.term_message = widgets.HTML()
        self.signs_button = widgets.Button(description=i18n.t("panels.signs"), layout=BUTTON)
        self.notice_button = widgets.Button(
            description=i18n.t("panels.build_roster_notice"), button_style="primary", layout=BUTTON
        )
        self.message = widgets.HTML()
        self.review_area = widgets.VBox()
        self.alerts_button.on_click(lambda _: self.show_alerts())
        self.renew_button.on_click(lambda _: self.renew())
        self.end_button.on_click(lambda _: self.end())
        self.signs_button.on_click(lambda _: self.write_signs())
        self.notice_button.on_click(lambda _: self.build_notice())
        self.alerts_panel = widgets.VBox([self.alerts_button, self.alerts])
        self.term_panel = widgets.VBox(
            [self.adoption, widgets.HBox([self.renew_button, self.end_button]), self.term_message]
        )
        self.publish_panel = widgets.VBox(
            [widgets.HBox([self.signs_button, self.notice_button]), self.message, self.review_area]
        )
        self.refresh_adoptions()

    def refresh_adoptions(self) -> None:
        """List the adoptions (zone and public name, not codes) in the renew/end chooser."""
        frame = self.workshop.ws.records("adoptions")
        zones = self.workshop.ws.read_layer("adoption_zones")
        numbers = dict(zip(zones["zone_id"].astype(str), zones["number"], strict=True))
        self.adoption.options = [
            (f"{numbers.get(str(z), z)}号 {p if isinstance(p, str) and p else i18n.label('adopter_type', t)} {s}–{e}", str(a))
            for a, z, p, t, s, e in zip(frame["adoption_id"], frame["zone_id"], frame["public_name"],
                                        frame["adopter_type"], frame["start_on"], frame["end_on"], strict=True)
        ]  # fmt: skip

    @guarded(lambda self: self.alerts)
    def show_alerts(self) -> list[Any]:
        """Show what needs doing on the banner's date: ending soon, expired, care overdue, problems found."""
        from cogov_toolkit.workflows.adoptions import adoption_alerts, alert_table

        found = adoption_alerts(self.workshop.ws, self.workshop.today)
        self.alerts.value = _table_html(alert_table(found)) if found else message_html(i18n.t("panels.no_alerts"))
        return found

    @guarded(lambda self: self.term_message)
    def renew(self) -> str | None:
        """Renew the chosen adoption for another term from the banner's date."""
        from cogov_toolkit.workflows.adoptions import renew_adoption

        if not self.adoption.value:
            say(self.term_message, i18n.t("panels.adoption_first"), error=True)
            return None
        new = renew_adoption(self.workshop.ws, self.adoption.value, self.workshop.today)
        say(self.term_message, i18n.t("panels.renewed", old=self.adoption.value, new=new))
        self.refresh_adoptions()
        return new

    @guarded(lambda self: self.term_message)
    def end(self) -> Any:
        """Record that the adopter gave notice on the banner's date (the term ends after the notice period)."""
        from cogov_toolkit.workflows.adoptions import end_adoption

        if not self.adoption.value:
            say(self.term_message, i18n.t("panels.adoption_first"), error=True)
            return None
        term = end_adoption(self.workshop.ws, self.adoption.value, self.workshop.today)
        say(self.term_message, i18n.t("panels.ended", adoption=self.adoption.value, end=str(term.end_on)))
        self.refresh_adoptions()
        return term

    @guarded(lambda self: self.message)
    def write_signs(self) -> Path | None:
        """Print the adoption signs (PDF) with the office phone of the settings, no resident's phone."""
        from cogov_toolkit.workflows.adoptions import sign_contents, write_workspace_signs

        settings = _settings_or_say(self.workshop, self.message)
        if settings is None:
            return None
        if not sign_contents(self.workshop.ws, self.workshop.today):  # an empty PDF is never written: say so
            say(self.message, i18n.t("panels.no_signs"), error=True)
            self.signs = None
            return None
        target = self.workshop.out_dir() / i18n.t("panels.signs_file")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.signs = write_workspace_signs(
            self.workshop.ws, target, self.workshop.today,
            office_phone=settings.office_phone,
        )  # fmt: skip
        say(self.message, i18n.t("panels.signs_written", path=str(self.signs)))
        return self.signs

    @guarded(lambda self: self.message)
    def build_notice(self) -> Any:
        """Build the adoption roster notice from the settings and show it for review."""
        from cogov_toolkit.widgets.notice_review import NoticeReview
        from cogov_toolkit.workflows.notices import adoption_roster_notice

        settings = _settings_or_say(self.workshop, self.message)
        if settings is None:
            return None
        notice = adoption_roster_notice(
            self.workshop.ws, self.workshop.today, contact=settings.contact, office_phone=settings.office_phone,
            issuer=settings.issuer,
        )  # fmt: skip
        self.review = NoticeReview(self.workshop.ws, notice, self.workshop.out_dir("公示"))
        self.review_area.children = [self.review.widget]
        say(self.message, i18n.t("vote_desk.notice_built"))
        return self.review


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


BEIJING = dt.timezone(dt.timedelta(hours=8))  # China keeps one time zone and no summer time


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=BEIJING)


__all__ = ["DemandImport", "SurveyImport", "EvaluationReportPanel", "DemandDesk", "AdoptionDesk"]
