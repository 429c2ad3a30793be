"""The standard set of map files for a workshop and a proposal, written in one call.

Used by ``cogov demo`` and by the map notebook's export button, so both write
the same files: the interactive map (normal and courtyard), print sheets (A4
and A3, PNG/PDF/SVG, greyscale) and the WeChat image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n

if TYPE_CHECKING:
    from cogov_toolkit.storage.workspace import Workspace


@dataclass(frozen=True)
class MapFile:
    """One file of the set: its name stem (from the catalog) and how to make it."""

    name_key: str
    suffix: str
    paper: str | None = None  # "A4" / "A3" for print sheets; None for HTML and WeChat
    orientation: str = "landscape"
    greyscale: bool = False
    courtyard: bool = False
    wechat: bool = False

    def file_name(self) -> str:
        """Return the file name in the current language (e.g. 地图_A3横版.pdf)."""
        return i18n.t(self.name_key) + self.suffix


MAP_SET: tuple[MapFile, ...] = (
    MapFile("map.file.interactive", ".html"),
    MapFile("map.file.interactive_courtyard", ".html", courtyard=True),
    MapFile("map.file.a4_landscape", ".png", paper="A4"),
    MapFile("map.file.a4_landscape", ".pdf", paper="A4"),
    MapFile("map.file.a3_portrait", ".pdf", paper="A3", orientation="portrait"),
    MapFile("map.file.a3_portrait", ".svg", paper="A3", orientation="portrait"),
    MapFile("map.file.a4_greyscale", ".pdf", paper="A4", greyscale=True),
    MapFile("map.file.wechat", ".png", wechat=True),
)


def write_map_set(ws: Workspace, folder: str | Path, files: tuple[MapFile, ...] = MAP_SET) -> list[Path]:
    """Write the map files of ``ws`` into ``folder`` and return their paths (in ``files`` order)."""
    from cogov_toolkit.render.interactive import InteractiveOptions, interactive_map, save_html
    from cogov_toolkit.render.print_map import Orientation, Paper, PrintOptions, export_print, export_wechat_png

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in files:
        path = folder / item.file_name()
        if item.suffix == ".html":
            save_html(interactive_map(ws, InteractiveOptions(courtyard=item.courtyard)), path)
        elif item.wechat:
            export_wechat_png(ws, path)
        else:
            options = PrintOptions(
                paper=Paper(item.paper), orientation=Orientation(item.orientation), greyscale=item.greyscale
            )
            export_print(ws, path, options)
        written.append(path)
    return written


__all__ = ["MapFile", "MAP_SET", "write_map_set"]
