"""Evaluations on the sample community: storing, 问卷星 and Kobo imports, and the analysis."""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cogov_toolkit.core.evaluation import (
    ChangeMethod,
    LeftOut,
    LeftOutReason,
    building_figures,
    compare_phases,
    item_summaries,
    mean_ci,
    prepare_responses,
    public_comments,
    responses_by_role,
    t_quantile_975,
)
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.demo.sample import sample_wjx_export
from cogov_toolkit.errors import CogovError, EncodingError, ValidationError
from cogov_toolkit.io.surveys import bundled_questionnaire, read_kobo_csv, read_wjx_export
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows.evaluations import (
    LINKS,
    TABLE,
    Respondent,
    build_report,
    evaluation_frame,
    store_import,
    submit_response,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
WJX = sample_wjx_export()


@pytest.fixture(name="ws")
def fixture_ws(sample):
    return sample


@pytest.fixture(name="satisfaction", scope="module")
def fixture_satisfaction():
    return bundled_questionnaire("satisfaction_5")


def test_a_response_is_stored_with_its_household_kept_private(ws, satisfaction) -> None:
    who = Respondent("PJ01", "post", "resident", "B03", "H0070")
    answers = {
        "q_overall": "5",
        "q_safety": 4,
        "q_greening": "4",
        "q_facilities": "3",
        "q_upkeep": "4",
        "comment": "很好",
    }
    record_uuid = submit_response(ws, satisfaction, who, answers, idempotency_key="k1")
    assert submit_response(ws, satisfaction, who, answers, idempotency_key="k1") == record_uuid
    row = ws.get("evaluations", record_uuid)
    assert json.loads(row["answers"])["q_overall"] == 5 and row["comment"] == "很好"
    assert "H0070" not in json.dumps(row, ensure_ascii=False)
    links = ws.private_records("evaluation_links")
    assert links[links["evaluation_uuid"] == record_uuid]["household_id"].tolist() == ["H0070"]


def test_an_incomplete_response_is_refused_with_every_problem(ws, satisfaction) -> None:
    before = ws.count("evaluations")
    with pytest.raises(ValidationError) as info:
        submit_response(ws, satisfaction, Respondent("", "post", "resident"), {"q_overall": "9"}, idempotency_key="k2")
    columns = {p.column for p in info.value.problems}
    assert {"project_id", "building_id", "q_overall", "q_safety"} <= columns
    assert ws.count("evaluations") == before


def test_the_wjx_export_maps_onto_the_questionnaire(ws, satisfaction) -> None:
    report = read_wjx_export(WJX, satisfaction)
    assert len(report.accepted) == 80
    assert report.unmatched_columns == ("您的年龄段",)
    assert report.dropped_columns == ("来自IP",)
    assert report.rejected_rows == (82, 83)
    assert {(p.row, p.column, p.reason) for p in report.rejected} == {
        (82, "1、总体满意度", "evaluation.required"),
        (83, "1、总体满意度", "evaluation.unknown_choice"),
    }
    first = report.accepted[0]
    assert first.building_id == "B01" and first.household_id == "H0006"
    assert first.submitted_at == "2026-06-10T09:37:00+08:00"
    assert "拒收 2 行" in report.summary() and "第 83 行" in report.summary()
    before = ws.count("evaluations")
    stored = store_import(ws, report, project_id="PJ01", phase="mid")
    assert ws.count("evaluations") == before + 80
    store_import(ws, report, project_id="PJ01", phase="mid")  # the same file again adds nothing
    assert ws.count("evaluations") == before + 80
    mids = ws.records("evaluations").query("phase == 'mid'")
    assert not mids["answers"].str.contains("10.0.").any()  # the IP never reaches the workspace
    assert len(stored.stored) == 80


def test_wjx_multiple_choices_and_skips(tmp_path: Path) -> None:
    from openpyxl import Workbook

    form = bundled_questionnaire("pre_assessment")
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "序号",
            "提交答卷时间",
            "所用时间",
            "来源",
            "来源详情",
            "来自IP",
            "楼栋",
            "1、您觉得这个项目有必要吗？",
            "2、它应该多快做？",
            "3、您更喜欢哪个方案？",
            "4、您担心什么？（可多选）",
            "总体满意度",
            "安全",
            "绿化",
            "设施",
            "维护管理",
        ]
    )
    sheet.append(
        [
            1,
            "2026/05/01 10:00:00",
            "30秒",
            "微信",
            "N/A",
            "1.2.3.4",
            "B01",
            "没必要",
            "(跳过)",
            "(跳过)",
            "施工噪音┋砍树",
            "满意",
            "一般",
            "一般",
            "满意",
            "满意",
        ]
    )
    path = tmp_path / "wjx.xlsx"
    book.save(path)
    report = read_wjx_export(path, form)
    assert report.rejected == ()
    assert report.accepted[0].answers["concerns"] == ["noise", "trees"]
    assert "priority" not in report.accepted[0].answers


