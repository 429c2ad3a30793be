"""The co-building widgets, driven from code as a planner would: nothing written until a click, flags confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.cobuilding import (
    ContributionForm,
    FinanceNoticeReview,
    FinancePanel,
    HonourRollPanel,
    PhotoForm,
    SessionForm,
)
from cogov_toolkit.workflows.notices import NoticeStatus, notice_status
from tests.conftest import copy_workspace
from tests.workflows.cobuilding_workspace import CANARIES, OFFICE, build_cobuilding_workspace
from tests.workflows.notice_workspace import leaked

XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(name="built", scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cobuilding_workspace(tmp_path_factory.mktemp("测试社区") / "测试社区.gpkg")


@pytest.fixture(name="ws")
def fixture_ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(copy_workspace(built, tmp_path / "ws"), backups=0)
    yield ws
    ws.close()


def test_building_every_panel_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    before = ws.counts()
    ContributionForm(ws), SessionForm(ws), FinancePanel(ws), FinanceNoticeReview(ws, tmp_path / "公示")
    HonourRollPanel(ws, tmp_path / "公示"), PhotoForm(ws)
    assert ws.counts() == before and not (tmp_path / "公示").exists()


def test_the_contribution_form_saves_once_and_keeps_the_name_private(ws: Workspace) -> None:
    form = ContributionForm(ws)
    form.contributed_on.value = dt.date(2026, 6, 2)
    form.contributor_type.value = "party_member"
    form.kind.value = "labour"
    form.project.value = "PJ02"
    form.hours.value = "2.5"
    form.name.value, form.phone.value = "周样样", "100-2222-3333"
    form.public_name.value = XSS  # no consent ticked: kept privately
    form.save_button.click()
    assert form.saved == ["GX0005"] and "已保存" in form.message.value
    assert form.name.value == "" and form.hours.value == ""  # ready for the next one
    stored = ws.records("contributions").set_index("contribution_id").loc["GX0005"]
    assert stored["hours"] == 2.5 and "public_name" not in stored.index
    contacts = ws.private_records("contributor_contacts")
    assert "周样样" in set(contacts["name"]) and XSS in set(contacts["public_name"].dropna())
    assert "GX0005" not in set(ws.private_records("consents")["subject_id"].dropna())  # no consent ticked


def test_the_contribution_form_lists_every_problem_escaped(ws: Workspace) -> None:
    form = ContributionForm(ws)
    form.kind.value = "money"
    form.consent.value = True
    form.value_yuan.value = XSS
    form.save_button.click()
    html = form.message.value
    assert "请填写金额" in html or "不小于 0 的数字" in html
    assert "同意公开时请填写公开称呼" in html
    assert "<img" not in html and "&lt;img" in html
    assert form.saved == []


def test_the_session_form_stores_the_sign_in_sheet_privately(ws: Workspace) -> None:
    form = SessionForm(ws)
    form.held_on.value = dt.date(2026, 6, 20)
    form.title.value = "验收座谈会"
    form.signins.value = "H05 吴样样 100-7777-8888\nH06"
    form.save_button.click()
    assert form.saved == ["GF0003"]
    session = ws.records("workshop_sessions").set_index("session_id").loc["GF0003"]
    assert session["attendance"] == 2 and "吴样样" not in str(session.to_dict())
    assert "吴样样" in set(ws.private_records("session_signins")["name"])


def test_the_finance_panel_shows_the_figures_and_flags_after_each_entry(ws: Workspace) -> None:
    panel = FinancePanel(ws)
    panel.project.value = "PJ01"
    assert "预算 12,000.00 元" in panel.summary.value and "已支出 10,500.50 元" in panel.summary.value
    panel.spent_amount.value, panel.item.value = "2000", "追加铺装"
    panel.spending_button.click()
    assert "超出预算" in panel.summary.value and panel.item.value == ""
    panel.milestone.value, panel.planned_on.value = "回访", dt.date(2026, 9, 1)
    panel.milestone_button.click()
    assert "已保存：回访" in panel.message.value


def test_a_flagged_finance_notice_needs_the_second_tick(ws: Workspace, tmp_path: Path) -> None:
    from cogov_toolkit.workflows import cobuilding as flow

    flow.add_budget_source(ws, "PJ01", "enterprise", 800)  # sources 12,800 for a budget of 12,000
    out = tmp_path / "公示"
    review = FinanceNoticeReview(ws, out)
    review.project.value, review.as_of.value = "PJ01", dt.date(2026, 6, 30)
    for name, value in OFFICE.items():
        getattr(review.office, name).value = value
    review.publish_button.click()
    assert "请先点击" in review.message.value and not out.exists()
    review.build_button.click()
    assert "相差 800.00 元" in review.flags.value and review.confirm_flags.layout.display is None
    assert "核对说明" in review.preview.value  # the notice says it, too
    review.confirm.value = True
    review.publish_button.click()
    assert "仍要发布" in review.message.value and not out.exists() and review.pack is None
    review.confirm_flags.value = True
    review.publish_button.click()
    assert review.pack is not None and all(p.exists() for p in review.pack.files)
    assert notice_status(ws, review.review.notice.notice_id) is NoticeStatus.PUBLISHED
    assert leaked(review.preview.value, CANARIES) == []


def test_a_finance_notice_that_adds_up_needs_only_the_usual_tick(ws: Workspace, tmp_path: Path) -> None:
    review = FinanceNoticeReview(ws, tmp_path / "公示")
    review.project.value, review.as_of.value = "PJ01", dt.date(2026, 6, 30)
    for name, value in OFFICE.items():
        getattr(review.office, name).value = value
    review.build_button.click()
    assert "预算与来源一致" in review.flags.value and review.confirm_flags.layout.display == "none"
    review.confirm.value = True
    review.publish_button.click()
    assert review.pack is not None


def test_the_honour_roll_panel_opens_the_review_step(ws: Workspace, tmp_path: Path) -> None:
    panel = HonourRollPanel(ws, tmp_path / "公示")
    panel.start.value, panel.end.value = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    for name, value in OFFICE.items():
        getattr(panel.office, name).value = value
    panel.build_button.click()
    assert panel.review is not None and "王阿姨" in panel.review.preview.value
    assert leaked(panel.review.preview.value, CANARIES) == []
    panel.review.confirm.value = True
    panel.review.publish_button.click()
    assert panel.review.pack is not None
    panel.start.value, panel.end.value = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    panel.build_button.click()
    assert "没有共建登记" in panel.message.value and panel.review_box.children == ()


def test_the_projects_map_is_offline_and_shows_their_status(ws: Workspace) -> None:
    from cogov_toolkit.render.offline_assets import loadable_urls
    from cogov_toolkit.widgets.cobuilding import project_status_map

    html = project_status_map(ws, dt.date(2026, 6, 30)).get_root().render()
    assert "北侧空地改造口袋花园" in html and "已完成" in html and loadable_urls(html) == []


def test_the_photo_form_stores_an_upload_without_its_metadata_and_asks_for_consent(
    ws: Workspace, tmp_path: Path
) -> None:
    from PIL import Image

    from cogov_toolkit.demo.sample import sample_photos
    from cogov_toolkit.workflows.cobuilding import photo_bytes
    from tests.io.test_photos import phone_photo

    original = phone_photo(tmp_path / "改造前.jpg", size=(800, 600)).read_bytes()
    form = PhotoForm(ws)
    form.save_button.click()  # nothing chosen: says so, stores nothing
    assert "请先选择" in form.message.value and ws.count("project_photos") == 0
    upload = {"name": "改造前.jpg", "type": "image/jpeg", "size": len(original), "content": original}
    form.upload.value = ({**upload, "last_modified": dt.datetime(2026, 3, 18)},)
    form.stage.value, form.shows_minors.value = "before", True
    form.save_button.click()  # a minor in the picture and no consent record: refused, in Chinese
    assert "未成年人" in form.message.value and ws.count("project_photos") == 0
    form.shows_minors.value = False
    form.save_button.click()
    assert form.saved == ["ZP0001"] and "已去除拍摄信息和位置" in form.message.value
    assert form.upload.value == () and "ZP0001" in form.listing.value
    stored = photo_bytes(ws, "ZP0001")
    assert b"CanaryCam" in original and b"CanaryCam" not in stored and b"Exif" not in stored
    shipped = sample_photos()  # the sample's own photos carry a phone's GPS position, for notebook 07 to strip
    assert [p.name for p in shipped] == ["PJ01_改造前.jpg", "PJ01_改造后.jpg"]
    with Image.open(shipped[0]) as image:
        assert image.getexif().get_ifd(0x8825)


def test_notice_panels_start_from_the_communitys_settings(ws: Workspace, tmp_path: Path) -> None:
    from cogov_toolkit.workflows.settings import WorkspaceSettings, save_settings

    save_settings(ws, WorkspaceSettings("0592-5551234", "社区居委会 陈主任", "测试社区居民委员会"))
    for panel in (FinanceNoticeReview(ws, tmp_path), HonourRollPanel(ws, tmp_path)):
        assert (panel.office.office_phone.value, panel.office.contact.value) == ("0592-5551234", "社区居委会 陈主任")
        assert panel.office.issuer.value == "测试社区居民委员会"
