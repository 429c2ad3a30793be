"""A participatory budget's result table as HTML: each project, its cost and votes, funded or not, and why.

Takes a counted :class:`~cogov_toolkit.core.votes.VoteResult` of ``pb_greedy`` or
``pb_equal_shares`` (never a Workspace). Project names are resident text and go
through :mod:`cogov_toolkit.core.escape`. The table holds aggregates only: no ballot,
no voter.
"""

from __future__ import annotations

from fractions import Fraction

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.core.votes import VoteResult


def _money(value: int | Fraction | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if Fraction(value).denominator == 1 else f"{float(value):,.2f}"


def budget_table_html(result: VoteResult, language: str | None = None) -> str:
    """Return the funding table of a budget result as a self-contained HTML table."""
    zh = (language or i18n.get_language()) == "zh"
    head = ("项目", "费用", "票数", "是否资助", "说明") if zh else ("Project", "Cost", "Votes", "Funded", "Why")
    yes, no = ("是", "否") if zh else ("yes", "no")
    rows = []
    for row in result.funding:
        rows.append(
            "<tr>"
            f"<td>{html_text(row.project)}</td>"
            f'<td style="text-align:right">{_money(row.cost)}</td>'
            f'<td style="text-align:right">{row.votes:,}</td>'
            f"<td>{yes if row.funded else no}</td>"
            f"<td>{html_text(i18n.t(row.reason, language))}</td>"
            "</tr>"
        )
    spent = result.spent or 0
    total = (
        f"预算 {_money(result.budget)}，已资助 {_money(spent)}，结余 {_money((result.budget or 0) - spent)}"
        if zh
        else f"budget {_money(result.budget)}, funded {_money(spent)}, left {_money((result.budget or 0) - spent)}"
    )
    header = "".join(f"<th>{h}</th>" for h in head)
    return (
        '<table class="cogov-budget" style="border-collapse:collapse">'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody>"
        f'<tfoot><tr><td colspan="5">{html_text(total)}</td></tr></tfoot></table>'
    )


__all__ = ["budget_table_html"]
