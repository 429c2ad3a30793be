"""Showing a counted vote: result table, bar chart, instant-runoff rounds, turnout by building.

matplotlib is imported inside the functions that draw, with the Simplified Chinese
font from :func:`~cogov_toolkit.render.fonts.find_cjk_font`. The turnout map uses the
maps issue's :func:`~cogov_toolkit.render.choropleth.building_choropleth`, which greys
out and hides every building whose figure comes from fewer than 5 voters.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from cogov_toolkit import i18n
from cogov_toolkit.errors import CogovError
from cogov_toolkit.render.choropleth import MIN_RESPONDENTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cogov_toolkit.core.votes import ChannelScreening, VoteResult

#: colours of the options, colour-blind safe (Okabe–Ito), in ballot order
OPTION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def result_table(result: VoteResult) -> pd.DataFrame:
    """Return the result as a table for people: option, votes, share of valid ballots, winner mark."""
    total = sum(Fraction(s) for _, s in result.scores)
    winners = set(result.winners)
    return pd.DataFrame(
        {
            i18n.t("vote_results.option"): [o for o, _ in result.scores],
            i18n.t("vote_results.votes"): [_number(s) for _, s in result.scores],
            i18n.t("vote_results.share"): [
                f"{float(Fraction(s) / total) * 100:.1f}%" if total else "—" for _, s in result.scores
            ],
            i18n.t("vote_results.winner"): ["★" if o in winners else "" for o, _ in result.scores],
        }
    )


def set_aside_table(result: VoteResult) -> pd.DataFrame:
    """Return how many ballots were set aside for each reason (the reasons in words)."""
    counts = result.set_aside_counts
    return pd.DataFrame(
        {
            i18n.t("vote_results.reason"): [i18n.t(r) for r in counts],
            i18n.t("vote_results.count"): list(counts.values()),
        }
    )


def tally_sheet(screening: ChannelScreening) -> pd.DataFrame:
    """Return the tally sheet (计票单): per channel, then per building, ballots received = valid + blank + set aside.

    The last row is the whole vote. Building figures are the planner's internal ones (the
    sheet is for the count table, not for a notice: a notice uses :func:`public_turnout`).
    """
    rows = []
    for s in screening.by_channel:
        rows.append((i18n.t("vote_results.by_channel"), i18n.label("ballot_channel", s.key), s))
    for s in screening.by_building:
        key = s.key if s.key is not None else i18n.t("vote_results.off_roll")
        rows.append((i18n.t("vote_results.by_building"), key, s))
    table = pd.DataFrame(
        [(level, key, s.received, s.valid, s.blank, s.set_aside, "✓" if s.balanced else "✗") for level, key, s in rows],
        columns=_SHEET_COLUMNS(),
    )
    total = (
        i18n.t("vote_results.total_row"), "", screening.received, screening.valid, screening.blank,
        screening.set_aside, "✓" if screening.balanced else "✗",
    )  # fmt: skip
    return pd.concat([table, pd.DataFrame([total], columns=table.columns)], ignore_index=True)


def tally_check_line(screening: ChannelScreening) -> str:
    """Return the tally sheet's check in words: total = valid + blank + set aside, and whether it holds."""
    key = "vote_results.check_holds" if screening.balanced else "vote_results.check_fails"
    order = " > ".join(i18n.label("ballot_channel", c) for c in screening.precedence.order)
    return i18n.t(
        key, total=screening.received, valid=screening.valid, blank=screening.blank,
        set_aside=screening.set_aside, order=order,
    )  # fmt: skip


def set_aside_list(result: VoteResult, channel_of: dict[str, str] | None = None) -> pd.DataFrame:
    """Return every set-aside ballot by its public reference, its channel and its reason in words.

    ``channel_of`` maps a ballot reference to its channel (public data of the ``ballots`` table).
    """
    channel_of = channel_of or {}
    return pd.DataFrame(
        {
            i18n.t("vote_results.ballot_ref"): [s.ref for s in result.set_aside],
            i18n.t("vote_results.channel"): [
                i18n.label("ballot_channel", channel_of[s.ref]) if s.ref in channel_of else "" for s in result.set_aside
            ],
            i18n.t("vote_results.reason"): [i18n.t(s.reason) for s in result.set_aside],
        }
    )


