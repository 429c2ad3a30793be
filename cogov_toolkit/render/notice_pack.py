"""The public notice pack (公示): one notice, the files planners use.

:func:`write_notice_pack` turns a :class:`~cogov_toolkit.core.notice.Notice`
into

* a Word document (.docx) to edit and stamp (盖章) in WPS or Word: a real
  heading, the parts as paragraphs, the 事项 table as a Word table, the map, and
  the 落款 and date right-aligned under a blank area for the stamp;
* a PDF (A4) with the Chinese font embedded;
* a PNG exactly 1080 pixels wide for WeChat groups;
* an A3 portrait poster (PDF) in large type for the 公示栏;

in colour or greyscale. Every file is built from :func:`notice_parts`, the one
list of what the notice says, which the review widget shows before anything
is written; nothing else from the workspace reaches these files. The notice
passes the publication gate first (:func:`~cogov_toolkit.core.notice.check_public`
with the gate a caller must give: ``workflows.privacy.publication_gate(ws)``),
so no notice can be written without it. Control characters a resident's text
may carry are dropped from the Word file (its XML cannot hold them).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.core.escape import file_name
from cogov_toolkit.core.notice import Notice, NoticeTable, check_public, format_date
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.errors import NoticeError
from cogov_toolkit.render.fonts import find_cjk_font, pdf_fonts
from cogov_toolkit.render.linebreak import break_lines

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


class NoticeFormat(StrEnum):
    """The files of a notice pack (display names: ``notice.pack.<code>``)."""

    DOCX = "docx"
    PDF = "pdf"
    WECHAT_PNG = "wechat_png"
    POSTER_PDF = "poster_pdf"


ALL_FORMATS: tuple[NoticeFormat, ...] = tuple(NoticeFormat)
WECHAT_WIDTH_PX = 1080
#: East Asian font names written into the Word file (w:eastAsia): WPS and Word on Chinese Windows
#: have SimSun (宋体) and SimHei (黑体); LibreOffice substitutes an installed CJK font for them
DOCX_BODY_FONT = "SimSun"
DOCX_TITLE_FONT = "SimHei"
DOCX_LATIN_FONT = "Times New Roman"
#: the red of a notice's heading and rule; greyscale files use black
ACCENT = "#c00000"
HEADER_FILL = "#f2dcdb"
GREY_FILL = "#e6e6e6"
#: characters an XML 1.0 document (a .docx) cannot hold: C0 controls other than tab and newlines
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# --- what the notice says -----------------------------------------------------------------------
class PartKind(StrEnum):
    """One part of a notice, in the order it is printed (labels ``notice.part.<code>``)."""

    BASIS = "basis"
    MATTER = "matter"
    NOTE = "note"
    PERIOD = "period"
    OBJECTION = "objection"
    CONTACT = "contact"
    OFFICE_PHONE = "office_phone"
    ISSUER = "issuer"
    ISSUED_ON = "issued_on"


#: parts printed as "label：text"; the others are printed as they are
_LABELLED = frozenset({PartKind.BASIS, PartKind.MATTER, PartKind.PERIOD, PartKind.CONTACT, PartKind.OFFICE_PHONE})
#: parts printed at the foot, right-aligned under the stamp area (落款 and date)
_SIGNATURE = frozenset({PartKind.ISSUER, PartKind.ISSUED_ON})


@dataclass(frozen=True)
class NoticePart:
    """One printed part of a notice: its kind and the text exactly as it is published."""

    kind: PartKind
    text: str

    @property
    def signature(self) -> bool:
        """True for the 落款 and date, which sit right-aligned at the foot."""
        return self.kind in _SIGNATURE


def notice_parts(notice: Notice, language: str | None = None) -> tuple[NoticePart, ...]:
    """Return the parts of ``notice`` as they are published, in print order (table and map aside).

    The matter is followed by the 事项 table and the map (see :attr:`Notice.table`,
    :attr:`Notice.map_image`), then the notes, the period, how to object, the
    contact and the office phone, and at the foot the 落款 and date.
    """

    def labelled(kind: PartKind, text: str) -> NoticePart:
        label = i18n.t(f"notice.part.{kind.value}", language)
        return NoticePart(kind, i18n.t("notice.text.labelled", language, label=label, text=text))

    channels = i18n.t("notice.text.channel_join", language).join(
        i18n.t(f"notice.channel.{c}", language) for c in notice.objection_channels
    )
    objection = i18n.t("notice.text.objection", language, channels=channels)
    if notice.objection_address.strip():
        objection += i18n.t("notice.text.objection_address", language, address=notice.objection_address.strip())
    period = i18n.t(
        "notice.text.period",
        language,
        start=format_date(notice.start_on, language),
        end=format_date(notice.end_on, language),
        days=notice.period_days,
    )
    parts = []
    if notice.basis.strip():
        parts.append(labelled(PartKind.BASIS, notice.basis.strip()))
    parts.append(labelled(PartKind.MATTER, notice.matter.strip()))
    parts += [NoticePart(PartKind.NOTE, note.strip()) for note in notice.notes if note.strip()]
    parts += [
        labelled(PartKind.PERIOD, period),
        NoticePart(PartKind.OBJECTION, objection),
        labelled(PartKind.CONTACT, notice.contact.strip()),
        labelled(PartKind.OFFICE_PHONE, notice.office_phone.strip()),
        NoticePart(PartKind.ISSUER, notice.issuer.strip()),
        NoticePart(PartKind.ISSUED_ON, format_date(notice.issued_on, language)),
    ]
    return tuple(parts)


# --- the pack -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoticePack:
    """The files written for one notice, by format."""

    notice_id: str
    folder: Path
    greyscale: bool
    paths: Mapping[NoticeFormat, Path] = field(default_factory=lambda: MappingProxyType({}))

    def __getitem__(self, fmt: NoticeFormat | str) -> Path:
        return self.paths[NoticeFormat(fmt)]

    @property
    def files(self) -> list[Path]:
        """The files written, in the order of :class:`NoticeFormat`."""
        return [self.paths[f] for f in NoticeFormat if f in self.paths]


def file_stem(notice: Notice) -> str:
    """Return the file name (without suffix) of a notice's files: its title, made safe for any disk."""
    return file_name(notice.title, fallback=file_name(notice.notice_id, fallback="notice"))