def test_a_kobo_csv_in_gbk_maps_onto_the_questionnaire(tmp_path: Path, satisfaction) -> None:
    text = (
        "start,end,group_a/q_overall,group_a/q_safety,q_greening,q_facilities,q_upkeep,comment,building_id,_uuid,_submission_time,extra\n"
        "2026-06-01,2026-06-01,5,4,4,3,4,路灯亮了,B01,abc,2026-06-01T10:00:00,x\n"
        "2026-06-01,2026-06-01,,4,4,3,4,,B02,abd,2026-06-01T10:05:00,y\n"
    )
    path = tmp_path / "kobo.csv"
    path.write_bytes(text.encode("gbk"))
    report = read_kobo_csv(path, satisfaction)
    assert [r.answers["q_overall"] for r in report.accepted] == [5]
    assert report.accepted[0].answers["comment"] == "路灯亮了"
    assert report.unmatched_columns == ("extra",)
    assert [(p.row, p.column) for p in report.rejected] == [(3, "group_a/q_overall")]


def test_a_wrongly_encoded_csv_names_the_file(tmp_path: Path, satisfaction) -> None:
    path = tmp_path / "kobo.csv"
    path.write_bytes(b"q_overall,q_safety\n5,4\n\xff\xfe\x81\x00,3\n")
    with pytest.raises(EncodingError) as info:
        read_kobo_csv(path, satisfaction, encoding="utf-8")
    assert "kobo.csv" in str(info.value) and info.value.row == 3 and "第 3 行" in str(info.value)


def test_an_export_with_no_question_columns_is_refused(tmp_path: Path, satisfaction) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CogovError) as info:
        read_kobo_csv(path, satisfaction)
    assert info.value.reason == "evaluation.no_question_columns"
    with pytest.raises(CogovError) as info:
        read_wjx_export(path, satisfaction)
    assert info.value.reason == "evaluation.not_wjx" and info.value.column == "序号"


def test_t_quantiles_match_published_values() -> None:
    # Student's t, 0.975 quantile (Abramowitz & Stegun, table 26.10)
    for df, expected in ((1, 12.706), (5, 2.571), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980)):
        assert t_quantile_975(df) == pytest.approx(expected, abs=1e-3)
    assert t_quantile_975(10_000) == pytest.approx(1.960, abs=1e-3)


def test_mean_ci_on_known_numbers() -> None:
    ci = mean_ci([2, 4, 4, 4, 5, 5, 7, 9])
    half = 2.3646242510102993 * np.std([2, 4, 4, 4, 5, 5, 7, 9], ddof=1) / math.sqrt(8)  # t(0.975, 7)
    assert (ci.n, ci.mean) == (8, 5.0)
    assert ci.low == pytest.approx(5 - half) and ci.high == pytest.approx(5 + half)
    assert math.isnan(mean_ci([3]).low)


def test_summaries_of_the_sample_project(ws, satisfaction) -> None:
    frame = evaluation_frame(ws, "PJ01")
    roles = responses_by_role(frame)
    assert roles.query("phase == 'pre' and evaluator_role == 'resident'")["n"].item() == 120
    table = item_summaries(frame, satisfaction)
    row = table.query("phase == 'post' and item == 'q_overall'").iloc[0]
    values = pd.to_numeric(pd.Series([a.get("q_overall") for a in frame.query("phase == 'post'")["answers"]])).dropna()
    assert row["n"] == len(values) and row["mean"] == pytest.approx(values.mean())
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert row["share_low"] + row["share_neutral"] + row["share_high"] == pytest.approx(1)
    assert row["score_100"] == pytest.approx((values.mean() - 1) * 25)
    assert sum(row[f"count_{v}"] for v in "12345") == row["n"]


