"""Bounded, clean input (issue 11, holes 11–14): archive caps, invisible characters, cut files, rosters with NUL bytes."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cogov_toolkit.core.schema import RECORD_TABLES
from cogov_toolkit.core.validate import check_records
from cogov_toolkit.errors import ArchiveTooLargeError, CorruptFileError, FileTooLargeError, UnsupportedFormatError
from cogov_toolkit.io import archives
from cogov_toolkit.io.tables import read_table
from cogov_toolkit.workflows.rosters import check_uploaded

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
HOUSEHOLDS = RECORD_TABLES["households"]


def test_cells_lose_nul_control_characters_and_boms_and_the_report_says_so(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_text("户号,楼栋编号,单元,房号\n\ufeffH0101,B01,1,1\x0001\nH0102,B01\x07,1,102\n", encoding="utf-8")
    checked = check_records(read_table(path), HOUSEHOLDS.columns, file=path, key="household_id")
    assert list(checked.frame["household_id"]) == ["H0101", "H0102"]
    assert list(checked.frame["room"]) == ["101", "102"] and list(checked.frame["building_id"]) == ["B01", "B01"]
    (note,) = [n for n in checked.notes() if "控制字符" in str(n)]
    assert "3 个单元格" in str(note) and "「户号」" in str(note)


def test_a_file_typed_by_hand_may_end_without_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "手写.csv"
    path.write_text("户号,楼栋编号,单元,房号\nH0101,B01,1,101", encoding="utf-8")  # LF, no BOM: as typed
    assert list(read_table(path).frame["房号"]) == ["101"]
    excel = tmp_path / "导出.csv"
    excel.write_bytes("户号,楼栋编号,单元,房号\r\nH0101,B01,1,101\r\nH0102,B01,1,10".encode())
    with pytest.raises(CorruptFileError) as info:
        read_table(excel)  # an Excel CSV (CRLF) without its last line break was cut off: "10" is not a room
    assert (info.value.reason, info.value.row) == ("import.truncated_row", 3)


def test_a_csv_bigger_than_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "巨大.csv"
    with path.open("wb") as fh:
        fh.write("户号,楼栋编号\n".encode())
        fh.truncate(archives.MAX_MEMBER_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(FileTooLargeError) as info:
        read_table(path)
    assert "巨大.csv" in str(info.value) and "256 MB" in str(info.value)


def test_archive_members_are_checked_before_any_is_read(tmp_path: Path) -> None:
    with pytest.raises(ArchiveTooLargeError) as info:
        read_table(BAD / "bomb_roster.xlsx")
    assert info.value.params["member"] == "xl/worksheets/sheet1.xml"
    with pytest.raises(UnsupportedFormatError):
        read_table(BAD / "bomb_bzip2_roster.xlsx")
    ordinary = tmp_path / "a.zip"
    with zipfile.ZipFile(ordinary, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", "x" * 1000)
    with archives.open_zip(ordinary) as archive:
        assert archives.read_member(archive, "a.txt", ordinary) == b"x" * 1000


def test_a_roster_with_a_nul_byte_is_checked_and_marked_without_echoing_the_name(tmp_path: Path) -> None:
    path = tmp_path / "住户名册.csv"
    path.write_text("户号,楼栋编号,单元,楼层,房号,户主姓名\nH0101,B01,一,1,101,赵\x00丽\n", encoding="utf-8")
    check = check_uploaded(path, "households", out_dir=tmp_path)
    assert [(p.row, p.column, p.reason) for p in check.problems] == [(2, "单元", "import.not_a_number")]
    assert check.marked_file is not None and check.marked_file.exists()
    assert "赵" not in str(check) and all("赵" not in p.message() for p in check.problems)


PROBE = """
import json, resource, sys, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
from pathlib import Path
from cogov_toolkit.errors import CogovError
from cogov_toolkit.io.gis import read_layer
from cogov_toolkit.io.surveys import bundled_questionnaire, read_kobo_csv, read_questionnaire, read_wjx_export
from cogov_toolkit.workflows.rosters import check_uploaded
bad = Path(sys.argv[1]) / "tests" / "data" / "bad"
form = bundled_questionnaire("satisfaction_5")
out = {}
for name in ("bomb_roster.xlsx", "bomb_bzip2_roster.xlsx"):
    for importer, call in (
        ("roster", lambda p: check_uploaded(p, "households", out_dir=Path(sys.argv[2]))),
        ("points", lambda p: read_layer(p, "adoption_zones")),
        ("kobo", lambda p: read_kobo_csv(p, form)),
        ("wjx", lambda p: read_wjx_export(p, form)),
        ("questionnaire", read_questionnaire),
    ):
        try:
            call(bad / name)
            out[f"{name}:{importer}"] = "no error"
        except CogovError as exc:
            out[f"{name}:{importer}"] = type(exc).__name__
        except BaseException as exc:
            out[f"{name}:{importer}"] = "raw " + type(exc).__name__
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def test_an_xlsx_bomb_is_refused_by_every_importer_that_reads_xlsx_under_a_gigabyte(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak = result.pop("peak_mb")
    assert set(result.values()) <= {"ArchiveTooLargeError", "UnsupportedFormatError"}, result
    assert len(result) == 10 and peak < 1024