def write_notice_pack(
    notice: Notice,
    folder: str | Path,
    *,
    greyscale: bool = False,
    gate: PublicationGate,
    formats: Iterable[NoticeFormat | str] = ALL_FORMATS,
    language: str | None = None,
) -> NoticePack:
    """Check ``notice`` through the publication gate and write its files into ``folder``.

    Parameters
    ----------
    notice : Notice
        The notice; every field is published.
    folder : str or Path
        Where the files go (created when missing). Files are named after the
        title: ``<标题>.docx``, ``<标题>.pdf``, ``<标题>_微信.png``,
        ``<标题>_A3海报.pdf``, with ``_黑白`` added for greyscale.
    greyscale : bool
        Write every file without colour (for black-and-white printers).
    gate : PublicationGate
        The workspace's publication gate
        (:func:`cogov_toolkit.workflows.privacy.publication_gate`); required,
        so that no notice is written unchecked.
    formats : iterable of NoticeFormat
        Which files to write; all by default.
    language : str, optional
        Language of the fixed texts ("zh" by default).

    Returns
    -------
    NoticePack
        The paths by format.

    Raises
    ------
    NoticeError
        ``notice.invalid`` listing every problem (missing part, short period,
        a phone or ID number other than the office's, a forbidden string), or
        ``notice.unknown_format``. Nothing is written then.
    """
    chosen = _formats(formats)
    check_public(notice, gate)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(notice) + (i18n.t("notice.pack.suffix_greyscale", language) if greyscale else "")
    names = {
        NoticeFormat.DOCX: f"{stem}.docx",
        NoticeFormat.PDF: f"{stem}.pdf",
        NoticeFormat.WECHAT_PNG: f"{stem}{i18n.t('notice.pack.suffix_wechat', language)}.png",
        NoticeFormat.POSTER_PDF: f"{stem}{i18n.t('notice.pack.suffix_poster', language)}.pdf",
    }
    writers: dict[NoticeFormat, Callable[[Notice, Path, bool, str | None], Path]] = {
        NoticeFormat.DOCX: write_docx,
        NoticeFormat.PDF: lambda n, p, g, lang: write_pdf(n, p, greyscale=g, layout=A4_LAYOUT, language=lang),
        NoticeFormat.WECHAT_PNG: lambda n, p, g, lang: write_wechat_png(n, p, greyscale=g, language=lang),
        NoticeFormat.POSTER_PDF: lambda n, p, g, lang: write_pdf(n, p, greyscale=g, layout=A3_LAYOUT, language=lang),
    }
    paths = {fmt: writers[fmt](notice, folder / names[fmt], greyscale, language) for fmt in chosen}
    return NoticePack(notice.notice_id, folder, greyscale, MappingProxyType(paths))


