"""Round 5: investors of signing ceremonies, brand prefixes, one project named twice, false
projects and paired figures (own invented sentences)."""

from __future__ import annotations

import pytest

from chainatlas.extract import Extractor
from chainatlas.model import Article


def _all(text: str) -> list:
    art = Article(source="t", part=0, title=None, published="2025-03-01", text=text, removed=[], flags=[])
    return Extractor().extract(art).projects


def _projects(text: str) -> list:
    return [p for p in _all(text) if not p.aggregate]


def _by_name(text: str) -> dict:
    return {p.name: p for p in _projects(text)}


# --- 1. the counterpart of the government side in a signing invests

def test_signing_parties_named_by_role_give_the_investor():
    ps = _projects(
        "3月8日，青川示范区举行投资20亿元、年产5万吨负极材料项目签约仪式。星澜新能源科技有限公司董事长"
        "陈立明、示范区管委会主任张国华出席。仪式上，陈立明、张国华分别代表双方签约。"
    )
    assert [(p.investor, p.amount.value) for p in ps] == [("星澜新能源科技有限公司", pytest.approx(20e8))]


def test_three_party_agreement_gives_the_first_company():
    ps = _projects(
        "4月2日，南岭县举行年产3GW光伏组件项目签约仪式，总投资12亿元。县长杨某代表县委、县政府与"
        "蓝穹光能有限公司、北辰建设有限公司签署了三方合作协议。"
    )
    assert [p.investor for p in ps] == ["蓝穹光能有限公司"]


def test_urged_companies_give_the_first_one_without_the_verb():
    ps = _projects(
        "投资30亿元的西岭区储能产业园项目签约仪式昨日举行。副市长在讲话中表示，希望远航储能有限公司和"
        "华信投资有限公司加快推进项目建设。西岭区、远航储能有限公司、华信投资有限公司负责人代表三方签署投资协议。"
    )
    assert [p.investor for p in ps] == ["远航储能有限公司"]


def test_a_company_only_visited_is_no_party():
    ps = _projects(
        "5月6日，东湖县举行总投资8亿元的智能装备产业园项目签约仪式。仪式上，县委书记与嘉禾重工有限公司"
        "董事长共同见证签约。此前，考察团赴北岭电子有限公司考察调研。"
    )
    assert [p.investor for p in ps] == ["嘉禾重工有限公司"]
    only_visit = _projects("考察团赴北岭电子有限公司考察调研，实地察看了沿河产业园项目拟选址。")
    assert only_visit == []


def test_a_customer_of_a_supply_agreement_is_no_investor():
    ps = _projects(
        "当天，石川新材料有限公司年产3万吨正极材料项目投产，总投资9亿元。公司还与青岩电池有限公司签订"
        "长期供货协议。根据规划，公司将启动二期项目，建设年产2万吨前驱体生产线。"
    )
    assert all(p.investor != "青岩电池有限公司" for p in ps), ps


def test_no_party_when_several_projects_lack_an_investor():
    ps = _projects(
        "开发区集中签约了总投资5亿元的精密齿轮项目和总投资3亿元的冷链仓储项目。鸿桥机械有限公司董事长出席仪式。"
    )
    assert all(p.investor is None for p in ps), ps


# --- 2. a brand opening the project's name

def test_organisation_abbreviation_opens_the_name_and_invests():
    ps = _projects("6月9日，澧县举行中联重科工程车桥智能制造项目启动仪式。项目总投资为6.2亿元，拟新建生产线12条。")
    assert [(p.name, p.investor) for p in ps] == [("中联重科工程车桥智能制造项目", "中联重科")]


def test_unknown_proper_name_before_a_capacity_invests():
    ps = _projects("丰海嘉里750吨/天小麦加工项目在港区正式开工，项目总投资9亿元。")
    assert [(p.name, p.investor) for p in ps] == [("丰海嘉里750吨/天小麦加工项目", "丰海嘉里")]


@pytest.mark.parametrize("text", [
    "燃料电池电堆项目在高新区签约，总投资18亿元。",
    "器官芯片项目在科学城签约，总投资2亿元。",
    "车规级功率芯片封测项目在高新区签约，总投资36亿元。",
])
def test_product_words_opening_a_name_are_no_brand(text):
    ps = _projects(text)
    assert len(ps) == 1 and ps[0].investor is None


# --- 3. one project named twice: with the park before it, then without

def test_park_prefix_of_a_repeat_is_the_location():
    ps = _projects(
        "8月1日，清江经开区电驱系统生产基地项目正式投产。这是园区今年投产的第5个项目。瑞驰动力(杭州)科技有限公司"
        "总经理李某介绍说，电驱系统生产基地项目总投资5亿元，达产后年产值12亿元。"
    )
    assert [(p.name, p.location, p.investor, p.amount.value) for p in ps] == [
        ("电驱系统生产基地项目", "清江经开区", "瑞驰动力(杭州)科技有限公司", pytest.approx(5e8))
    ]


# --- 4. false projects and a project signed 就…举行签约仪式

def test_visits_and_briefings_are_no_projects():
    assert _projects(
        "6月3日，县委副书记带领考察团赴银杉智能装备有限公司和锦川精密机械有限公司进行考察调研。"
        "考察团详细听取了企业负责人介绍的发展思路及装备智造产业园区的有关情况。"
    ) == []


def test_project_signed_with_the_company_named_before():
    ps = _projects("9月5日，西川县与海澄储能科技有限公司就零碳智能装备产业园项目举行投资合作协议签约仪式，项目总投资15亿元。")
    assert [(p.name, p.investor, p.stage) for p in ps] == [("零碳智能装备产业园项目", "海澄储能科技有限公司", "签约")]


def test_a_place_and_project_is_no_project():
    ps = _projects("东川新区项目是签约重点。宏光科技拟投资3.5亿元，在双流建设西部物流网智能卡个人数据中心。")
    assert [(p.name, p.investor) for p in ps] == [("西部物流网智能卡个人数据中心", "宏光科技")]


# --- 5. figures paired with names

def test_figures_listed_with_respectively_pair_in_order():
    got = _by_name("会上签约了总投资分别为11亿元、6亿元的高纯石英砂项目和光伏玻璃项目。")
    assert {n: p.amount.value for n, p in got.items()} == {
        "高纯石英砂项目": pytest.approx(11e8), "光伏玻璃项目": pytest.approx(6e8),
    }


def test_each_item_after_respectively_keeps_its_own_figure_and_the_stage():
    got = _by_name(
        "本次签约的4个项目分别是总投资5.5亿元的精密铸件项目，总投资0.6亿元的物流仓储项目，"
        "总投资2亿元的包装材料项目，总投资1.2亿元的食品加工项目。"
    )
    assert {n: p.amount.value for n, p in got.items()} == {
        "精密铸件项目": pytest.approx(5.5e8), "物流仓储项目": pytest.approx(0.6e8),
        "包装材料项目": pytest.approx(2e8), "食品加工项目": pytest.approx(1.2e8),
    }
    assert {p.stage for p in got.values()} == {"签约"}


def test_a_named_project_in_a_batch_keeps_its_figure_and_the_batch_its_total():
    ps = _all("会上，由宏远新材料有限公司计划投资8亿元的高性能纤维项目等8个总投资59亿元的项目集中签约。")
    named = [(p.name, p.investor, p.amount.value) for p in ps if not p.aggregate]
    batch = [(p.count, p.amount.value) for p in ps if p.aggregate]
    assert named == [("高性能纤维项目", "宏远新材料有限公司", pytest.approx(8e8))]
    assert batch == [(8, pytest.approx(59e8))]
