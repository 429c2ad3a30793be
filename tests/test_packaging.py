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
    setup = {c.strip() for c in commands if "scripts/" in c}
    assert setup == {"python3 scripts/cogov.py lab", "bash scripts/test.sh"}
    assert "快速开始" in readme and "Quick start" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI runs both verbatim (the first one started and stopped once it serves), as root and as a user
    assert "\nbash scripts/test.sh\n" in ci and " python3 scripts/cogov.py lab\n" in ci
    assert "useradd" in ci and 'python3 scripts/cogov.py lab"' in ci


def test_the_bootstrap_runs_on_any_python3_and_the_notebooks_travel_in_the_package() -> None:
    import ast

    bootstrap = (ROOT / "scripts" / "cogov.py").read_text(encoding="utf-8")
    ast.parse(bootstrap, feature_version=(3, 8))  # macOS's own python3 is 3.9: it must at least start there
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "notebooks/*.ipynb" in package_data["package-data"]["cogov_toolkit"]
    assert sorted((ROOT / "cogov_toolkit" / "notebooks").glob("0*.ipynb"))