def test_pre_post_change_uses_everyone_and_the_households_that_answered_both(ws, satisfaction) -> None:
    frame = evaluation_frame(ws, "PJ01", with_households=True)
    changes = {c.item: c for c in compare_phases(frame, satisfaction)}
    overall = changes["q_overall"]
    pre, post = (frame[frame["phase"] == phase] for phase in ("pre", "post"))
    values = {
        phase: part["answers"].map(lambda a: a.get("q_overall")) for phase, part in (("pre", pre), ("post", post))
    }
    assert overall.method is ChangeMethod.PARTIAL and overall.n_pairs == 80
    assert (overall.n_before, overall.n_after) == (125, 105)
    assert overall.before == pytest.approx(values["pre"].mean()) and overall.after == pytest.approx(
        values["post"].mean()
    )
    assert overall.difference == pytest.approx(overall.after - overall.before)
    assert overall.low < overall.difference < overall.high and overall.low > 0
    pairs = (
        pd.DataFrame({"h": pre["household_id"], "v": values["pre"]})
        .dropna()
        .merge(pd.DataFrame({"h": post["household_id"], "v": values["post"]}).dropna(), on="h")
    )
    assert overall.paired_difference == pytest.approx((pairs["v_y"] - pairs["v_x"]).mean())
    unpaired = compare_phases(evaluation_frame(ws, "PJ01"), satisfaction)[0]
    assert unpaired.method is ChangeMethod.UNPAIRED and unpaired.n_pairs == 0
    assert unpaired.difference == pytest.approx(overall.difference)  # the same estimate, a wider interval
    assert unpaired.high - unpaired.low > overall.high - overall.low


def test_buildings_with_fewer_than_five_respondents_are_suppressed(ws) -> None:
    frame = evaluation_frame(ws, "PJ01").query("phase == 'post'")
    figures = building_figures(frame, "q_overall")
    small = figures[figures["respondents"] < 5]
    assert not small.empty, "the sample must have a small building for this test to mean anything"
    assert small["mean"].isna().all() and small["suppressed"].all()
    assert figures.loc[~figures["suppressed"], "mean"].notna().all()


def test_comments_lose_phone_numbers_and_known_names() -> None:
    frame = pd.DataFrame(
        {"comment": ["张三说灯坏了，电话138 1234 5678", None], "answers": [{}, {"comment": "打 027-87654321"}]}
    )
    gate = PublicationGate(private_strings=["张三"])
    assert public_comments(frame, gate) == ["张**说灯坏了，电话***", "打 ***"]
    assert gate.mask("2026年共120户") == "2026年共120户"  # numbers that are not phones stay


def test_a_building_hidden_alone_takes_a_second_one_with_it(ws) -> None:
    from cogov_toolkit.workflows.evaluations import build_report

    report = build_report(ws, "PJ01", bundled_questionnaire("satisfaction_5"))
    buildings = report.buildings
    primary = buildings["respondents"] < 5
    assert buildings.loc[buildings["suppressed"], "mean"].isna().all()
    # wherever fewer than two are hidden by their size, one more is hidden, so the total cannot give one away
    assert buildings["suppressed"].sum() >= 2 or not buildings["suppressed"].any()
    assert buildings["suppressed"].sum() >= primary.sum()


# ---------------------------------------------------------------- stored answers checked again
def _store(ws, phase: str, building: str | None, household: str | None, answers, at: str | None, role="resident"):
    """Write a response as any tool other than the form could: no checks at all."""
    record = {
        "project_id": "PJ07",
        "phase": phase,
        "evaluator_role": role,
        "building_id": building,
        "questionnaire": "satisfaction_5",
        "answers": answers if isinstance(answers, str) else json.dumps(answers, ensure_ascii=False),
        "submitted_at": at,
    }
    private = {LINKS: {"household_id": household}} if household else None
    return ws.add(TABLE, record, private=private)


def test_stored_answers_outside_the_choices_are_left_out_and_reported(ws, satisfaction) -> None:
    for i, value in enumerate([4, 5, 3, 4, 4, 7, 0]):  # 7 and 0 are not on the 1–5 scale
        _store(ws, "post", "B03", f"H9{i:03d}", {"q_overall": value}, f"2026-09-01T10:0{i}:00+08:00")
    _store(ws, "post", "B03", "H9100", "[5, 4]", "2026-09-01T11:00:00+08:00")  # JSON, but not a record
    edited = [_store(ws, "post", "B03", f"H91{i}", {"q_overall": 5}, None) for i in (1, 2)]
    raw = item_summaries(evaluation_frame(ws, "PJ07"), satisfaction)
    assert raw.loc[0, "n"] == 9, "unchecked, the planted answers count"
    # a GIS user edits the GeoPackage table directly (the toolkit's own checks are bypassed)
    path = ws.path
    ws.close()
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE evaluations SET answers = '{\"q_overall\": 5' WHERE uuid = ?", (edited[0],))
        db.execute("UPDATE evaluations SET phase = '季度' WHERE uuid = ?", (edited[1],))

    with open_workspace(path, backups=0) as reopened:
        report = build_report(reopened, "PJ07", satisfaction)
    row = report.items.query("item == 'q_overall'").iloc[0]
    assert row["n"] == 5 and row["mean"] == pytest.approx(4.0)
    assert sum(row[f"count_{v}"] for v in "12345") == 5
    assert set(report.left_out) == {
        LeftOut("post", "q_overall", LeftOutReason.UNKNOWN_CHOICE, 2),
        LeftOut("post", "", LeftOutReason.UNREADABLE, 2),
        LeftOut("季度", "", LeftOutReason.UNKNOWN_PHASE, 1),
    }


