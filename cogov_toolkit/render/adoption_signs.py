"""Printable 认养牌 (adoption signs): one A5 landscape page per running adoption, in one PDF.

A sign shows the zone's number and type, the adopter by their public name
(core.adoption decides it: a consented name, else building and masked
surname), the term, the duties, and the community office's public phone. It
is drawn from :class:`~cogov_toolkit.workflows.adoptions.SignContent`, which
holds nothing private, so no phone of a resident can reach the page.
Text is set in a Simplified Chinese font (:mod:`.fonts`) embedded as TrueType
so that ``pdftotext`` and a print shop read it as text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.render.fonts import find_cjk_font

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cogov_toolkit.core.adoption import SignContent

#: A5 landscape, inches: fits a stake or a stairwell wall
SIGN_SIZE_INCHES = (8.27, 5.83)
#: characters per line of the duties before wrapping (Chinese characters are wide)
DUTIES_WRAP = 26
GREEN = "#2e7d32"


def _draw(sign: SignContent, community: str, office_phone: str, language: str | None) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=SIGN_SIZE_INCHES)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.add_patch(Rectangle((0.03, 0.04), 0.94, 0.92, fill=False, edgecolor=GREEN, linewidth=4))
    ax.add_patch(Rectangle((0.03, 0.80), 0.94, 0.16, color=GREEN))
    ax.text(0.06, 0.88, i18n.t("adoption_flow.sign.heading", language), color="white", fontsize=30, va="center")
    number = i18n.t("adoption_flow.sign.number", language, number=sign.zone_number)
    ax.text(0.94, 0.88, number, color="white", fontsize=26, va="center", ha="right", fontweight="bold")
    lines = [
        i18n.t("adoption_flow.sign.zone_type", language, zone_type=sign.zone_type),
        i18n.t("adoption_flow.sign.adopter", language, adopter=sign.adopter, adopter_type=sign.adopter_type),
        i18n.t("adoption_flow.sign.term", language, start=sign.start_on.isoformat(), end=sign.end_on.isoformat()),
    ]
    if sign.duties:
        duties = i18n.t("adoption_flow.sign.duties", language, duties=sign.duties)
        lines += textwrap.wrap(duties, DUTIES_WRAP)[:3]
    y = 0.70
    for line in lines:
        ax.text(0.07, y, line, fontsize=18, va="center")
        y -= 0.11
    office = i18n.t("adoption_flow.sign.office", language, community=community, phone=office_phone)
    ax.text(0.5, 0.09, office, fontsize=14, va="center", ha="center", color="#333333")
    return figure


def write_adoption_signs(
    signs: Iterable[SignContent],
    path: str | Path,
    *,
    community: str,
    office_phone: str,
    language: str | None = None,
) -> Path:
    """Write the 认养牌 of ``signs`` into one PDF, a page each, and return its path.

    Parameters
    ----------
    signs : iterable of SignContent
        From :func:`cogov_toolkit.workflows.adoptions.sign_contents` (public only).
    path : str or pathlib.Path
        The PDF to write (its folder is created).
    community : str
        The community's name, printed with the office phone.
    office_phone : str
        The community office's public phone: the only phone a sign carries.
    language : str, optional
        Language of the fixed texts ("zh" by default).

    Returns
    -------
    pathlib.Path
        The PDF written.
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    font = find_cjk_font()
    # TrueType (42), subset: unlike Type 3, digits from the fallback font keep their place in the
    # extracted text, so a search (or a screen reader) reads "编号 3" and "2026-03-01" whole
    # parse_math off: a "$" in an adopter's name or the duties is a dollar sign, not TeX
    rc = {
        "font.family": [font.family, "DejaVu Sans"],
        "pdf.fonttype": 42,
        "axes.unicode_minus": False,
        "text.parse_math": False,
    }
    with matplotlib.rc_context(rc), PdfPages(path, metadata={"Creator": "cogov_toolkit"}) as pdf:
        for sign in signs:
            pdf.savefig(_draw(sign, community, office_phone, language))
    return path


__all__ = ["SIGN_SIZE_INCHES", "write_adoption_signs"]
