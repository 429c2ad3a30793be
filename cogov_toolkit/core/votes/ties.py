"""Ties: found exactly, listed explicitly, and broken only by a recorded lot when asked.

By default a tie is reported: every tied option is a winner and the result says
so. When the caller asks for :attr:`TieBreakMethod.LOT`, one option is drawn from
the seed the caller gave. The draw is a SHA-256 of the seed, the stage and the
tied options, so it is the same on every machine and in every future version of
Python or numpy (their random generators promise no such thing), and anybody can
redo it by hand from the published seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from cogov_toolkit import i18n
from cogov_toolkit.core.votes.params import RuleParams, TieBreakMethod

_LOT_VERSION = "cogov-lot/1"


@dataclass(frozen=True)
class Draw:
    """One lot: which options were tied at which stage, and which one was drawn.

    ``stage`` says what the draw decided: ``"winner"`` (the drawn option wins),
    ``"eliminate round N"`` (instant runoff, STV: the drawn option is eliminated in round N),
    ``"surplus round N"`` (STV: whose equal surplus goes first), ``"seat N"`` (a
    selection: the drawn option takes seat N) or ``"fund step N"`` (a budget: the drawn
    project is funded at step N).
    """

    stage: str
    tied: tuple[str, ...]
    drawn: str

    def message(self, language: str | None = None) -> str:
        """Return the draw in words (e.g. "第 2 轮：甲、乙并列最少，抽签淘汰乙")."""
        tied = i18n.t("vote.draw.separator", language).join(self.tied)
        if self.stage.startswith("eliminate round "):
            number = self.stage.removeprefix("eliminate round ")
            return i18n.t("vote.draw.eliminate", language, round=number, tied=tied, drawn=self.drawn)
        if self.stage.startswith("surplus round "):
            number = self.stage.removeprefix("surplus round ")
            return i18n.t("vote.draw.surplus", language, round=number, tied=tied, drawn=self.drawn)
        if self.stage.startswith("seat "):
            return i18n.t("vote.draw.seat", language, tied=tied, drawn=self.drawn)
        if self.stage.startswith("fund step "):
            return i18n.t("vote.draw.fund", language, tied=tied, drawn=self.drawn)
        return i18n.t("vote.draw.winner", language, tied=tied, drawn=self.drawn)


@dataclass(frozen=True)
class TieBreak:
    """The tie-break applied to a result: the method, its seed and every draw made."""

    method: TieBreakMethod
    seed: int
    drawn: tuple[Draw, ...]


def leaders(values: Sequence[int | float] | Sequence[object], among: Sequence[int] | None = None) -> tuple[int, ...]:
    """Return the indices (in ``among``, default all) whose value is the largest; several means a tie."""
    indices = range(len(values)) if among is None else among
    best = max((values[i] for i in indices), default=None)
    return tuple(i for i in indices if values[i] == best)


def draw_lot(seed: int, stage: str, tied: Sequence[str]) -> str:
    """Return the option drawn from ``tied`` for ``stage`` with ``seed`` (deterministic, version-proof)."""
    text = "|".join([_LOT_VERSION, str(int(seed)), stage, "\x1f".join(tied)])
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    # 256-bit number modulo a handful of options: the bias is far below 1e-70
    return tied[number % len(tied)]


def settle(
    tied: Sequence[int], options: Sequence[str], params: RuleParams, stage: str = "winner"
) -> tuple[tuple[str, ...], Draw | None]:
    """Return the winners among ``tied`` option indices, and the draw if a lot decided.

    With ``REPORT`` (or no tie) every tied option is returned; with ``LOT`` one is drawn.
    """
    names = tuple(options[i] for i in sorted(tied))
    if len(names) <= 1 or params.tie_break is TieBreakMethod.REPORT:
        return names, None
    drawn = draw_lot(params.seed, stage, names)
    return (drawn,), Draw(stage, names, drawn)


def tie_break_record(params: RuleParams, draws: Sequence[Draw]) -> TieBreak | None:
    """Return the :class:`TieBreak` for a result: None when no lot was drawn."""
    if not draws:
        return None
    return TieBreak(params.tie_break, params.seed, tuple(draws))


__all__ = ["Draw", "TieBreak", "leaders", "draw_lot", "settle", "tie_break_record"]
