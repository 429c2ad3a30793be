"""The review step, driven from code: what goes out is shown (escaped), nothing is written until confirmed."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image

from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.widgets.notice_review import NoticeReview
from cogov_toolkit.workflows.notices import NoticeStatus, load_notice, mark_published, notice_status, save_notice
from tests.workflows.notice_workspace import (
    CANARY_REPORTER,
    REPLY,
    build_notice_workspace,
    leaked,
    triage_notice,
)

XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(name="ws", scope="module")
def fixture_ws(tmp_path_factory: pytest.TempPathFactory):
    ws = open_workspace(build_notice_workspace(tmp_path_factory.mktemp("review") / "幸福社区.gpkg"), backups=0)
    yield ws
    ws.close()


def test_review_shows_every_part_and_the_wechat_preview(ws: Workspace, tmp_path: Path) -> None:
    notice = triage_notice(ws)
    review = NoticeReview(ws, notice, tmp_path / "公示")
    html = review.preview.value
    for expected in (notice.title, "依据：", "公示时间：2026年4月1日至2026年4月7日", "来信、来电、来访", REPLY, "19栋"):
        assert expected in html, expected
    assert html.index("公示事项") < html.index("<table") < html.index("公示时间")
    assert leaked(html) == []
    with Image.open(io.BytesIO(review.preview_image.value)) as image:
        assert image.width == 1080  # the very image that will be posted, shown smaller
    assert review.preview_image.width == "360"
    assert (review.confirm.description, review.publish_button.description) == ("我已核对，确认发布", "生成公示文件")


def test_nothing_is_written_until_the_planner_confirms(ws: Workspace, tmp_path: Path) -> None:
    notice = dataclasses.replace(triage_notice(ws), notice_id="GS-REVIEW-1")
    save_notice(ws, notice)
    out = tmp_path / "公示"
    review = NoticeReview(ws, notice, out)
    review.publish_button.click()
    assert "请先逐项核对" in review.message.value
    assert not out.exists() and review.pack is None
    assert notice_status(ws, notice.notice_id) is NoticeStatus.DRAFT
    review.confirm.value = True
    review.greyscale.value = True
    review.publish_button.click()
    assert review.pack is not None and all(p.exists() for p in review.pack.files)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in review.pack.files)
    assert all("_黑白" in p.name for p in review.pack.files)
    assert notice_status(ws, notice.notice_id) is NoticeStatus.PUBLISHED
    assert "已生成 4 个公示文件" in review.message.value
    assert all(p.name in review.message.value for p in review.pack.files)


def test_a_notice_with_personal_data_is_blocked_before_anything_is_shown(ws: Workspace, tmp_path: Path) -> None:
    notice = triage_notice(ws)
    leaky = dataclasses.replace(notice, notice_id="GS-REVIEW-2", matter=f"{notice.matter}（反映人：{CANARY_REPORTER}）")
    review = NoticeReview(ws, leaky, tmp_path / "公示")
    assert review.publish_button.disabled
    assert "还不能发布" in review.message.value and CANARY_REPORTER not in review.message.value
    assert review.preview_image.value == b""  # not even drawn
    review.confirm.value = True
    review.publish()
    assert review.pack is None and not (tmp_path / "公示").exists()


def test_resident_text_is_escaped_in_the_preview(ws: Workspace, tmp_path: Path) -> None:
    notice = triage_notice(ws)
    table = dataclasses.replace(notice.table, rows=((*notice.table.rows[0][:3], XSS, "已答复"),))
    tricky = dataclasses.replace(notice, title=f"公示{XSS}", table=table)
    review = NoticeReview(ws, tricky, tmp_path / "公示")
    assert "<img" not in review.preview.value
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in review.preview.value


def test_a_changed_notice_under_a_published_number_is_refused_before_any_file(ws: Workspace, tmp_path: Path) -> None:
    notice = dataclasses.replace(triage_notice(ws), notice_id="GS-REVIEW-3")
    mark_published(ws, notice)
    changed = dataclasses.replace(notice, matter=notice.matter + "（补充说明）")
    out = tmp_path / "公示"
    review = NoticeReview(ws, changed, out)
    review.confirm.value = True
    review.publish_button.click()
    assert "已于2026年4月1日发布" in review.message.value and "GS-REVIEW-3-更正1" in review.message.value
    assert "cogov-message-error" in review.message.value
    assert review.pack is None and not out.exists()  # nothing printed that the workspace refused
    assert load_notice(ws, "GS-REVIEW-3") == notice and notice_status(ws, "GS-REVIEW-3") is NoticeStatus.PUBLISHED
