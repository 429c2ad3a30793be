"""Thematic maps: any building-level figure in classes (mapclassify), with small samples greyed out.

A building-level figure from fewer than 5 people is not published (DOMAIN,
privacy): such buildings are drawn grey, in their own legend class, and their
value is not shown anywhere, not even in a popup.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit._optional import require
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.map_layers import LayerKey, LegendClass, MapLayer
from cogov_toolkit.render.style import MapStyle, map_style

if TYPE_CHECKING:
    import geopandas as gpd


#: a figure from fewer respondents than this is suppressed
MIN_RESPONDENTS = 5


class Scheme(StrEnum):
    """mapclassify schemes offered to planners."""

    QUANTILES = "Quantiles"
    EQUAL_INTERVAL = "EqualInterval"
    NATURAL_BREAKS = "NaturalBreaks"
    FISHER_JENKS = "FisherJenks"


def _format(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")


def building_choropleth(
    buildings: gpd.GeoDataFrame,
    values: pd.Series,
    respondents: pd.Series,
    *,
    name: str,
    scheme: Scheme | str = Scheme.QUANTILES,
    k: int = 5,
    style: MapStyle | None = None,
    min_respondents: int = MIN_RESPONDENTS,
) -> MapLayer:
    """Return a layer of buildings coloured by ``values`` in ``k`` classes.

    Parameters
    ----------
    buildings : geopandas.GeoDataFrame
        The buildings layer (``building_id``, ``label``).
    values : pandas.Series
        The figure, indexed by ``building_id`` (e.g. mean satisfaction).
    respondents : pandas.Series
        How many people the figure of each building comes from, by ``building_id``.
    name : str
        What the figure is, for the legend and popups.
    scheme : Scheme
        mapclassify classification; quantiles by default.
    k : int
        Number of classes (fewer when there are fewer distinct values).
    min_respondents : int
        Buildings with fewer respondents are greyed out, value hidden.

    Raises
    ------
    CogovError
        ``map.unknown_buildings`` if ``values`` names buildings the layer does
        not have; ``map.figure_not_numeric`` if the values are not numbers.
    """
    mapclassify = require("mapclassify")
    style = style or map_style()
    unknown = sorted(set(values.index.astype(str)) - set(buildings["building_id"].astype(str)))
    if unknown:
        raise CogovError("map.unknown_buildings", ids="、".join(unknown[:10]))
    if not pd.api.types.is_numeric_dtype(values):
        raise CogovError("map.figure_not_numeric", name=name)
    ids = buildings["building_id"].astype(str)
    value = ids.map(values.rename(index=str)).astype(float)
    count = ids.map(respondents.rename(index=str)).fillna(0).astype(int)
    shown = value.notna() & (count >= min_respondents)
    suppressed_label = i18n.t("map.value.suppressed", min=min_respondents)
    index = np.zeros(len(buildings), dtype=np.int32)
    classes: list[LegendClass] = []
    if shown.any():
        data = value[shown].to_numpy()
        k = max(1, min(k, len(np.unique(data))))
        classifier = getattr(mapclassify, str(Scheme(scheme)))(data, k=k)
        import matplotlib as mpl

        cmap = mpl.colormaps[style.sequential]
        bins = list(classifier.bins)
        lows = [float(data.min()), *bins[:-1]]
        for i, (low, high) in enumerate(zip(lows, bins, strict=True)):
            colour = mpl.colors.to_hex(cmap(0.15 + 0.8 * i / max(1, len(bins) - 1)))
            label = i18n.t("map.value.class_range", low=_format(low), high=_format(high))
            classes.append(LegendClass(label, colour, "", int((classifier.yb == i).sum())))
        index[shown.to_numpy()] = classifier.yb
    index[~shown.to_numpy()] = len(classes)
    classes.append(LegendClass(suppressed_label, style.suppressed, "", int((~shown).sum())))
    none = i18n.t("map.value.none")
    shown_value = [(_format(v) if ok else none) for v, ok in zip(value, shown, strict=True)]
    shown_count = [(str(c) if ok else none) for c, ok in zip(count, shown, strict=True)]
    return MapLayer(
        LayerKey.CHOROPLETH,
        name,
        tuple(classes),
        name,
        buildings.geometry.reset_index(drop=True),
        index,
        tuple(buildings["label"].astype(str)),
        (i18n.t("map.field.value"), i18n.t("map.field.respondents")),
        tuple(zip(shown_value, shown_count, strict=True)),
        numbered=True,
    )


__all__ = ["MIN_RESPONDENTS", "Scheme", "building_choropleth"]
