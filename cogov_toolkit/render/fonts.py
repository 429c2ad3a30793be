"""Find a Simplified Chinese font for printed maps, or say exactly how to install one.

Noto Sans CJK and Source Han Sans ship one file with Japanese, Korean,
Simplified and Traditional Chinese faces. The JP face draws some characters
differently (骨, 直, 查 …) and would look wrong to residents, so the SC face is
asked for by name; matplotlib indexes every face of such a collection.
Without any Chinese font matplotlib prints empty boxes; we raise instead.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class CJKFont:
    """The Chinese font the print export uses: family name, file, and face index in a collection."""

    family: str
    path: str
    index: int = 0


def _installed(families: tuple[str, ...]) -> CJKFont | None:
    font_manager = require("matplotlib.font_manager", "matplotlib")
    # regular faces last, so they win over bold ones of the same family
    ranked = sorted(font_manager.fontManager.ttflist, key=lambda e: e.weight in (400, "normal", "regular"))
    entries = {entry.name: entry for entry in ranked}
    for family in families:
        entry = entries.get(family)
        if entry is not None:
            return CJKFont(family, entry.fname, getattr(entry, "index", 0))
    return None


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
    found = _installed(families)
    if found is None:
        font_manager = require("matplotlib.font_manager", "matplotlib")
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        found = _installed(families)
    if found is None:
        raise ConfigurationError("map.font_missing")
    return found


__all__ = ["SC_FAMILIES", "CJKFont", "find_cjk_font"]
