"""Resident text that once broke a rendering: "$" in a vote option or an adopter's name, "../" in a file name."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from datetime import date
from pathlib import Path

import numpy as np

from cogov_toolkit.core.adoption import SignContent
from cogov_toolkit.core.escape import file_name
from cogov_toolkit.core.votes import BallotKind, BallotSet, Rule, RuleParams, count
from cogov_toolkit.io.surveys import bundled_questionnaire
from cogov_toolkit.render.adoption_signs import write_adoption_signs
from cogov_toolkit.render.evaluation_report import write_report
from cogov_toolkit.render.vote_results import bar_chart
from cogov_toolkit.workflows.evaluations import build_report

DOLLARS = ("$5 一个的方案", "x$^{2}$ 方案 $", "$$")


def test_a_dollar_in_a_vote_option_is_drawn_as_a_dollar(tmp_path: Path) -> None:
    ballots = BallotSet(BallotKind.CHOICE, DOLLARS, np.array([[0], [1], [2]]), np.array([5, 3, 1]))
    figure = bar_chart(count(ballots, Rule.PLURALITY, RuleParams()), title="票数 $ 统计")
    figure.savefig(io.BytesIO(), format="png")  # drawn after the rc context ended, as a notebook does
    figure.savefig(tmp_path / "chart.svg", format="svg")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert svg.count("$") >= 3  # the dollars are text, not TeX


def test_a_dollar_in_an_adopter_name_or_duties_makes_a_sign(tmp_path: Path) -> None:
    sign = SignContent(
        3, "树木认养", "志愿者团队", "$红马甲$志愿队", date(2026, 1, 1), date(2026, 12, 31), "每周 $2$ 次浇水"
    )
    path = write_adoption_signs([sign], tmp_path / "认养牌.pdf", community="幸福社区", office_phone="0592-5550000")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "$红马甲$志愿队" in text and "$2$" in text


def test_file_names_built_from_data_cannot_leave_their_folder(sample, tmp_path: Path) -> None:
    for hostile in ("../../逃逸", "..\\..\\逃逸", "/etc/passwd", "PJ01\x00.html", "CON", "a" * 300):
        name = file_name(hostile)
        assert "/" not in name and "\\" not in name and ".." not in name and "\x00" not in name
        assert 0 < len(name) <= 60 and name.upper() != "CON"
    report = build_report(sample, "PJ01", bundled_questionnaire("satisfaction_5"))
    folder = tmp_path / "报告" / "输出"
    written = write_report(dataclasses.replace(report, project_id="../../逃逸"), folder)
    assert written and all(p.resolve().parent == folder.resolve() for p in written)
    assert not list(tmp_path.glob("逃逸*")) and not list((tmp_path / "报告").glob("*逃逸*"))
