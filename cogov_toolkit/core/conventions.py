"""Resident conventions (居民公约、管理规约、议事规则, 三.3): numbered articles, versions, and their diff.

A convention is a list of articles; an article's number is its place in the
list ("第3条"). Every revision is kept as a new version, and two versions are
compared article by article (:func:`diff_articles`): the result names only
what changed, "第3条 修改、第5条 新增", never articles that merely moved up or
down because one was added or removed before them. Pure: no files, no workspace.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cogov_toolkit import i18n
from cogov_toolkit.core.codes import ConventionKind, ConventionTopic, VersionStatus, VoteMode
from cogov_toolkit.errors import Problem


class ChangeKind(StrEnum):
    """How an article changed between two versions (text ``convention.change.<code>``)."""

    MODIFIED = "modified"
    ADDED = "added"
    DELETED = "deleted"


# "第3条", "第十二条", "3.", "3、", "(3)", "（3）" at the start of a line
_ARTICLE_START = re.compile(
    r"^\s*(?:第\s*[0-9一二三四五六七八九十百零〇两]+\s*条|[0-9]+\s*[.、．)）]|[（(]\s*[0-9]+\s*[)）])\s*[：:]?\s*"
)


def parse_articles(text: str) -> tuple[str, ...]:
    """Return the articles of a convention typed or pasted as text.

    A line starting with an article number ("第3条", "第三条", "3.", "3、",
    "（3）") starts an article, and the lines below it continue it; the number
    itself is dropped (numbers are positions). When no line carries a number,
    each non-blank line is one article.
    """
    lines = [line.rstrip() for line in str(text).splitlines()]
    if not any(_ARTICLE_START.match(line) for line in lines):
        return tuple(line.strip() for line in lines if line.strip())
    articles: list[list[str]] = []
    for line in lines:
        if _ARTICLE_START.match(line):
            articles.append([_ARTICLE_START.sub("", line, count=1).strip()])
        elif line.strip() and articles:
            articles[-1].append(line.strip())
        elif line.strip():  # a heading above the first article: not an article
            continue
    return tuple("\n".join(part for part in parts if part) for parts in articles if any(parts))


def article_label(number: int, language: str | None = None) -> str:
    """Return how an article is named: "第3条"."""
    return i18n.t("convention.article", language, number=number)


def numbered_text(articles: Sequence[str], language: str | None = None) -> str:
    """Return the articles as text, one per paragraph, each starting with its number ("第1条 …")."""
    return "\n".join(f"{article_label(n, language)} {text}" for n, text in enumerate(articles, start=1))


def check_articles(articles: Sequence[str]) -> list[Problem]:
    """Return what keeps a list of articles from being a version: none, a blank one, one written twice."""
    if not articles:
        return [Problem("convention.no_articles")]
    problems = []
    seen: dict[str, int] = {}
    for number, text in enumerate(articles, start=1):
        key = _normal(text)
        if not key:
            problems.append(Problem("convention.blank_article", params={"number": number}))
        elif key in seen:
            problems.append(Problem("convention.repeated_article", params={"number": number, "first": seen[key]}))
        else:
            seen[key] = number
    return problems


def _normal(text: str) -> str:
    """Text as compared: NFKC, white space removed (a space added or taken out is not a changed article)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass(frozen=True)
class ArticleChange:
    """One changed article. ``number`` is in the new version (for a deleted article, in the old one)."""

    kind: ChangeKind
    number: int
    old_number: int | None
    old_text: str | None
    new_text: str | None

    def describe(self, language: str | None = None) -> str:
        """Return "第3条 修改", "第5条 新增", "原第4条 删除" or "第4条（原第3条）修改"."""
        change = i18n.t(f"convention.change.{self.kind.value}", language)
        if self.kind is ChangeKind.DELETED:
            return i18n.t(
                "convention.change_old", language, article=article_label(self.number, language), change=change
            )
        if self.old_number is not None and self.old_number != self.number:
            return i18n.t(
                "convention.change_moved",
                language,
                article=article_label(self.number, language),
                old=article_label(self.old_number, language),
                change=change,
            )
        return i18n.t("convention.change_line", language, article=article_label(self.number, language), change=change)


def diff_articles(old: Sequence[str], new: Sequence[str]) -> tuple[ArticleChange, ...]:
    """Return how the articles changed from ``old`` to ``new``, in reading order.

    Articles are matched as a sequence (difflib), so an article added in the
    middle is one addition and the articles after it, renumbered but unchanged,
    are not listed. Where a run of articles was replaced, they pair up in order
    as modified; the rest are added or deleted.
    """
    a, b = [_normal(t) for t in old], [_normal(t) for t in new]
    changes: list[ArticleChange] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            changes.append(ArticleChange(ChangeKind.MODIFIED, j1 + k + 1, i1 + k + 1, old[i1 + k], new[j1 + k]))
        for i in range(i1 + pairs, i2):
            changes.append(ArticleChange(ChangeKind.DELETED, i + 1, i + 1, old[i], None))
        for j in range(j1 + pairs, j2):
            changes.append(ArticleChange(ChangeKind.ADDED, j + 1, None, None, new[j]))
    return tuple(changes)


def diff_text(changes: Sequence[ArticleChange], language: str | None = None) -> str:
    """Return the changes as one line, "第3条 修改、第5条 新增"; "无改动" when there are none."""
    if not changes:
        return i18n.t("convention.no_change", language)
    return i18n.t("convention.change_join", language).join(c.describe(language) for c in changes)


__all__ = [
    "ConventionKind",
    "ConventionTopic",
    "VersionStatus",
    "VoteMode",
    "ChangeKind",
    "ArticleChange",
    "parse_articles",
    "article_label",
    "numbered_text",
    "check_articles",
    "diff_articles",
    "diff_text",
]
