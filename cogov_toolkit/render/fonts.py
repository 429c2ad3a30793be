"""Find a Simplified Chinese font for printed maps, and the one font rule of every PDF the toolkit writes.

Noto Sans CJK and Source Han Sans ship one file with Japanese, Korean,
Simplified and Traditional Chinese faces. The JP face draws some characters
differently (骨, 直, 查 …) and would look wrong to residents, so the SC face is
asked for by name; matplotlib indexes every face of such a collection.
Without any Chinese font matplotlib prints empty boxes; we raise instead.

**PDFs** (maps, notices, the evaluation report, adoption signs) all take their
settings from :func:`pdf_rc`: the font is embedded as a TrueType (Type 42)
subset, never as Type 3, which print shops' tools handle badly. Matplotlib
declares every Type 42 font as TrueType, so the font must really have TrueType
outlines (a ``glyf`` table): the CFF-based Noto/Source Han CJK would be
misdeclared (poppler: "Mismatch between font type and embedded font file").
:func:`find_pdf_font` picks a Simplified Chinese font with TrueType outlines
(WenQuanYi Micro Hei on Debian, Microsoft YaHei or SimHei on Windows).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cogov_toolkit._optional import require
from cogov_toolkit.errors import ConfigurationError

#: Simplified Chinese faces, best first (the Noto/Source Han SC faces ship with Debian and conda-forge)
SC_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Sarasa Gothic SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


#: Simplified Chinese faces with TrueType (glyf) outlines, best first: what a PDF can embed as Type 42
PDF_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans SC",
    "Sarasa Gothic SC",
    "PingFang SC",
    "Droid Sans Fallback",
)


@dataclass(frozen=True)
class CJKFont:
    """The Chinese font the print export uses: family name, file, and face index in a collection."""

    family: str
    path: str
    index: int = 0


def has_truetype_outlines(path: str, index: int = 0) -> bool:
    """Return whether the font face at ``path`` (face ``index`` of a collection) has TrueType outlines."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return "glyf" in font
    except Exception:  # a font file fontTools cannot read is no candidate  # noqa: BLE001
        return False


def _installed(families: tuple[str, ...], *, truetype: bool = False) -> CJKFont | None:
    font_manager = require("matplotlib.font_manager", "matplotlib")
    # regular faces last, so they win over bold ones of the same family
    ranked = sorted(font_manager.fontManager.ttflist, key=lambda e: e.weight in (400, "normal", "regular"))
    entries = {entry.name: entry for entry in ranked}
    for family in families:
        entry = entries.get(family)
        if entry is None:
            continue
        font = CJKFont(family, entry.fname, getattr(entry, "index", 0))
        if not truetype or has_truetype_outlines(font.path, font.index):
            return font
    return None


def _find(families: tuple[str, ...], *, truetype: bool, reason: str) -> CJKFont:
    found = _installed(families, truetype=truetype)
    if found is None:
        # fonts installed after matplotlib built its cache: rescan, and add the new faces to the
        # manager in use (``matplotlib.font_manager.findfont`` is bound to it, not to a new one)
        font_manager = require("matplotlib.font_manager", "matplotlib")
        manager = font_manager.fontManager
        known = {(e.fname, e.name) for e in manager.ttflist}
        fresh = font_manager._load_fontmanager(try_read_cache=False)
        manager.ttflist.extend(e for e in fresh.ttflist if (e.fname, e.name) not in known)
        manager._findfont_cached.cache_clear()
        found = _installed(families, truetype=truetype)
    if found is None:
        raise ConfigurationError(reason)
    return found


def find_pdf_font(families: tuple[str, ...] = PDF_FAMILIES) -> CJKFont:
    """Return the first installed Simplified Chinese font of ``families`` with TrueType outlines.

    Raises
    ------
    ConfigurationError
        ``map.pdf_font_missing``, with the commands that install one (Debian
        ``fonts-wqy-microhei``; Windows has Microsoft YaHei).
    """
    return _find(families, truetype=True, reason="map.pdf_font_missing")


def pdf_rc(font: CJKFont | None = None) -> dict[str, Any]:
    """Return the matplotlib settings every PDF of the toolkit is written with (the one font rule).

    The Chinese font (:func:`find_pdf_font` unless given) comes first, DejaVu
    Sans (TrueType, shipped with matplotlib) for what it lacks; both are
    embedded as TrueType subsets (Type 42): no Type 3 font, text that
    ``pdftotext`` and a print shop read as text. Math parsing is off: a "$"
    typed by a resident is a dollar sign.
    """
    font = font or find_pdf_font()
    return {
        "font.family": [font.family, "DejaVu Sans"],
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "text.parse_math": False,
        "axes.unicode_minus": False,
    }


@contextmanager
def pdf_fonts(font: CJKFont | None = None) -> Iterator[dict[str, Any]]:
    """Draw and save a PDF inside this block: :func:`pdf_rc` in force, bold quietly set in the regular face.

    TrueType-outline Chinese fonts such as WenQuanYi Micro Hei have no bold
    face; matplotlib then logs a warning for every bold text. Titles stay
    regular in the PDF, and the log stays quiet.
    """
    matplotlib = require("matplotlib")
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        rc = pdf_rc(font)
        with matplotlib.rc_context(rc):
            yield rc
    finally:
        logger.setLevel(level)


def find_cjk_font(families: tuple[str, ...] = SC_FAMILIES) -> CJKFont:
    """Return the first installed Simplified Chinese font of ``families``.

    Fonts installed after matplotlib built its cache are found too: the cache
    is rebuilt once before giving up.

    Raises
    ------
    ConfigurationError
        ``map.font_missing``, with the commands that install one (Debian
        ``fonts-noto-cjk``, conda-forge ``font-ttf-noto-cjk``).
    """
    return _find(families, truetype=False, reason="map.font_missing")


__all__ = [
    "PDF_FAMILIES",
    "SC_FAMILIES",
    "CJKFont",
    "find_cjk_font",
    "find_pdf_font",
    "has_truetype_outlines",
    "pdf_fonts",
    "pdf_rc",
]
