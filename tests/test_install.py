"""``cogov lab`` and ``cogov demo`` from a plain (non-editable) ``pip install .``: notebooks and data travel inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_plain_install_finds_its_notebooks_prepares_the_lab_and_writes_the_demo(tmp_path: Path) -> None:
    source = tmp_path / "源码"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False).stdout
    names = [n for n in tracked.decode("utf-8").split("\0") if n] if tracked else []
    if not names:
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    for name in names:  # what a clone holds, nothing the tests or an editable install left beside it
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name, follow_symlinks=False)  # a symlink stays one, as in a clone
    env_dir = tmp_path / "环境"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    target = env_dir / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
               "--disable-pip-version-check", "-q", f"--target={target}", str(source)]  # fmt: skip
    result = subprocess.run(install, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (target / "cogov_toolkit" / "__editable__").exists()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {
        # the dependencies come from the interpreter running the tests (a venv's own site-packages included:
        # system_site_packages reaches only the base interpreter's), the toolkit from the plain install first
        "PYTHONPATH": os.pathsep.join(
            dict.fromkeys([str(target), *(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))])
        ),
        "COGOV_DATA_DIR": str(tmp_path / "数据"),
        "COGOV_WORKDIR": str(tmp_path / "示例"),
    }
    script = (
        "import cogov_toolkit, pathlib; from cogov_toolkit.lab import prepare_lab\n"
        "plan = prepare_lab(None, no_browser=True)\n"
        "print(pathlib.Path(cogov_toolkit.__file__).parent)\n"
        "print(len(plan.copies.copied), plan.folder)\n"
    )
    run = subprocess.run([str(python), "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    package, copied = run.stdout.splitlines()
    assert Path(package).resolve() == (target / "cogov_toolkit").resolve()  # the installed copy, not the checkout
    count, folder = copied.split(" ", 1)
    assert int(count) == len(list((ROOT / "cogov_toolkit" / "notebooks").glob("*.ipynb"))) > 0
    assert (Path(folder) / "02_居民表决.ipynb").exists() and str(ROOT) not in folder
    # cogov demo, from another folder: the sample community is built from the package data alone
    out = tmp_path / "演示输出"
    demo = [str(python), "-c", "import sys; from cogov_toolkit.cli import main; sys.exit(main(sys.argv[1:]))"]
    run = subprocess.run([*demo, "demo", "--out", str(out)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    written = [Path(line) for line in run.stdout.splitlines()]
    assert (out / "幸福社区.gpkg") in written and (out / "幸福社区.gpkg").stat().st_size > 0
    assert all(str(ROOT) not in str(path) for path in written) and len(written) > 10
