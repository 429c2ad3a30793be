"""The assessment ledger (台账) as files: an Excel workbook and a Chinese PDF report.

Takes a :class:`~cogov_toolkit.core.indicators.Ledger` (never a workspace):

* the workbook has a summary sheet (every indicator: group, key, name,
  definition, value as a number and as text, numerator and denominator,
  target, its source, status), one sheet per indicator with its definition and
  the records behind it, and the 回头看 sheet (indicators below target with the
  records behind the gap). Text cells are stored as text, never as formulas;
* the PDF (A4) has the summary, then each indicator with its definition and
  records (the first rows; the workbook has them all), then the 回头看 list.
  Its Chinese font is embedded as TrueType/CID, not Type 3, so the text can be
  searched and copied.

Both carry only what the records behind the indicators hold: ids of demands,
votes, sites and projects, dates, labels and counts; no name, phone or
household id.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.core.indicators import SHORTFALL, IndicatorResult, Ledger, Status, Unit
from cogov_toolkit.render.convention import pdf_rc
from cogov_toolkit.render.fonts import find_cjk_font
from cogov_toolkit.render.notice_pack import format_date, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: records of one indicator printed in the PDF (the workbook has every one)
PDF_RECORDS = 15
_SHEET_FORBIDDEN = "[]:*?/\\"


# --- cells -------------------------------------------------------------------------------------
def cell_text(value: Any, language: str | None = None) -> Any:
    """Return a record's value as the ledger shows it: 是/否, ISO dates and times, numbers as numbers, blanks empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return i18n.t("ledger.value.yes" if value else "ledger.value.no", language)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def records_table(result: IndicatorResult, *, gaps_only: bool = False, language: str | None = None) -> pd.DataFrame:
    """Return the records behind an indicator with Chinese headers and display values."""
    frame = result.gaps if gaps_only else result.records
    shown = pd.DataFrame(
        {
            i18n.t(f"ledger.column.{c}", language): [cell_text(v, language) for v in frame[c]]
            for c in frame.columns
            if not (gaps_only and c == SHORTFALL)
        }
    )
    return shown


def _number(result: IndicatorResult) -> float | None:
    return None if result.value is None else float(result.value)


def summary_rows(ledger: Ledger, language: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """The summary sheet: headers and one row per indicator (value as a number, and as text)."""
    names = ("group", "key", "indicator", "definition", "value", "value_text", "numerator", "denominator")
    names += ("target", "target_source", "status", "gaps")
    headers = [i18n.t(f"ledger.field.{k}", language) for k in names]
    rows = []
    for r in ledger.results:
        rows.append(
            [
                i18n.t(f"indicator.group.{r.spec.group}", language),
                r.key,
                r.spec.name(language),
                r.spec.definition(language),
                _number(r),
                r.value_text(language),
                r.numerator if r.value is not None and r.spec.unit is Unit.SHARE else None,
                r.denominator if r.value is not None and r.spec.unit is Unit.SHARE else None,
                r.target.value if r.target is not None else None,
                i18n.label("target_source", r.target.source, language) if r.target is not None else "",
                r.status_text(language),
                len(r.gaps) if r.status is Status.BELOW else None,
            ]
        )
    return headers, rows


# --- the workbook ------------------------------------------------------------------------------
def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if c in _SHEET_FORBIDDEN else c for c in unicodedata.normalize("NFKC", name))[:28]
    candidate, n = clean, 2
    while candidate in used:
        candidate, n = f"{clean[:26]}{n}", n + 1
    used.add(candidate)
    return candidate