def _formats(formats: Iterable[NoticeFormat | str]) -> tuple[NoticeFormat, ...]:
    allowed = "、".join(f.value for f in NoticeFormat)
    chosen = []
    for fmt in formats:
        if fmt not in set(NoticeFormat):
            raise NoticeError("notice.unknown_format", format=str(fmt), allowed=allowed)
        chosen.append(NoticeFormat(fmt))
    return tuple(dict.fromkeys(chosen))


# --- Word ---------------------------------------------------------------------------------------
def _set_east_asian_font(element: Any, east_asia: str, latin: str = DOCX_LATIN_FONT) -> None:
    """Name the fonts of a style or run, East Asian included (python-docx sets only the Latin ones)."""
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml.ns import qn

    shading = cell._tc.get_or_add_tcPr().makeelement(qn("w:shd"), {})
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    """Mark a table row as the header repeated on every page."""
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _docx_run(
    paragraph: Any, text: str, *, bold: bool = False, size: float | None = None, font: str = DOCX_BODY_FONT
) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(_XML_ILLEGAL.sub("", text))
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    _set_east_asian_font(run._element, font)
    return run


def write_docx(notice: Notice, path: str | Path, greyscale: bool = False, language: str | None = None) -> Path:
    """Write the notice as a Word document (A4) and return its path.

    Real Word structure, so a planner can edit it in WPS or Word: the title is
    a Title heading, each part a paragraph, the 事项 table a Word table with a
    repeating header row, the map a picture; the 落款 and date are right-aligned
    under about 3 cm of blank space for the stamp (盖章).
    """
    docx = require("docx", "python-docx")
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    for name in ("Normal", "Title", "Table Grid"):
        style = document.styles[name]
        _set_east_asian_font(style.element, DOCX_TITLE_FONT if name == "Title" else DOCX_BODY_FONT)
    document.styles["Normal"].font.size = Pt(12)
    colour = RGBColor(0, 0, 0) if greyscale else RGBColor.from_string(ACCENT.lstrip("#").upper())

    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = _docx_run(title, notice.title, bold=True, size=22, font=DOCX_TITLE_FONT)
    title_run.font.color.rgb = colour

    parts = notice_parts(notice, language)
    body = [p for p in parts if not p.signature]
    after_matter = [p for p in body if p.kind is not PartKind.BASIS and p.kind is not PartKind.MATTER]
    for part in [p for p in body if p.kind in (PartKind.BASIS, PartKind.MATTER)]:
        _docx_part(document, part, language)
    if notice.table is not None:
        table = document.add_table(rows=1, cols=len(notice.table.columns))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # columns as wide as their text needs (a reply is long, a number short), as in the PDF
        widths = [Pt(w) for w in _column_widths(notice.table, 10.5, 160 * _MM, 10.5 * 0.4)]
        for cell, heading, width in zip(table.rows[0].cells, notice.table.columns, widths, strict=True):
            _docx_run(cell.paragraphs[0], heading, bold=True, size=10.5)
            _shade(cell, GREY_FILL if greyscale else HEADER_FILL)
            cell.width = width
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: LibreOffice reads column widths from it, Word from the cells
        _repeat_header(table.rows[0])
        for values in notice.table.rows:
            for cell, value, width in zip(table.add_row().cells, values, widths, strict=True):
                _docx_run(cell.paragraphs[0], value, size=10.5)
                cell.width = width
    if notice.map_image:
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        stream, aspect = _image_stream(notice.map_image, greyscale)
        # at most 15 cm wide and 11 cm tall, so the map leaves room for the text on its page
        picture.add_run().add_picture(stream, width=Cm(min(15.0, 11.0 * aspect)))
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_run(caption, i18n.t("notice.text.map_caption", language), size=10.5)
    for part in after_matter:
        _docx_part(document, part, language)
    for position, part in enumerate(p for p in parts if p.signature):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if position == 0:
            paragraph.paragraph_format.space_before = Cm(3)  # the blank area where the stamp goes
        _docx_run(paragraph, part.text)
    path = Path(path)
    document.save(str(path))
    return path


