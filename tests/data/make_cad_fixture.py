"""Write the CAD fixtures: the sample community's site plan as DXF, in local and in GK coordinates.

Run from the repository root: ``python tests/data/make_cad_fixture.py``. Writes into
``tests/data/cad/``:

- ``site_plan_local.dxf``: buildings (``建筑``, closed polylines, plus one open polyline that
  cannot become a building), roads (``道路``), green space (``绿化``) and labels (``标注``, points),
  in local plan coordinates: the CGCS2000 Gauss-Kruger (EPSG:4548) coordinates of the sample
  shifted to ``ORIGIN``, rotated by ``ROTATION_DEG`` and scaled by ``1 / SCALE`` (a plan in
  metres drawn on a site grid that is not aligned with north);
- ``site_plan_gk.dxf``: the same entities in EPSG:4548 itself (for the declared-CRS placement);
- ``truth.json``: the transform and every building corner in plan coordinates and in WGS-84.

Both DXF files say ``$DWGCODEPAGE ANSI_936`` and store layer names in GBK, as Chinese AutoCAD does.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "cogov_toolkit" / "demo" / "sample_data"
OUT = Path(__file__).resolve().parent / "cad"
GK = "EPSG:4548"  # CGCS2000 3-degree zone, central meridian 117E (the sample lies at 118.1E)
ORIGIN = (608000.0, 2709000.0)  # GK point that becomes the plan's (0, 0)
ROTATION_DEG = 23.5  # the site grid is turned this much from grid north: map = SCALE · R(θ) · plan + ORIGIN
SCALE = 1.0005  # map metres per plan unit: a plan drawn very slightly off scale


def to_plan(xy: np.ndarray) -> np.ndarray:
    """Return plan coordinates of GK coordinates (the inverse of the truth transform)."""
    theta = np.radians(ROTATION_DEG)
    inverse = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    return ((xy - np.asarray(ORIGIN)) @ inverse.T) / SCALE


def _entities() -> gpd.GeoDataFrame:
    """Return the plan's entities in GK coordinates, each with its CAD layer name."""
    buildings = gpd.read_file(SAMPLE / "buildings.geojson").to_crs(GK)
    spaces = gpd.read_file(SAMPLE / "public_spaces.geojson").to_crs(GK)
    community = gpd.read_file(SAMPLE / "community.geojson").to_crs(GK)
    rows: list[tuple[str, shapely.Geometry]] = []
    rows += [("建筑", g.exterior) for g in buildings.geometry]
    first = buildings.geometry.iloc[0].exterior
    rows.append(("建筑", shapely.LineString(list(first.coords)[:3])))  # an open polyline: not a building
    ring = list(community.geometry.iloc[0].exterior.coords)
    rows += [("道路", shapely.LineString(ring[i : i + 2])) for i in range(len(ring) - 1)]
    rows += [("绿化", g.exterior) for g in spaces.geometry if g.geom_type == "Polygon"]
    rows += [("标注", g.centroid) for g in buildings.geometry]
    return gpd.GeoDataFrame({"Layer": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs=GK)


def _write_dxf(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)  # the DXF driver cannot overwrite
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DXF has no CRS; GDAL warns about it
        pyogrio.write_dataframe(frame.set_crs(None, allow_override=True), path, driver="DXF")
    # GDAL writes UTF-8 under an ANSI_1252 header; re-encode as Chinese AutoCAD writes (GBK, ANSI_936)
    text = path.read_text(encoding="utf-8").replace("ANSI_1252", "ANSI_936")
    path.write_bytes(text.encode("gbk"))


def _truth(gk: gpd.GeoDataFrame) -> dict:
    buildings = gpd.read_file(SAMPLE / "buildings.geojson")
    corners = []
    for building_id, geometry in zip(buildings["building_id"], buildings.geometry, strict=True):
        lonlat = np.asarray(geometry.exterior.coords)[:-1]
        corners += [
            {"building_id": building_id, "corner": i, "lonlat": list(map(float, p))} for i, p in enumerate(lonlat)
        ]
    gk_xy = gpd.GeoSeries(gpd.points_from_xy(*zip(*(c["lonlat"] for c in corners), strict=True)), crs="EPSG:4326")
    gk_xy = np.column_stack([gk_xy.to_crs(GK).x, gk_xy.to_crs(GK).y])
    for corner, plan in zip(corners, to_plan(gk_xy), strict=True):
        corner["plan"] = [round(float(v), 4) for v in plan]
    return {"crs": GK, "origin": ORIGIN, "rotation_deg": ROTATION_DEG, "scale": SCALE, "corners": corners}


def main() -> None:
    """Write the two DXF files and the truth."""
    OUT.mkdir(parents=True, exist_ok=True)
    gk = _entities()
    _write_dxf(gk, OUT / "site_plan_gk.dxf")
    local = gk.copy()
    local.geometry = shapely.transform(gk.geometry.values, to_plan)
    _write_dxf(local, OUT / "site_plan_local.dxf")
    truth = _truth(gk)
    (OUT / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
