"""The sample's pilot year: drawn reproducibly from the committed sample, laid in through the workflows, assessed.

``data/generate_sample.py`` calls the generator (``data/sample_pilot_year.py``)
and commits ``pilot_year.json``; these tests run it on the committed sample
files and check: the same bytes twice and as committed, every indicator with
data, the personal data on the private side only, and a ledger without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import random
from pathlib import Path

import pytest

from cogov_toolkit.demo.pilot_year import load_pilot_year
from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows import assessment, cobuilding
from tests.canaries import SAMPLE_CANARY
from tests.workflows.notice_workspace import leaked, pdf_text

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 30)


def _generator():
    spec = importlib.util.spec_from_file_location("sample_pilot_year", ROOT / "data" / "sample_pilot_year.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict]:
    with (sample_data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _features(name: str) -> list[dict]:
    return [
        f["properties"]
        for f in json.loads((sample_data_dir() / f"{name}.geojson").read_text(encoding="utf-8"))["features"]
    ]


def _year(seed: int = 20260301) -> dict:
    n1 = {b["building_id"] for b in _features("buildings") if b["neighbourhood_id"] == "N1"}
    return _generator().make_pilot_year(
        random.Random(seed),
        _rows("households"),
        _rows("projects"),
        _features("idle_plots"),
        _features("adoption_zones"),
        _rows("demands"),
        _rows("votes"),
        buildings_n1=n1,
    )


def test_the_pilot_year_is_reproducible_byte_for_byte(tmp_path: Path) -> None:
    generator = _generator()
    generator.write_pilot_year(tmp_path / "a.json", _year())
    generator.write_pilot_year(tmp_path / "b.json", _year())
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.json").read_bytes() != json.dumps(_year(seed=1), ensure_ascii=False).encode()
    assert (tmp_path / "a.json").read_bytes() == (sample_data_dir() / "pilot_year.json").read_bytes()


def test_the_sample_workspace_carries_the_years_cobuilding_part(sample_path: Path) -> None:
    with open_workspace(sample_path, backups=0) as ws:
        counts = ws.counts()
        overview = cobuilding.project_overview(ws, AS_OF)
        versions = ws.records("convention_versions")
    assert counts["workshop_sessions"] == 10 and counts["contributions"] > 30 and counts["indicator_targets"] > 10
    assert counts["adoptions"] == 0 and counts["demand_events"] == 0  # left to notebooks 04 and 05
    assert sorted(overview.loc[overview["flags"] > 0, "project_id"]) == ["PJ03"]  # its sources fall ¥500 short
    assert len(versions) == 2 and versions["adopted_on"].notna().sum() == 1


@pytest.fixture(name="loaded", scope="module")
def fixture_loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("试点一年")
    path = build_sample_workspace(folder / "幸福社区.gpkg", skip=("pilot_year",))  # the whole year goes in below
    with open_workspace(path, backups=0) as ws:
        report = load_pilot_year(ws, _year())
    assert report.counts["demands"] > 50 and report.counts["contributions"] > 30
    return path


def test_a_realistic_year_gives_every_indicator_data_and_a_look_back(loaded: Path) -> None:
    with open_workspace(loaded, backups=0) as ws:
        ledger = assessment.ledger(ws, AS_OF)
    no_data = [r.key for r in ledger.results if r.value is None]
    assert no_data == [], no_data
    assert 0.5 < ledger["demands_replied_on_time"].value < 1.0  # a few replies were late
    assert ledger["contributions_labour_hours"].value > 100
    assert 1 <= len(ledger.look_back()) < len(ledger.results)  # some targets met, some not
    statuses = {r.status.value for r in ledger.results}
    assert {"met", "below"} <= statuses


def test_the_years_personal_data_stays_private_and_out_of_the_ledger(loaded: Path, tmp_path: Path) -> None:
    households = _rows("households")
    with open_workspace(loaded, backups=0) as ws:
        shared = ws.share_copy(tmp_path / "分享" / "幸福社区.gpkg").read_bytes()
        files = assessment.write_ledger(ws, tmp_path / "台账", AS_OF)
        signed = set(ws.private_records("session_signins")["name"].dropna())
        contacts = set(ws.private_records("contributor_contacts")["name"].dropna())
        # the names contributors agreed to show on the honour roll (consent record, private side)
        public_names = set(cobuilding._named_contributions(ws)["public_name"].dropna())
    assert signed and contacts
    names = {h["name"] for h in households if h["name"]} - public_names
    phones = {h["phone"] for h in households if h["phone"]}
    assert [n for n in signed | contacts if n in names and n.encode() in shared] == []
    texts = [pdf_text(files.pdf), "\n".join(str(v) for v in _workbook_cells(files.xlsx))]
    for text in texts:
        assert leaked(text, [SAMPLE_CANARY["name"], SAMPLE_CANARY["phone"]]) == []
        squeezed = "".join(text.split())
        assert [n for n in signed | contacts if n in squeezed] == []
        assert [p for p in list(phones)[:200] if p in squeezed] == []


def _workbook_cells(path: Path) -> list[object]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
