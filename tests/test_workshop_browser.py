"""The acceptance journey: a planner's own community in JupyterLab, in a real browser, with no internet.

``cogov lab PATH`` is started as the README does (the CI runs the suite with the
network cut), on a copy of a planner's workspace. In notebook 02 the planner
runs all cells, creates a vote through its form, types two ballots (one by a
click on the option and Enter, one with the keyboard only, full-width as a
Chinese IME types it), pastes a 接龙 into the text area and counts with the
button; then restarts the kernel and runs all again: every typed ballot is still
stored and Run All added no record. In notebook 04 a demand typed after Run All
is found stored. In notebook 09, after Run All, the planner creates a selection
through the form (rule, nominees, seats, consent), types two ballots (one by
clicks on the nominees and Enter, one with the keyboard only) and counts with the
button: the result is stored. In notebook 07 a contribution (with the
contributor's name and phone, and consent to a public name) and a workshop
session with its sign-in sheet are typed into their forms and found stored, the
name and phone only on the private side; in notebook 08 a target typed for an
indicator is stored and the ledger computes. JupyterLab's own menus are Chinese, and however long the
session (longer than the autosave interval), the shipped notebooks are unchanged.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows.workshop import notebooks_folder_for, shipped_notebooks
from tests.browser import launch
from tests.lab_session import planner_workspace, sha256, start_lab

pytestmark = pytest.mark.slow
AUTOSAVE_S = 120  # JupyterLab's default autosave interval
WAIT_MS = 180_000  # a kernel and a Run All on a loaded 2-core machine
REPO = Path(__file__).resolve().parents[1]


def _counts(path: Path) -> dict[str, int]:
    with open_workspace(path, backups=0) as ws:
        return ws.counts()


def _ballots(path: Path, vote_id: str) -> list[tuple[str, str, str]]:
    with open_workspace(path, backups=0) as ws:
        public = ws.records("ballots")
        links = ws.private_records("ballot_links")
    joined = public[public["vote_id"] == vote_id].merge(links, left_on="uuid", right_on="ballot_uuid")
    return sorted(zip(joined["household_id"], joined["choice"], joined["channel"], strict=True))


def _menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


#: the code cell prompts of the notebook in the current tab, if that tab is the notebook ``name``
_PROMPTS = """(name) => {
    const tab = [...document.querySelectorAll('.lm-DockPanel .lm-TabBar-tab.lm-mod-current')]
        .find(t => t.textContent.includes(name));
    const panel = tab && document.getElementById(tab.dataset.id);
    if (!panel || panel.classList.contains('lm-mod-hidden')) return null;
    return [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
}"""


def _run_all(page, name: str) -> None:
    """运行 → 运行所有单元格 on the notebook ``name``, again if its kernel was not connected yet."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = f"() => {{ const p = ({_PROMPTS})({name!r}); return !!p && p.some(t => /\\[(\\*|\\d+)\\]/.test(t)); }}"
    for _ in range(4):
        _menu(page, "运行", "运行所有单元格")
        try:
            page.wait_for_function(started, timeout=30_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("Run All did not start")


def _wait_idle(page, name: str) -> None:
    """Wait until a Run All on a fresh kernel has run every code cell of ``name``: [1] … [N], none [*]."""
    done = (
        f"() => {{ const p = ({_PROMPTS})({name!r}); "
        "return !!p && p.length > 0 && !p.some(t => t.includes('*')) && p[p.length - 1] === `[${p.length}]:`; }"
    )
    page.wait_for_function(done, timeout=WAIT_MS)


def _message(page, scope: str, text: str) -> None:
    page.locator(f"{scope} .cogov-message", has_text=text).first.wait_for(timeout=60_000)


def _open(page, lab, name: str) -> None:
    page.goto(lab.page_url(f"lab/tree/{name}"))
    # the notebooks opened before stay in hidden tabs: wait for the one shown
    page.locator(".jp-Notebook:visible").first.wait_for(timeout=WAIT_MS)
    page.locator(".jp-Notebook:visible .jp-Notebook-cell").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        f"() => ({_PROMPTS})({name.split('.')[0]!r}) !== null", timeout=WAIT_MS
    )  # its tab is current
    # the kernel is up ("空闲" in the status bar) before anything is run
    page.locator("#jp-main-statusbar", has_text="空闲").first.wait_for(timeout=WAIT_MS)


@pytest.fixture(name="planner")
def fixture_planner(sample_path: Path, tmp_path: Path) -> Path:
    return planner_workspace(sample_path, tmp_path / "我的社区")


def test_a_planner_runs_a_vote_in_jupyterlab_with_no_internet(planner: Path, tmp_path: Path) -> None:
    shipped = {p.name: sha256(p) for p in shipped_notebooks()}
    git_before = _git_status()
    started = time.monotonic()
    lab = start_lab(planner, tmp_path / "home")
    try:
        with launch() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                _journey(page, lab, planner, tmp_path, started)
            except Exception:
                page.screenshot(path=str(tmp_path / "failed.png"))
                shutil.copy(tmp_path / "failed.png", Path("/tmp") / "cogov-journey-failed.png")
                raise
    finally:
        lab.stop()
    assert {p.name: sha256(p) for p in shipped_notebooks()} == shipped
    assert _git_status() == git_before
    copies = notebooks_folder_for(planner)
    assert (copies / "02_居民表决.ipynb").exists() and (copies / ".cogov-workspace.json").exists()


def _journey(page, lab, planner: Path, tmp_path: Path, started: float) -> None:
    if True:
        if True:
            _open(page, lab, "02_居民表决.ipynb")
            labels = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert {"文件", "编辑", "运行"} <= set(labels), labels
            assert page.locator(".jp-Dialog").count() == 0  # no English pop-up (news, updates) at first start

            before_run = _counts(planner)
            _run_all(page, "02_居民表决")
            _wait_idle(page, "02_居民表决")
            page.locator(".cogov-banner", has_text="当前社区：幸福社区").first.wait_for(timeout=WAIT_MS)
            assert "（示例）" not in page.locator(".cogov-banner").first.inner_text()
            assert _counts(planner) == before_run  # Run All wrote nothing

            # create a vote through its form
            votes_before = _votes(planner)  # the sample's own (its convention's vote among them)
            page.locator(
                ".lm-AccordionPanel-title, .jupyter-widget-Collapse-header, .p-Collapse-header", has_text="新建一次表决"
            ).first.click()
            creator = page.locator(".cogov-vote-creator")
            creator.locator("input[type=text]").first.fill("7栋门前空地做什么？")
            creator.locator("textarea").first.fill("停车位\n小花园\n健身角")
            creator.locator("textarea").first.press("Tab")
            page.locator(".cogov-vote-create").click()
            _message(page, ".cogov-vote-creator", "已新建表决")
            (vote_id,) = _votes(planner) - votes_before

            # ballot 1: type the room, click the option, press Enter (once the form shows the new vote's options)
            option = page.locator(".cogov-ballot-choice button", has_text="2. 小花园").first
            option.wait_for(timeout=60_000)
            box = page.locator(".cogov-ballot-household input").first
            box.click()
            box.press_sequentially("7-1-101")
            option.click()
            page.wait_for_function(
                "() => document.activeElement && document.activeElement.closest('.cogov-ballot-household')",
                timeout=30_000,
            )
            page.keyboard.press("Enter")
            _message(page, ".cogov-ballot-entry", "第 1 张已保存")
            # ballot 2: keyboard only, full-width as a Chinese IME types it
            box.click()
            page.keyboard.insert_text("７－１－１０２　３")
            page.keyboard.press("Enter")
            _message(page, ".cogov-ballot-entry", "第 2 张已保存")

            # paste a 接龙 into the text area and confirm
            chain = page.locator(".cogov-jielong-text textarea")
            chain.fill("#接龙 7栋门前空地\n1. 7栋1单元201 停车位\n2. 7栋1单元202 小花园\n收到")
            chain.press("Tab")
            page.locator(".cogov-jielong-store").click()
            _message(page, ".jupyter-widgets", "接龙已保存")

            # count with the button
            page.locator(".cogov-vote-count").click()
            _message(page, ".cogov-count-panel", "已计票并保存结果")
            page.screenshot(path=str(tmp_path / "02-counted.png"), full_page=False)
            typed = _ballots(planner, vote_id)
            assert sorted(c for _, c, ch in typed if ch == "paper") == ["健身角", "小花园"], typed
            assert sum(1 for *_, ch in typed if ch == "jielong") == 2 and len(typed) == 4

            # restart the kernel and run all again: nothing lost, nothing added
            after_work = _counts(planner)
            _menu(page, "内核", "重启内核 和 运行所有单元格")
            page.locator(".jp-Dialog button.jp-mod-accept").first.click()
            page.wait_for_function(  # the restart cleared the prompts before Run All numbers them again
                """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                       .some(p => p.textContent.includes('*') || p.textContent.trim() === '[ ]:')""",
                timeout=60_000,
            )
            _wait_idle(page, "02_居民表决")
            page.locator(".cogov-banner", has_text="当前社区").first.wait_for(timeout=WAIT_MS)
            assert _ballots(planner, vote_id) == typed
            assert _counts(planner) == after_work

            # notebook 04: a demand recorded after Run All is stored
            _open(page, lab, "04_诉求与三事分流.ipynb")
            _run_all(page, "04_诉求")
            _wait_idle(page, "04_诉求")
            demands_before = _counts(planner)["demands"]
            page.locator(".cogov-demand-text textarea").fill("7栋门前路灯不亮")
            page.locator(".cogov-demand-text textarea").press("Tab")
            page.locator(".cogov-demand-save").click()
            _message(page, ".cogov-demand-form", "已登记诉求")
            with open_workspace(planner, backups=0) as ws:
                texts = list(ws.records("demands")["text"])
            assert ws is not None and "7栋门前路灯不亮" in texts and len(texts) == demands_before + 1

            _selection_journey(page, lab, planner)
            _cobuilding_journey(page, lab, planner)
            _assessment_journey(page, lab, planner)

            # stay longer than the autosave interval: only the planner's copies may be written
            remaining = AUTOSAVE_S + 15 - (time.monotonic() - started)
            if remaining > 0:
                time.sleep(remaining)
            page.close()


def _selection_journey(page, lab, planner: Path) -> None:
    """Notebook 09: Run All writes nothing; a selection created, voted and counted through the forms is stored."""
    _open(page, lab, "09_评选与微实事.ipynb")
    before = _counts(planner)
    _run_all(page, "09_评选")
    _wait_idle(page, "09_评选")
    assert _counts(planner) == before  # Run All wrote nothing (the demonstrations run on the sample only)
    votes_known = _votes(planner)
    nb = page.locator(".jp-NotebookPanel:visible").first  # notebook 02's forms are still open in a hidden tab
    nb.locator(
        ".lm-AccordionPanel-title, .jupyter-widget-Collapse-header, .p-Collapse-header", has_text="新建一次表决"
    ).first.click()
    creator = nb.locator(".cogov-vote-creator")
    creator.locator("input[type=text]").first.fill("2026年“文明家庭”评选")
    creator.locator("select").first.select_option(label="评选（得票多者当选，可设名额保障）")
    nominees = creator.locator("textarea").first
    nominees.fill("陈家\n林家\n周家")
    nominees.press("Tab")
    seats = creator.locator("input[type=number]").first
    seats.fill("2")
    seats.press("Tab")
    creator.locator(".widget-checkbox input[type=checkbox]").first.check()  # every nominee agreed to be listed
    nb.locator(".cogov-vote-create").click()
    _message(nb, ".cogov-vote-creator", "已新建表决")
    (vote_id,) = _votes(planner) - votes_known  # the one vote the form created
    # ballot 1: the room, clicks on two nominees, Enter
    pick = nb.locator(".cogov-ballot-pick", has_text="3. 周家").first
    pick.wait_for(timeout=60_000)
    box = nb.locator(".cogov-ballot-household input").first
    box.click()
    box.press_sequentially("7-1-101")
    nb.locator(".cogov-ballot-pick", has_text="1. 陈家").first.click()
    pick.click()
    box.click()
    page.keyboard.press("Enter")
    _message(nb, ".cogov-ballot-entry", "第 1 张已保存")
    # ballot 2: keyboard only, full-width
    box.click()
    page.keyboard.insert_text("７－１－１０２　１，２")
    page.keyboard.press("Enter")
    _message(nb, ".cogov-ballot-entry", "第 2 张已保存")
    nb.locator(".cogov-vote-count").click()
    _message(nb, ".cogov-count-panel", "已计票并保存结果")
    assert sorted(c for _, c, _ in _ballots(planner, vote_id)) == ['["陈家", "周家"]', '["陈家", "林家"]']
    with open_workspace(planner, backups=0) as ws:
        results = ws.records("vote_results", {"vote_id": vote_id})
    data = json.loads(results["result"].iloc[-1])
    assert data["scores"] == [["陈家", "2"], ["林家", "1"], ["周家", "1"]] and "陈家" in data["winners"]
    assert data["ballots_counted"] == 2 and data["seats"] == 2


def _pick(select, text: str) -> None:
    """Choose the option of a <select> whose label contains ``text``."""
    label = select.locator("option", has_text=text).first.text_content()
    select.select_option(label=label)


def _type(field, text: str) -> None:
    """Type ``text`` into an ipywidgets text field (input or textarea) and leave it, as a planner does."""
    box = field.locator("input, textarea").first
    box.click()
    box.fill(text)
    box.press("Tab")


def _cobuilding_journey(page, lab, planner: Path) -> None:
    """Notebook 07: Run All writes nothing; a contribution and a workshop session typed into the forms are stored."""
    _open(page, lab, "07_发展共建.ipynb")
    before = _counts(planner)
    _run_all(page, "07_发展共建")
    _wait_idle(page, "07_发展共建")
    assert _counts(planner) == before  # the demonstration cells act on the sample only
    nb = page.locator(".jp-NotebookPanel:visible").first
    form = nb.locator(".cogov-contribution")
    _pick(form.locator(".cogov-contribution-contributor_type select"), "居民")
    _type(form.locator(".cogov-contribution-name"), "林样浏览")
    _type(form.locator(".cogov-contribution-phone"), "100-0000-9901")
    _type(form.locator(".cogov-contribution-household"), "H0101")
    form.locator(".cogov-contribution-consent input[type=checkbox]").check()
    _type(form.locator(".cogov-contribution-public_name"), "林阿姨")
    _pick(form.locator(".cogov-contribution-project select"), "PJ04")
    _type(form.locator(".cogov-contribution-task"), "清理7栋楼道杂物")
    _type(form.locator(".cogov-contribution-hours"), "２")  # full-width, as a Chinese IME types it
    form.locator(".cogov-contribution-save_button").click()
    _message(nb, ".cogov-contribution", "已保存")

    session = nb.locator(".cogov-session")
    _type(session.locator(".cogov-session-title"), "7栋楼道议事会")
    _type(session.locator(".cogov-session-attendance"), "12")
    _type(session.locator(".cogov-session-minutes"), "商定每月第一个周六清理楼道。")
    _type(session.locator(".cogov-session-signins"), "H0101 林样浏览 100-0000-9901\nH0102")
    session.locator(".cogov-session-save_button").click()
    _message(nb, ".cogov-session", "已保存")

    after = _counts(planner)
    assert after["contributions"] == before["contributions"] + 1
    assert after["workshop_sessions"] == before["workshop_sessions"] + 1
    with open_workspace(planner, backups=0) as ws:
        row = ws.records("contributions").iloc[-1]
        contacts = ws.private_records("contributor_contacts")
        signins = ws.private_records("session_signins")
        public = ws.records("contributions").to_csv() + ws.records("workshop_sessions").to_csv()
    assert row["project_id"] == "PJ04" and float(row["hours"]) == 2 and row["kind"] == "labour", row
    assert row["contributor_type"] == "household", row
    typed = contacts[contacts["name"] == "林样浏览"]
    assert list(typed["phone"]) == ["100-0000-9901"] and list(typed["public_name"]) == ["林阿姨"], typed
    assert "林样浏览" in set(signins["name"])
    assert "林样浏览" not in public and "100-0000-9901" not in public


def _assessment_journey(page, lab, planner: Path) -> None:
    """Notebook 08: a target typed for an indicator is stored; the ledger computes in the form."""
    _open(page, lab, "08_评估验收.ipynb")
    before = _counts(planner)
    _run_all(page, "08_评估验收")
    _wait_idle(page, "08_评估验收")
    assert _counts(planner) == before
    nb = page.locator(".jp-NotebookPanel:visible").first
    panel = nb.locator(".cogov-assessment")
    indicator = panel.locator(".cogov-assessment-indicator select")
    chosen = indicator.locator("option").nth(1).text_content()
    indicator.select_option(label=chosen)
    _type(panel.locator(".cogov-assessment-target"), "８５％")
    panel.locator(".cogov-assessment-target_button").click()
    _message(nb, ".cogov-assessment", "已设定")
    with open_workspace(planner, backups=0) as ws:
        targets = ws.records("indicator_targets")
    assert len(targets) >= 1 and targets.to_csv().count("85") >= 1, targets
    panel.locator(".cogov-assessment-compute_button").click()
    panel.locator("table", has_text=chosen).first.wait_for(timeout=60_000)


def _votes(path: Path) -> set[str]:
    with open_workspace(path, backups=0) as ws:
        return set(ws.records("votes")["vote_id"])


def _git_status() -> str:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return ""
    return subprocess.run(
        ["git", "status", "--porcelain", "--", "cogov_toolkit/notebooks"], cwd=REPO, capture_output=True, text=True
    ).stdout