def write_ledger_xlsx(ledger: Ledger, path: str | Path, *, community: str, language: str | None = None) -> Path:
    """Write the ledger workbook: summary, one sheet per indicator with its records, and 回头看; return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    used = {i18n.t("ledger.summary_sheet", language), i18n.t("ledger.look_back_sheet", language)}
    summary.title = i18n.t("ledger.summary_sheet", language)
    summary.append([i18n.t("ledger.title", language, community=community)])
    summary.append([i18n.t("ledger.as_of", language, day=format_date(ledger.as_of, language))])
    summary.append([])
    headers, rows = summary_rows(ledger, language)
    summary.append(headers)
    for row in rows:
        summary.append(row)
    summary.append([])
    summary.append([i18n.t("ledger.footer", language)])
    for row_cells in summary.iter_rows(min_row=5, max_row=4 + len(rows)):
        value_cell, target_cell = row_cells[4], row_cells[8]
        unit = ledger.results[row_cells[0].row - 5].spec.unit
        if unit is Unit.SHARE:
            value_cell.number_format = target_cell.number_format = "0.0%"
    summary["A1"].font = Font(bold=True, size=14)
    for cell in summary[4]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJKL", (12, 26, 26, 60, 10, 22, 8, 8, 10, 14, 10, 12), strict=True):
        summary.column_dimensions[letter].width = width
    for result in ledger.results:
        sheet = book.create_sheet(_sheet_name(result.spec.name(language), used))
        sheet.append([i18n.t("ledger.field.indicator", language), result.spec.name(language)])
        sheet.append([i18n.t("ledger.field.key", language), result.key])
        sheet.append([i18n.t("ledger.field.definition", language), result.spec.definition(language)])
        sheet.append([i18n.t("ledger.field.value", language), result.value_text(language)])
        sheet.append([i18n.t("ledger.field.target", language), result.target_text(language)])
        sheet.append([i18n.t("ledger.field.status", language), result.status_text(language)])
        sheet.append([])
        sheet.append([i18n.t("ledger.records_title", language)])
        _append_frame(sheet, records_table(result, language=language), language)
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 60
        sheet["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    look_back = book.create_sheet(i18n.t("ledger.look_back_sheet", language))
    look_back.append([i18n.t("ledger.look_back_title", language)])
    below = ledger.look_back()
    if not below:
        look_back.append([i18n.t("ledger.look_back_none", language)])
    for result in below:
        look_back.append([])
        look_back.append([result.spec.name(language), result.value_text(language), result.target_text(language)])
        look_back.append([i18n.t("ledger.gap_records", language, count=len(result.gaps))])
        _append_frame(look_back, records_table(result, gaps_only=True, language=language), language)
    for sheet in book.worksheets:
        for row_cells in sheet.iter_rows():
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # resident text such as "=HYPERLINK(…)" stays text
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _append_frame(sheet: Any, frame: pd.DataFrame, language: str | None) -> None:
    if frame.empty:
        sheet.append([i18n.t("ledger.records_none", language)])
        return
    sheet.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append(list(values))


# --- the PDF -----------------------------------------------------------------------------------
_MM = 72 / 25.4
PAGE_W, PAGE_H, MARGIN = 210 * _MM, 297 * _MM, 18 * _MM
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT = 17.0, 12.5, 9.5, 7.5
#: headings stand out by size and colour: one regular face only, as each embedded face costs seconds to subset
HEADING_COLOUR = "#7f0000"


@dataclass(frozen=True)
class _Item:
    height: float
    draw: Callable[[Axes, float], None]
    keep_with_next: bool = False


def _text(
    text: str, size: float, *, heading: bool = False, colour: str = "black", indent: float = 0.0, gap: float = 0.0
) -> _Item:
    lines = wrap(text, size, PAGE_W - 2 * MARGIN - indent)
    step = size * 1.45

    def draw(ax: Axes, top: float) -> None:
        for n, line in enumerate(lines):
            ax.text(
                MARGIN + indent,
                top + gap + n * step,
                line,
                fontsize=size,
                va="top",
                color=colour,
            )

    # a heading stays with what follows it; headings stand out by size and colour, not weight
    return _Item(gap + len(lines) * step, draw, keep_with_next=heading)


def _widths(frame: pd.DataFrame, size: float, usable: float) -> list[float]:
    def measure(text: Any) -> float:
        return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.6 for c in str(text)) * size + size

    wanted = [max([measure(c)] + [measure(v) for v in frame[c]]) for c in frame.columns]
    wanted = [min(max(w, 3 * size), usable * 0.45) for w in wanted]
    return [w * usable / sum(wanted) for w in wanted]


def _table(frame: pd.DataFrame, size: float = TABLE_PT) -> list[_Item]:
    usable = PAGE_W - 2 * MARGIN
    widths = _widths(frame, size, usable)
    pad, step = size * 0.35, size * 1.3

    def row(values: Sequence[Any], header: bool) -> _Item:
        cells = [wrap(str(v), size, w - 2 * pad) for v, w in zip(values, widths, strict=True)]
        height = max(len(c) for c in cells) * step + 2 * pad

        def draw(ax: Axes, top: float) -> None:
            from matplotlib.patches import Rectangle

            x = MARGIN
            for lines, w in zip(cells, widths, strict=True):
                ax.add_patch(
                    Rectangle(
                        (x, top),
                        w,
                        height,
                        facecolor="#f2dcdb" if header else "white",
                        edgecolor="#555555",
                        linewidth=0.4,
                    )
                )
                for n, line in enumerate(lines):
                    ax.text(
                        x + pad,
                        top + pad + n * step,
                        line,
                        fontsize=size,
                        va="top",
                    )
                x += w

        return _Item(height, draw)

    return [row([str(c) for c in frame.columns], True)] + [row(list(v), False) for v in frame.itertuples(index=False)]


def _items(ledger: Ledger, community: str, language: str | None) -> list[_Item]:
    items = [
        _text(i18n.t("ledger.title", language, community=community), TITLE_PT, heading=True, colour="#c00000"),
        _text(i18n.t("ledger.as_of", language, day=format_date(ledger.as_of, language)), BODY_PT, gap=4),
        _text(i18n.t("ledger.summary_sheet", language), HEADING_PT, heading=True, colour=HEADING_COLOUR, gap=10),
    ]
    f = {k: i18n.t(f"ledger.field.{k}", language) for k in ("indicator", "value", "target", "status")}
    summary = pd.DataFrame(
        {
            f["indicator"]: [r.spec.name(language) for r in ledger.results],
            f["value"]: [r.value_text(language) for r in ledger.results],
            f["target"]: [r.target_text(language) for r in ledger.results],
            f["status"]: [r.status_text(language) for r in ledger.results],
        }
    )
    items += _table(summary, BODY_PT * 0.85)
    items.append(
        _text(i18n.t("ledger.look_back_title", language), HEADING_PT, heading=True, colour=HEADING_COLOUR, gap=14)
    )
    below = ledger.look_back()
    if not below:
        items.append(_text(i18n.t("ledger.look_back_none", language), BODY_PT))
    for result in below:
        items.append(
            _text(
                f"{result.spec.name(language)}：{result.value_text(language)}，{result.target_text(language)}",
                BODY_PT,
                heading=True,
                gap=6,
            )
        )
        items += _records(records_table(result, gaps_only=True, language=language), language)
    for result in ledger.results:
        items.append(_text(result.spec.name(language), HEADING_PT, heading=True, colour=HEADING_COLOUR, gap=14))
        items.append(
            _text(f"{i18n.t('ledger.field.definition', language)}：{result.spec.definition(language)}", BODY_PT, gap=2)
        )
        line = "　".join(
            f"{i18n.t(f'ledger.field.{k}', language)}：{v}"
            for k, v in (
                ("value", result.value_text(language)),
                ("target", result.target_text(language)),
                ("status", result.status_text(language)),
            )
        )
        items.append(_text(line, BODY_PT, gap=2))
        items += _records(records_table(result, language=language), language)
    items.append(_text(i18n.t("ledger.footer", language), TABLE_PT, gap=14))
    return items


def _records(frame: pd.DataFrame, language: str | None) -> list[_Item]:
    if frame.empty:
        return [_text(i18n.t("ledger.records_none", language), TABLE_PT, gap=2)]
    items = [_Item(3.0, lambda ax, top: None)] + _table(frame.head(PDF_RECORDS))
    if len(frame) > PDF_RECORDS:
        items.append(_text(i18n.t("ledger.records_more", language, count=len(frame) - PDF_RECORDS), TABLE_PT, gap=2))
    return items


def write_ledger_pdf(ledger: Ledger, path: str | Path, *, community: str, language: str | None = None) -> Path:
    """Write the ledger report as an A4 PDF in Chinese (summary, 回头看, each indicator); return its path."""
    matplotlib = require("matplotlib")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    font = find_cjk_font()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(pdf_rc(font.family)):
        items = _items(ledger, community, language)
        pages: list[list[tuple[_Item, float]]] = [[]]
        top = MARGIN
        bottom = PAGE_H - MARGIN
        for position, item in enumerate(items):
            following = items[position + 1].height if item.keep_with_next and position + 1 < len(items) else 0.0
            if top + item.height + following > bottom and pages[-1]:
                pages.append([])
                top = MARGIN
            pages[-1].append((item, top))
            top += item.height
        title = i18n.t("ledger.title", language, community=community)
        with PdfPages(path, metadata={"Title": title, "Creator": "cogov_toolkit"}) as pdf:
            for number, placed in enumerate(pages, start=1):
                figure = Figure(figsize=(PAGE_W / 72, PAGE_H / 72))
                ax = figure.add_axes((0, 0, 1, 1))
                ax.set_xlim(0, PAGE_W)
                ax.set_ylim(PAGE_H, 0)
                ax.set_axis_off()
                for item, at in placed:
                    item.draw(ax, at)
                footer = i18n.t("ledger.page", language, page=number, pages=len(pages))
                ax.text(PAGE_W / 2, PAGE_H - MARGIN / 2, footer, fontsize=TABLE_PT, ha="center", va="center")
                pdf.savefig(figure)
    return path


__all__ = ["PDF_RECORDS", "cell_text", "records_table", "summary_rows", "write_ledger_xlsx", "write_ledger_pdf"]
