"""`cogov demo` on the sample community: GDAL lists everything; nothing shared holds personal data."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cogov_toolkit.core.schema import LAYERS, RECORD_TABLES
from cogov_toolkit.demo.sample import sample_data_dir
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.storage.gpkg.workspace import backup_dir_for, private_path_for
from tests.canaries import SAMPLE_CANARY as CANARY


def personal_values(sample: Path) -> set[str]:
    """Every name, phone and ID number of the sample roster (the strings that must never be shared)."""
    with (sample / "households.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {row[c] for row in rows for c in ("name", "phone", "id_number") if row[c]}


def readable_bytes(path: Path) -> list[bytes]:
    """Return the bytes a search must look through: the file, every member of a zip (xlsx), a PDF's text."""
    data = path.read_bytes()
    if path.suffix == ".pdf":  # PDF text sits in compressed streams: search what pdftotext reads out
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
        return [data, text]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [archive.read(name) for name in archive.namelist()]
    return [data]


def leaks(paths: list[Path], secrets: set[str]) -> set[str]:
    """Return the secrets found in any of the files (UTF-8, GB18030 or UTF-16 encoded)."""
    found = set()
    blobs = [blob for path in paths for blob in readable_bytes(path)]
    for secret in secrets:
        needles = {secret.encode("utf-8"), secret.encode("gb18030"), secret.encode("utf-16-le")}
        if any(needle in blob for blob in blobs for needle in needles):
            found.add(secret)
    return found


