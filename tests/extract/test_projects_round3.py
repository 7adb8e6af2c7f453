"""Round-3 project mechanisms (table rows, in-sentence references, predicates, stages), on
sentences written for these tests."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.project_tables import header_amount, table_rows
from chainatlas.model import Article, Project


def _projects(text: str) -> list[Project]:
    art = Article(source="t.txt", part=0, title=None, published="2025-05-01", text=text)
    return [p for p in Extractor().extract(art).projects if not p.aggregate]


def _facts(ps: list[Project]) -> list[tuple[str | None, float | None]]:
    return [(p.investor, p.amount.value if p.amount else None) for p in ps]


# --------------------------------------------------------------------------- table rows

def test_table_rows_each_give_one_project_with_their_own_cells() -> None:
    text = (
        "青州市二季度重点项目集中开工。部分项目如下：\n"
        "序号｜项目名称｜建设单位｜建设地点｜总投资｜建设内容｜进度\n"
        "1｜年产8万吨高纯石英砂项目｜青州晶砂新材料有限公司｜青州经济开发区｜15亿元｜新建提纯车间及配套设施｜5月开工\n"
        "2｜智能农机整机制造项目｜山东沃丰农业装备有限公司｜谭坊镇｜7.6亿元｜购置焊接机器人40台｜续建，设备安装\n"
        "据了解，今年以来全市新开工项目进展顺利。"
    )
    ps = _projects(text)
    assert sorted(_facts(ps)) == [("山东沃丰农业装备有限公司", 7.6e8), ("青州晶砂新材料有限公司", 1.5e9)]
    by_inv = {p.investor: p for p in ps}
    assert by_inv["青州晶砂新材料有限公司"].name == "年产8万吨高纯石英砂项目"
    assert by_inv["青州晶砂新材料有限公司"].stage == "开工"
    assert by_inv["山东沃丰农业装备有限公司"].stage == "在建"
    assert by_inv["山东沃丰农业装备有限公司"].name == "智能农机整机制造项目"  # not the 建设内容 cell


def test_table_rows_with_pipes_and_tabs_and_spaces() -> None:
    for sep in ("|", "\t", "  "):
        text = (
            f"项目名称{sep}投资单位{sep}投资额\n"
            f"氢燃料电池电堆项目{sep}江淮氢动科技有限公司{sep}4.5亿元\n"
            f"碳化硅衬底项目{sep}皖南晶芯半导体有限公司{sep}9亿元\n"
        )
        assert sorted(_facts(_projects(text))) == [("江淮氢动科技有限公司", 4.5e8), ("皖南晶芯半导体有限公司", 9e8)], sep


def test_table_rows_are_found_under_their_header_only() -> None:
    text = "项目名称｜建设单位｜总投资（亿元）\n储能电站项目｜某某能源有限公司｜12\n\n正文一句话。\n"
    rows = table_rows(text)
    assert len(rows) == 1 and rows[0].fields["amount"] == 2 and rows[0].unit == "亿元"
    assert header_amount("12", "亿元") == (1.2e9, "元")
    assert header_amount("约3.5", "万美元") == (35000.0, "美元")
    assert header_amount("待定", "亿元") is None
    assert table_rows("没有表格的一段正文，只有一句话。") == []


def test_a_table_row_does_not_absorb_the_paragraph_after_it() -> None:
    from chainatlas.clean.chrome import join_broken_lines

    row = "3｜高端轴承项目｜洛阳精工轴承有限公司｜洛龙区｜6亿元｜建设厂房3万平方米及配套｜续建，设备安装"
    assert join_broken_lines([row, "据统计，今年上半年全市重点项目累计完成投资200亿元。"]) == [
        row, "据统计，今年上半年全市重点项目累计完成投资200亿元。",
    ]


# --------------------------------------------------------------------------- frames

def test_reference_in_the_same_sentence_means_the_project_named_before() -> None:
    text = "6月5日，某市高新区管委会与天河智算（江西）科技有限公司签订智算中心项目投资协议，项目总投资40亿元。"
    assert _facts(_projects(text)) == [("天河智算（江西）科技有限公司", 4e9)]


def test_predicate_name_in_a_reference_sentence_is_no_new_project() -> None:
    for text in (
        "9月2日，闽江新材料股份有限公司年产3万吨聚酰亚胺薄膜项目投产。该项目是公司成立以来规模最大的单体项目，总投资26亿元。",
        "昨日，赣北锂业有限公司高纯碳酸锂项目正式投产。该项目属于全省重点建设项目，总投资12亿元，达产后年产值40亿元。",
    ):
        ps = _projects(text)
        assert len(ps) == 1, [p.name for p in ps]
        assert ps[0].amount is not None and ps[0].investor is not None


def test_company_short_form_opening_the_name_is_the_investor() -> None:
    text = (
        "远航新能源动力电池项目在宁乡开工。\n"
        "3月1日，湖南远航新能源科技有限公司在宁乡举行签约仪式，随后远航新能源年产8GWh储能电池项目开工，总投资30亿元。"
    )
    assert ("湖南远航新能源科技有限公司", 3e9) in _facts(_projects(text))


def test_descriptive_verb_before_suffix_stays_in_the_name() -> None:
    for text, name in (
        ("在九原区，北方风能装备有限公司的叶片扩建项目刚刚竣工。", "叶片扩建项目"),
        ("东港化工有限公司的环氧树脂续建工程已完工。", "环氧树脂续建工程"),
    ):
        ps = _projects(text)
        assert ps and ps[0].name == name, [p.name for p in ps]
        assert ps[0].stage == "竣工"


def test_name_is_not_cut_at_a_single_character_inside_a_word() -> None:
    text = "由湘中新材料股份有限公司投资的年产3万吨磷酸锰铁锂正极材料项目开工，项目计划总投资九亿元。"
    ps = _projects(text)
    assert _facts(ps) == [("湘中新材料股份有限公司", 9e8)]
    assert ps[0].name == "年产3万吨磷酸锰铁锂正极材料项目"


def test_registered_capital_is_not_an_investment() -> None:
    text = "日前，黔南芯微电子有限公司正式落户都匀经济开发区，注册资本5000万元，首期投资2亿元。"
    assert _facts(_projects(text)) == [("黔南芯微电子有限公司", 2e8)]


def test_period_before_a_scope_word_is_a_total_not_a_project() -> None:
    for text in (
        "据统计，今年上半年全市省市重点项目累计完成投资310亿元。",
        "1至9月全区重点项目完成投资88亿元。",
    ):
        assert _projects(text) == []


# --------------------------------------------------------------------------- stages

def test_settling_at_a_signing_event_is_a_signing() -> None:
    text = (
        "南宁在曼谷举办投资推介会，现场签约项目9个。主要签约项目如下：\n"
        "1．泰华橡胶制品有限公司高性能轮胎项目，总投资2亿美元，落户南宁经开区；\n"
        "2．暹罗食品科技有限公司热带水果深加工项目，总投资5亿元，落户横州市。"
    )
    ps = _projects(text)
    assert len(ps) == 2 and {p.stage for p in ps} == {"签约"}


def test_first_units_off_the_line_mean_in_production() -> None:
    text = "10月20日，苏北储能科技有限公司年产10GWh储能电池项目一期首批电芯下线。该项目总投资35亿元。"
    ps = _projects(text)
    assert _facts(ps) == [("苏北储能科技有限公司", 3.5e9)]
    assert ps[0].stage == "投产"


def test_debugging_counts_only_at_the_end_of_a_clause() -> None:
    ps = _projects("公司在经开区的N型电池片三期项目正在调试，预计年底前满产。")
    assert ps and ps[0].stage == "在建"
    ps = _projects("在灵犀智能装备有限公司的研发中心里，工程师正在调试新一代机械臂。")
    assert ps == []


def test_future_stage_never_overrides_an_achieved_one() -> None:
    ps = _projects("7月8日，华东精密铸造有限公司大型铸件项目竣工，预计9月投产。")
    assert ps and ps[0].stage == "竣工"
