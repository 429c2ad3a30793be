#!/usr/bin/env python3
"""Run the toolkit from a checkout on a stock laptop: ``python3 scripts/cogov.py lab [WORKSPACE]``.

The first run makes a virtual environment in the checkout (``.venv``) and installs
the toolkit into it, so it works with a system Python that refuses ``pip install``
(PEP 668: Debian 12, Ubuntu 24.04, Homebrew), as root (a container) or as an
ordinary user, and inside a conda environment (whose packages the environment
reuses). Later runs start at once; the environment is updated when
``pyproject.toml`` changed. Any arguments after the options go to ``cogov``.

    python3 scripts/cogov.py lab                   # JupyterLab on the sample community
    python3 scripts/cogov.py lab 社区.gpkg           # … on your own community
    python3 scripts/cogov.py --extras lab,test --setup-only   # what scripts/test.sh runs

Written for any Python 3 (macOS's own 3.9 included): it looks for a Python 3.11
or newer on the PATH and uses that one.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("COGOV_VENV") or os.path.join(ROOT, ".venv")
MINIMUM = (3, 11)
CANDIDATES = ("python3.14", "python3.13", "python3.12", "python3.11", "python3", "python")


def say(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def version_of(python):
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        major, minor = out.stdout.split()
        return int(major), int(minor)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def find_python():
    """Return a Python ≥ 3.11: this one, else the first on the PATH."""
    if sys.version_info[:2] >= MINIMUM:
        return sys.executable
    for name in CANDIDATES:
        found = shutil.which(name)
        if found and (version_of(found) or (0, 0)) >= MINIMUM:
            return found
    say("需要 Python 3.11 或更新版本（本机是 {}.{}）。".format(*sys.version_info[:2]))
    say("  macOS：brew install python@3.12，或从 python.org 安装；Debian/Ubuntu：sudo apt install python3")
    say("Python 3.11 or newer is needed: install it (brew install python@3.12, or from python.org), then run again.")
    sys.exit(1)


def venv_python():
    if os.name == "nt":
        return os.path.join(VENV, "Scripts", "python.exe")
    return os.path.join(VENV, "bin", "python")


def make_venv(python):
    """Make .venv; on Debian/Ubuntu without python3-venv, install it as root, or say how."""
    command = [python, "-m", "venv", VENV]
    if os.environ.get("CONDA_PREFIX"):
        command.append("--system-site-packages")  # conda's own packages stay usable, pip adds the rest
    if subprocess.run(command, stdout=sys.stderr).returncode == 0 and os.path.exists(venv_python()):
        return
    shutil.rmtree(VENV, ignore_errors=True)
    minor = "{}.{}".format(*(version_of(python) or sys.version_info[:2]))
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("== apt-get install python3-venv")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "python3-venv", f"python{minor}-venv"], env=env, stdout=sys.stderr
        )
        if subprocess.run(command, stdout=sys.stderr).returncode == 0 and os.path.exists(venv_python()):
            return
    say("无法创建虚拟环境。Debian/Ubuntu 请先运行：sudo apt install python3-venv，然后重试。")
    say("Could not make a virtual environment. On Debian/Ubuntu run: sudo apt install python3-venv, then try again.")
    sys.exit(1)


def wanted_stamp(extras):
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    return {"pyproject": digest, "extras": sorted(extras)}


def ensure_installed(extras):
    """Make .venv and install the toolkit (editable, with ``extras``) when it is missing or out of date."""
    stamp_path = os.path.join(VENV, "cogov-installed.json")
    wanted = wanted_stamp(extras)
    try:
        with open(stamp_path, encoding="utf-8") as fh:
            have = json.load(fh)
    except (OSError, ValueError):
        have = None
    if have is not None and os.path.exists(venv_python()):
        have_extras = set(have.get("extras", []))
        if have.get("pyproject") == wanted["pyproject"] and set(extras) <= have_extras:
            return
        wanted["extras"] = sorted(set(extras) | have_extras)
    if not os.path.exists(venv_python()):
        say(f"== 第一次运行：在 {VENV} 创建虚拟环境并安装工具包（需要几分钟）")
        make_venv(find_python())
    target = ".[{}]".format(",".join(wanted["extras"])) if wanted["extras"] else "."
    install = [venv_python(), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target]
    if subprocess.run(install, cwd=ROOT, stdout=sys.stderr).returncode != 0:
        say("安装失败：请检查网络（需要能访问 PyPI）后重试。Installation failed: check the connection to PyPI.")
        sys.exit(1)
    with open(stamp_path, "w", encoding="utf-8") as fh:
        json.dump(wanted, fh)


def main(argv):
    extras = ["lab"]
    setup_only = False
    while argv and argv[0].startswith("--") and argv[0] in ("--extras", "--setup-only"):
        option = argv.pop(0)
        if option == "--extras":
            extras = [e for e in argv.pop(0).split(",") if e]
        else:
            setup_only = True
    ensure_installed(extras)
    if setup_only:
        print(venv_python())
        return 0
    command = [venv_python(), "-m", "cogov_toolkit.cli", *argv]
    if os.name == "nt":
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