def test_a_households_latest_answer_by_time_wins_not_the_last_stored(ws, satisfaction) -> None:
    _store(ws, "post", "B03", "H0201", {"q_overall": 5}, "2026-09-03T09:00:00+08:00")  # the latest, stored first
    _store(ws, "post", "B03", "H0201", {"q_overall": 1}, "2026-09-01T09:00:00+08:00")
    _store(ws, "post", "B03", "H0201", {"q_overall": 2}, "2026-09-02T09:00:00+00:00")  # 17:00 in Shanghai
    _store(ws, "post", "B03", "H0201", {"q_overall": 3}, None)  # no time: older than any timed answer
    _store(ws, "post", None, None, {"q_overall": 2}, None, role="property_manager")
    _store(ws, "post", None, None, {"q_overall": 2}, None, role="property_manager")
    prepared = prepare_responses(evaluation_frame(ws, "PJ07", with_households=True), satisfaction)
    kept = prepared.frame
    assert kept.loc[kept["household_id"] == "H0201", "answers"].tolist() == [{"q_overall": 5}]
    assert prepared.left_out == (LeftOut("post", "", LeftOutReason.REPEATED, 3),)
    assert prepared.by_household and prepared.without_household == 2  # the two without an id both count
    assert item_summaries(kept, satisfaction).loc[0, "n"] == 3


def test_answers_failing_a_constraint_or_not_relevant_are_left_out() -> None:
    from cogov_toolkit.core.questionnaire import Choice, Question, Questionnaire, QuestionType, parse_expression

    form = Questionnaire(
        "f",
        "问卷",
        "form",
        (
            Question("used", QuestionType.SELECT_ONE, "用过吗", list_name="yes_no"),
            Question("visits", QuestionType.INTEGER, "每周几次", constraint=parse_expression(". <= 21")),
            Question(
                "q", QuestionType.SELECT_ONE, "满意度", list_name="five", relevant=parse_expression("${used} = 'yes'")
            ),
        ),
        {
            "yes_no": (Choice("yes", "是"), Choice("no", "否")),
            "five": tuple(Choice(str(v), str(v)) for v in range(1, 6)),
        },
    )
    frame = pd.DataFrame(
        {
            "phase": "post",
            "evaluator_role": "resident",
            "answers": [
                {"used": "yes", "visits": 3, "q": 4},
                {"used": "no", "visits": 50, "q": 5},  # 50 breaks the constraint; q does not apply
                {"used": "yes", "visits": 2.5, "q": "4"},
            ],
        }
    )
    prepared = prepare_responses(frame, form)
    assert prepared.frame["answers"].tolist() == [
        {"used": "yes", "visits": 3, "q": 4},
        {"used": "no"},
        {"used": "yes", "q": 4},
    ]
    assert set(prepared.left_out) == {
        LeftOut("post", "visits", LeftOutReason.CONSTRAINT, 1),
        LeftOut("post", "q", LeftOutReason.NOT_RELEVANT, 1),
        LeftOut("post", "visits", LeftOutReason.NOT_AN_INTEGER, 1),
    }
    assert not prepared.by_household and prepared.without_household == 3


def _cells(path: Path) -> list[list[list[object]]]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


@pytest.mark.parametrize(
    ("script", "committed"),
    [
        ("make_sample_wjx.py", [WJX]),
        ("make_questionnaires.py", sorted((REPO_ROOT / "cogov_toolkit" / "questionnaires").glob("*.xlsx"))),
    ],
)
def test_committed_workbooks_are_what_their_scripts_write(tmp_path: Path, script: str, committed: list[Path]) -> None:
    import runpy

    module = runpy.run_path(str(REPO_ROOT / "scripts" / script))
    if script == "make_sample_wjx.py":
        written = [module["main"](tmp_path / WJX.name)]
    else:
        written = module["main"](tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in committed)
    for path in committed:
        assert _cells(tmp_path / path.name) == _cells(path), path.name
