"""Convention articles: parsed from pasted text, checked, and two versions show exactly their diff."""

from __future__ import annotations

import pytest

from cogov_toolkit.core.conventions import (
    ChangeKind,
    check_articles,
    diff_articles,
    diff_text,
    numbered_text,
    parse_articles,
)

V1 = (
    "爱护小区公共空间，不私自占用架空层。",
    "车辆按线停放，不占用消防通道。",
    "垃圾分类投放，按时定点。",
    "晚上十点后不在广场跳舞。",
)


def test_the_diff_names_exactly_what_changed() -> None:
    v2 = (*V1[:2], "垃圾分类投放，早七点至九点、晚六点至八点定时定点。", V1[3], "电动车不进楼道充电。")
    assert diff_text(diff_articles(V1, v2)) == "第3条 修改、第5条 新增"
    assert diff_text(diff_articles(V1, v2), "en") == "Article 3 modified, Article 5 added"
    assert diff_text(diff_articles(V1, V1)) == "无改动"


def test_an_article_added_in_the_middle_does_not_list_the_renumbered_ones() -> None:
    v2 = (V1[0], "新增：楼道不堆放杂物。", *V1[1:])
    changes = diff_articles(V1, v2)
    assert diff_text(changes) == "第2条 新增"
    assert changes[0].kind is ChangeKind.ADDED and changes[0].new_text == v2[1]


def test_deleted_and_moved_articles_say_their_old_number() -> None:
    v2 = (V1[0], V1[2], V1[3])  # article 2 deleted
    assert diff_text(diff_articles(V1, v2)) == "原第2条 删除"
    v3 = (V1[0], V1[2], "晚上九点半后不在广场跳舞。")  # from v1: 2 deleted, 4 modified and now number 3
    assert diff_text(diff_articles(V1, v3)) == "原第2条 删除、第3条（原第4条）修改"


def test_white_space_alone_is_not_a_change() -> None:
    v2 = (V1[0] + " ", "车辆按线停放，  不占用消防通道。", *V1[2:])
    assert diff_articles(V1, v2) == ()


def test_pasted_text_becomes_articles_with_or_without_numbers() -> None:
    text = "幸福小区居民公约\n第一条 爱护公共空间。\n不私占架空层。\n第2条：车辆按线停放。\n3、垃圾分类。\n"
    assert parse_articles(text) == ("爱护公共空间。\n不私占架空层。", "车辆按线停放。", "垃圾分类。")
    assert parse_articles("爱护公共空间。\n\n车辆按线停放。") == ("爱护公共空间。", "车辆按线停放。")
    assert parse_articles(numbered_text(V1)) == V1


@pytest.mark.parametrize(
    ("articles", "reasons"),
    [
        ((), ["convention.no_articles"]),
        (("甲。", "  "), ["convention.blank_article"]),
        (("甲。", "乙。", "甲。"), ["convention.repeated_article"]),
        (("甲。", "乙。"), []),
    ],
)
def test_articles_are_checked(articles: tuple[str, ...], reasons: list[str]) -> None:
    assert [p.reason for p in check_articles(articles)] == reasons
