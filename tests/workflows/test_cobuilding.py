"""The co-building register and project accountability on a workspace: privacy, money checks, photos, notices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from cogov_toolkit.errors import CobuildingError, NoticeError
from cogov_toolkit.storage import Workspace, create_workspace, open_workspace
from cogov_toolkit.storage.gpkg.schema import COBUILDING_TABLES, META_TABLE, schema_version
from cogov_toolkit.workflows import cobuilding as cb
from cogov_toolkit.workflows.notices import NoticeStatus, notice_status
from cogov_toolkit.workflows.privacy import publication_gate
from tests.canaries import CANARY_NAME, CANARY_PHONE
from tests.conftest import copy_workspace
from tests.io.test_photos import MARKERS, phone_photo
from tests.workflows.cobuilding_workspace import (
    AS_OF,
    CANARIES,
    CANARY_CONTRIBUTOR,
    CANARY_SIGNIN,
    OFFICE,
    build_cobuilding_workspace,
)
from tests.workflows.notice_workspace import docx_text, leaked, pdf_text


@pytest.fixture(name="built", scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cobuilding_workspace(tmp_path_factory.mktemp("测试社区") / "测试社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0)
    yield ws
    ws.close()


# --- the register ----------------------------------------------------------------------------------
def test_a_contributor_without_consent_is_only_on_the_private_side(ws: Workspace, tmp_path: Path) -> None:
    public = ws.records("contributions").set_index("contribution_id")
    assert "public_name" not in public.columns  # display names are personal data: private side only
    consents = ws.private_records("consents")
    honour = consents[consents["purpose"] == "honour_roll"]
    assert "GX0001" in set(honour["subject_id"]) and "GX0002" not in set(honour["subject_id"])
    named = cb.consented_contributors(ws)
    assert "H01" in named and "E1" in named and "H02" not in named  # by contributor: household, firm
    contacts = ws.private_records("contributor_contacts")
    assert {"王阿姨", CANARY_CONTRIBUTOR} <= set(contacts["public_name"].dropna())
    assert CANARY_CONTRIBUTOR in set(contacts["name"]) and CANARY_PHONE in set(contacts["phone"])
    shared = ws.share_copy(tmp_path / "给街道" / "测试社区.gpkg").read_bytes()
    private = ws.private_path.read_bytes()
    for canary in (CANARY_CONTRIBUTOR, CANARY_SIGNIN, CANARY_PHONE):
        assert canary.encode() in private  # the search finds each canary where it lives
        assert canary.encode() not in shared


def test_every_problem_of_a_contribution_is_listed_and_nothing_is_stored(ws: Workspace) -> None:
    before = ws.count("contributions")
    with pytest.raises(CobuildingError) as caught:
        cb.record_contribution(
            ws,
            contributed_on="2026-13-40",
            contributor_type="alien",
            kind="labour",
            project_id="PJ99",
            consent=True,
        )
    reasons = [p.reason for p in caught.value.problems]
    assert reasons == [
        "import.not_a_date",
        "cobuilding.bad_code",
        "cobuilding.unknown_project",
        "cobuilding.needs_hours",
        "cobuilding.consent_without_name",
    ]
    assert "有 5 处需要修改" in caught.value.message() and ws.count("contributions") == before


def test_a_retried_submit_saves_once_and_labels_are_accepted_as_codes(ws: Workspace) -> None:
    first = cb.record_contribution(
        ws,
        contributed_on="2026-06-01",
        contributor_type="志愿者团队",
        kind="投工投劳",
        hours="4",
        idempotency_key="form-1",
    )
    again = cb.record_contribution(
        ws,
        contributed_on="2026-06-01",
        contributor_type="志愿者团队",
        kind="投工投劳",
        hours="4",
        idempotency_key="form-1",
    )
    assert first == again == "GX0005"
    stored = ws.records("contributions").set_index("contribution_id").loc["GX0005"]
    assert (stored["contributor_type"], stored["kind"], stored["hours"]) == ("volunteer_team", "labour", 4.0)


def test_sessions_keep_the_sign_in_sheet_private(ws: Workspace) -> None:
    sessions = ws.records("workshop_sessions")
    assert sessions["attendance"].tolist() == [20, 3]  # the second had no head count: the sign-ins
    signins = ws.private_records("session_signins")
    assert len(signins) == 5 and CANARY_SIGNIN in set(signins["name"])
    assert "name" not in sessions.columns and "phone" not in sessions.columns
    assert cb.signin_households(ws)["household_id"].tolist() == ["H04", "H07", "H08", "H09"]


def test_sign_in_lines_are_read_in_any_order() -> None:
    people = cb.parse_signins("H0101 王样样 100-1234-5678\n李样样 H0202\n\n100 5555 6666 赵样样\n孙样样")
    assert [(p.household_id, p.name, p.phone) for p in people] == [
        ("H0101", "王样样", "100-1234-5678"),
        ("H0202", "李样样", None),
        (None, "赵样样", "100 5555 6666"),
        (None, "孙样样", None),
    ]


def test_totals_per_project(ws: Workspace) -> None:
    totals = cb.totals_by_project(ws).set_index("project_id")
    assert totals.loc["PJ01", ["entries", "contributors", "labour_hours", "money_fen"]].tolist() == [3, 3, 9.5, 500000]
    overview = cb.project_overview(ws, AS_OF).set_index("project_id")
    assert overview.loc["PJ01", ["budget", "spent", "balance", "milestones", "flags"]].tolist() == [
        "12,000.00",
        "10,500.50",
        "1,499.50",
        "2/2",
        0,
    ]


# --- 财务公开 ---------------------------------------------------------------------------------------
def test_the_finance_notice_adds_up_and_shows_every_payment(ws: Workspace) -> None:
    review = cb.finance_review(ws, "PJ01", AS_OF, **OFFICE)
    assert review.flags == ()
    assert "预算 12,000.00 元" in review.notice.matter and "已支出 10,500.50 元（2 笔）" in review.notice.matter
    assert "结余 1,499.50 元" in review.notice.matter and "项目节点完成 2/2 个" in review.notice.matter
    rows = review.notice.table.rows
    assert ("支出", "2026年3月20日", "苗木", "已附", "4,000.00") in rows
    assert ("支出", "2026年4月20日", "座椅和铺装", "缺", "6,500.50") in rows  # no receipt number recorded
    assert all("20260320" not in cell for row in rows for cell in row)  # receipt numbers stay at the office
    assert review.notice.notes == ()


def _overspent(ws: Workspace) -> cb.FinanceReview:
    cb.record_spending(ws, "PJ01", spent_on="2026-06-01", amount_yuan=2000, item="追加铺装", receipt_ref="FP-9")
    cb.add_budget_source(ws, "PJ01", "enterprise", 500)  # sources now 12,500 for a budget of 12,000
    return cb.finance_review(ws, "PJ01", AS_OF, **OFFICE)


def test_figures_that_do_not_add_up_are_flagged_and_cannot_be_published_unconfirmed(
    ws: Workspace, tmp_path: Path
) -> None:
    review = _overspent(ws)
    assert [f.kind.value for f in review.flags] == ["sources_mismatch", "overspent"]
    assert review.flag_messages() == [
        "项目 PJ01 的资金来源合计 12,500.00 元，与预算总额 12,000.00 元不符（相差 500.00 元）。",
        "项目 PJ01 已支出 12,500.50 元，超出预算 12,000.00 元（超支 500.50 元）。",
    ]
    folder = tmp_path / "公示"
    with pytest.raises(CobuildingError) as caught:
        cb.publish_finance_notice(ws, review, folder)
    assert caught.value.reason == "cobuilding.flags_not_confirmed" and "超支 500.50 元" in caught.value.message()
    assert not folder.exists()
    pack = cb.publish_finance_notice(ws, review, folder, confirm_flags=True)
    assert notice_status(ws, review.notice.notice_id) is NoticeStatus.PUBLISHED
    text = docx_text(pack["docx"])
    assert "核对说明：项目 PJ01 已支出 12,500.50 元，超出预算" in text  # the mismatch is stated, not hidden
    assert leaked(text, CANARIES) == []


def test_the_honour_roll_names_only_who_consented(ws: Workspace, tmp_path: Path) -> None:
    notice = cb.honour_roll_notice(ws, dt.date(2026, 1, 1), AS_OF, **OFFICE)
    assert notice.table.rows[0][:3] == ("王阿姨", "居民家庭", "3.5")
    names = [row[0] for row in notice.table.rows]
    assert names == ["王阿姨", "幸福物业公司", "其他居民家庭（2 位）"]
    assert "共有 4 个（位）" in notice.matter and "投工投劳 9.5 小时" in notice.matter
    from cogov_toolkit.render.notice_pack import write_notice_pack

    pack = write_notice_pack(notice, tmp_path, formats=["docx", "pdf"], gate=publication_gate(ws))
    for text in (docx_text(pack["docx"]), pdf_text(pack["pdf"])):
        assert "王阿姨" in "".join(text.split())
        assert leaked(text, CANARIES) == []


def test_the_honour_roll_asks_only_the_consent_set_it_is_given(ws: Workspace) -> None:
    nobody = cb.honour_roll_notice(ws, dt.date(2026, 1, 1), AS_OF, **OFFICE, consented=set())
    assert "王阿姨" not in str(nobody.table.rows)
    # the gate's answer wins over the table: a name stored with consent is hidden once consent is withdrawn
    only_firm = cb.honour_roll_notice(ws, dt.date(2026, 1, 1), AS_OF, **OFFICE, consented={"E1"})
    assert [row[0] for row in only_firm.table.rows][0] == "幸福物业公司"
    with pytest.raises(CobuildingError, match="没有共建登记"):
        cb.honour_roll_notice(ws, dt.date(2025, 1, 1), dt.date(2025, 12, 31), **OFFICE)


def test_a_notice_with_a_private_name_is_refused(ws: Workspace) -> None:
    review = cb.finance_review(ws, "PJ01", AS_OF, **OFFICE)
    leaky = dataclasses.replace(review.notice, matter=review.notice.matter + f"（经办人：{CANARY_NAME}）")
    from cogov_toolkit.core.notice import check_public

    with pytest.raises(NoticeError):
        check_public(leaky, publication_gate(ws))
    forbidden = publication_gate(ws).private_strings
    assert {CANARY_NAME, CANARY_CONTRIBUTOR, CANARY_SIGNIN, CANARY_PHONE} <= set(forbidden)
    assert "王阿姨" in forbidden  # consented to the honour roll only, not to a finance notice
    assert "王阿姨" not in publication_gate(ws).for_purpose("honour_roll").private_strings


# --- milestones and evaluations ----------------------------------------------------------------------
def test_a_mid_project_evaluation_is_linked_to_its_milestone(ws: Workspace) -> None:
    uuid = ws.add(
        "evaluations",
        {
            "project_id": "PJ02",
            "phase": "mid",
            "evaluator_role": "resident",
            "building_id": "B02",
            "answers": {"q_overall": 4},
        },
    )
    cb.link_evaluation(ws, "M3", uuid)
    cb.link_evaluation(ws, "M3", uuid)  # twice: one link
    assert cb.milestone_evaluations(ws, "M3")["uuid"].tolist() == [uuid]
    pre = ws.records("evaluations")
    pre_uuid = pre.loc[pre["phase"] == "pre", "uuid"].iloc[0]
    with pytest.raises(CobuildingError) as caught:
        cb.link_evaluation(ws, "M3", pre_uuid)
    assert caught.value.reason == "cobuilding.not_mid_evaluation"
    with pytest.raises(CobuildingError):
        cb.link_evaluation(ws, "M9", uuid)
    cb.complete_milestone(ws, "M3", "2026-06-05")
    states = {m.milestone_id: m.state.value for m in cb.milestones_of(ws, "PJ02", AS_OF)}
    assert states == {"M3": "done_late", "M4": "planned"}


# --- photos ----------------------------------------------------------------------------------------
def test_photos_are_kept_inside_the_workspace_without_exif_or_location(ws: Workspace, tmp_path: Path) -> None:
    original = phone_photo(tmp_path / "改造前.jpg")
    files_before = sorted(p.name for p in ws.path.parent.iterdir())
    photo_id = cb.add_photo(ws, "PJ01", original, "before", taken_on="2026-03-01", caption="改造前的空地")
    again = cb.add_photo(ws, "PJ01", original, "before", caption="同一张")
    assert ws.count("photo_files") == 1 and ws.count("project_photos") == 2  # the same picture: one file
    data = cb.photo_bytes(ws, photo_id)
    assert not any(marker in data for marker in MARKERS)
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {} and max(image.size) == 1600
    assert cb.photo_bytes(ws, again) == data
    assert sorted(p.name for p in ws.path.parent.iterdir()) == files_before  # still one file (and its private one)
    ws.close()
    with sqlite3.connect(ws.path) as conn:  # the workspace file itself holds no camera data
        blob = "".join(r[0] for r in conn.execute("SELECT data FROM photo_files"))
    import base64

    assert not any(marker in base64.b64decode(blob) for marker in MARKERS)


def test_photos_of_faces_or_minors_need_consent(ws: Workspace, tmp_path: Path) -> None:
    original = phone_photo(tmp_path / "活动.jpg", (300, 200))
    with pytest.raises(CobuildingError) as caught:
        cb.add_photo(ws, "PJ01", original, "during", shows_minors=True)
    assert caught.value.reason == "cobuilding.photo_needs_consent" and ws.count("project_photos") == 0
    from cogov_toolkit.workflows.privacy import record_consent, withdraw_consent

    consent = record_consent(ws, "photos", given_on=dt.date(2026, 5, 1), household_id="H0101", name="家长样")
    with_consent = cb.add_photo(ws, "PJ01", original, "during", shows_faces=True, consent_ref=consent)
    unknown = cb.add_photo(
        ws, "PJ01", phone_photo(tmp_path / "合影.jpg", (240, 200)), "during", shows_faces=True, consent_ref="CONSENT-7"
    )
    plain = cb.add_photo(ws, "PJ01", phone_photo(tmp_path / "空地.jpg", (200, 300)), "after")
    assert cb.publishable_photo_ids(ws, "PJ01") == [with_consent, plain]  # a reference to no consent publishes nothing
    assert cb.consented_photos(ws) == {with_consent} and unknown not in cb.consented_photos(ws)
    withdraw_consent(ws, "photos", on=dt.date(2026, 6, 1), household_id="H0101")
    assert cb.consented_photos(ws, dt.date(2026, 6, 2)) == set()


# --- the map and the schema ------------------------------------------------------------------------
def test_projects_appear_on_the_map_by_status(ws: Workspace) -> None:
    content = cb.project_status_content(ws, AS_OF)
    (layer,) = content.layers
    assert len(layer) == 2 and layer.tips == ("PJ01 · 北侧空地改造口袋花园", "PJ02 · 东侧边角地休闲座椅")
    assert [c.label for c in layer.classes if c.count] == ["实施中", "已完成"]
    assert layer.values[0] == ("已完成", "12,000.00", "10,500.50", "2/2")
    assert layer.note == "另有 1 个项目未指定地点，未显示在图上。"  # PJ03
    from cogov_toolkit.render.interactive import content_map
    from cogov_toolkit.render.offline_assets import loadable_urls

    html = content_map(content).get_root().render()
    assert "北侧空地改造口袋花园" in html and loadable_urls(html) == []  # offline, like every map


def test_a_workspace_of_schema_1_gains_the_new_tables(tmp_path: Path) -> None:
    path = tmp_path / "旧.gpkg"
    create_workspace(path, "旧社区").close()
    with sqlite3.connect(path) as conn:  # make it look like a workspace written before migration 2
        for name in COBUILDING_TABLES:
            conn.execute(f'DROP TABLE "{name}"')
            conn.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
        conn.execute(f"UPDATE {META_TABLE} SET value = '1' WHERE key = 'schema_version'")
    with open_workspace(path, backups=0, upgrade=True) as ws:
        assert all(ws.count(name) == 0 for name in COBUILDING_TABLES)
    with sqlite3.connect(path) as conn:
        registered = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")}
        version = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()[0]
    assert set(COBUILDING_TABLES) <= registered and int(version) == schema_version()
