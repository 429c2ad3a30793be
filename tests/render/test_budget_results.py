"""The budget result table: every project with its reason, names escaped, totals that add up."""

from __future__ import annotations

from cogov_toolkit.core.votes import BallotSet, RuleParams, count_pb_greedy
from cogov_toolkit.render.budget_results import budget_table_html


def test_the_table_lists_every_project_with_its_reason_and_escapes_names() -> None:
    options = ("口袋花园", "<b>座椅</b>", "文化墙")
    ballots = BallotSet("approval", options, [[1, 1, 0], [1, 0, 0], [0, 0, 1]])
    result = count_pb_greedy(ballots, RuleParams(costs=(60, 30, 50), budget=100))
    html = budget_table_html(result, "zh")
    assert html.count("<tr>") == 1 + 3 + 1  # header, one row per project, total
    assert "&lt;b&gt;座椅&lt;/b&gt;" in html and "<b>座椅</b>" not in html
    assert "按票数排序依次入选" in html and "剩余预算不足" in html
    assert "预算 100，已资助 90，结余 10" in html
    assert "remaining" not in html and "funded in order of votes" in budget_table_html(result, "en")
