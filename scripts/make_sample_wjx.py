"""Write the sample 问卷星 export (cogov_toolkit/demo/sample_questionnaires/) from the sample's evaluations.csv.

The fictional 幸福社区 has pre and post answers for project PJ01; this script
makes the mid-works (事中监督) round a 问卷星 download would give: the fixed
leading columns, one column per question headed "N、label", choice labels as
text, ``(跳过)`` for an unanswered question, and three rows the import must
reject or report (a required answer skipped, an answer not among the choices,
an extra column the questionnaire does not have).

    python scripts/make_sample_wjx.py
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "cogov_toolkit" / "demo" / "sample_data" / "evaluations.csv"
OUT = ROOT / "cogov_toolkit" / "demo" / "sample_questionnaires" / "问卷星_PJ01_事中监督.xlsx"
ITEMS = (
    ("q_overall", "总体满意度"),
    ("q_safety", "安全"),
    ("q_greening", "绿化"),
    ("q_facilities", "设施"),
    ("q_upkeep", "维护管理"),
)
LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
COMMENT = "意见和建议（请不要写姓名、电话）"
COMMENTS = ("施工围挡挺规范", "晚上施工有点吵", "", "希望早点完工", "")


def mid_answers() -> list[tuple[str, str, dict[str, int]]]:
    """Return (household, building, answers) for households that answered both pre and post: the mid-way mean."""
    pre, post = {}, {}
    with SOURCE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["project_id"] != "PJ01" or row["evaluator_role"] != "resident":
                continue
            target = pre if row["phase"] == "pre" else post
            target[row["household_id"]] = (row["building_id"], json.loads(row["answers"]))
    both = sorted(set(pre) & set(post))
    out = []
    for household in both:
        building, before = pre[household]
        after = post[household][1]
        out.append((household, building, {k: round((before[k] + after[k]) / 2 + 0.01) for k, _ in ITEMS}))
    return out


def main(path: Path = OUT) -> Path:
    """Write the workbook and return its path."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "楼栋", "户号"]
    header += [f"{i}、{label}" for i, (_, label) in enumerate(ITEMS, start=1)]
    header += [f"{len(ITEMS) + 1}、{COMMENT}", "您的年龄段"]
    sheet.append(header)
    start = dt.datetime(2026, 6, 10, 9, 0)
    rows = mid_answers()
    for number, (household, building, answers) in enumerate(rows, start=1):
        when = start + dt.timedelta(minutes=37 * number)
        cells = [
            number,
            when.strftime("%Y/%m/%d %H:%M:%S"),
            f"{60 + number % 90}秒",
            "微信",
            "N/A",
            f"10.0.{number // 250}.{number % 250}(内网)",
            building,
            household,
        ]
        cells += [LABELS[answers[k]] for k, _ in ITEMS]
        cells += [COMMENTS[number % len(COMMENTS)] or "(跳过)", "60岁以上" if number % 3 == 0 else "18-59岁"]
        sheet.append(cells)
    # two rows the import must reject, with the row and column named
    bad = len(rows) + 1
    sheet.append(
        [
            bad,
            "2026/06/30 10:00:00",
            "45秒",
            "微信",
            "N/A",
            "10.0.9.9(内网)",
            "B01",
            "H9001",
            "(跳过)",
            "满意",
            "满意",
            "一般",
            "满意",
            "(跳过)",
            "18-59岁",
        ]
    )
    sheet.append(
        [
            bad + 1,
            "2026/06/30 10:05:00",
            "50秒",
            "微信",
            "N/A",
            "10.0.9.10(内网)",
            "B02",
            "H9002",
            "很好",
            "满意",
            "满意",
            "一般",
            "满意",
            "(跳过)",
            "18-59岁",
        ]
    )
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


if __name__ == "__main__":
    print(main())
