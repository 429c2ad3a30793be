"""A resident convention in force, printable: an A3 poster (PDF) for the 公示栏 and a Word file to edit and stamp.

Takes a :class:`ConventionDocument` (built by
:func:`cogov_toolkit.workflows.conventions.convention_document`): title,
numbered articles, the line saying which vote adopted it, and the issuing body
with the date. The poster keeps to one A3 sheet, shrinking the type (down to
60 %) before it would take a second; its Chinese font is embedded as a
TrueType/CID font (not Type 3), so text can be searched and copied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cogov_toolkit._optional import require
from cogov_toolkit.core.conventions import article_label
from cogov_toolkit.render.fonts import find_cjk_font
from cogov_toolkit.render.notice_pack import format_date, wrap

_MM = 72 / 25.4
A3_WIDTH, A3_HEIGHT = 297 * _MM, 420 * _MM
MARGIN = 25 * _MM
TITLE_PT, BODY_PT, NOTE_PT = 44.0, 22.0, 16.0
MIN_SCALE = 0.6
ACCENT = "#c00000"
DOCX_BODY_FONT, DOCX_TITLE_FONT, DOCX_LATIN_FONT = "SimSun", "SimHei", "Times New Roman"
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class ConventionDocument:
    """What a printed convention shows; every field is public."""

    title: str
    kind: str
    articles: tuple[str, ...]
    adopted_line: str
    sources_line: str
    issuer: str
    day: Any  # datetime.date

    def file_stem(self) -> str:
        """The title, safe as a file name on any disk."""
        stem = _UNSAFE_FILENAME.sub("_", unicodedata.normalize("NFKC", self.title)).strip(" ._")
        return stem[:60] or "convention"


def pdf_rc(font_family: str) -> dict[str, Any]:
    """Matplotlib settings for PDFs people search: Chinese font first, embedded as TrueType/CID (not Type 3)."""
    return {
        "font.family": [font_family, "DejaVu Sans"],
        "pdf.fonttype": 42,
        "text.parse_math": False,  # a "$" is a dollar sign
        "axes.unicode_minus": False,
    }


def _lines(document: ConventionDocument, scale: float, language: str | None) -> list[tuple[str, float, str, bool]]:
    """Every line of the poster: (text, size, alignment, bold), wrapped to the page at ``scale``."""
    usable = A3_WIDTH - 2 * MARGIN
    title, body, note = TITLE_PT * scale, BODY_PT * scale, NOTE_PT * scale
    out: list[tuple[str, float, str, bool]] = []
    out += [(line, title, "center", True) for line in wrap(document.title, title, usable)]
    out.append(("", body * 0.6, "left", False))
    for number, text in enumerate(document.articles, start=1):
        label = article_label(number, language)
        first, *rest = wrap(f"{label}　{text}", body, usable)
        out.append((first, body, "left", False))
        out += [(line, body, "left", False) for line in rest]
        out.append(("", body * 0.35, "left", False))
    for extra in (document.adopted_line, document.sources_line):
        if extra:
            out += [(line, note, "left", False) for line in wrap(extra, note, usable)]
    out.append(("", body * 2.5, "left", False))  # room for the stamp
    out.append((document.issuer, body, "right", False))
    out.append((format_date(document.day, language), body, "right", False))
    return out


def _height(lines: Sequence[tuple[str, float, str, bool]]) -> float:
    return sum(size * 1.6 for _, size, _, _ in lines)


def write_convention_poster(document: ConventionDocument, path: str | Path, *, language: str | None = None) -> Path:
    """Write the convention as one A3 portrait poster (PDF, fonts embedded); return its path."""
    matplotlib = require("matplotlib")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    font = find_cjk_font()
    scale = 1.0
    lines = _lines(document, scale, language)
    while _height(lines) > A3_HEIGHT - 2 * MARGIN and scale > MIN_SCALE + 1e-9:
        scale -= 0.05
        lines = _lines(document, scale, language)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        matplotlib.rc_context(pdf_rc(font.family)),
        PdfPages(path, metadata={"Title": document.title, "Creator": "cogov_toolkit"}) as pdf,
    ):
        pages: list[list[tuple[str, float, str, bool]]] = [[]]
        used = 0.0
        for line in lines:  # beyond 60 % a second sheet is used rather than unreadable type
            if used + line[1] * 1.6 > A3_HEIGHT - 2 * MARGIN and pages[-1]:
                pages.append([])
                used = 0.0
            pages[-1].append(line)
            used += line[1] * 1.6
        for page in pages:
            figure = Figure(figsize=(A3_WIDTH / 72, A3_HEIGHT / 72))
            ax = figure.add_axes((0, 0, 1, 1))
            ax.set_xlim(0, A3_WIDTH)
            ax.set_ylim(A3_HEIGHT, 0)
            ax.set_axis_off()
            top = MARGIN
            for text, size, align, bold in page:
                x = {"left": MARGIN, "center": A3_WIDTH / 2, "right": A3_WIDTH - MARGIN}[align]
                colour = ACCENT if bold else "black"
                if text:
                    ax.text(
                        x,
                        top,
                        text,
                        fontsize=size,
                        ha=align,
                        va="top",
                        color=colour,
                    )
                top += size * 1.6
            pdf.savefig(figure)
    return path


def _east_asian(element: Any, east_asia: str) -> None:
    """Name the East Asian font of a style or run (python-docx sets only the Latin ones)."""
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), DOCX_LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def write_convention_docx(document: ConventionDocument, path: str | Path, *, language: str | None = None) -> Path:
    """Write the convention as a Word document (A4): title, one paragraph per article, vote line, 落款 and date."""
    docx = require("docx", "python-docx")
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
    for name in ("Normal", "Title"):
        _east_asian(word.styles[name].element, DOCX_TITLE_FONT if name == "Title" else DOCX_BODY_FONT)
    word.styles["Normal"].font.size = Pt(12)

    def run(
        paragraph: Any, text: str, *, bold: bool = False, size: float | None = None, font: str = DOCX_BODY_FONT
    ) -> None:
        added = paragraph.add_run(text)
        added.bold = bold
        if size:
            added.font.size = Pt(size)
        _east_asian(added._element, font)

    title = word.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(title, document.title, bold=True, size=22, font=DOCX_TITLE_FONT)
    for number, text in enumerate(document.articles, start=1):
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        run(paragraph, article_label(number, language) + "　", bold=True)
        run(paragraph, text)
    for extra in (document.adopted_line, document.sources_line):
        if extra:
            paragraph = word.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(24)
            run(paragraph, extra, size=10.5)
    for position, text in enumerate((document.issuer, format_date(document.day, language))):
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if position == 0:
            paragraph.paragraph_format.space_before = Cm(3)  # room for the stamp
        run(paragraph, text)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


__all__ = ["ConventionDocument", "pdf_rc", "write_convention_poster", "write_convention_docx"]
