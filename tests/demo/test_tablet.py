"""``cogov tablet`` for real: Voila serves the form, headless Chromium fills it in like a resident."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.demo.tablet import (
    free_port,
    new_token,
    qr_text,
    start_tablet,
    voila_command,
    write_qr_png,
)
from cogov_toolkit.storage import open_workspace
from tests.browser import launch

ITEMS = ("q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep")
LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
LOAD_MS = 120_000  # a kernel per session starts on a loaded 2-core machine


@pytest.fixture(name="served", scope="module")
def fixture_served(tmp_path_factory: pytest.TempPathFactory):
    path = build_sample_workspace(tmp_path_factory.mktemp("平板") / "幸福社区.gpkg")
    server = start_tablet(path, host="127.0.0.1", port=free_port())
    LABELS_OF.update(_labels(path))
    yield path, server
    server.stop()


def _uuids(path: Path) -> set[str]:
    with open_workspace(path, backups=0) as ws:
        return set(ws.records("evaluations")["uuid"])


def _records(path: Path, uuids: set[str]) -> list[dict]:
    with open_workspace(path, backups=0) as ws:
        frame = ws.records("evaluations").astype(object)
        frame = frame.where(frame.notna(), None)
        return frame[frame["uuid"].isin(uuids)].to_dict("records")


def _open_form(browser, url: str):
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    # as on a hotspot with no internet: everything not from the laptop is refused, and must not even be asked for
    local = url.split("?")[0]
    outside: list[str] = []

    def route(request_route) -> None:
        if request_route.request.url.startswith((local, "data:")):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    page.locator(".cogov-submit").wait_for(timeout=LOAD_MS)
    page.wait_for_load_state("load")
    assert outside == [], f"the tablet page asked the internet for {outside}"
    return page


def _choose(page, question: str, label: str) -> None:
    page.locator(f".cogov-q-{question}").get_by_role("button", name=label, exact=True).click()


def _labels(path: Path) -> dict[str, str]:
    """Return id -> the name the form shows (projects by name, buildings as "5栋")."""
    from cogov_toolkit.widgets.evaluation_form import form_choices

    with open_workspace(path, backups=0) as ws:
        projects, buildings = form_choices(ws)
    return {value: label for label, value in [*projects, *buildings]}


LABELS_OF: dict[str, str] = {}


def _fill(page, building: str | None, scores: dict[str, int], adopt: str, comment: str) -> None:
    page.locator(".cogov-project select").select_option(label=LABELS_OF["PJ01"])
    page.locator(".cogov-phase").get_by_role("button", name="事后评价", exact=True).click()
    page.locator(".cogov-q-adopt").wait_for(timeout=30_000)  # the phase's own questions have replaced the others
    if building:
        page.locator(".cogov-building select").select_option(label=LABELS_OF[building])
    for item, score in scores.items():
        _choose(page, item, LABELS[score])
    _choose(page, "adopt", adopt)
    page.locator(".cogov-q-comment textarea").fill(comment)
    page.locator(".cogov-q-comment textarea").press("Tab")  # the widget syncs its value on change


def _wait_for_message(page, text: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator(".cogov-form-message", has_text=text).wait_for(timeout=60_000)
    except PlaywrightTimeout:
        shown = page.locator(".cogov-form-message, .cogov-field-error").all_inner_texts()
        pytest.fail(f"waited for {text!r}; the form shows {shown}")


def _submit_and_wait(page, text: str) -> None:
    page.locator(".cogov-submit").click()
    _wait_for_message(page, text)


def test_three_residents_fill_the_form_in_a_browser(served) -> None:
    path, server = served
    before = _uuids(path)
    entered = [
        ("B03", {"q_overall": 4, "q_safety": 5, "q_greening": 4, "q_facilities": 3, "q_upkeep": 4}, "是", "路灯亮了"),
        ("B07", {"q_overall": 2, "q_safety": 3, "q_greening": 2, "q_facilities": 2, "q_upkeep": 1}, "否", "晚上太吵"),
        (
            "B09",
            {"q_overall": 5, "q_safety": 5, "q_greening": 5, "q_facilities": 4, "q_upkeep": 5},
            "是",
            "希望继续维护",
        ),
    ]
    with launch() as browser:
        page = _open_form(browser, server.url)
        assert not page.locator(".cogov-role").is_visible()  # residents see only the resident part: no role chooser
        first = entered[0]
        # the first resident forgets the overall rating: the message shows, nothing is saved
        _fill(page, first[0], {k: v for k, v in first[1].items() if k != "q_overall"}, first[2], first[3])
        page.locator(".cogov-submit").click()
        page.locator(".cogov-q-q_overall .cogov-field-error", has_text="「总体满意度」必须填写").wait_for(
            timeout=30_000
        )
        assert _uuids(path) == before
        _choose(page, "q_overall", LABELS[first[1]["q_overall"]])
        _submit_and_wait(page, "已保存（本机第 1 份）")
        for count, (building, scores, adopt, comment) in enumerate(entered[1:], start=2):
            _fill(page, building, scores, adopt, comment)
            _submit_and_wait(page, f"已保存（本机第 {count} 份）")
    new = _records(path, _uuids(path) - before)
    assert len(new) == 3
    got = sorted(
        (r["building_id"] or "", json.loads(r["answers"])["q_overall"], r["comment"], r["evaluator_role"]) for r in new
    )
    want = sorted((b or "", s["q_overall"], c, "resident") for b, s, _, c in entered)
    assert got == want
    for record in new:
        answers = json.loads(record["answers"])
        match = next(e for e in entered if e[3] == record["comment"])
        assert {k: answers[k] for k in ITEMS} == match[1]
        assert answers["adopt"] == ("yes" if match[2] == "是" else "no")
        assert (record["project_id"], record["phase"], record["questionnaire"]) == ("PJ01", "post", "post_evaluation")


def test_two_sessions_submitting_at_once_lose_nothing(served) -> None:
    path, server = served
    before = _uuids(path)
    scores = dict.fromkeys(ITEMS, 3)
    with launch() as browser:
        pages = [_open_form(browser, server.url) for _ in range(2)]
        for page, building in zip(pages, ("B05", "B06"), strict=True):
            _fill(page, building, scores, "是", f"同时提交 {building}")
        for page in pages:  # both taps before either answer comes back
            page.locator(".cogov-submit").dispatch_event("click")
        for page in pages:
            _wait_for_message(page, "已保存（本机第 1 份）")
    new = _records(path, _uuids(path) - before)
    assert sorted(r["comment"] for r in new) == ["同时提交 B05", "同时提交 B06"]


def test_without_the_token_the_form_is_not_served(served) -> None:
    _, server = served
    bare = server.url.split("?")[0]
    for guess in (bare, bare + "?token=" + "x" * len(server.token), bare + "api/kernels"):
        try:
            response = urllib.request.urlopen(guess, timeout=10)
        except urllib.error.HTTPError as exc:  # forbidden outright is as good as the login page
            assert exc.code in (401, 403), guess
            continue
        assert "/login" in response.url, guess  # redirected to a login page: no form, no kernel
        page = response.read().decode("utf-8", "replace")
        assert "请重新扫描二维码" in page and "cogov-submit" not in page  # in Chinese: scan the code again


def test_voila_serves_one_notebook_behind_a_token_and_the_url_becomes_a_qr_code(tmp_path: Path) -> None:
    token = new_token()
    assert len(token) >= 20 and token != new_token()
    command = voila_command(Path("表单.ipynb"), "192.168.43.1", 8866, token)
    assert f"--token={token}" in command and "--Voila.ip=192.168.43.1" in command and "表单.ipynb" in command
    url = f"http://192.168.43.1:8866/?token={token}"
    assert re.search("█", qr_text(url))
    png = write_qr_png(url, tmp_path / "二维码.png")
    assert png.read_bytes().startswith(b"\x89PNG")
