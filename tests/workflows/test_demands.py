"""The demands workflow on the sample community: record, import, triage, steps, dashboard, map, projects."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.demo.sample import COMMUNITY_NAME, sample_data_dir
from cogov_toolkit.errors import CogovError, DemandTransitionError, EncodingError, ValidationError
from cogov_toolkit.render.interactive import content_map, render_html
from cogov_toolkit.render.map_layers import MapContent, background_geometry, demand_layer
from cogov_toolkit.storage import Workspace, create_workspace
from cogov_toolkit.widgets.demand_form import open_demands_map
from cogov_toolkit.workflows import demands as flow
from cogov_toolkit.workflows.imports import import_file
from cogov_toolkit.workflows.privacy import publication_gate
from tests.canaries import CANARY_NAME, CANARY_PHONE

HEADER = "demand_id,reported_on,channel,place_type,place_id,building_id,category,text,urgency,姓名,电话"


@pytest.fixture(autouse=True)
def _quiet_holiday_warnings() -> Iterator[None]:
    # 2026's holidays may be unknown to the installed calendar; deadlines say so themselves
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(name="ws")
def fixture_ws(sample: Workspace) -> Workspace:
    return sample


def _record(ws: Workspace, **overrides: object) -> str:
    values = {
        "reported_on": date(2026, 3, 20),
        "channel": "meeting",
        "category": "parking",
        "text": "5栋门口晚上乱停车，消防通道被堵",
        "place_type": "building",
        "place_id": "B05",
        "contact": flow.Contact("H0100", CANARY_NAME, CANARY_PHONE),
    }
    return flow.record_demand(ws, **{**values, **overrides})


def test_record_keeps_the_contact_private_and_starts_the_history(ws: Workspace) -> None:
    demand_id = _record(ws)
    public = ws.records("demands").to_csv()
    assert CANARY_NAME not in public and CANARY_PHONE not in public
    contacts = ws.private_records("demand_contacts")
    assert CANARY_PHONE in set(contacts["phone"])  # the control: it is stored, privately
    assert CANARY_PHONE.encode() not in ws.path.read_bytes()
    lines = flow.history_lines(ws, demand_id)
    assert len(lines) == 1 and lines[0].startswith("2026-03-20 09:00") and "已受理" in lines[0]
    assert flow.reply_deadline(ws, demand_id).due_at > datetime(2026, 3, 20, 9).astimezone()


def test_a_retried_form_records_once(ws: Workspace) -> None:
    first = _record(ws, idempotency_key="form-1")
    again = _record(ws, idempotency_key="form-1")
    assert first == again and ws.count("demands") == 61
    assert len(flow.history(ws, first)) == 1 and ws.count("demand_events") == 1


def test_record_refuses_an_unknown_place_and_a_blank_text(ws: Workspace) -> None:
    with pytest.raises(flow.DemandError) as caught:
        _record(ws, place_id="B99", text="  ", channel="微信")
    reasons = {p.reason for p in caught.value.problems}
    assert reasons == {"demand_flow.unknown_place", "demand_flow.blank_text", "demand_flow.bad_code"}
    assert "B99" in str(caught.value)


def test_status_steps_in_order_and_every_change_is_kept(ws: Workspace) -> None:
    demand_id = _record(ws)
    flow.confirm_class(ws, demand_id, at=datetime(2026, 3, 20, 10))
    with pytest.raises(DemandTransitionError) as skipped:
        flow.transition(ws, demand_id, "replied", at=datetime(2026, 3, 20, 11), reply="已处理")
    assert skipped.value.reason == "triage.skipped_step"
    assert "不能" in str(skipped.value)
    flow.transition(ws, demand_id, "assigned", at=datetime(2026, 3, 20, 11), handler_unit="物业", handler="李经理")
    flow.transition(ws, demand_id, "replied", at=datetime(2026, 3, 21, 9), reply="已加装禁停标志")
    with pytest.raises(DemandTransitionError) as backwards:
        flow.transition(ws, demand_id, "assigned", at=datetime(2026, 3, 21, 10))
    assert backwards.value.reason == "triage.backwards_without_reason"
    with pytest.raises(DemandTransitionError) as not_allowed:
        flow.transition(ws, demand_id, "received", at=datetime(2026, 3, 21, 10), reason="重来")
    assert not_allowed.value.reason == "triage.backwards_not_allowed"
    flow.transition(ws, demand_id, "assigned", at=datetime(2026, 3, 21, 10), reason="居民反映仍有车辆停放")
    lines = flow.history_lines(ws, demand_id)
    assert len(lines) == 5
    assert [line[:16] for line in lines] == [
        "2026-03-20 09:00",
        "2026-03-20 10:00",
        "2026-03-20 11:00",
        "2026-03-21 09:00",
        "2026-03-21 10:00",
    ]
    assert "居民反映仍有车辆停放" in lines[-1]
    row = ws.records("demands").set_index("demand_id").loc[demand_id]
    assert row["status"] == "assigned" and row["reply"] == "已加装禁停标志" and row["handler"] == "李经理"


def test_major_needs_a_named_unit_and_escalates_with_a_reason(ws: Workspace) -> None:
    demand_id = _record(ws, category="safety", text="小区燃气管道锈蚀", scope="neighbourhood")
    assert flow.suggestion(ws, demand_id).triage_class == "major"
    flow.confirm_class(ws, demand_id, at=datetime(2026, 3, 20, 10))
    with pytest.raises(flow.DemandError) as caught:
        flow.transition(ws, demand_id, "assigned", at=datetime(2026, 3, 20, 11))
    assert caught.value.reason == "demand_flow.needs_handler"
    with pytest.raises(DemandTransitionError):
        flow.escalate(ws, demand_id, "street", at=datetime(2026, 3, 20, 12), reason=" ")
    flow.escalate(ws, demand_id, "hotline_12345", at=datetime(2026, 3, 20, 12), reason="需燃气公司处理")
    with pytest.raises(DemandTransitionError) as reclass:
        flow.reclassify(ws, demand_id, "minor", at=datetime(2026, 3, 20, 13), reason="")
    assert reclass.value.reason == "triage.reclassify_without_reason"
    assert "12345" in flow.history_lines(ws, demand_id)[-1]


def _write(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path


GOOD_ROW = "M01,2026-03-21,meeting,building,B07,B07,sanitation,7栋楼道堆放杂物,general,张样,100-0000-7777"


def test_import_reads_gbk_and_keeps_contacts_private(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path / "周周议.csv", [GOOD_ROW, "M02,2026-03-21,meeting,,,,ageing,希望楼道加扶手,,,"], "gbk")
    done = flow.import_demands(ws, path)
    assert done.demand_ids == ("M01", "M02") and done.contacts == 1
    assert "100-0000-7777" not in ws.records("demands").to_csv()
    assert "100-0000-7777" in set(ws.private_records("demand_contacts")["phone"])
    assert len(flow.history(ws, "M01")) == 1


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        (GOOD_ROW.replace("B07,B07", "B07,B77"), "demand_flow.unknown_building", "building_id"),
        (GOOD_ROW.replace("building,B07,B07", "public_space,S99,"), "demand_flow.unknown_place", "place_id"),
        (GOOD_ROW.replace("sanitation", "噪音"), None, "category"),
        (GOOD_ROW.replace("7栋楼道堆放杂物", ""), None, "text"),
        (GOOD_ROW.replace("2026-03-21", "2026-13-45"), None, "reported_on"),
        (GOOD_ROW.replace("M01", "D001"), "demand_flow.already_recorded", "demand_id"),
    ],
    ids=["unknown building", "unknown place", "unknown category", "empty text", "bad date", "id taken"],
)
def test_malformed_imports_name_row_and_column(
    ws: Workspace, tmp_path: Path, row: str, reason: str | None, column: str
) -> None:
    good_second = GOOD_ROW.replace("M01", "M09")
    path = _write(tmp_path / "诉求.csv", [good_second, row])
    with pytest.raises(ValidationError) as caught:
        flow.import_demands(ws, path)
    problems = caught.value.problems
    assert [p.row for p in problems] == [3]
    assert problems[0].column == column
    if reason:
        assert problems[0].reason == reason
    assert "第 3 行" in str(caught.value) and column in str(caught.value)
    assert ws.count("demands") == 60  # nothing stored from a bad file


def test_wrong_encoding_names_the_row(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "混合编码.csv"
    lines = [HEADER, GOOD_ROW, GOOD_ROW.replace("M01", "M02")]
    path.write_bytes(b"\n".join(line.encode("gbk" if n == 3 else "utf-8") for n, line in enumerate(lines, 1)) + b"\n")
    with pytest.raises(EncodingError) as caught:
        flow.import_demands(ws, path)
    assert caught.value.row == 3


def test_dashboard_counts_overdue_and_on_time(ws: Workspace) -> None:
    received = flow.receive_unreceived(ws)
    assert len(received) == 60 and flow.receive_unreceived(ws) == []
    first, second = received[:2]
    for demand_id in (first, second):
        flow.confirm_class(ws, demand_id, "minor", at=datetime(2026, 3, 6, 9))
        flow.transition(ws, demand_id, "assigned", at=datetime(2026, 3, 6, 10))
    flow.transition(ws, first, "replied", at=datetime(2026, 3, 6, 11), reply="已安排清理")
    flow.transition(ws, second, "replied", at=datetime(2026, 4, 30, 11), reply="已维修")
    flow.transition(ws, first, "resolved", at=datetime(2026, 3, 7, 11))
    figures = flow.demand_dashboard(ws, datetime(2026, 12, 1))
    assert figures.total == 60 and figures.by_class["minor"] == 2 and figures.unclassified == 58
    assert figures.replied == 2 and figures.replied_on_time == 1 and figures.on_time_reply_rate == 0.5
    assert first not in figures.overdue and second not in figures.overdue
    assert len(figures.overdue) == 58
    assert figures.resolution_for("minor").kept_within == 1
    assert len(flow.overdue_table(ws, figures)) == 58
    assert first not in set(flow.open_demands_layer(ws)["demand_id"])


def _map_html(ws: Workspace, demands: pd.DataFrame) -> str:
    places = {kind: ws.read_layer(kind) for kind in LAYERS}
    content = MapContent(ws.community_name, (demand_layer(demands, places),), background_geometry(places))
    return render_html(content_map(content))


def test_the_open_demands_map_carries_no_contact_name_or_phone(ws: Workspace) -> None:
    resident = ws.private_records("people")["name"].dropna().iloc[0]
    text = f"8栋路灯不亮，{resident}家门口最暗，请回电 {CANARY_PHONE}"
    demand_id = _record(ws, text=text, place_id="B08")
    html = render_html(open_demands_map(ws))
    assert "8栋路灯不亮" in html and demand_id in html  # the demand itself does reach the map
    for secret in (CANARY_NAME, CANARY_PHONE, resident):
        assert secret not in html
    # the control: the same search finds them on a map drawn from the raw table
    raw = _map_html(ws, ws.records("demands"))
    assert CANARY_PHONE in raw and resident in raw
    assert publication_gate(ws).mask(text) == f"8栋路灯不亮，{resident[0]}**家门口最暗，请回电 ***"


def test_promote_to_project_links_demand_and_site(ws: Workspace) -> None:
    demand_id = _record(ws)
    project_id = flow.promote_to_project(ws, demand_id, name="5栋停车秩序整治")
    project = ws.records("projects").set_index("project_id").loc[project_id]
    assert (project["site_type"], project["site_id"], project["source_demand_id"]) == ("building", "B05", demand_id)
    assert ws.records("demands").set_index("demand_id").loc[demand_id, "project_id"] == project_id
    with pytest.raises(CogovError) as again:
        flow.promote_to_project(ws, demand_id, name="重复")
    assert again.value.reason == "demand_flow.already_promoted"


def test_the_sample_issue_list_imports_with_private_household_links(tmp_path: Path) -> None:
    folder = sample_data_dir()
    with create_workspace(tmp_path / "无诉求.gpkg", COMMUNITY_NAME) as ws:
        for kind in LAYERS:
            import_file(ws, folder / f"{kind}.geojson", kind)
        done = flow.import_demands(ws, folder / "demands.csv")
        assert len(done.demand_ids) == 60 and done.contacts == 60
        assert "reporter_household_id" not in ws.records("demands").columns
        assert set(ws.private_records("demand_contacts")["household_id"].str[:1]) == {"H"}
        assert set(ws.records("demands")["status"]) == {"received"}
        assert flow.demand_dashboard(ws, datetime(2026, 3, 1)).by_status["received"] == 60


def test_an_import_may_not_start_a_demand_beyond_received(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "状态.csv"
    path.write_text(
        "诉求编号,日期,渠道,类别,内容,状态\nM01,2026-03-21,meeting,greening,补种绿篱,已答复\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as caught:
        flow.import_demands(ws, path)
    problem = caught.value.problems[0]
    assert (problem.reason, problem.row, problem.column) == ("demand_flow.import_status", 2, "状态")


def test_import_reads_an_excel_sheet_and_names_the_bad_cell(ws: Workspace, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append(HEADER.split(","))
    sheet.append(GOOD_ROW.split(","))
    sheet.append(GOOD_ROW.replace("M01", "M02").replace("sanitation", "噪音").split(","))
    path = tmp_path / "问题清单.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as caught:
        flow.import_demands(ws, path)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column, problem.sheet) == (3, "category", "问题清单")
    sheet["G3"] = "sanitation"
    book.save(path)
    assert flow.import_demands(ws, path).demand_ids == ("M01", "M02")