def _docx_part(document: Any, part: NoticePart, language: str | None) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters, as Chinese documents do
    label, text = _split_label(part, language)
    if label:
        _docx_run(paragraph, label, bold=True)
    _docx_run(paragraph, text)


def _split_label(part: NoticePart, language: str | None) -> tuple[str, str]:
    """Return ("依据：", rest) for a labelled part, ("", text) otherwise (the label is printed bold)."""
    if part.kind not in _LABELLED:
        return "", part.text
    label = i18n.t("notice.text.labelled", language, label=i18n.t(f"notice.part.{part.kind.value}", language), text="")
    return label, part.text[len(label) :]


def _image_stream(path: str | Path, greyscale: bool) -> tuple[io.BytesIO, float]:
    """Return the map image as PNG bytes (turned grey for a greyscale pack) and its width/height ratio."""
    from PIL import Image

    with Image.open(path) as image:
        converted = image.convert("L").convert("RGB") if greyscale else image.convert("RGB")
    stream = io.BytesIO()
    converted.save(stream, format="PNG")
    stream.seek(0)
    return stream, converted.width / converted.height


# --- PDF, poster and WeChat image (matplotlib, one layout engine) --------------------------------
@dataclass(frozen=True)
class PageLayout:
    """Page size and type sizes, in points (1/72 inch); ``height`` None means one page as tall as needed."""

    width: float
    height: float | None
    margin: float
    title_size: float
    body_size: float
    table_size: float
    line_spacing: float = 1.55
    map_fraction: float = 0.45  # the map takes at most this share of the page height
    one_page: bool = False  # shrink the type (down to ``min_scale``) to keep everything on one sheet
    min_scale: float = 0.6

    def scaled(self, factor: float) -> PageLayout:
        """Return this layout with type and map ``factor`` times as large (page and margins kept)."""
        return replace(
            self,
            title_size=self.title_size * factor,
            body_size=self.body_size * factor,
            table_size=self.table_size * factor,
            map_fraction=self.map_fraction * factor,
        )


_MM = 72 / 25.4
A4_LAYOUT = PageLayout(210 * _MM, 297 * _MM, 25 * _MM, 22, 12, 10.5)
#: the 公示栏 poster: read from two metres away, so type is about twice the A4 size
#: one sheet on the board: a long table makes the type smaller, down to 60 %, before a second sheet is used
A3_LAYOUT = PageLayout(297 * _MM, 420 * _MM, 25 * _MM, 40, 20, 16, one_page=True)
#: 540 pt at 2 px per point: exactly 1080 px wide, sized for phone screens
WECHAT_LAYOUT = PageLayout(540, None, 30, 24, 14, 12)
_WECHAT_DPI = WECHAT_WIDTH_PX / (WECHAT_LAYOUT.width / 72)


def _char_width(char: str) -> float:
    """Width of one character in ems: full for Chinese, about half for Latin letters and digits."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points at font ``size``.

    Chinese breaks between any two characters, by the rules of :mod:`.linebreak`
    (no line starts with 」）。，, none ends with 「（).
    """
    return break_lines(text, width, lambda line: sum(_char_width(c) for c in line) * size)


@dataclass(frozen=True)
class _Item:
    """One thing placed on a page: its height and how to draw it at a given top."""

    height: float
    draw: Callable[[Axes, float], None]
    table_header: _Item | None = None  # a table row: the header to repeat on a new page


@dataclass(frozen=True)
class _Colours:
    accent: str
    fill: str
    text: str = "black"


def _text_item(
    text: str,
    size: float,
    layout: PageLayout,
    *,
    align: str = "left",
    bold: bool = False,
    colour: str = "black",
    indent: float = 0.0,
    space_before: float = 0.0,
) -> _Item:
    """Wrapped lines of text, left, centred or right-aligned."""
    usable = layout.width - 2 * layout.margin
    lines = wrap(text, size, usable - indent)
    step = size * layout.line_spacing
    x = {"left": layout.margin + indent, "center": layout.width / 2, "right": layout.width - layout.margin}[align]

    def draw(ax: Axes, top: float) -> None:
        for number, line in enumerate(lines):
            y = top + space_before + number * step
            weight = "bold" if bold else "normal"
            ax.text(x, y, line, fontsize=size, ha=align, va="top", color=colour, fontweight=weight)

    return _Item(space_before + len(lines) * step, draw)


