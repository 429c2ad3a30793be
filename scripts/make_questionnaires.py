"""Write the bundled standard questionnaires (XLSForm .xlsx) into cogov_toolkit/questionnaires/.

The workbooks are the data the toolkit ships; this script is how they were made,
so a change to a question is a reviewed change here followed by a re-run:

    python scripts/make_questionnaires.py

Each workbook opens in Excel/WPS, in KoboToolbox and in ODK's XLSForm tools.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parents[1] / "cogov_toolkit" / "questionnaires"
FIXED_TIME = dt.datetime(2026, 1, 1)  # a fixed stamp keeps re-runs byte-for-byte comparable

SURVEY_HEADER = ("type", "name", "label::zh", "label::en", "required", "relevant", "constraint")
CHOICES_HEADER = ("list_name", "name", "label::zh", "label::en")

LIKERT = [
    ("likert5", "5", "非常满意", "very satisfied"),
    ("likert5", "4", "满意", "satisfied"),
    ("likert5", "3", "一般", "neutral"),
    ("likert5", "2", "不满意", "dissatisfied"),
    ("likert5", "1", "非常不满意", "very dissatisfied"),
]
YES_NO = [("yes_no", "yes", "是", "yes"), ("yes_no", "no", "否", "no")]

#: the five satisfaction items the sample community answered before and after project PJ01
SATISFACTION = [
    ("select_one likert5", "q_overall", "总体满意度", "Overall satisfaction", "yes", "", ""),
    ("select_one likert5", "q_safety", "安全", "Safety", "yes", "", ""),
    ("select_one likert5", "q_greening", "绿化", "Greening", "yes", "", ""),
    ("select_one likert5", "q_facilities", "设施", "Facilities", "yes", "", ""),
    ("select_one likert5", "q_upkeep", "维护管理", "Upkeep", "yes", "", ""),
]
COMMENT = [("text", "comment", "意见和建议（请不要写姓名、电话）", "Comments (no names or phone numbers)", "", "", "")]

FORMS = {
    "satisfaction_5": (
        "满意度五项（1–5分）",
        "Satisfaction, five items (1–5)",
        SATISFACTION + COMMENT,
        LIKERT,
    ),
    "pre_assessment": (
        "事前预评问卷",
        "Before the decision (pre-assessment)",
        [
            ("select_one need", "need", "您觉得这个项目有必要吗？", "Is this project needed?", "yes", "", ""),
            (
                "select_one priority",
                "priority",
                "它应该多快做？",
                "How soon should it be done?",
                "yes",
                "${need} != 'no'",
                "",
            ),
            (
                "select_one option",
                "option",
                "您更喜欢哪个方案？",
                "Which design do you prefer?",
                "yes",
                "${need} != 'no'",
                "",
            ),
            ("select_multiple concern", "concerns", "您担心什么？（可多选）", "What worries you? (any)", "", "", ""),
            ("text", "concern_other", "其他担心", "Other worries", "", "selected(${concerns}, 'other')", ""),
            *SATISFACTION,
            *COMMENT,
        ],
        [
            ("need", "yes", "有必要", "needed"),
            ("need", "unsure", "说不清", "unsure"),
            ("need", "no", "没必要", "not needed"),
            ("priority", "now", "尽快做", "as soon as possible"),
            ("priority", "this_year", "今年内", "this year"),
            ("priority", "later", "可以晚些", "later"),
            ("option", "A", "方案A", "design A"),
            ("option", "B", "方案B", "design B"),
            ("option", "none", "都不喜欢", "neither"),
            ("concern", "noise", "施工噪音", "construction noise"),
            ("concern", "cost", "费用", "cost"),
            ("concern", "parking", "占用车位", "loss of parking"),
            ("concern", "trees", "砍树", "trees cut"),
            ("concern", "other", "其他", "other"),
            *LIKERT,
        ],
    ),
    "mid_supervision": (
        "事中监督问卷",
        "During the works (supervision)",
        [
            ("select_one likert5", "m_quality", "施工质量", "Quality of the works", "yes", "", ""),
            ("select_one likert5", "m_safety", "施工安全（围挡、警示）", "Site safety (fencing, signs)", "yes", "", ""),
            ("select_one likert5", "m_noise", "噪音和灰尘控制", "Noise and dust", "yes", "", ""),
            ("select_one likert5", "m_schedule", "按计划进度", "Keeping to schedule", "yes", "", ""),
            ("select_one yes_no", "problem_seen", "您看到问题了吗？", "Did you see a problem?", "yes", "", ""),
            ("text", "problem_text", "看到了什么问题？", "What problem?", "yes", "${problem_seen} = 'yes'", ""),
            *COMMENT,
        ],
        [*LIKERT, *YES_NO],
    ),
    "post_evaluation": (
        "事后评价问卷",
        "After the works (evaluation)",
        [
            *SATISFACTION,
            ("integer", "visits_per_week", "您每周去几次？", "Visits per week", "", "", ". >= 0 and . <= 21"),
            ("select_one likert5", "p_upkeep_since", "建成后的维护", "Upkeep since completion", "", "", ""),
            (
                "select_one yes_no",
                "adopt",
                "您愿意参与认养或认管吗？",
                "Would you adopt or look after it?",
                "yes",
                "",
                "",
            ),
            *COMMENT,
        ],
        [*LIKERT, *YES_NO],
    ),
}


def write_form(form_id: str, title_zh: str, title_en: str, survey: list, choices: list, folder: Path) -> Path:
    """Write one questionnaire workbook and return its path."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(SURVEY_HEADER)
    for row in survey:
        sheet.append(row)
    sheet = book.create_sheet("choices")
    sheet.append(CHOICES_HEADER)
    for row in choices:
        sheet.append(row)
    sheet = book.create_sheet("settings")
    sheet.append(("form_id", "form_title::zh", "form_title::en", "version"))
    sheet.append((form_id, title_zh, title_en, "2026.1"))
    book.properties.created = book.properties.modified = FIXED_TIME
    path = folder / f"{form_id}.xlsx"
    book.save(path)
    return path


def main(folder: Path = OUT) -> list[Path]:
    """Write every bundled questionnaire into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_form(form_id, *spec, folder) for form_id, spec in FORMS.items()]


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(written)
