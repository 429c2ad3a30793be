"""The map layer of co-building projects: each project's site coloured by its status, with its money and milestones.

Takes a frame of project sites (one geometry per project, gathered by
:func:`cogov_toolkit.workflows.cobuilding.project_status_content`) and returns
a :class:`~cogov_toolkit.render.map_layers.MapLayer` that the interactive and
print maps draw like any other layer. Only public figures reach it: status,
budget, spending, milestones done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cogov_toolkit import i18n
from cogov_toolkit.core.schema import ENUMS
from cogov_toolkit.render.map_layers import LegendClass, MapLayer
from cogov_toolkit.render.style import MapStyle, map_style

if TYPE_CHECKING:
    import geopandas as gpd

LAYER_KEY = "projects"
#: status colours that read as progress: grey (proposed), blue (decided), orange (works), green (done)
STATUS_COLOURS = {"proposed": "#9e9e9e", "decided": "#1f77b4", "in_progress": "#ff7f0e", "done": "#2ca02c"}


def project_status_layer(sites: gpd.GeoDataFrame, style: MapStyle | None = None) -> MapLayer:
    """Return the projects layer.

    Parameters
    ----------
    sites : GeoDataFrame
        One row per project with a site: ``project_id``, ``name``, ``status``
        (``project_status`` code), ``budget`` and ``spent`` (display text),
        ``milestones`` ("2/4"), in WGS-84.
    style : MapStyle, optional
        The greyscale style draws hatches instead of colours.
    """
    style = style or map_style()
    order = ENUMS["project_status"]
    codes = sites["status"].fillna("proposed").astype(str).tolist()
    index = np.array([order.index(c) if c in order else 0 for c in codes], dtype=np.int32)
    counts = np.bincount(index, minlength=len(order)) if len(index) else np.zeros(len(order), dtype=int)
    greyscale = style.name == "greyscale"
    classes = tuple(
        LegendClass(
            i18n.label("project_status", code),
            style.class_colour("project_status", code, i) if greyscale else STATUS_COLOURS[code],
            style.hatch(i),
            int(counts[i]),
        )
        for i, code in enumerate(order)
    )
    fields = ("field_status", "field_budget", "field_spent", "field_milestones")
    values = tuple(
        (i18n.label("project_status", code), str(b), str(s), str(m))
        for code, b, s, m in zip(codes, sites["budget"], sites["spent"], sites["milestones"], strict=True)
    )
    tips = tuple(f"{p} · {n}" for p, n in zip(sites["project_id"], sites["name"], strict=True))
    return MapLayer(
        LAYER_KEY,
        i18n.t("cobuilding.map.layer"),
        classes,
        i18n.t("cobuilding.map.field_status"),
        sites.geometry.reset_index(drop=True),
        index,
        tips,
        tuple(i18n.t(f"cobuilding.map.{f}") for f in fields),
        values,
        tuple(str(p) for p in sites["project_id"]),
    )


__all__ = ["LAYER_KEY", "STATUS_COLOURS", "project_status_layer"]