@pytest.fixture(name="demo", scope="module")
def fixture_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], set[str]]:
    """Run the demo on a copy of the sample with one canary household planted in the roster."""
    sample = tmp_path_factory.mktemp("sample") / "data"
    shutil.copytree(sample_data_dir(), sample)
    roster = sample / "households.csv"
    with roster.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    canary_row = {**rows[0], "household_id": "H9999", "room": "9999", **CANARY}
    with roster.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, canary_row])
    out = tmp_path_factory.mktemp("演示 输出")
    env = {"COGOV_SAMPLE_DATA": str(sample)}
    result = subprocess.run(
        [sys.executable, "-m", "cogov_toolkit.cli", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    return out, written, personal_values(sample) | set(CANARY.values())


def test_demo_workspace_is_listed_whole_by_ogrinfo(demo: tuple[Path, list[Path], set[str]]) -> None:
    out, written, _ = demo
    workspace = out / "幸福社区.gpkg"
    assert workspace in written
    result = subprocess.run(["ogrinfo", "-so", str(workspace)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    listed = {line.split(": ", 1)[1].split(" (")[0] for line in result.stdout.splitlines() if ": " in line[:5]}
    assert listed == set(LAYERS) | set(RECORD_TABLES)
    with open_workspace(workspace, backups=0) as ws:
        counts = ws.counts()
    assert counts["buildings"] == 40 and counts["households"] == 1203 and counts["demands"] == 60
    assert all(counts[kind] > 0 for kind in LAYERS)


def test_nothing_shared_or_exported_holds_a_name_phone_or_id_number(demo: tuple[Path, list[Path], set[str]]) -> None:
    out, written, secrets = demo
    private = private_path_for(out / "幸福社区.gpkg")
    shareable = [p for p in written if p != private and p.is_file()]
    assert len(shareable) >= 10
    assert {".html", ".pdf", ".svg", ".png", ".csv", ".xlsx", ".geojson", ".gpkg"} <= {p.suffix for p in shareable}
    assert leaks(shareable, secrets) == set()
    # the search is real: it finds the canary name and phone in the private file, where they belong
    assert {CANARY["name"], CANARY["phone"]} <= leaks([private], secrets)
    # ID numbers are dropped on import: not even the private file keeps them
    assert CANARY["id_number"] not in leaks([private], secrets)
    assert not backup_dir_for(out / "幸福社区.gpkg").exists()  # the demo opens with backups=0


def test_the_leak_search_finds_a_canary_let_through(tmp_path: Path) -> None:
    let_through = tmp_path / "oops.xlsx"
    with zipfile.ZipFile(let_through, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", f"<t>{CANARY['name']}</t>")
    plain = tmp_path / "oops.csv"
    plain.write_bytes(CANARY["phone"].encode("gb18030"))
    assert leaks([let_through, plain], set(CANARY.values())) == {CANARY["name"], CANARY["phone"]}
    pdf = tmp_path / "oops.pdf"
    _pdf_with_text(pdf, CANARY["id_number"])
    assert CANARY["id_number"].encode() not in pdf.read_bytes()  # compressed: a byte search alone would miss it
    assert leaks([pdf], set(CANARY.values())) == {CANARY["id_number"]}


def _pdf_with_text(path: Path, text: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure()
    figure.text(0.1, 0.5, text)
    figure.savefig(path)


def test_export_keeps_formulas_as_text(demo: tuple[Path, list[Path], set[str]]) -> None:
    import openpyxl

    out, _, _ = demo
    book = openpyxl.load_workbook(out / "导出" / "幸福社区.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type == "s" for c in cells)
    # per-response rows are not exported: the sample's "+1 同意楼上" comment is not there at all, only aggregates
    assert not any("同意楼上" in c.value for c in cells)
    assert not (out / "导出" / "evaluations.csv").exists()
    with (out / "导出" / "evaluation_summaries.csv").open(encoding="utf-8-sig") as fh:
        summaries = list(csv.DictReader(fh))
    assert summaries and "comment" not in summaries[0] and "answers" not in summaries[0]
    for row in summaries:
        assert row["suppressed"] == "1" or int(row["respondents"]) >= 5


def test_cli_error_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bogus = tmp_path / "不是工作区.gpkg"
    bogus.write_text("hello", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cogov_toolkit.cli", "info", str(bogus)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "不是 cogov 工作区" in result.stderr and "Traceback" not in result.stderr


def test_cogov_lab_builds_the_sample_and_opens_copies_of_the_notebooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess as sp

    from cogov_toolkit import cli
    from cogov_toolkit._paths import package_path

    launched: list[tuple[list[str], str]] = []
    monkeypatch.setenv("COGOV_WORKDIR", str(tmp_path / "工作区"))
    monkeypatch.setattr(sp, "call", lambda command, cwd, env: launched.append((command, str(cwd))) or 0)
    assert cli.main(["lab", "--no-browser"]) == 0
    assert (tmp_path / "工作区" / "幸福社区.gpkg").exists()
    ((command, cwd),) = launched
    assert command[1:3] == ["-m", "jupyterlab"] and cwd == str(tmp_path / "工作区" / "幸福社区 笔记本")
    assert (Path(cwd) / "02_居民表决.ipynb").exists()
    assert Path(cwd).resolve() != package_path("notebooks").resolve()  # never the shipped notebooks themselves


def test_sample_workspace_is_rebuilt_when_the_code_changed(tmp_path: Path) -> None:
    from cogov_toolkit.demo.sample import sample_workspace

    path = sample_workspace(tmp_path)
    with open_workspace(path, backups=0) as ws:
        ws.connection.execute("BEGIN IMMEDIATE")
        ws.connection.execute('DROP TABLE "vote_results"')  # as a workspace built by an older checkout
        ws.connection.execute("COMMIT")
    assert sample_workspace(tmp_path) == path  # same code: the file is reused as it is
    with open_workspace(path, backups=0) as ws:
        assert "vote_results" not in {r[0] for r in ws.connection.execute("SELECT name FROM sqlite_master")}
    path.with_suffix(".built-from").write_text("built by an older checkout", encoding="utf-8")
    sample_workspace(tmp_path)
    with open_workspace(path, backups=0) as ws:
        assert "vote_results" in {r[0] for r in ws.connection.execute("SELECT name FROM sqlite_master")}
        assert ws.count("buildings") == 40