def _SHEET_COLUMNS() -> list[str]:  # noqa: N802 - read at call time: the language may change
    return [
        i18n.t(f"vote_results.sheet.{c}")
        for c in ("level", "key", "received", "valid", "blank", "set_aside", "balanced")
    ]


def bar_chart(result: VoteResult, *, title: str | None = None) -> Figure:
    """Return a horizontal bar chart of the votes per option, winners marked, in Chinese."""
    import matplotlib
    from matplotlib.figure import Figure

    from cogov_toolkit.render.fonts import find_cjk_font

    options = [o for o, _ in result.scores]
    values = [float(Fraction(s)) for _, s in result.scores]
    with matplotlib.rc_context(
        {"font.family": [find_cjk_font().family, "sans-serif"], "text.parse_math": False, "font.size": 14}
    ):
        figure = Figure(figsize=(8, 0.8 * len(options) + 1.5), dpi=100)
        axes = figure.add_subplot()
        bars = axes.barh(options[::-1], values[::-1], color=[_colour(i) for i in range(len(options))][::-1])
        for bar, value, option in zip(bars, values[::-1], options[::-1], strict=True):
            mark = " ★" if option in result.winners else ""
            axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {_number(value)}{mark}", va="center")
        axes.set_xlabel(i18n.t("vote_results.votes"))
        axes.set_title(title or i18n.t("vote_results.chart_title", counted=result.ballots_counted))
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlim(0, max(values + [1]) * 1.2)
        figure.tight_layout()
    return figure


def irv_flow(result: VoteResult, *, title: str | None = None) -> Figure:
    """Return the instant-runoff rounds as a flow: each option's votes round by round, eliminations marked.

    Raises CogovError for a result without rounds (only instant runoff has them).
    """
    if not result.rounds:
        raise CogovError("vote_results.no_rounds")
    import matplotlib
    from matplotlib.figure import Figure

    from cogov_toolkit.render.fonts import find_cjk_font

    rounds = [r.number for r in result.rounds]
    with matplotlib.rc_context(
        {"font.family": [find_cjk_font().family, "sans-serif"], "text.parse_math": False, "font.size": 13}
    ):
        figure = Figure(figsize=(8, 5), dpi=100)
        axes = figure.add_subplot()
        for i, option in enumerate(result.options):
            votes = [dict(r.tallies).get(option) for r in result.rounds]
            shown = [(n, v) for n, v in zip(rounds, votes, strict=True) if v is not None]
            if not shown:
                continue
            xs, ys = zip(*shown, strict=True)
            axes.plot(xs, ys, marker="o", linewidth=3, color=_colour(i), label=option)
            mark = "★" if option in result.winners else "✕"
            axes.annotate(f"{option} {ys[-1]} {mark}", (xs[-1], ys[-1]), xytext=(6, 0), textcoords="offset points")
        axes.set_xticks(rounds, [i18n.t("vote_results.round", number=n) for n in rounds])
        axes.set_ylabel(i18n.t("vote_results.votes"))
        axes.set_title(title or i18n.t("vote_results.irv_title"))
        axes.set_ylim(bottom=0)
        axes.legend(loc="upper left", frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
    return figure


def public_turnout(table: pd.DataFrame, *, min_voters: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Return per-building turnout for people and publication: building, households, voters, turnout.

    ``table`` is :func:`~cogov_toolkit.workflows.votes.turnout_by_building`; a building whose
    figure comes from fewer than ``min_voters`` voters shows "—" for its voters and turnout.
    """
    small = table["voters"] < min_voters
    hidden = i18n.t("vote_results.suppressed")
    return pd.DataFrame(
        {
            i18n.t("vote_results.building"): table["label"].tolist(),
            i18n.t("vote_results.households"): table["households"].tolist(),
            i18n.t("vote_results.voters"): [
                hidden if s else str(v) for v, s in zip(table["voters"], small, strict=True)
            ],
            i18n.t("vote_results.turnout"): [
                hidden if s else f"{t * 100:.1f}" for t, s in zip(table["turnout"], small, strict=True)
            ],
        }
    )


def _colour(index: int) -> str:
    return OPTION_COLOURS[index % len(OPTION_COLOURS)]


def _number(value: object) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


__all__ = [
    "OPTION_COLOURS",
    "result_table",
    "set_aside_table",
    "set_aside_list",
    "tally_sheet",
    "tally_check_line",
    "bar_chart",
    "irv_flow",
    "public_turnout",
]
