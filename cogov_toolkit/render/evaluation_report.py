"""The evaluation report of one project: printable HTML, PDF and Excel, in Chinese, aggregates only.

Everything in the report is built from :mod:`cogov_toolkit.workflows.evaluations`
aggregates: counts by role, item means with 95 % intervals and distributions,
the pre → post change (saying which test), a building map where buildings with
fewer than 5 households are grey and carry no figure, residents' comments with
phone numbers and roster names blanked, the statistical methods in words
(:func:`method_notes`) and what the analysis left out (:func:`left_out_table`).
Resident text reaches HTML only through :func:`~cogov_toolkit.core.escape.html_text`
and Excel only through :func:`~cogov_toolkit.io.spreadsheets.write_xlsx` (text stays text).
"""

from __future__ import annotations

import base64
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import file_name, html_text
from cogov_toolkit.core.evaluation import (
    MIN_RESPONDENTS,
    Change,
    LeftOut,
)
from cogov_toolkit.core.questionnaire import Questionnaire, likert_scale

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

    from cogov_toolkit.render.map_layers import MapLayer


@dataclass(frozen=True)
class EvaluationReport:
    """What the report shows; every field is an aggregate or redacted text."""

    project_id: str
    community: str
    questionnaire: Questionnaire
    roles: pd.DataFrame
    items: pd.DataFrame
    changes: tuple[Change, ...]
    before: str
    after: str
    building_item: str
    buildings: pd.DataFrame
    comments: tuple[str, ...]
    building_shapes: Any = None  # GeoDataFrame of the buildings, for the map
    left_out: tuple[LeftOut, ...] = ()  # stored answers the analysis did not use, and why
    by_household: bool = False  # respondents are households (ids known), not responses
    without_household: int = 0  # analysed responses with no household id (one respondent each)
    min_respondents: int = MIN_RESPONDENTS


# ---------------------------------------------------------------- tables people read
def _fmt(value: float, digits: int = 2) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def _col(name: str) -> str:
    return i18n.t(f"evaluation.report.col.{name}")


def roles_table(report: EvaluationReport) -> pd.DataFrame:
    """Responses by phase and evaluator, with Chinese headers."""
    if report.roles.empty:
        return pd.DataFrame(columns=[_col("phase"), _col("role"), _col("n")])
    return pd.DataFrame(
        {
            _col("phase"): report.roles["phase_label"],
            _col("role"): report.roles["role_label"],
            _col("n"): report.roles["n"],
        }
    )


def items_table(report: EvaluationReport) -> pd.DataFrame:
    """Item means with intervals, each item's scale, 100-point scores and 3-level shares, with Chinese headers."""
    rows = []
    for _, r in report.items.iterrows():
        scale = likert_scale(report.questionnaire, report.questionnaire.question(r["item"]))
        rows.append(
            {
                _col("phase"): i18n.label("evaluation_phase", r["phase"]),
                _col("item"): r["label"],
                _col("n"): int(r["n"]),
                _col("mean"): _fmt(r["mean"]),
                _col("ci"): f"{_fmt(r['ci_low'])} – {_fmt(r['ci_high'])}",
                _col("scale"): f"{scale.low}–{scale.high}" if scale else "—",
                _col("score"): _fmt(r.get("score_100", math.nan), 1),
                _col("low"): _pct(r.get("share_low")) if scale else "—",
                _col("neutral"): _pct(r.get("share_neutral")) if scale and scale.level_values("neutral") else "—",
                _col("high"): _pct(r.get("share_high")) if scale else "—",
            }
        )
    return pd.DataFrame(rows)


