"""``cogov tablet`` on a laptop whose only network is its own phone hotspot: an address, no route, no internet.

The whole check runs inside a fresh network namespace (``unshare -n``) whose only
interface besides loopback is a veth with the private address 192.168.43.1/24
(a typical hotspot address) and no default route. There the planner's command
``cogov tablet`` must find that address itself, listen only on it, serve the form
to a browser that submits a response, say in Chinese to scan the code again
without the token, show the real port when a second one is started, and leave
at most one kernel after ten reloads once the idle ones were culled.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace

ROOT = Path(__file__).resolve().parents[2]
HOTSPOT = "192.168.43.1"
IDLE_S, INTERVAL_S = 20, 5  # the test's cull timing (15 minutes and 1 minute by default)

SETUP = (
    "ip link set lo up && ip link add veth0 type veth peer name veth1 && "
    f'ip addr add {HOTSPOT}/24 dev veth0 && ip link set veth1 up && ip link set veth0 up && exec "$@"'
)

INSIDE = r"""
import json, os, re, socket, subprocess, sys, time
from pathlib import Path
from tests.browser import launch

workspace, out = Path(sys.argv[1]), {}
out["default_route"] = subprocess.run(["ip", "route", "show", "default"], capture_output=True, text=True).stdout.strip()

def start(log):
    proc = subprocess.Popen([sys.executable, "-m", "cogov_toolkit.cli", "tablet", str(workspace)],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, text=True)
    for _ in range(240):
        text = Path(log).read_text(encoding="utf-8")
        found = re.search(r"http://([\d.]+):(\d+)/\?token=(\S+)", text)
        if found:
            return proc, found, text
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise SystemExit("tablet did not start: " + Path(log).read_text(encoding="utf-8"))

def kernels(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
                cmd = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\0", b" ").decode()
            except OSError:
                continue
            children[int(entry)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmd)
    def under(p):
        while p in children:
            p = children[p][0]
            if p == pid:
                return True
        return False
    return sum(1 for p, (_, cmd) in children.items() if "ipykernel" in cmd and under(p))

first, found, text = start("first.log")
host, port, token = found.group(1), int(found.group(2)), found.group(3)
url = found.group(0)
out.update(host=host, port=port)
with socket.socket() as s:  # it listens only on the hotspot's address
    out["loopback_refused"] = s.connect_ex(("127.0.0.1", port)) != 0
second, found2, text2 = start("second.log")
out["second_url_port"] = int(found2.group(2))
out["second_says_taken"] = "已被占用" in text2
with socket.socket() as s:
    out["second_serves"] = s.connect_ex((found2.group(1), int(found2.group(2)))) == 0
second.terminate(); second.wait(30)

with launch() as browser:
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto(f"http://{host}:{port}/")
    out["no_token_page"] = page.inner_text("body")
    page.goto(url)
    page.locator(".cogov-submit").wait_for(timeout=180_000)
    out["role_chooser_visible"] = page.locator(".cogov-role").is_visible()
    for _ in range(10):
        page.reload()
        page.locator(".cogov-submit").wait_for(timeout=180_000)
    project = page.locator(".cogov-project select")
    project.select_option(index=1)
    page.locator(".cogov-phase").get_by_role("button", name="事后评价", exact=True).click()
    page.locator(".cogov-q-adopt").wait_for(timeout=60_000)
    page.locator(".cogov-building select").select_option(index=1)
    for item in ("q_overall", "q_safety", "q_greening", "q_facilities", "q_upkeep"):
        page.locator(f".cogov-q-{item}").get_by_role("button", name="满意", exact=True).click()
    page.locator(".cogov-q-adopt").get_by_role("button", name="是", exact=True).click()
    page.locator(".cogov-q-comment textarea").fill("热点上提交")
    page.locator(".cogov-q-comment textarea").press("Tab")
    page.locator(".cogov-submit").click()
    page.locator(".cogov-form-message", has_text="已保存").wait_for(timeout=60_000)
    out["kernels_after_reloads"] = kernels(first.pid)
    time.sleep(IDLE + 3 * INTERVAL + 5)
    out["kernels_after_cull"] = kernels(first.pid)
first.terminate(); first.wait(30)
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


@pytest.mark.slow
def test_cogov_tablet_on_a_hotspot_with_no_route(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("needs root, unshare and ip to make a network namespace (CI runs as root)")
    workspace = build_sample_workspace(tmp_path / "幸福社区.gpkg")
    script = tmp_path / "inside.py"
    script.write_text(
        INSIDE.replace("IDLE +", f"{IDLE_S} +").replace("INTERVAL +", f"{INTERVAL_S} +"), encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "COGOV_TABLET_IDLE_S": str(IDLE_S),
        "COGOV_TABLET_CULL_INTERVAL_S": str(INTERVAL_S),
    }
    run = subprocess.run(
        ["unshare", "-n", "sh", "-c", SETUP, "sh", sys.executable, str(script), str(workspace)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=1200,
    )  # fmt: skip
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stdout[-3000:] + run.stderr[-3000:]
    out = json.loads(lines[0][len("RESULT ") :])
    assert out["default_route"] == ""  # no route, no internet: only the hotspot's own network
    assert out["host"] == HOTSPOT and out["loopback_refused"]
    assert out["second_says_taken"] and out["second_url_port"] != out["port"] and out["second_serves"]
    assert "请重新扫描二维码" in out["no_token_page"]
    assert out["role_chooser_visible"] is False
    assert out["kernels_after_cull"] <= 1, out
    from cogov_toolkit.storage import open_workspace

    with open_workspace(workspace, backups=0) as ws:
        comments = set(ws.records("evaluations")["comment"].dropna())
    assert "热点上提交" in comments
