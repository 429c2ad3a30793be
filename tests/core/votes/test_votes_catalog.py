"""Every message and label the votes code can show exists in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cogov_toolkit import i18n
from cogov_toolkit.core import votes
from cogov_toolkit.core.votes import SET_ASIDE_REASONS, BallotKind, CivilCodeMatter, DuplicatePolicy, TieBreakMethod

VOTES = Path(votes.__file__).parent


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in VOTES.rglob("*.py"))


def test_every_error_reason_has_a_message() -> None:
    reasons = set(re.findall(r'VoteError\(\s*"(vote\.[a-z_]+)"', _source()))
    reasons |= set(re.findall(r'reason = "(vote\.[a-z_]+)"', _source()))
    assert len(reasons) > 15
    assert sorted(r for r in reasons if not i18n.has(f"error.{r}")) == []


def test_every_key_the_results_carry_is_in_the_catalog() -> None:
    keys = set(re.findall(r'"(vote\.(?:check|note|set_aside)\.[a-z_]+)"', _source())) | set(SET_ASIDE_REASONS)
    assert sorted(k for k in keys if not i18n.has(k)) == []


@pytest.mark.parametrize(
    ("prefix", "enum"),
    [
        ("vote.matter", CivilCodeMatter),
        ("vote.tie_break", TieBreakMethod),
        ("vote.ballot_kind", BallotKind),
        ("vote.duplicate_policy", DuplicatePolicy),
    ],
)
def test_every_option_has_a_label(prefix: str, enum) -> None:
    for member in enum:
        entry = i18n.catalog()[f"{prefix}.{member.value}"]
        assert entry["zh"] and entry["en"]


def test_matter_labels_are_the_articles_words() -> None:
    assert i18n.t("vote.matter.common_parts_use", "zh") == "改变共有部分的用途或者利用共有部分从事经营活动"
    assert i18n.t("vote.set_aside.duplicate", "zh").startswith("重复投票")


def test_a_lot_reads_in_words() -> None:
    from cogov_toolkit.core.votes import Draw

    assert Draw("eliminate round 2", ("甲", "乙"), "乙").message("zh") == "第 2 轮：甲、乙并列最少，抽签淘汰乙"
    assert Draw("winner", ("A", "B"), "B").message("en") == "A, B tied; drawn by lot: B wins"
