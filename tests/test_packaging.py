"""Set-up promises: pyproject.toml and environment.yml agree; README gives the two commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: conda-only entries: the interpreter, pip, and system parts pip cannot install
CONDA_ONLY = {"python", "pip", "gdal", "font-ttf-noto-cjk"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += [r for r in extra if _name(r) != project["name"]]  # "cogov-toolkit[maps]" pulls in an extra
    return {_name(r): r.replace(" ", "") for r in requirements}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in env["dependencies"] if isinstance(d, str)]
    entries += [p for d in env["dependencies"] if isinstance(d, dict) for p in d.get("pip", [])]
    return {_name(d): d.replace(" ", "") for d in entries if _name(d) not in CONDA_ONLY}


def test_environment_yml_lists_the_same_packages_and_versions_as_pyproject() -> None:
    assert _conda_requirements() == _pip_requirements()


def test_the_comparison_notices_a_difference(tmp_path: Path) -> None:
    # the check above is only worth something if a missing or loosened entry changes the result
    pip = _pip_requirements()
    conda = _conda_requirements()
    conda.pop("geopandas")
    assert conda != pip
    conda = {**_conda_requirements(), "pandas": "pandas>=1.0"}
    assert conda != pip


def test_readme_gives_exactly_two_setup_commands_in_both_languages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)\n(.*?)```", readme, flags=re.S)
    setup = {c.strip() for c in commands if "pip install" in c or "scripts/test.sh" in c}
    assert setup == {'python3 -m pip install -e ".[lab]" && cogov lab', "bash scripts/test.sh"}
    assert "快速开始" in readme and "Quick start" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
