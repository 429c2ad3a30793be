"""问卷星 exports of the real-world corpus, text ("按选项文本") and coded ("按序号"), decided by reading the files.

The questionnaires are the planner's copy of each 问卷星 form, written here with the
choices in the form's order (the coded export numbers them so; the order was read by
lining up the two exports of the same survey). Where a choice never appears in the
four rows of All_Data, its label is a placeholder: 问卷星 keeps the form online.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.core.questionnaire import Questionnaire
from cogov_toolkit.io.surveys import SurveyReport, read_questionnaire, read_wjx_export
from tests.io.realworld import corpus
from tests.io.xlsforms import write_xlsform


def form(path: Path, questions: list[tuple[str, str, str]], lists: dict[str, list[str]]) -> Questionnaire:
    """An XLSForm of (type, name, label) rows; choice k of each list is named str(k)."""
    choices = [("list_name", "name", "label::zh")]
    for list_name, labels in lists.items():
        choices += [(list_name, str(k), label) for k, label in enumerate(labels, start=1)]
    return read_questionnaire(write_xlsform(path, [("type", "name", "label::zh"), *questions], choices))


@pytest.fixture(name="hobbies", scope="module")
def fixture_hobbies(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    lists = {
        "phones": ["1部", "2部", "3部", "4部及以上"],
        "price": ["0-799元", "800-999元", "1000-1499元", "1500-1999元", "2000-2499元", "2500-2999元", "3000-3499元",
                  "3500元及以上", "免费赠送的"],
        "sex": ["男", "女"],
        "age": ["16岁以下", "16~19岁", "20~24岁", "25~29岁", "30~34岁", "35~39岁", "40~49岁", "50~59岁", "60岁以上"],
        "income": ["3000元以下", "3001-5000元", "5001-8000元", "8001-10000元", "10001-15000元", "15000元以上", "无收入",
                   "不知道/拒绝回答"],
        "hobby": ["运动", "阅读", "影视", "美食", "旅游", "IT数码", "艺术", "音乐", "游戏动漫", "手工艺", "摄影", "购物", "健康"],
        "share": ["没有投入", "10%左右", "20%左右", "30%左右", "40%左右", "50%左右", "超过50%"],
        "news": ["不关注", "娱乐八卦", "财经", "汽车类", "时尚", "电子科技类", "体育类", "政治/军事", "ACG文化(动漫、游戏等)"],
    }  # fmt: skip
    questions = [
        ("select_one phones", "q1", "手机部数"),
        ("select_one price or_other", "q2", "手机价格"),
        ("select_one sex", "q3", "性别"),
        ("select_one age", "q4", "年龄"),
        ("select_one income", "q5", "月收入"),
        ("select_multiple hobby or_other", "q6", "兴趣爱好"),
        ("select_one share", "q7", "爱好投入占收入比重"),
        ("select_multiple news or_other", "q8", "关注资讯"),
    ]
    return form(tmp_path_factory.mktemp("wjx") / "800.xlsx", questions, lists)


@pytest.fixture(name="education", scope="module")
def fixture_education(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    lists = {
        "sex": ["男", "女"],
        "age": ["16岁以下", "16~19岁", "20~24岁", "25~29岁", "30~34岁", "35~39岁", "40~49岁", "50~59岁", "60岁以上"],
        "degree": ["初中及以下", "高中/中专/职高", "大专或大学非本科", "本科", "硕士及以上", "其它"],
    }
    questions = [
        ("select_one sex", "q1", "请问您的性别？"),
        ("select_one age", "q2", "请问您的年龄?"),
        ("select_one degree", "q3", "请问您的最高学历是?"),
    ]
    return form(tmp_path_factory.mktemp("wjx") / "357.xlsx", questions, lists)


MATRIX = ["外观", "界面美观度", "屏幕显示效果", "无线/数据上网连接速度", "系统稳定性", "系统流畅性", "Hi-Fi音质",
          "扬声器外放音质", "通话质量", "续航时间", "充电时间", "发热程度", "内存与存储空间", "拍照效果", "指纹识别",
          "语音助手", "GPS定位速度"]  # fmt: skip
SOURCES = ["实体手机卖场的广告(如国美、苏宁、永乐、迪信通等)", "运营商营业厅的广告(如移动、联通、电信营业厅)",
           "公共场所的广告(如机场、地铁、公交站、电梯等)", "社交类软件(如微信、微博、QQ等)",
           "电商网站(如京东、天猫、苏宁易购、1号店、淘宝等)", "中关村、PChome、手机之家等科技类网站",
           "新浪、网易、凤凰、腾讯等门户类网站", "中兴官网、中兴官方网上商城", "中兴线下实体旗舰店",
           "今日头条、Zaker、鲜果、Flipboard等聚合类平台", "论坛类网站(如知乎、百度贴吧、豆瓣等)",
           "移动、联通、电信的官方网站", "视频类网站(如爱奇艺、优酷、腾讯视频等)", "广播", "报纸", "电视", "促销员推荐",
           "亲戚朋友在用或推荐"]  # fmt: skip


@pytest.fixture(name="phone", scope="module")
def fixture_phone(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    lists = {
        "yes_no": ["是", "否"],
        "user": ["自己", "朋友或家人"],
        "source": SOURCES,
        "channel": ["（途径1）", "（途径2）", "家电连锁卖场(如国美、苏宁、永乐等)", "（途径4）", "（途径5）", "（途径6）",
                    "（途径7）", "（途径8）"],
        "score5": [f"{k}分" for k in range(1, 6)],
        "sex": ["男", "女"],
        "age": ["（年龄1）", "（年龄2）", "25-29岁", "（年龄4）", "35-39岁"],
    }  # fmt: skip
    questions = [
        ("select_one yes_no", "q1", "请问您是中兴员工或有家属在中兴通讯工作吗?"),
        ("select_one user", "q2", "请问您购买的“中兴天机7”是谁在使用?"),
        ("select_multiple source or_other", "q3", "请问在购买前,您从哪里了解到“中兴天机7”?(多选,)"),
        ("select_one channel or_other", "q4", "您是通过什么途径购买的“中兴天机7“?"),
        ("text", "q7", "请问您使用的上一部手机(“中兴天机7”之前)的品牌及型号?"),
        *[("select_one score5", f"q13_{i}", label) for i, label in enumerate(MATRIX, start=1)],
        ("select_one score11", "q15", "您对“中兴天机7”整体的满意度如何?(以0-10分为标准,0分为最低,10分为最高)"),
        ("select_one sex", "q37", "性别"),
        ("select_one age", "q38", "请问您的年龄?"),
    ]
    path = tmp_path_factory.mktemp("wjx") / "phone.xlsx"
    choices = [("list_name", "name", "label::zh")]
    for list_name, labels in lists.items():
        choices += [(list_name, str(k), label) for k, label in enumerate(labels, start=1)]
    choices += [("score11", str(k), f"{k}分") for k in range(11)]  # a 0–10 scale: code 1 is 0分
    return read_questionnaire(write_xlsform(path, [("type", "name", "label::zh"), *questions], choices))


def answers(report: SurveyReport) -> dict[int, dict[str, object]]:
    return {r.row: r.answers for r in report.accepted}


def without_other_texts(rows: dict[int, dict[str, object]]) -> dict[int, dict[str, object]]:
    """The coded export has no 〖other〗 texts: compare the rest."""
    return {row: {k: v for k, v in a.items() if not k.endswith("_other")} for row, a in rows.items()}


def test_every_export_of_the_corpus_is_covered() -> None:
    names = {p.name for p in corpus("wjx_exports").glob("*.xls")}
    assert names == {
        "wjx_800_800_0_text.xls", "wjx_800_800_2_codes.xls", "wjx_357_357_0_text.xls", "wjx_357_357_2_codes.xls",
        "wjx_All_Data_Readable.xls", "wjx_All_Data_Original.xls",
    }  # fmt: skip


def test_the_800_text_export(hobbies: Questionnaire) -> None:
    report = read_wjx_export(corpus("wjx_exports", "wjx_800_800_0_text.xls"), hobbies)
    assert len(report.accepted) == 800 and report.rejected == ()
    got = answers(report)
    assert got[2]["q1"] == 1 and got[2]["q6"] == ["1", "3", "12"]  # 运动┋影视┋购物
    assert got[2]["q8"] == ["2", "4"]  # 娱乐八卦┋汽车类
    assert got[112]["q6"][-1] == "other" and got[112]["q6_other"] == "军事国防"  # 其他【请注明】〖军事国防〗
    assert report.dropped_columns == ("来自IP",)


def test_the_800_coded_export_gives_the_same_answers(hobbies: Questionnaire) -> None:
    text = read_wjx_export(corpus("wjx_exports", "wjx_800_800_0_text.xls"), hobbies)
    coded = read_wjx_export(corpus("wjx_exports", "wjx_800_800_2_codes.xls"), hobbies)
    assert len(coded.accepted) == 800 and coded.rejected == ()
    assert without_other_texts(answers(coded)) == without_other_texts(answers(text))
    assert ("第6题(运动)", "q6 = 1") in coded.mapping and ("第8题(其他【请注明】)", "q8 = other") in coded.mapping


@pytest.mark.parametrize("name", ["wjx_357_357_0_text.xls", "wjx_357_357_2_codes.xls"])
def test_the_357_exports_with_their_own_column_order(education: Questionnaire, name: str) -> None:
    report = read_wjx_export(corpus("wjx_exports", name), education)
    assert len(report.accepted) == 204 and report.rejected == ()
    got = answers(report)
    assert got[2] == {"q1": 1, "q2": 4, "q3": 2}  # 男, 25~29岁, 高中/中专/职高 (a "/" in a choice)
    assert got[4]["q3"] == 4  # 本科
    assert all(r.submitted_at is None for r in report.accepted)  # the meta cells say NULL
    assert set(report.meta_columns) == {"序号", "提交答卷时间", "所用时间", "来源", "来源详情"}


def test_all_data_readable_skips_others_matrix_and_type_notes(phone: Questionnaire) -> None:
    report = read_wjx_export(corpus("wjx_exports", "wjx_All_Data_Readable.xls"), phone)
    assert [r.row for r in report.accepted] == [2, 3, 4, 5] and report.rejected == ()
    got = answers(report)
    assert got[2] == {"q1": 1}  # every other question (跳过)
    assert got[3]["q4"] == "other" and got[3]["q4_other"] == "你好好"  # 其他【请注明】〖你好好〗
    assert got[3]["q3"] == ["2", "3", "4", "5", "other"] and got[3]["q3_other"] == "柜台"
    assert got[3]["q13_4"] == 3 and got[5]["q13_4"] == 5  # "无线/数据上网连接速度": the "/" is part of the title
    assert got[3]["q15"] == 3 and got[3]["q37"] == 1 and got[3]["q7"] == "中兴天机7"  # "(单选题 *必答)" notes
    assert report.accepted[1].submitted_at == "2016-12-17T14:25:31+08:00"
    assert report.dropped_columns == ("来自IP",)
    assert any(c.startswith("12、") for c in report.unmatched_columns)  # a ranking: listed, not imported


def test_all_data_coded_maps_codes_back_through_the_questionnaire(phone: Questionnaire) -> None:
    readable = read_wjx_export(corpus("wjx_exports", "wjx_All_Data_Readable.xls"), phone)
    coded = read_wjx_export(corpus("wjx_exports", "wjx_All_Data_Original.xls"), phone)
    assert coded.rejected == ()
    assert without_other_texts(answers(coded)) == without_other_texts(answers(readable))  # −3 is (跳过)
    assert sum(c.startswith("第12题") for c in coded.unmatched_columns) == 24  # the ranking's columns, each listed
