"""A real ``cogov lab`` for browser tests: started as the README does, on a planner's workspace, then stopped.

The planner's workspace is a copy of the sample with its "sample" mark taken off,
so the notebooks treat it as a real community: demonstration cells are skipped
and Run All must write nothing to it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import copy_workspace

LAB_START_S = 180


def planner_workspace(sample_path: Path, folder: Path) -> Path:
    """Copy the sample into ``folder`` as if it were a planner's own community (not marked as the sample)."""
    from cogov_toolkit.storage import open_workspace

    path = copy_workspace(sample_path, folder)
    with open_workspace(path, backups=0) as ws:
        settings = ws.records("settings")
        for uuid, key in zip(settings["uuid"], settings["key"], strict=True):
            if key == "sample":
                ws.update("settings", uuid, {"value": "no"})
    return path


def sha256(path: Path) -> str:
    """Return the sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running ``cogov lab``: its base URL with the token, its process and its log file."""

    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def page_url(self, path: str) -> str:
        return f"{self.url}{path}?token={self.token}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # JupyterLab asks to confirm a first Ctrl+C
            time.sleep(0.5)
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_lab(workspace: Path | None, home: Path, *, extra_env: dict[str, str] | None = None) -> Lab:
    """Start ``cogov lab [WORKSPACE] --no-browser`` as a planner would (the README's command), wait until it serves."""
    port = free_port()
    env = {
        **os.environ,
        "COGOV_DATA_DIR": str(home / "data"),
        "COGOV_CACHE_DIR": str(home / "cache"),
        "COGOV_WORKDIR": str(home / "示例"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "BROWSER": "true",
        **(extra_env or {}),
    }
    home.mkdir(parents=True, exist_ok=True)
    log = home / "lab.log"
    command = [sys.executable, "-m", "cogov_toolkit.cli", "lab", "--no-browser", f"--port={port}"]
    if workspace is not None:
        command.insert(4, str(workspace))
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=home)
    deadline = time.monotonic() + LAB_START_S
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        found = re.search(rf"http://(?:127\.0\.0\.1|localhost):{port}/lab\?token=([0-9a-f]+)", text)
        if found:
            return Lab(f"http://127.0.0.1:{port}/", found.group(1), process, log)
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.kill()
    raise AssertionError(f"cogov lab did not start:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
