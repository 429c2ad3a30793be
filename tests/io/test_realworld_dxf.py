"""DXF drawings of the real-world corpus (ezdxf's test files): readable layer names, GEODATA, repairs.

Expected layers and counts were read off each file (GDAL's DXF driver, as the importer
reads them; layers declared but never drawn on come from ezdxf's layer table).
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pyproj
import pytest

from cogov_toolkit.errors import CRSError, InputError
from cogov_toolkit.io.cad import ControlPoints, dxf_geodata, import_dxf, list_cad_layers, placed_drawing
from tests.io.realworld import corpus

ROOT = Path(__file__).resolve().parents[2]
#: file -> {layer: entities drawn on it} (layers of the table never drawn on: 0; AutoCAD's empty "0" left out)
LAYERS = {
    "ASCII_R12.dxf": {"ΛΑΓΕΡÄÜÖ": 3},  # \\U+039B… escapes decoded
    "dxf_unicode.dxf": {"Tschüss mit ü": 0},
    "Leica_Disto_S910.dxf": {"LEICA_DISTO_3D": 10, "LEICA_DISTO_ID": 11, "LEICA_DISTO_POINT_ENTITY": 11},
    "small_r13.dxf": {"3USMM_PKG": 13, "FOOT_PRINT": 3},  # $DWGCODEPAGE dos932
    "usa.dxf": {"BORDERS": 59, "LAYER_1": 0},
    "forms.dxf": {"FORMS": 40},
    "houses_of_parliament_georeferenced.dxf": {"0": 1},
    "POLI-ALL210_12.DXF": {"0": 1, "T-2DPLINE-ALL": 30},
    "wipeout_door.dxf": {"0": 147, "A.Wall_Internal": 2},
    "Minimal_DXF_AC1009.dxf": {},
}


def cad_layers(name: str) -> dict[str, int]:
    return {layer.name: layer.count for layer in list_cad_layers(corpus("dxf_ezdxf", name))}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layers_are_listed_with_readable_names(name: str) -> None:
    assert cad_layers(name) == LAYERS[name]


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in corpus("dxf_ezdxf").iterdir() if p.suffix.lower() == ".dxf")
    if corpus("dxf_ezdxf").exists()
    else [],
)
def test_every_dxf_of_the_corpus_lists_its_layers_without_a_raw_error(name: str) -> None:
    layers = list_cad_layers(corpus("dxf_ezdxf", name))  # damaged, minimal, binary: a list, or a toolkit error
    assert all("\\U+" not in layer.name for layer in layers)


def test_a_georeferenced_drawing_is_placed_by_its_geodata() -> None:
    path = corpus("dxf_ezdxf", "houses_of_parliament_georeferenced.dxf")
    geodata = dxf_geodata(path)
    assert geodata is not None and geodata.crs == "EPSG:27700"
    placed = placed_drawing(path)
    centre = placed.geometry.iloc[0].centroid
    # the Houses of Parliament, Westminster: 51.4995 N, 0.1248 W
    assert abs(centre.y - 51.4995) < 0.001 and abs(centre.x + 0.1248) < 0.001
    # the design point lands on the reference point (530207.6, 179366.8 in EPSG:27700)
    first = placed.geometry.iloc[0].coords[0]
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(*first)
    assert abs(x - 530207.57) < 0.05 and abs(y - 179366.79) < 0.05
    # into a Chinese community's workspace it is refused, naming the drawing's own CRS
    with pytest.raises(CRSError) as info:
        import_dxf(path, {"0": "buildings"})
    assert "EPSG:27700" in str(info.value)


def test_a_drawing_without_geodata_asks_how_to_place_it() -> None:
    with pytest.raises(InputError) as info:
        import_dxf(corpus("dxf_ezdxf", "small_r13.dxf"), {"FOOT_PRINT": "buildings"})
    assert info.value.reason == "cad.no_placement"


def test_self_crossing_outlines_are_repaired_or_refused_one_by_one() -> None:
    path = corpus("dxf_ezdxf", "usa.dxf")
    frame = placed_drawing(path, _into_wuhan(path))
    assert len(frame) == 59
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = import_dxf(path, {"BORDERS": "buildings"}, _into_wuhan(path))
    outcomes = [(p.reason, p.params["handle"]) for p in result.repairs]
    assert ("cad.polygon_refused", "7A") in outcomes  # a bow-tie whose intended shape is unclear: left out
    assert ("cad.polygon_repaired", "16D") in outcomes
    assert len(result.layers["buildings"]) == 58 and result.left_out["buildings"] == 0  # 59 closed, one refused
    assert all(g.is_valid for g in result.layers["buildings"].geometry)


def _into_wuhan(path: Path) -> ControlPoints:
    """Three control points putting the drawing's extent over a few hundred metres of Wuhan."""
    from cogov_toolkit.io.cad import _read_dxf

    x0, y0, x1, y1 = _read_dxf(path).total_bounds
    return ControlPoints(
        (((x0, y0), (114.30, 30.59)), ((x1, y0), (114.31, 30.59)), ((x0, y1), (114.30, 30.60))), method="affine"
    )


def test_cogov_import_takes_a_dxf_with_a_role_mapping(empty, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = ROOT / "tests" / "data" / "cad" / "site_plan_gk.dxf"
    path = empty.path
    empty.close()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cogov_toolkit.cli",
            "import",
            str(path),
            str(plan),
            "--kind",
            "buildings",
            "--roles",
            "建筑=buildings",
            "--crs",
            "EPSG:4548",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "导入 40 条" in done.stdout and "楼栋名册" in done.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "cogov_toolkit.cli", "import", str(path), str(plan), "--kind", "buildings"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert refused.returncode == 2 and "--roles" in refused.stderr and "Traceback" not in refused.stderr
