"""Notebook 02's voting flow, done through the widgets and workflows, then shared and exported: nothing joinable.

Paper entry, double entry, 接龙 and a file import store ballots; the vote is
counted; then the shared copy and every export are searched, every column of
every table and every cell of every file, for household ids, room triples
(building, unit, room) and the private strings. The same search is first shown
to find them in a copy of the workspace made the old way (the plain ``.gpkg``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.demo.sample import build_sample_workspace, sample_data_dir
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.ballot_entry import BallotEntry, DoubleEntry
from cogov_toolkit.workflows.adoptions import AdopterContact, register_adoption, sign_contents
from cogov_toolkit.workflows.export import export_workspace
from cogov_toolkit.workflows.privacy import Purpose, publication_gate, withdraw_consent
from cogov_toolkit.workflows.votes import (
    count_vote,
    create_vote,
    get_vote,
    import_ballots,
    record_jielong,
    recount_vote,
    set_aside_sources,
)
from tests.canaries import CANARY_ADOPTER, CANARY_NAME, CANARY_PHONE

JIELONG = """#接龙 5栋北侧边角地改造意见
1. 5栋2单元102 口袋花园
2、５栋２单元２０１　儿童游乐
3. 5栋3单元101 休闲座椅
4. 5栋1单元101 口袋花园
收到，谢谢大家
6. 5栋2单元102 改为休闲座椅
"""


@pytest.fixture(name="flow", scope="module")
def fixture_flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    """The sample after notebook 02's flow, with canaries planted in the private file."""
    folder = tmp_path_factory.mktemp("表决流程")
    ws = open_workspace(build_sample_workspace(folder / "幸福社区.gpkg"), backups=0)
    ws.add_private("people", [{"household_id": "H9999", "name": CANARY_NAME, "phone": CANARY_PHONE}])
    v01 = get_vote(ws, "V01")
    create_vote(ws, "V11", v01.question, v01.options, rule="plurality", scope_type="neighbourhood", scope_id="N1")
    entry = BallotEntry(ws, "V11")  # paper ballots typed at the meeting
    entry.choice.value = "口袋花园"
    for row in ("5-1-202", "5-1-401 2", "5-1-602 3"):  # typed, then Enter
        entry.household.value = row
        assert entry.press_enter() is not None, entry.message_text()
    double = DoubleEntry(ws, "V11")  # two people type the same stack
    for row in ("5-1-701 1", "5-1-702 2"):
        for session in (double.first, double.second):
            session.household.value = row
            assert session.press_enter() is not None, session.message_text()
    assert double.store() == 2
    record_jielong(ws, "V11", JIELONG)
    import_ballots(ws, "V11", sample_data_dir() / "ballots.csv", source_vote_id="V01")
    count_vote(ws, "V11")
    count_vote(ws, "V01")
    register_adoption(
        ws,
        zone_id="A01",
        adopter_type="household",
        public_name=CANARY_ADOPTER,  # a display name given without consent
        start_on=dt.date(2026, 3, 1),
        contact=AdopterContact("H0100", "王样演示", "100-0000-8801"),
    )
    yield ws, folder
    ws.close()


def _secrets(ws: Workspace) -> dict[str, set[str]]:
    """What must never be joinable: household ids, room triples, private strings (from the workspace itself)."""
    households = ws.records("households")
    labels = ws.read_layer("buildings").set_index("building_id")["label"].to_dict()
    rooms = set()
    for building, unit, room in zip(households["building_id"], households["unit"], households["room"], strict=True):
        number = re.sub(r"\D", "", str(labels.get(building, building)))
        rooms |= {f"{number}-{unit}-{room}", f"{number}栋{unit}单元{room}", f"{building}-{unit}-{room}"}
    private = publication_gate(ws).private_strings | {CANARY_NAME, CANARY_PHONE, CANARY_ADOPTER}
    return {"household": set(households["household_id"]), "room": rooms, "private": private}


def _cells_of_database(path: Path) -> Iterator[tuple[str, str, tuple]]:
    """Yield (table, column, row) of every table of a SQLite file (GeoPackage tables and meta included)."""
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            yield table, ",".join(columns), row
    conn.close()