def _table_items(table: NoticeTable, layout: PageLayout, colours: _Colours) -> list[_Item]:
    """Rows of the 事项 table, each an item; a row moved to a new page takes the header with it."""
    size = layout.table_size
    usable = layout.width - 2 * layout.margin
    pad = size * 0.4
    widths = _column_widths(table, size, usable, pad)
    step = size * 1.35

    def row_item(values: Sequence[str], header: bool, header_item: _Item | None) -> _Item:
        cells = [wrap(v, size, w - 2 * pad) for v, w in zip(values, widths, strict=True)]
        height = max(len(c) for c in cells) * step + 2 * pad

        def draw(ax: Axes, top: float) -> None:
            x = layout.margin
            for lines, w in zip(cells, widths, strict=True):
                fill = colours.fill if header else "white"
                ax.add_patch(_rectangle((x, top), w, height, fill))
                for number, line in enumerate(lines):
                    weight = "bold" if header else "normal"
                    ax.text(x + pad, top + pad + number * step, line, fontsize=size, va="top", fontweight=weight)
                x += w

        return _Item(height, draw, header_item)

    header = row_item(table.columns, True, None)
    return [header] + [row_item(r, False, header) for r in table.rows]


def _rectangle(xy: tuple[float, float], width: float, height: float, fill: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, facecolor=fill, edgecolor="black", linewidth=0.6)


def _column_widths(table: NoticeTable, size: float, usable: float, pad: float) -> list[float]:
    """Share the width by each column's longest text, every column at least four characters wide."""

    def measure(text: str) -> float:
        return sum(_char_width(c) for c in text) * size + 2 * pad

    wanted = [
        max([measure(table.columns[i])] + [measure(row[i]) for row in table.rows]) for i in range(len(table.columns))
    ]
    floor = 4 * size + 2 * pad
    wanted = [max(w, floor) for w in wanted]
    if sum(wanted) <= usable:
        return [w * usable / sum(wanted) for w in wanted]
    # too wide: short columns keep their width, the long ones share what is left
    short = [w for w in wanted if w <= usable / len(wanted)]
    rest = usable - sum(short)
    long_total = sum(w for w in wanted if w > usable / len(wanted))
    return [w if w <= usable / len(wanted) else w * rest / long_total for w in wanted]


def _image_item(path: str | Path, layout: PageLayout, greyscale: bool, caption: str) -> list[_Item]:
    from PIL import Image

    with Image.open(path) as image:
        picture = image.convert("L").convert("RGB") if greyscale else image.convert("RGB")
    usable = layout.width - 2 * layout.margin
    max_height = (layout.height or layout.width * 1.4) * layout.map_fraction
    scale = min(usable / picture.width, max_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    left = (layout.width - width) / 2

    def draw(ax: Axes, top: float) -> None:
        ax.imshow(picture, extent=(left, left + width, top + height, top), interpolation="antialiased")

    return [
        _Item(height + layout.body_size * 0.5, draw),
        _text_item(caption, layout.table_size, layout, align="center"),
    ]


def _rule_item(layout: PageLayout, colour: str) -> _Item:
    """The line under the title."""

    def draw(ax: Axes, top: float) -> None:
        y = top + layout.title_size * 0.3
        ax.plot([layout.margin, layout.width - layout.margin], [y, y], color=colour, linewidth=1.5)

    return _Item(layout.title_size * 0.8, draw)


def _items(notice: Notice, layout: PageLayout, greyscale: bool, language: str | None) -> list[_Item]:
    colours = _Colours("black", GREY_FILL) if greyscale else _Colours(ACCENT, HEADER_FILL)
    body, gap = layout.body_size, layout.body_size * 0.5
    items = [_text_item(notice.title, layout.title_size, layout, align="center", bold=True, colour=colours.accent)]
    items.append(_rule_item(layout, colours.accent))
    parts = notice_parts(notice, language)
    for part in parts:
        if part.signature:
            continue
        items.append(_text_item(part.text, body, layout, indent=2 * body, space_before=gap))
        if part.kind is PartKind.MATTER:
            if notice.table is not None:
                items.append(_Item(gap, lambda ax, top: None))
                items += _table_items(notice.table, layout, colours)
            if notice.map_image:
                items.append(_Item(gap, lambda ax, top: None))
                items += _image_item(notice.map_image, layout, greyscale, i18n.t("notice.text.map_caption", language))
    signature = [p for p in parts if p.signature]
    for position, part in enumerate(signature):
        # the first line of the signature sits under a blank area for the stamp (盖章)
        space = body * 5 if position == 0 else 0.0
        items.append(_text_item(part.text, body, layout, align="right", space_before=space))
    return items


def _paginate(items: list[_Item], layout: PageLayout) -> list[list[tuple[_Item, float]]]:
    """Place items top to bottom, starting a new page when one does not fit (repeating a table header)."""
    assert layout.height is not None
    bottom = layout.height - layout.margin
    pages: list[list[tuple[_Item, float]]] = [[]]
    top = layout.margin
    for item in items:
        if top + item.height > bottom and pages[-1]:
            pages.append([])
            top = layout.margin
            if item.table_header is not None:
                pages[-1].append((item.table_header, top))
                top += item.table_header.height
        pages[-1].append((item, top))
        top += item.height
    return pages


def _rc(font_family: str) -> dict[str, Any]:
    """Matplotlib settings of the WeChat image: Chinese font first, text kept as text, no math (PDFs: ``pdf_rc``)."""
    return {
        "font.family": [font_family, "DejaVu Sans"],
        "text.parse_math": False,  # a "$" in a reply is a dollar sign, not TeX
        "axes.unicode_minus": False,
    }


def _page_figure(layout: PageLayout, height: float, placed: list[tuple[_Item, float]], footer: str | None) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(layout.width / 72, height / 72))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(height, 0)  # y grows downwards, in points, like a page
    ax.set_axis_off()
    for item, top in placed:
        item.draw(ax, top)
    if footer:
        size = layout.table_size * 0.8
        ax.text(layout.width / 2, height - layout.margin / 2, footer, fontsize=size, ha="center", va="center")
    return figure


