"""The assessment panel (评估验收): indicators with their definitions, targets, the 回头看 list, and the ledger files.

A thin adapter over :mod:`cogov_toolkit.workflows.assessment`. The figures are
computed when the planner clicks 计算 (Run All computes and writes nothing);
targets are typed in or come from the 街道's 考核表 (a blank template to fill
is one click away); one button writes the 台账 as an Excel workbook and a PDF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.cobuilding import BUTTON_LAYOUT, say
from cogov_toolkit.widgets.feedback import on_click
from cogov_toolkit.workflows import assessment as flow
from cogov_toolkit.workflows.assessment import INDICATORS, Ledger, Status

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

_STYLE = {"description_width": "8em"}
_STATUS_COLOUR = {
    Status.MET: "#1b5e20",
    Status.BELOW: "#b00020",
    Status.NO_TARGET: "#555555",
    Status.NO_DATA: "#8d6e00",
}


def _t(key: str) -> str:
    return i18n.t(f"assessment.panel.{key}")


def ledger_html(ledger: Ledger, language: str | None = None) -> str:
    """Return the indicators as an HTML table (name, definition, value, target, status), every text escaped."""
    field = {k: i18n.t(f"ledger.field.{k}", language) for k in ("indicator", "definition", "value", "target", "status")}
    head = "".join(f"<th style='border:1px solid #999;padding:4px'>{html_text(v)}</th>" for v in field.values())
    rows = []
    for r in ledger.results:
        colour = _STATUS_COLOUR[r.status]
        cells = [
            html_text(r.spec.name(language)),
            f"<small>{html_text(r.spec.definition(language))}</small>",
            html_text(r.value_text(language)),
            html_text(r.target_text(language)),
            f"<b style='color:{colour}'>{html_text(r.status_text(language))}</b>",
        ]
        rows.append(
            "<tr>" + "".join(f"<td style='border:1px solid #999;padding:4px'>{c}</td>" for c in cells) + "</tr>"
        )
    return f"<table style='border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>"


def look_back_html(ledger: Ledger, *, rows: int = 10, language: str | None = None) -> str:
    """Return the 回头看 list: each indicator below target with the first records behind the gap."""
    below = ledger.look_back()
    out = [f"<h4>{html_text(i18n.t('ledger.look_back_title', language))}</h4>"]
    if not below:
        out.append(f"<p>{html_text(i18n.t('ledger.look_back_none', language))}</p>")
    for result in below:
        line = f"{result.spec.name(language)}：{result.value_text(language)}，{result.target_text(language)}"
        out.append(f"<p><b>{html_text(line)}</b></p>")
        gaps = result.gaps.drop(columns=["shortfall"], errors="ignore").head(rows)
        if len(gaps):
            head = "".join(f"<th>{html_text(i18n.t(f'ledger.column.{c}', language))}</th>" for c in gaps.columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{html_text('' if v is None else v)}</td>" for v in row) + "</tr>"
                for row in gaps.itertuples(index=False)
            )
            out.append(f"<table border='1' style='border-collapse:collapse'><tr>{head}</tr>{body}</table>")
    return "\n".join(out)


class AssessmentPanel:
    """Compute the indicators, set targets (by hand or from the 考核表), see 回头看, write the 台账.

    Attributes (for a test or a demo): ``as_of`` (DatePicker), ``compute_button``,
    ``table`` and ``look_back`` (HTML); ``indicator`` (Dropdown), ``target`` (Text),
    ``target_button``; ``template_button``, ``upload`` (FileUpload), ``sheet_button``;
    ``write_button``; ``message`` (HTML). ``ledger`` is the last computed ledger,
    ``files`` the last files written.
    """

    def __init__(self, ws: Workspace, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        self.ws = ws
        self.out_dir = Path(out_dir)
        self.ledger: Ledger | None = None
        self.files: flow.LedgerFiles | None = None
        self.uploaded_path: Path | None = None
        self.as_of = widgets.DatePicker(description=_t("as_of"), style=_STYLE)
        self.compute_button = widgets.Button(description=_t("compute"), button_style="primary", layout=BUTTON_LAYOUT)
        self.table = widgets.HTML()
        self.look_back = widgets.HTML()
        self.indicator = widgets.Dropdown(
            options=[(s.name(), s.key) for s in INDICATORS],
            description=_t("indicator"),
            style=_STYLE,
            layout={"width": "36em"},
        )
        self.target = widgets.Text(description=_t("target"), placeholder="90%", style=_STYLE)
        self.target_button = widgets.Button(description=_t("set_target"), layout=BUTTON_LAYOUT)
        self.template_button = widgets.Button(description=_t("template"), layout=BUTTON_LAYOUT)
        self.upload = widgets.FileUpload(accept=".xlsx,.xls,.csv", multiple=False, description=_t("upload"))
        self.sheet_button = widgets.Button(description=_t("load_sheet"), layout=BUTTON_LAYOUT)
        self.write_button = widgets.Button(description=_t("write"), button_style="primary", layout=BUTTON_LAYOUT)
        self.message = widgets.HTML()
        on_click(self.compute_button, self.message, self.compute)
        on_click(self.target_button, self.message, self.set_target)
        on_click(self.template_button, self.message, self.write_template)
        self.upload.observe(lambda _: self._save_upload(), names="value")
        on_click(self.sheet_button, self.message, self.load_sheet)
        on_click(self.write_button, self.message, self.write)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html_text(_t('title'))}</h3>"),
                widgets.HBox([self.as_of, self.compute_button]),
                widgets.HBox([self.indicator, self.target, self.target_button]),
                widgets.HBox([self.template_button, self.upload, self.sheet_button]),
                self.write_button,
                self.message,
                self.table,
                self.look_back,
            ]
        )
        self.widget.add_class("cogov-assessment")
        for name in ("as_of", "compute_button", "indicator", "target", "target_button", "write_button"):
            getattr(self, name).add_class(f"cogov-assessment-{name}")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _day(self) -> dt.date:
        return self.as_of.value or dt.date.today()

    def compute(self) -> Ledger | None:
        """Compute every indicator on the chosen day and show them with the 回头看 list."""
        try:
            self.ledger = flow.ledger(self.ws, self._day())
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self.table.value = ledger_html(self.ledger)
        self.look_back.value = look_back_html(self.ledger)
        self.message.value = ""
        return self.ledger

    def set_target(self) -> bool:
        """Store the typed target of the chosen indicator, then recompute."""
        try:
            target = flow.set_target(self.ws, self.indicator.value, self.target.value)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return False
        self.compute()
        name = next(s.name() for s in INDICATORS if s.key == target.indicator)
        say(self.message, i18n.t("assessment.panel.target_set", indicator=name, target=self.target.value))
        self.target.value = ""
        return True

    def write_template(self) -> Path | None:
        """Write the blank 考核表 for the street office into the output folder."""
        try:
            path = flow.write_scoring_template(self.out_dir / i18n.t("assessment.panel.template_file"))
        except (CogovError, OSError) as exc:
            say(self.message, str(exc), error=True)
            return None
        say(self.message, i18n.t("assessment.panel.template_written", path=str(path)))
        return path

    def _save_upload(self) -> Path | None:
        if not self.upload.value:
            return None
        item = self.upload.value[0]
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.uploaded_path = self.out_dir / Path(item["name"]).name  # a bare name: no path from the browser
        self.uploaded_path.write_bytes(bytes(item["content"]))
        say(self.message, i18n.t("assessment.panel.received", file=self.uploaded_path.name))
        return self.uploaded_path

    def load_sheet(self, path: str | Path | None = None) -> bool:
        """Read the targets of the uploaded 考核表 (or of ``path``) and recompute."""
        chosen = Path(path) if path is not None else self.uploaded_path
        if chosen is None:
            say(self.message, i18n.t("assessment.panel.nothing_uploaded"), error=True)
            return False
        try:
            read = flow.load_scoring_sheet(self.ws, chosen)
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return False
        self.compute()
        say(self.message, i18n.t("assessment.panel.sheet_loaded", count=len(read.targets), file=chosen.name))
        return True

    def write(self) -> flow.LedgerFiles | None:
        """Write the 台账 (Excel workbook and PDF report) of the chosen day; list the files."""
        try:
            self.files = flow.write_ledger(self.ws, self.out_dir, self._day())
        except CogovError as exc:
            say(self.message, exc.message(), error=True)
            return None
        self.compute()
        say(
            self.message,
            i18n.t(
                "assessment.panel.written", folder=str(self.out_dir), files="、".join(p.name for p in self.files.files)
            ),
        )
        return self.files


__all__ = ["AssessmentPanel", "ledger_html", "look_back_html"]