def _cells_of_file(path: Path) -> Iterator[tuple[str, str, tuple]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            for row in reader:
                yield path.name, ",".join(header), tuple(row)
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        for sheet in load_workbook(path):
            for row in sheet.iter_rows(values_only=True):
                yield f"{path.name}:{sheet.title}", "", row
    elif path.suffix == ".geojson":
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            yield path.name, "", tuple(feature["properties"].values())


def find_joinable(cells: Iterator[tuple[str, str, tuple]], secrets: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Return (kind, where) for every household id, room triple or private string found in a cell or a row."""
    found = []
    token = re.compile(r"[A-Za-z0-9]+")
    for table, columns, row in cells:
        texts = [str(v) for v in row if v is not None]
        for text in texts:
            if set(token.findall(text)) & secrets["household"]:
                found.append(("household", table))
            if any(room in text for room in secrets["room"]):
                found.append(("room", table))
            if any(secret in text for secret in secrets["private"]):
                found.append(("private", table))
        # a row holding building, unit and room side by side is a flat too
        names = columns.split(",")
        if {"building_id", "unit", "room"} <= set(names):
            found.append(("room", table))
    return found


def test_the_search_finds_households_rooms_and_private_strings_in_a_copy_made_the_old_way(flow, tmp_path) -> None:
    ws, _ = flow
    old = tmp_path / "旧式副本.gpkg"
    shutil.copy(ws.path, old)  # what a planner sent before: the .gpkg as it is
    kinds = {kind for kind, _ in find_joinable(_cells_of_database(old), _secrets(ws))}
    assert kinds == {"household", "room"}  # the roll is in it (the private strings never were)
    planted = tmp_path / "植入.gpkg"
    shutil.copy(ws.path, planted)
    conn = sqlite3.connect(planted)
    conn.execute("UPDATE demands SET text = ? WHERE fid = 1", (f"{CANARY_NAME}说5栋2单元301漏水",))
    conn.commit()
    conn.close()
    assert {kind for kind, _ in find_joinable(_cells_of_database(planted), _secrets(ws))} == {
        "household",
        "room",
        "private",
    }


def test_the_shared_copy_and_every_export_hold_nothing_joinable(flow, tmp_path) -> None:
    ws, _ = flow
    secrets = _secrets(ws)
    shared = ws.share_copy(tmp_path / "分享" / "幸福社区.gpkg")
    assert find_joinable(_cells_of_database(shared), secrets) == []
    exported = export_workspace(ws, tmp_path / "导出")
    assert {p.suffix for p in exported} == {".csv", ".xlsx", ".geojson"}
    found = [hit for path in exported for hit in find_joinable(_cells_of_file(path), secrets)]
    assert found == []
    # no row per ballot or per response, only totals and aggregates
    with open_workspace(shared, backups=0) as copy:
        assert copy.count("ballots") == copy.count("evaluations") == copy.count("households") == 0
        totals = copy.records("vote_totals")
        assert (
            totals.loc[totals["vote_id"] == "V11", "ballots"].sum() == ws.records("ballots")["vote_id"].eq("V11").sum()
        )
        summaries = copy.records("evaluation_summaries")
        assert len(summaries) and (summaries["suppressed"].astype(bool) | (summaries["respondents"] >= 5)).all()
        set_aside = json.loads(copy.records("vote_results").iloc[-1]["result"])["set_aside"]
        assert set_aside and all(re.fullmatch(r"BR-[A-Z]{10}", ref) for ref, _ in set_aside)
        adoptions = copy.records("adoptions")
        assert CANARY_ADOPTER not in adoptions.to_csv()  # a display name without consent is private


def test_the_workspace_file_itself_names_no_household_beside_a_ballot(flow) -> None:
    ws, _ = flow
    ballots = ws.records("ballots")
    assert ballots["idempotency_key"].isna().all()  # keys like "V11|paper|纸质:H0118" live in the private file
    text = ballots.to_csv()
    assert not set(re.findall(r"H\d{4}", text))
    keys = ws.private_records("ballot_links")["idempotency_key"]
    assert keys.str.contains("纸质:H0").any()  # the control: the key is kept, privately
    results = ws.records("vote_results")
    for text in results["result"]:
        assert not re.search(r"H\d{4}", text)
    stored = json.loads(results[results["vote_id"] == "V11"].iloc[-1]["result"])
    sources = set_aside_sources(ws, recount_vote(ws, "V11").result)
    assert sources["source_ref"].str.startswith("BL").any()  # the planner can still find the paper ballot
    assert recount_vote(ws, "V11").result_data == stored


def test_a_blank_ballot_is_stored_empty_not_as_text(flow) -> None:
    ws, _ = flow
    ballots = ws.records("ballots")
    assert "[]" not in set(ballots["choice"].dropna())


def test_consent_gates_the_sign_and_a_withdrawal_removes_the_name(flow) -> None:
    ws, _ = flow
    day = dt.date(2026, 6, 1)
    register_adoption(
        ws,
        zone_id="A02",
        adopter_type="party_member",
        public_name="李大姐",
        publish_name_consent=True,
        start_on=dt.date(2026, 3, 1),
        contact=AdopterContact("H0200", "李样演示", "100-0000-8802"),
    )
    adopters = {s.adopter for s in sign_contents(ws, day)}
    assert "李大姐" in adopters and CANARY_ADOPTER not in adopters
    assert any(a.endswith("王**") for a in adopters)
    assert "李大姐" not in ws.records("adoptions").to_csv()  # a person's display name is kept privately
    assert withdraw_consent(ws, Purpose.ADOPTER_ROSTER, on=dt.date(2026, 5, 1), household_id="H0200") == 1
    adopters = {s.adopter for s in sign_contents(ws, day)}
    assert "李大姐" not in adopters and any(a.endswith("李**") for a in adopters)


def test_a_shared_copy_opens_alone_and_refuses_personal_data(flow, tmp_path) -> None:
    ws, _ = flow
    shared = ws.share_copy(tmp_path / "s" / "x.gpkg")
    with open_workspace(shared, backups=0) as copy:
        assert not copy.private_data
        with pytest.raises(Exception, match="不含个人信息文件"):
            copy.add_private("people", [{"household_id": "H1", "name": "张样"}])
    assert sorted(p.name for p in shared.parent.iterdir()) == ["x.gpkg"]


def test_the_old_style_workspace_is_migrated_and_its_counts_still_recount(tmp_path: Path) -> None:
    """A schema-1 workspace (keys naming households, "[]" blanks, consent columns) after migration."""
    from cogov_toolkit.core.votes import count, screen_ballots
    from cogov_toolkit.workflows.votes import RawBallot, result_data, roll_for

    path = build_sample_workspace(tmp_path / "旧" / "幸福社区.gpkg")
    with open_workspace(path, backups=0) as ws:
        vote = get_vote(ws, "V01")
        roll = roll_for(ws, vote)
        ballots = ws.records("ballots").query("vote_id == 'V01'")
        links = ws.private_records("ballot_links").set_index("ballot_uuid")
        raw = [
            RawBallot(f"纸质:{links.loc[u, 'household_id']}#{fid}", links.loc[u, "household_id"], c)
            for u, c, fid in zip(ballots["uuid"], ballots["choice"], ballots["fid"], strict=True)
        ]
        screened = screen_ballots(raw, roll, vote.options, vote.electorate, kind=vote.kind)
        result = count(screened, vote.rule, vote.rule_params)
        uuids = list(ballots["uuid"])
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS private", (str(path.with_name("幸福社区.private.sqlite")),))
    for uuid, ballot in zip(uuids, raw, strict=True):  # back to schema 1: the key names the household, no ref
        conn.execute(
            "UPDATE ballots SET idempotency_key = ?, ballot_ref = NULL WHERE uuid = ?",
            (f"V01|paper|{ballot.ref}", uuid),
        )
    conn.execute("UPDATE private.ballot_links SET idempotency_key = NULL, source_ref = NULL")
    conn.execute("UPDATE ballots SET choice = '[]' WHERE fid = (SELECT min(fid) FROM ballots WHERE vote_id = 'V02')")
    conn.execute(
        "INSERT INTO vote_results (uuid, created_at, updated_at, vote_id, rule, result, audit, counted_at) "
        "VALUES ('r1', '2026-05-25', '2026-05-25', 'V01', 'plurality', ?, ?, '2026-05-25')",
        (json.dumps(result_data(result), ensure_ascii=False, sort_keys=True), result.audit.to_json()),
    )
    conn.execute('ALTER TABLE adoptions ADD COLUMN "publish_name_consent" BOOLEAN')
    conn.execute('ALTER TABLE households ADD COLUMN "publish_name_consent" BOOLEAN')
    conn.execute('ALTER TABLE households ADD COLUMN "public_name" TEXT')
    conn.execute("UPDATE households SET publish_name_consent = 1, public_name = '1栋旧**' WHERE household_id = 'H0001'")
    conn.execute("UPDATE cogov_meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert "纸质:H0" in pd.read_sql("SELECT idempotency_key FROM ballots", sqlite3.connect(path)).to_csv()

    with open_workspace(path, backups=0, upgrade=True) as ws:  # migrated when asked
        ballots = ws.records("ballots")
        assert ballots["idempotency_key"].isna().all() and ballots["ballot_ref"].str.fullmatch(r"BR-[A-Z]{10}").all()
        assert "[]" not in set(ballots["choice"].dropna())
        stored = json.loads(ws.records("vote_results").iloc[-1]["result"])
        assert stored["set_aside"] and not re.search(r"H\d{4}", json.dumps(stored, ensure_ascii=False))
        assert recount_vote(ws, "V01").result_data == stored  # the old digest still proves the ballots
        assert "public_name" not in ws.records("households").columns
        consent = ws.private_records("consents")
        assert "1栋旧**" in consent.loc[consent["household_id"] == "H0001", "public_name"].tolist()
        people = ws.private_records("people").set_index("household_id")
        assert people.loc["H0001", "public_name"] == "1栋旧**"
        with zipfile.ZipFile(tmp_path / "z.zip", "w") as archive:  # the migrated .gpkg, searched as bytes
            archive.write(path, "ws.gpkg")
    assert b"\xe7\xba\xb8\xe8\xb4\xa8:H0" not in path.read_bytes()  # "纸质:H0" is gone from the shareable file
