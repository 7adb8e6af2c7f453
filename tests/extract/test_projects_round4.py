"""Round 4: project mechanisms widened to their whole class (own invented sentences)."""

from __future__ import annotations

import pytest

from chainatlas.clean.chrome import join_broken_lines
from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.extract.project_tables import table_rows
from chainatlas.model import Article


def _projects(text: str) -> list:
    art = Article(source="t", part=0, title=None, published="2025-03-01", text=text, removed=[], flags=[])
    return [p for p in Extractor().extract(art).projects if not p.aggregate]


def _one(text: str, investor: str | None = None):
    ps = _projects(text)
    hits = [p for p in ps if investor is None or p.investor == investor]
    assert hits, ps
    return hits[0]


# --- table rows in full-width-space columns (single spaces after width normalisation)

_SPACED_TABLE = (
    "现将重点项目进展列示如下：\n"
    "序号 项目名称 建设单位 建设地点 总投资 建设内容 当前进度\n"
    "1 年产8万吨电解液项目 青禾化学材料有限公司 东港区 12亿元 建设电解液生产线及罐区 主体施工中\n"
    "2 智能农机装备产业园项目 北垣农机装备有限公司 西塘县 6.5亿元 建设整机装配车间 已竣工\n"
    "3 年产2GW N型组件项目 澄光新能源科技有限公司 南岭区 9亿元 新建组件车间 3月开工\n"
)


def test_spaced_table_rows_have_their_own_cells():
    rows = table_rows(_SPACED_TABLE)
    assert len(rows) == 3
    assert [c.text for c in rows[2].cells][1] == "年产2GW N型组件项目"  # a Latin space stays inside a cell
    assert rows[0].fields["amount"] == 4


def test_spaced_table_projects_keep_their_amounts():
    got = {p.investor: p.amount.value for p in _projects(_SPACED_TABLE) if p.amount}
    assert got == {
        "青禾化学材料有限公司": pytest.approx(12e8),
        "北垣农机装备有限公司": pytest.approx(6.5e8),
        "澄光新能源科技有限公司": pytest.approx(9e8),
    }


def test_headline_with_two_spaces_is_no_table_row():
    assert table_rows("快讯｜某某新材料基地正式投产 首条产线通过验收\n正文在此。") == []


def test_spaced_table_row_is_not_joined_with_the_next_paragraph():
    row = "6 新型建材项目 石川建材有限公司 北湖区 4.2亿元 年产加气砌块六十万立方米 已投产"
    assert join_broken_lines([row, "下一步，专班将加强调度。"]) == [row, "下一步，专班将加强调度。"]


# --- anaphors: 这个/这座/这家… + facility noun point back to the project named before


@pytest.mark.parametrize(
    "text, investor, amount",
    [
        (
            "岸边，远川新材料有限公司年产30万吨特种树脂项目的储罐已经吊装到位。“我们抢的是工期。”厂长说。"
            "按照计划，这个总投资45亿元的项目将于明年建成投产。",
            "远川新材料有限公司", 45e8,
        ),
        (
            "5月8日，华东（临港）算力中心在新城正式上线运营。这座中心由星池数据科技有限公司（以下简称“星池数据”）"
            "投资建设，总投资9.6亿元。",
            "星池数据科技有限公司", 9.6e8,
        ),
        (
            "北岭重工有限公司大型风电铸件基地的厂房已封顶。这家企业介绍，这一基地总投资18亿元。",
            "北岭重工有限公司", 18e8,
        ),
    ],
)
def test_anaphor_takes_the_recently_named_project(text, investor, amount):
    p = _one(text, investor)
    assert p.amount is not None and p.amount.value == pytest.approx(amount)


def test_anaphor_future_stage_is_under_construction():
    p = _one(
        "岸边，远川新材料有限公司年产30万吨特种树脂项目的储罐已经吊装到位。这个总投资45亿元的项目将于明年建成投产。",
        "远川新材料有限公司",
    )
    assert p.stage == "在建"


def test_background_anaphor_does_not_steal_the_stage():
    ps = _projects("智能传感器产业化项目（云芯三期），就是依托这个平台落地的首个项目，由云芯微电子有限公司投资。")
    assert any(p.stage == "落地" and "智能传感器" in (p.name or "") for p in ps), ps


# --- a bare phase owned by a company names a project; brackets and Latin spaces in names


