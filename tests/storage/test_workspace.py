"""The workspace file: durability, concurrency, self-sufficiency, versions, backups, privacy."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from cogov_toolkit import i18n
from cogov_toolkit.errors import (
    CogovError,
    ConfigurationError,
    NotAWorkspaceError,
    PrivateFileMissingError,
    RecordError,
    WorkspaceError,
    WorkspaceVersionError,
)
from cogov_toolkit.storage import create_workspace, list_backups, open_workspace
from cogov_toolkit.storage.gpkg import schema as gpkg_schema
from cogov_toolkit.storage.gpkg.workspace import backup_dir_for, private_path_for

WRITER = Path(__file__).with_name("writer.py")
DEMAND = {"demand_id": "D1", "reported_on": "2026-05-01", "channel": "visit", "category": "parking", "text": "停车难"}


@pytest.fixture(name="ws_path")
def fixture_ws_path(tmp_path: Path) -> Path:
    """A fresh workspace in a folder whose path has Chinese characters and a space."""
    path = tmp_path / "幸福社区 工作区" / "社区.gpkg"
    create_workspace(path, "幸福社区").close()
    return path


def _writer(path: Path, count: int, tag: str, *, paced: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(count), tag, *(["--paced"] if paced else [])],
        stdin=subprocess.PIPE if paced else None,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_durability_settings_are_in_force(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        conn = ws.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 3  # EXTRA
        assert conn.execute("PRAGMA private.journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA private.synchronous").fetchone()[0] == 3


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_acknowledged_record(ws_path: Path) -> None:
    rng = random.Random(7)
    proc = _writer(ws_path, 1000, "k", paced=True)
    assert proc.stdout.readline().strip() == "ready"
    acknowledged = []
    kill_after = rng.randrange(300, 700)
    while len(acknowledged) < kill_after:
        proc.stdin.write("go\n")
        proc.stdin.flush()
        acknowledged.append(proc.stdout.readline().strip())
    # let a burst of writes start, then kill the writer wherever it is (inside add(), mid-commit …)
    proc.stdin.write("go\n" * 50)
    proc.stdin.flush()
    time.sleep(rng.uniform(0.0, 0.02))
    os.kill(proc.pid, signal.SIGKILL)
    acknowledged += [line.strip() for line in proc.stdout]  # any uuid printed before the kill was acknowledged too
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # the process died in the middle: the workspace still opens, is intact and holds every acknowledged record
    conn = sqlite3.connect(ws_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_workspace(ws_path, backups=0) as ws:
        stored = set(ws.records("demands")["uuid"])
        links = set(ws.private_records("demand_contacts")["demand_uuid"])
    assert set(acknowledged) <= stored
    assert len(stored) < 1000  # the kill really interrupted the run
    assert stored == links  # a record and its private part committed together or not at all


@pytest.mark.slow
def test_four_processes_writing_at_once_leave_exactly_1000_records(ws_path: Path) -> None:
    procs = [_writer(ws_path, 250, f"p{n}") for n in range(4)]
    outputs = [p.communicate(timeout=600)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    with open_workspace(ws_path, backups=0) as ws:
        frame = ws.records("demands")
        assert len(frame) == 1000
        assert frame["uuid"].is_unique and frame["demand_id"].is_unique
        assert set(frame["uuid"]) == {u for out in outputs for u in out if u != "ready"}
        assert len(ws.private_records("demand_contacts")) == 1000


def test_closed_workspace_is_one_file_that_opens_elsewhere(ws_path: Path, tmp_path: Path) -> None:
    ws = open_workspace(ws_path, backups=0)
    uuids = [ws.add("demands", {**DEMAND, "demand_id": f"D{i}"}) for i in range(20)]
    ws.close()
    leftovers = [p.name for p in ws_path.parent.iterdir() if p.name.startswith(ws_path.name + "-")]
    assert leftovers == []  # no -journal, -wal or -shm beside it
    usb = tmp_path / "U盘 副本" / "社区.gpkg"
    usb.parent.mkdir()
    usb.write_bytes(ws_path.read_bytes())
    with pytest.raises(PrivateFileMissingError):  # never a silent new, empty private file
        open_workspace(usb, backups=0)
    assert not private_path_for(usb).exists()
    with open_workspace(usb, backups=0, no_private_data=True) as copy:  # said explicitly: this copy has none
        assert list(copy.records("demands")["uuid"]) == uuids
        assert copy.get("demands", uuids[3])["text"] == "停车难"
        with pytest.raises(WorkspaceError):  # and personal data cannot be written into nowhere
            copy.add("demands", {**DEMAND, "demand_id": "D99"}, private={"demand_contacts": {"name": "王样"}})
    assert not private_path_for(usb).exists()


def test_every_record_carries_uuid_timestamps_and_origin(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        uuid = ws.add("demands", DEMAND)
        row = ws.get("demands", uuid)
        assert row["uuid"] == uuid and row["origin"] == ws.workspace_id
        assert row["created_at"].endswith("Z") and row["updated_at"] == row["created_at"]
        ws.update("demands", uuid, {"status": "assigned"})
        changed = ws.get("demands", uuid)
        assert changed["status"] == "assigned" and changed["updated_at"] >= row["updated_at"]
        assert changed["created_at"] == row["created_at"]


def test_idempotency_key_saves_a_form_once(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        first = ws.add("demands", DEMAND, idempotency_key="form-123")
        again = ws.add("demands", DEMAND, idempotency_key="form-123")
        assert first == again
        assert ws.count("demands") == 1


def test_duplicate_business_key_is_refused_with_a_clear_error(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        ws.add("demands", DEMAND)
        with pytest.raises(RecordError) as info:
            ws.add("demands", DEMAND)
        assert "D1" in str(info.value)
        assert ws.count("demands") == 1


def test_invalid_record_lists_every_problem_in_chinese(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        with pytest.raises(RecordError) as info:
            ws.add("demands", {"demand_id": "D9", "reported_on": "三月", "channel": "飞鸽", "category": "parking"})
        assert len(info.value.problems) == 3  # date, channel, missing text
        message = str(info.value)
        assert "未保存" in message and "三月" in message and "飞鸽" in message
        assert ws.count("demands") == 0


def test_not_a_workspace_gives_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "名单.gpkg"
    text.write_text("这不是数据库", encoding="utf-8")
    plain = tmp_path / "plain.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(118.1, 24.5)], crs=4326).to_file(plain)
    empty_sqlite = tmp_path / "empty.gpkg"
    sqlite3.connect(empty_sqlite).execute("CREATE TABLE t (a)").connection.commit()
    for path in (text, plain, empty_sqlite, tmp_path):
        with pytest.raises(NotAWorkspaceError) as info:
            open_workspace(path)
        assert "不是 cogov 工作区" in str(info.value)
    with pytest.raises(WorkspaceError):
        open_workspace(tmp_path / "没有这个文件.gpkg")


def test_newer_workspace_is_refused(ws_path: Path) -> None:
    conn = sqlite3.connect(ws_path)
    conn.execute("UPDATE cogov_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceVersionError) as info:
        open_workspace(ws_path)
    assert "99" in str(info.value) and "升级" in str(info.value)


def test_migrations_run_on_open_after_a_backup(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute('ALTER TABLE demands ADD COLUMN "migrated_note" TEXT')

    step = gpkg_schema.Migration(gpkg_schema.schema_version() + 1, "test step", add_column)
    monkeypatch.setattr(gpkg_schema, "MIGRATIONS", [*gpkg_schema.MIGRATIONS, step])
    monkeypatch.setattr("cogov_toolkit.storage.gpkg.workspace.MIGRATIONS", gpkg_schema.MIGRATIONS)
    with open_workspace(ws_path, backups=3, upgrade=True) as ws:
        version = ws.connection.execute("SELECT value FROM cogov_meta WHERE key='schema_version'").fetchone()[0]
        columns = [r[1] for r in ws.connection.execute("PRAGMA table_info(demands)")]
    assert int(version) == step.to_version and "migrated_note" in columns
    backups = list_backups(ws_path)
    assert len(backups) == 1 and backups[0].folder.parent == backup_dir_for(ws_path)
    old = sqlite3.connect(backups[0].workspace)
    assert "migrated_note" not in [r[1] for r in old.execute("PRAGMA table_info(demands)")]  # taken before migrating


def test_backups_rotate(ws_path: Path) -> None:
    for i in range(5):
        with open_workspace(ws_path, backups=3) as ws:
            ws.add("demands", {**DEMAND, "demand_id": f"D{i}"})
    backups = list_backups(ws_path)
    assert len(backups) == 3 and [b.counts["demands"] for b in backups] == [5, 4, 3]  # newest first
    assert len(list(backup_dir_for(ws_path).iterdir())) == 3
    for backup in backups:
        assert backup.private.exists()
        copy = backup.folder / "作为工作区"
        copy.mkdir()
        shutil.copy(backup.workspace, copy / "社区.gpkg")
        shutil.copy(backup.private, copy / "社区.private.sqlite")
        open_workspace(copy / "社区.gpkg", backups=0).close()  # every backup is itself a workspace
        shutil.rmtree(copy)


def test_layers_round_trip_and_gdal_lists_every_layer_and_table(ws_path: Path) -> None:
    building = shapely.box(118.1, 24.49, 118.1004, 24.4901)
    frame = gpd.GeoDataFrame(
        {
            "building_id": ["B01"],
            "label": ["1栋"],
            "neighbourhood_id": ["N1"],
            "grid_id": ["G1"],
            "units": [2],
            "floors": [6],
            "households": [24],
            "owner_name": ["不应写入"],
        },
        geometry=[building],
        crs=4326,
    )
    with open_workspace(ws_path, backups=0) as ws:
        assert ws.write_layer("buildings", frame) == 1
        back = ws.read_layer("buildings")
    assert back.loc[0, "label"] == "1栋" and back.geometry[0].equals(building)
    assert "owner_name" not in back.columns
    result = subprocess.run(["ogrinfo", "-so", "-al", str(ws_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
    for name in gpkg_schema.LAYERS | gpkg_schema.RECORD_TABLES:
        assert f"Layer name: {name}" in result.stdout
    assert "Feature Count: 1" in result.stdout
    gdal_read = gpd.read_file(ws_path, layer="buildings")
    assert gdal_read.loc[0, "building_id"] == "B01" and gdal_read.geometry[0].equals(shapely.MultiPolygon([building]))


def test_share_copy_holds_records_but_no_personal_data(ws_path: Path, tmp_path: Path) -> None:
    canary_name, canary_phone = "金丝雀甲乙", "100-9999-0042"
    with open_workspace(ws_path, backups=0) as ws:
        ws.add("demands", DEMAND, private={"demand_contacts": {"name": canary_name, "phone": canary_phone}})
        ws.add_private("people", [{"household_id": "H1", "name": canary_name, "phone": canary_phone}])
        shared = ws.share_copy(tmp_path / "给设计师" / "社区.gpkg")
    assert canary_name.encode() in private_path_for(ws_path).read_bytes()  # the search finds a planted canary
    for blob in (ws_path.read_bytes(), shared.read_bytes()):
        for canary in (canary_name, canary_phone):
            assert canary.encode("utf-8") not in blob
            assert canary.encode("utf-16-le") not in blob
    with open_workspace(shared, backups=0) as copy:
        assert copy.count("demands") == 1
        assert copy.private_records("demand_contacts").empty


def test_postgresql_url_is_a_clear_not_yet(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as info:
        open_workspace("postgresql://planner:secret@db.example/cogov")
    assert "secret" not in str(info.value) and "PostGIS" in str(info.value)


def test_open_workspace_creates_when_asked(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "新.gpkg", create="和美社区") as ws:
        assert ws.community_name == "和美社区"
    with open_workspace(tmp_path / "新.gpkg") as ws:
        assert ws.community_name == "和美社区"


def test_errors_switch_to_english(ws_path: Path) -> None:
    i18n.set_language("en")
    try:
        with pytest.raises(CogovError) as info:
            open_workspace(ws_path.with_name("missing.gpkg"))
        assert "does not exist" in str(info.value)
    finally:
        i18n.set_language("zh")


def test_closed_workspace_refuses_work(ws_path: Path) -> None:
    ws = open_workspace(ws_path, backups=0)
    ws.close()
    with pytest.raises(WorkspaceError):
        ws.add("demands", DEMAND)
    shutil.rmtree(backup_dir_for(ws_path), ignore_errors=True)


def test_a_transaction_stores_all_of_its_writes_or_none(ws_path: Path) -> None:
    with open_workspace(ws_path, backups=0) as ws:
        with ws.transaction():
            first = ws.add("demands", DEMAND)
            ws.update("demands", first, {"status": "assigned"})
        assert ws.get("demands", first)["status"] == "assigned"
        with pytest.raises(RecordError), ws.transaction():
            ws.add("demands", {**DEMAND, "demand_id": "D2"})
            ws.add("demands", {**DEMAND, "demand_id": "D3", "channel": "飞鸽"})  # refused: the whole group goes
        assert sorted(ws.records("demands")["demand_id"]) == ["D1"]
        ws.add("demands", {**DEMAND, "demand_id": "D2"})  # the workspace is usable again after the rollback
        assert ws.count("demands") == 2


def test_an_older_workspace_gets_the_roads_and_landmarks_layers_qgis_opens(ws_path: Path) -> None:
    # a workspace written before the roads and landmarks migration: neither table, nor their registrations
    conn = sqlite3.connect(ws_path)
    for name in gpkg_schema.WAYFINDING_LAYERS:
        conn.execute(f'DROP TABLE "{name}"')
        conn.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
        conn.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = ?", (name,))
    wayfinding = next(m for m in gpkg_schema.MIGRATIONS if m.apply.__name__ == "_create_wayfinding")
    conn.execute("UPDATE cogov_meta SET value = ? WHERE key = 'schema_version'", (str(wayfinding.to_version - 1),))
    conn.commit()
    conn.close()
    road = shapely.LineString([(118.1, 24.49), (118.1004, 24.4901)])
    frame = gpd.GeoDataFrame(
        {"road_id": ["R01"], "number": [1], "name": ["幸福路"], "kind": ["internal"]}, geometry=[road], crs=4326
    )
    with open_workspace(ws_path, backups=0, upgrade=True) as ws:  # upgraded when asked
        assert ws.write_layer("roads", frame) == 1
        assert ws.read_layer("landmarks").empty
    result = subprocess.run(["ogrinfo", "-so", str(ws_path), "roads", "landmarks"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert "Geometry: Multi Line String" in result.stdout and "Geometry: Point" in result.stdout
    gdal_read = gpd.read_file(ws_path, layer="roads")
    assert gdal_read.loc[0, "name"] == "幸福路" and gdal_read.geometry[0].equals(shapely.MultiLineString([road]))
