"""Workspaces for the map tests: the sample community, with canaries and XSS payloads planted."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES
from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.storage import create_workspace, open_workspace
from tests.canaries import CANARY_ADOPTER, CANARY_NAME, CANARY_PHONE

SAMPLE = sample_data_dir()
CHROMIUM = Path("/usr/bin/chromium")


TRIAGE = ("major", "minor", "private", None)

#: at least 20 payloads; each would set window.__xss (or fetch a file) if it ran
XSS_PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    '<svg onload="window.__xss=2"></svg>',
    "<script>window.__xss=3</script>",
    '"><img src=y onerror=window.__xss=4>',
    "'><svg/onload=window.__xss=5>",
    '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
    "<body onload=window.__xss=7>",
    '<details open ontoggle="window.__xss=8">',
    '<a href="javascript:window.__xss=9" id=xss9>点我</a>',
    "</script><script>window.__xss=10</script>",
    "<img src=x onerror=&#119;indow.__xss=11>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=12>",
    "<input autofocus onfocus=window.__xss=13>",
    '<video><source onerror="window.__xss=14"></video>',
    '<object data="javascript:window.__xss=15"></object>',
    "<marquee onstart=window.__xss=16>",
    "{{constructor.constructor('window.__xss=17')()}}",
    "<style>@import 'x.css';</style><b onmouseover=window.__xss=18>x</b>",
    '<!--<img src="--><img src=x onerror=window.__xss=19//">',
    '<div style="background:url(x)" onclick=window.__xss=20>',
    "\u2028<img src=x onerror=window.__xss=21>",
    "<select autofocus onfocus=window.__xss=22>",
    "' + (window.__xss=23) + '",
)


def build_workspace(path: Path, *, xss: bool = False) -> Path:
    """Build a workspace from data/sample (layers, demands, households with people, adoptions)."""
    try:  # the lead's builder, once it exists
        from cogov_toolkit.demo.sample import build_sample_workspace  # type: ignore[import-not-found]
    except ImportError:
        build_sample_workspace = None
    if build_sample_workspace is not None and not xss:
        path = Path(build_sample_workspace(path))
        ws = open_workspace(path, backups=0)
        # triage classes "once they exist": give a few demands each class so every colour shows
        for i, uuid in enumerate(ws.records("demands")["uuid"].tolist()[:12]):
            ws.update("demands", uuid, {"triage_class": TRIAGE[i % 4]})
        ws.add_private("people", [{"household_id": "H9999", "name": CANARY_NAME, "phone": CANARY_PHONE}])
    else:
        ws = create_workspace(path, "幸福社区")
        for kind in LAYERS:
            frame = gpd.read_file(SAMPLE / f"{kind}.geojson")
            if xss:
                frame = _plant_xss(kind, frame)
            ws.write_layer(kind, frame)
        demands = pd.read_csv(SAMPLE / "demands.csv", dtype=str, keep_default_na=False)
        columns = RECORD_TABLES["demands"].column_names
        rows = [{k: v for k, v in r.items() if k in columns and v != ""} for r in demands.to_dict("records")]
        # triage classes "once they exist": give some demands a class so every colour shows
        for i, row in enumerate(rows):
            row["triage_class"] = TRIAGE[i % 4]
            if xss:
                row["text"] = XSS_PAYLOADS[i % len(XSS_PAYLOADS)]
        ws.add_many("demands", [{k: v for k, v in r.items() if v is not None} for r in rows])
        households = pd.read_csv(SAMPLE / "households.csv", dtype=str, keep_default_na=False)
        people = [
            {"household_id": r["household_id"], "name": r["name"], "phone": r["phone"]}
            for r in households.to_dict("records")
        ]
        people[0] = {"household_id": people[0]["household_id"], "name": CANARY_NAME, "phone": CANARY_PHONE}
        ws.add_private("people", people)
    zones = ws.read_layer("adoption_zones")
    adopted = zones[zones["status"] == "adopted"]["zone_id"].tolist()
    roles = ("household", "party_member", "volunteer_team", "enterprise")
    ws.add_many(
        "adoptions",
        [
            {
                "adoption_id": f"AD{i:03d}",
                "zone_id": z,
                "adopter_type": roles[i % 4],
                "public_name": CANARY_ADOPTER,
                "start_on": "2026-03-01",
            }
            for i, z in enumerate(adopted)
        ],
        private=[{"adopter_contacts": {"name": CANARY_NAME, "phone": CANARY_PHONE}} for _ in adopted],
    )
    ws.close()
    return path


def _plant_xss(kind: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put payloads into every resident-typed text column of a layer."""
    frame = frame.copy()
    text_columns = {
        "grids": ["name"],
        "buildings": ["label"],
        "public_spaces": ["name"],
        "idle_plots": ["name", "proposed_use"],
        "adoption_zones": ["name"],
        "neighbourhoods": ["name"],
        "community": ["name"],
        "roads": ["name"],
        "landmarks": ["name"],
    }.get(kind, [])
    for column in text_columns:
        frame[column] = [XSS_PAYLOADS[(i + len(column)) % len(XSS_PAYLOADS)] for i in range(len(frame))]
    return frame


@pytest.fixture(name="sample_ws_path", scope="session")
def fixture_sample_ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample community as a workspace (with planted canaries); built once per run."""
    return build_workspace(tmp_path_factory.mktemp("maps") / "幸福社区.gpkg")


@pytest.fixture(name="xss_ws_path", scope="session")
def fixture_xss_ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample community with XSS payloads in every resident-typed text."""
    return build_workspace(tmp_path_factory.mktemp("maps_xss") / "xss.gpkg", xss=True)


@pytest.fixture(name="sample_ws")
def fixture_sample_ws(sample_ws_path: Path, tmp_path: Path):
    """An open copy of the sample workspace (tests may not change the shared one)."""
    copy = tmp_path / "ws.gpkg"
    shutil.copy(sample_ws_path, copy)
    shutil.copy(sample_ws_path.with_name(sample_ws_path.stem + ".private.sqlite"), tmp_path / "ws.private.sqlite")
    ws = open_workspace(copy, backups=0)
    yield ws
    ws.close()


def pdf_font_problems(pdf: Path) -> list[str]:
    """What would trouble a print shop in ``pdf``'s fonts: Type 3 fonts, fonts not embedded, poppler warnings.

    Fails (not skips) when poppler's pdffonts is missing: CI installs poppler-utils.
    """
    import subprocess
    from shutil import which

    if which("pdffonts") is None:
        pytest.fail("pdffonts is missing: install poppler-utils (apt-get install -y poppler-utils)")
    run = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    problems = [f"poppler: {line}" for line in run.stderr.splitlines() if line.strip()]
    rows = run.stdout.splitlines()[2:]
    if not rows:
        problems.append("no font at all")
    for row in rows:
        if "Type 3" in row:
            problems.append(f"Type 3: {row}")
        if row.split()[-5] != "yes":
            problems.append(f"not embedded: {row}")
    return problems