def _pct(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{100 * value:.0f}%"


def _signed(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:+.2f}"


def changes_table(report: EvaluationReport) -> pd.DataFrame:
    """The pre → post change of each item (everyone's means), the test used, and the paired households' own change."""
    rows = []
    for c in report.changes:
        own = "—"
        if not math.isnan(c.paired_difference):
            own = i18n.t(
                "evaluation.report.with_interval",
                value=_signed(c.paired_difference),
                low=_fmt(c.paired_low),
                high=_fmt(c.paired_high),
            )
        rows.append(
            {
                _col("item"): c.label,
                _col("before"): _fmt(c.before),
                _col("after"): _fmt(c.after),
                _col("difference"): _signed(c.difference),
                _col("ci"): f"{_fmt(c.low)} – {_fmt(c.high)}",
                _col("method"): i18n.t(f"evaluation.change.{c.method.value}"),
                _col("pairs"): c.n_pairs,
                _col("paired_change"): own,
            }
        )
    return pd.DataFrame(rows)


def buildings_table(report: EvaluationReport) -> pd.DataFrame:
    """Per building: respondents and mean, or "too few" instead of a figure."""
    rows = []
    for _, r in report.buildings.iterrows():
        shown = i18n.t("evaluation.report.suppressed") if r["suppressed"] else _fmt(r["mean"])
        rows.append(
            {_col("building"): r["building_id"], _col("respondents"): int(r["respondents"]), _col("mean"): shown}
        )
    return pd.DataFrame(rows)


def comments_table(report: EvaluationReport) -> pd.DataFrame:
    """The comments, one per row, with no author."""
    return pd.DataFrame({_col("comment"): list(report.comments)})


def left_out_table(report: EvaluationReport) -> pd.DataFrame:
    """What the analysis left out: phase, item (or the whole response), reason and how many."""
    rows = []
    for left in report.left_out:
        if left.item:
            item = report.questionnaire.question(left.item).label()
        else:
            item = i18n.t("evaluation.report.whole_response")
        phase = i18n.label("evaluation_phase", left.phase) if left.phase in ("pre", "mid", "post") else left.phase
        rows.append(
            {
                _col("phase"): phase,
                _col("item"): item,
                _col("reason"): i18n.t(f"evaluation.left_out.{left.reason.value}"),
                _col("count"): left.count,
            }
        )
    return pd.DataFrame(rows, columns=[_col("phase"), _col("item"), _col("reason"), _col("count")])


def method_notes(report: EvaluationReport) -> list[str]:
    """The statistical methods of this report, in words (the current language), one paragraph each."""
    phases = {
        "before": i18n.label("evaluation_phase", report.before),
        "after": i18n.label("evaluation_phase", report.after),
    }
    notes = [
        i18n.t("evaluation.method.means"),
        i18n.t("evaluation.method.scale"),
        i18n.t("evaluation.method.change", **phases),
    ]
    if report.by_household:
        notes.append(i18n.t("evaluation.method.households"))
        if report.without_household:
            notes.append(i18n.t("evaluation.method.without_household", count=report.without_household))
    else:
        notes.append(i18n.t("evaluation.method.responses"))
    unit = i18n.t("evaluation.method.unit_household" if report.by_household else "evaluation.method.unit_response")
    notes.append(i18n.t("evaluation.method.buildings", min=report.min_respondents, unit=unit))
    left = sum(x.count for x in report.left_out)
    notes.append(i18n.t("evaluation.method.left_out", count=left) if left else i18n.t("evaluation.method.all_in"))
    return notes


def _titles(report: EvaluationReport) -> dict[str, str]:
    item_label = report.questionnaire.question(report.building_item).label() if report.building_item else ""
    unit = i18n.t("evaluation.method.unit_household" if report.by_household else "evaluation.method.unit_response")
    return {
        "title": i18n.t("evaluation.report.title", project=report.project_id),
        "roles": i18n.t("evaluation.report.by_role"),
        "items": i18n.t("evaluation.report.items"),
        "change": i18n.t(
            "evaluation.report.change",
            before=i18n.label("evaluation_phase", report.before),
            after=i18n.label("evaluation_phase", report.after),
        ),
        "buildings": i18n.t("evaluation.report.buildings", item=item_label, min=report.min_respondents, unit=unit),
        "comments": i18n.t("evaluation.report.comments"),
        "methods": i18n.t("evaluation.report.methods"),
        "left_out": i18n.t("evaluation.report.left_out"),
    }


# ---------------------------------------------------------------- figures
def _rc(font_family: str) -> dict[str, Any]:
    return {
        "font.family": [font_family, "DejaVu Sans"],
        "text.parse_math": False,  # a "$" in a label is a dollar sign
        "axes.unicode_minus": False,
    }


def means_figure(report: EvaluationReport) -> Figure:
    """Item means with 95 % intervals, one colour per phase."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 4.2))
    ax = figure.add_subplot()
    items = report.items
    if items.empty:
        ax.text(0.5, 0.5, i18n.t("evaluation.report.no_data"), ha="center")
        return figure
    labels = list(dict.fromkeys(items["label"]))
    phases = list(dict.fromkeys(items["phase"]))
    width = 0.8 / len(phases)
    for k, phase in enumerate(phases):
        part = items[items["phase"] == phase].set_index("label").reindex(labels)
        xs = [i + (k - (len(phases) - 1) / 2) * width for i in range(len(labels))]
        errors = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
        ax.bar(xs, part["mean"], width, yerr=errors, capsize=3, label=i18n.label("evaluation_phase", phase))
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(min(0.0, float(items["ci_low"].min())), _top(items) + 0.5)
    ax.set_ylabel(_col("mean"))
    ax.legend(loc="upper left", ncols=len(phases))
    ax.set_title(i18n.t("evaluation.report.items"))
    figure.tight_layout()
    return figure


def _top(items: pd.DataFrame) -> float:
    """The top of the means chart: the highest choice of the scales shown, or the highest interval end."""
    highest = items["ci_high"].max() if items["ci_high"].notna().any() else items["mean"].max()
    if "scale_high" in items and items["scale_high"].notna().any():
        highest = max(float(items["scale_high"].max()), float(items["mean"].max()))
    return float(highest)


def _item_range(report: EvaluationReport) -> tuple[float | None, float | None]:
    """The colour range of the building map: the item's own scale when it has one."""
    if not report.building_item:
        return None, None
    scale = likert_scale(report.questionnaire, report.questionnaire.question(report.building_item))
    return (scale.low, scale.high) if scale else (None, None)


def buildings_figure(report: EvaluationReport) -> Figure:
    """The building map: coloured by mean, grey (no figure) below the respondent threshold."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 5.5))
    ax = figure.add_subplot()
    ax.set_axis_off()
    shapes: gpd.GeoDataFrame = report.building_shapes
    merged = shapes.merge(report.buildings, on="building_id", how="left")
    shown = merged[merged["mean"].notna()]
    grey = merged[merged["mean"].isna()]
    grey.plot(ax=ax, color="#d9d9d9", edgecolor="#888888", linewidth=0.5)
    if not shown.empty:
        vmin, vmax = _item_range(report)
        shown.plot(
            ax=ax,
            column="mean",
            cmap="RdYlGn",
            vmin=vmin,
            vmax=vmax,
            edgecolor="#444444",
            linewidth=0.5,
            legend=True,
            legend_kwds={"shrink": 0.6, "label": _col("mean")},
        )
        for _, row in shown.iterrows():
            point = row.geometry.representative_point()
            ax.annotate(f"{row['mean']:.1f}", (point.x, point.y), ha="center", va="center", fontsize=7)
    ax.set_title(_titles(report)["buildings"], fontsize=10)
    return figure


def building_layer(report: EvaluationReport) -> MapLayer:
    """Return the building figure as a choropleth layer for the interactive and print maps.

    Suppressed buildings reach the layer with no value, and the layer greys
    every building under the same threshold, so no map shows their figure.
    """
    from cogov_toolkit.render.choropleth import building_choropleth

    figures = report.buildings.set_index("building_id")
    item = report.questionnaire.question(report.building_item).label()
    return building_choropleth(
        report.building_shapes,
        figures["mean"].astype(float),
        figures["respondents"],
        name=item,
        min_respondents=report.min_respondents,
    )


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------- outputs
def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return f"<p>{html_text(i18n.t('evaluation.report.no_data'))}</p>"
    head = "".join(f"<th>{html_text(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CSS = (
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;max-width:60em;margin:2em auto;"
    "color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:.3em .6em;"
    "text-align:left}th{background:#eee}img{max-width:100%}@media print{h2{page-break-before:auto}}"
)


def report_html(report: EvaluationReport) -> str:
    """Return the report as one self-contained, printable HTML page (figures inlined as PNG)."""
    import matplotlib

    from cogov_toolkit.render.fonts import find_cjk_font

    titles = _titles(report)
    with matplotlib.rc_context(_rc(find_cjk_font().family)):
        means_png, map_png = _png(means_figure(report)), _png(buildings_figure(report))
    comments = "".join(f"<li>{html_text(c)}</li>" for c in report.comments)
    methods = "".join(f"<p>{html_text(note)}</p>" for note in method_notes(report))
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html_text(titles['title'])}</title>"
        f"<style>{CSS}</style></head><body>"
        f"<h1>{html_text(titles['title'])}</h1>"
        f"<p>{html_text(i18n.t('evaluation.report.community', community=report.community))} · "
        f"{html_text(report.questionnaire.title())}</p>"
        f"<h2>{html_text(titles['roles'])}</h2>{_html_table(roles_table(report))}"
        f"<h2>{html_text(titles['items'])}</h2><img alt='' src='data:image/png;base64,{means_png}'>"
        f"{_html_table(items_table(report))}"
        f"<h2>{html_text(titles['change'])}</h2>{_html_table(changes_table(report))}"
        f"<h2>{html_text(titles['buildings'])}</h2><img alt='' src='data:image/png;base64,{map_png}'>"
        f"{_html_table(buildings_table(report))}"
        f"<h2>{html_text(titles['comments'])}</h2><ul>{comments}</ul>"
        f"<h2>{html_text(titles['methods'])}</h2>{methods}"
        f"{_html_table(left_out_table(report)) if report.left_out else ''}"
        f"<p><small>{html_text(i18n.t('evaluation.report.footer'))}</small></p></body></html>"
    )


def _width(text: str) -> int:
    """Display width in half-width cells: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: punctuation that may not begin a line, and that may not end one (the usual rule of Chinese typesetting)
_NO_LINE_START = set("，。、；：？！）」』”’》〉%,.;:?!)]")
_NO_LINE_END = set("（「『“‘《〈([")


def _wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` half-width cells, between words or Chinese characters.

    Closing punctuation stays at the end of its line (it may stick out one
    character) and opening punctuation moves to the next line.
    """
    lines, line = [], ""
    for token in re.findall(r"[!-~]+|\s+|.", text):  # a run of ASCII, a run of spaces, or one character
        if line and _width(line + token) > width and token not in _NO_LINE_START:
            carry = ""
            while line and line[-1] in _NO_LINE_END:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


#: the printable width of an A4 page inside the margins, in points
_PAGE_WIDTH_PT = 0.88 * 8.27 * 72


def _table_page(title: str, frames: list[tuple[str, pd.DataFrame]], notes: Sequence[str] = ()) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 11.69))  # A4 portrait
    figure.suptitle(title, fontsize=14, y=0.97)
    top = 0.92
    for note in notes:  # 9 pt text: a half-width cell is about 4.5 pt wide
        lines = _wrap(note, int(_PAGE_WIDTH_PT / 4.5 * 0.95))
        figure.text(0.06, top, "\n".join(lines), fontsize=9, va="top", linespacing=1.5)
        top -= 0.0161 * len(lines) + 0.012
    if notes:
        top -= 0.02
    for heading, frame in frames:
        figure.text(0.06, top, heading, fontsize=11, weight="bold")
        top -= 0.02
        if frame.empty:
            figure.text(0.06, top - 0.02, i18n.t("evaluation.report.no_data"), fontsize=9)
            top -= 0.05
            continue
        height = min(0.028 * (len(frame) + 1), top - 0.04)
        ax = figure.add_axes((0.06, top - height, 0.88, height))
        ax.set_axis_off()
        cells = [[str(v) for v in row] for row in frame.itertuples(index=False)]
        labels = [str(c) for c in frame.columns]
        # columns as wide as their longest text (plus padding), the font shrunk if the page is too narrow
        widths = [max(_width(t) for t in (label, *(row[i] for row in cells))) + 2 for i, label in enumerate(labels)]
        size = min(7.5, _PAGE_WIDTH_PT / (0.5 * sum(widths)))
        table = ax.table(
            cellText=cells,
            colLabels=labels,
            colWidths=[w / sum(widths) for w in widths],
            loc="upper left",
            cellLoc="left",
        )
        table.auto_set_font_size(False)
        table.set_fontsize(size)
        top -= height + 0.05
    return figure


def write_report_pdf(report: EvaluationReport, path: str | Path) -> Path:
    """Write the report as an A4 PDF: tables, the means chart and the building map."""
    from matplotlib.backends.backend_pdf import PdfPages

    from cogov_toolkit.render.fonts import pdf_fonts

    titles = _titles(report)
    path = Path(path)
    # the one font rule of every PDF: TrueType subsets, no Type 3
    with pdf_fonts(), PdfPages(path, metadata={"Title": titles["title"]}) as pdf:
        pdf.savefig(
            _table_page(
                titles["title"], [(titles["roles"], roles_table(report)), (titles["change"], changes_table(report))]
            )
        )
        pdf.savefig(means_figure(report))
        pdf.savefig(_table_page(titles["items"], [(titles["items"], items_table(report))]))
        pdf.savefig(buildings_figure(report))
        comment_rows = comments_table(report).head(40)  # one page; the Excel file has them all
        pdf.savefig(
            _table_page(
                titles["comments"], [(titles["buildings"], buildings_table(report)), (titles["comments"], comment_rows)]
            )
        )
        left_out = [(titles["left_out"], left_out_table(report).head(20))] if report.left_out else []
        pdf.savefig(_table_page(titles["methods"], left_out, method_notes(report)))
    return path


def write_report_xlsx(report: EvaluationReport, path: str | Path) -> Path:
    """Write the report's tables to Excel (text cells stored as text, never formulas)."""
    from cogov_toolkit.io.spreadsheets import write_xlsx

    return write_xlsx(
        {
            _col("role"): roles_table(report),
            _col("item"): items_table(report),
            _col("difference"): changes_table(report),
            _col("building"): buildings_table(report),
            _col("comment"): comments_table(report),
            _col("methods"): pd.DataFrame({_col("methods"): method_notes(report)}),
            _col("left_out"): left_out_table(report),
        },
        path,
    )


def write_report(report: EvaluationReport, folder: str | Path) -> list[Path]:
    """Write the HTML, PDF and Excel versions into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_name(i18n.t("evaluation.report.title", project=report.project_id), fallback="report")
    html_path = folder / f"{stem}.html"
    html_path.write_text(report_html(report), encoding="utf-8")
    return [
        html_path,
        write_report_pdf(report, folder / f"{stem}.pdf"),
        write_report_xlsx(report, folder / f"{stem}.xlsx"),
    ]


__all__ = [
    "EvaluationReport",
    "roles_table",
    "items_table",
    "changes_table",
    "buildings_table",
    "comments_table",
    "left_out_table",
    "method_notes",
    "means_figure",
    "buildings_figure",
    "building_layer",
    "report_html",
    "write_report_pdf",
    "write_report_xlsx",
    "write_report",
]