def write_pdf(
    notice: Notice,
    path: str | Path,
    *,
    greyscale: bool = False,
    layout: PageLayout = A4_LAYOUT,
    language: str | None = None,
) -> Path:
    """Write the notice as a PDF (A4 by default, :data:`A3_LAYOUT` for the poster), fonts embedded."""
    require("matplotlib")
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    with pdf_fonts():  # the one font rule of every PDF: TrueType subsets, no Type 3
        pages = _paginate(_items(notice, layout, greyscale, language), layout)
        factor = 1.0
        while layout.one_page and len(pages) > 1 and factor > layout.min_scale + 1e-9:
            factor -= 0.1
            pages = _paginate(_items(notice, layout.scaled(factor), greyscale, language), layout)
        metadata = {"Creator": "cogov_toolkit", "Title": notice.title}
        with PdfPages(path, metadata=metadata) as pdf:
            for number, placed in enumerate(pages, start=1):
                footer = i18n.t("notice.text.page", language, page=number, pages=len(pages)) if len(pages) > 1 else None
                pdf.savefig(_page_figure(layout, layout.height or 0, placed, footer))
    return path


def write_wechat_png(notice: Notice, path: str | Path, *, greyscale: bool = False, language: str | None = None) -> Path:
    """Write the notice as one PNG exactly 1080 pixels wide, as tall as it needs, for WeChat groups."""
    matplotlib = require("matplotlib")
    font = find_cjk_font()
    layout = WECHAT_LAYOUT
    path = Path(path)
    with matplotlib.rc_context(_rc(font.family)):
        items = _items(notice, layout, greyscale, language)
        placed, top = [], layout.margin
        for item in items:
            placed.append((item, top))
            top += item.height
        height = top + layout.margin
        figure = _page_figure(layout, height, placed, None)
        figure.savefig(path, format="png", dpi=_WECHAT_DPI, metadata={"Software": "cogov_toolkit"})
    return path


__all__ = [
    "ALL_FORMATS",
    "A3_LAYOUT",
    "A4_LAYOUT",
    "WECHAT_LAYOUT",
    "WECHAT_WIDTH_PX",
    "NoticeFormat",
    "NoticePack",
    "NoticePart",
    "PageLayout",
    "PartKind",
    "file_stem",
    "format_date",
    "notice_parts",
    "wrap",
    "write_docx",
    "write_notice_pack",
    "write_pdf",
    "write_wechat_png",
]