@pytest.mark.parametrize(
    "text, investor",
    [
        ("华晶光电显示材料（蚌埠）有限公司8.5代基板玻璃二期建成投产。", "华晶光电显示材料（蚌埠）有限公司"),
        ("今年，青禾化学材料有限公司六氟磷酸锂三期开工建设。", "青禾化学材料有限公司"),
    ],
)
def test_owned_phase_is_a_project(text, investor):
    p = _one(text, investor)
    assert p.name and p.name.endswith("期")


def test_unowned_phase_is_no_project():
    assert _projects("一期部署算力3000P，二期开工时间待定，项目将分步实施。") == []


def test_latin_space_stays_in_the_name():
    p = _one("1．晶沐光能科技有限公司年产10GW N型高效电池片项目，总投资45亿元，落户经开区。")
    assert p.name == "年产10GW N型高效电池片项目"
    assert p.investor == "晶沐光能科技有限公司"


def test_bracketed_place_stays_in_the_name():
    p = _one("长三角（嘉兴）智算中心在南湖区正式上线运营，总投资12亿元，由禾数科技有限公司投资建设。")
    assert p.name == "长三角（嘉兴）智算中心"


# --- batches, equipment lists, copulas


def test_company_project_named_in_a_batch_is_kept():
    ps = _projects("今年还将推进广东远岚电子材料有限公司电子化学品项目等5个配套项目建设，全年计划完成投资31亿元。")
    assert [(p.name, p.investor, p.stage) for p in ps] == [("电子化学品项目", "广东远岚电子材料有限公司", "在建")]


@pytest.mark.parametrize(
    "text",
    [
        "正加快推进蓝岭新能源科技有限公司储能电池项目建设。",
        "全力推进蓝岭新能源科技有限公司储能电池项目建设，确保年内完工。",
    ],
)
def test_push_forward_object_construction_is_under_construction(text):
    assert _one(text, "蓝岭新能源科技有限公司").stage == "在建"


@pytest.mark.parametrize(
    "text",
    [
        "由广西玉工精机有限公司投资3.1亿元建设的再制造项目近日竣工，新增五轴加工中心、数控磨床等关键设备一百二十台（套）。",
        "项目建成后，将购置立式加工中心、激光切割机等设备八十台。",
    ],
)
def test_machines_in_an_equipment_list_are_no_project(text):
    assert not any("加工中心" in (p.name or "") for p in _projects(text))


@pytest.mark.parametrize(
    "text",
    [
        "市长表示，东岭区是全国重要的紧固件生产基地，研究院的落地将带动产业升级。",
        "经过十年发展，西塘县已成为全省最大的户外家具产业园，去年签约项目12个。",
    ],
)
def test_copula_with_de_describes_the_subject(text):
    assert not any((p.name or "").endswith(("生产基地", "产业园")) for p in _projects(text))


def test_headline_short_investor_merges_with_the_full_name():
    ps = _projects(
        "KLM医药华中生产基地正式投产\n"
        "今天，KLM医药科技（武汉）有限公司位于光谷生物城的生产基地正式投产，项目总投资15亿元。"
    )
    assert len(ps) == 1
    assert ps[0].investor == "KLM医药科技（武汉）有限公司"


# --- company names whose brand holds a verb-like word


@pytest.mark.parametrize(
    "text, name",
    [
        ("1．晶沐光能科技有限公司年产电池片项目签约。", "晶沐光能科技有限公司"),
        ("华晶光电显示材料有限公司签约。", "华晶光电显示材料有限公司"),
        ("会上，云启智能装备有限公司与园区签约。", "云启智能装备有限公司"),
    ],
)
def test_brand_with_a_verb_like_word(text, name):
    assert name in [e.name for e in extract_entities(text) if e.type == "company"]


def test_verb_before_a_generic_company_body_still_cuts():
    names = [e.name for e in extract_entities("今天，公司宣布收购光能科技有限公司。") if e.type == "company"]
    assert "公司宣布收购光能科技有限公司" not in names


@pytest.mark.parametrize("text", ["这家企业是深圳某某半导体集团股份有限公司的全资子公司。", "它是该集团的控股子公司。"])
def test_subsidiary_words_are_no_company(text):
    assert not any(e.name in ("全资子公司", "控股子公司") for e in extract_entities(text))
