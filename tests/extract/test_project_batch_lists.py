"""Batch lists of projects in work plans and 达产 reports (original sentences only).

A work plan or a half-year report names its projects as an enumeration closed by 等项目 /
等N个项目 / 等一批重大项目, each item a company's short name, often with a capacity and a
product and no 项目 of its own. Each item is one project, its investor the company opening it.
"""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.lexicon import load_lexicon
from chainatlas.extract.project_arguments import _pv
from chainatlas.extract.project_lists import item_company, list_items
from chainatlas.model import Article


def _projects(text: str) -> list[tuple[str | None, str | None, str | None]]:
    art = Article(source="t.txt", part=0, title="江城重点工业项目推进计划", published="2024-03-01", text=text,
                  removed=[], flags=[])
    res = Extractor().extract(art)
    return [(p.name, p.investor, p.stage) for p in res.projects if not p.aggregate]


def _items(text: str) -> list[str]:
    return [text[s:e] for s, e, _, _ in list_items(text, 0, len(text))]


def _company(item: str) -> str | None:
    v = _pv()
    return item_company(item, load_lexicon().regions, v.item_heads, v.brand_industries, v.brand_generic,
                        v.estate_words)


def test_items_closed_by_a_batch_tail_are_projects_whatever_they_end_with() -> None:
    assert _items("新建宏图环保、天成电子、百川新材等15个项目实现达产达效。") == ["宏图环保", "天成电子", "百川新材"]
    assert _items("开工建设远航电子50万台平板电脑、金桥家居20万套家具制造等项目；") == [
        "远航电子50万台平板电脑", "金桥家居20万套家具制造"]
    assert _items("江城引进了联创智能终端制造基地、华瑞12寸芯片封测、博远—庆丰等一批重大项目。") == [
        "联创智能终端制造基地", "华瑞12寸芯片封测", "博远—庆丰"]


def test_kinds_of_projects_and_planned_contents_are_no_list() -> None:
    assert _items("涉及装备制造、电子信息、新能源等领域的项目。") == []
    assert _items("项目将建成江城大学材料测试分中心、江城医学检验分中心，服务园区企业。") == []


def test_the_company_opening_an_item() -> None:
    assert _company("宏达化工30万吨乙二醇") == "宏达化工"
    assert _company("绿源生物一期10万吨淀粉") == "绿源生物"
    assert _company("晨光纸业二期工程") == "晨光纸业"
    assert _company("华能热电2×35万千瓦热电机组") == "华能热电"
    assert _company("宏图环保") == "宏图环保"
    assert _company("天元大数据") == "天元大数据"
    assert _company("博远—庆丰") == "博远"  # a joint venture: the first named
    assert _company("恒远石化新材料") == "恒远石化"  # the product after the trade word is not the name's


def test_items_that_name_no_company() -> None:
    for item in ("现代物流", "生物医药", "高端装备", "年产30万吨乙二醇", "信达工业园1500台节能型抽油机",
                 "龙湖花苑12栋住宅", "智慧物流"):
        assert _company(item) is None, item


def test_a_work_plan_gives_one_project_per_item_with_its_stage_and_investor() -> None:
    got = _projects(
        "建成宏达化工30万吨乙二醇、恒信石化20万吨芳烃和绿源生物一期10万吨淀粉等项目；"
        "开工建设远航电子50万台平板电脑、金桥家居20万套家具制造等项目；"
        "积极推进华能热电2×35万千瓦热电机组、晨光纸业二期工程等项目前期工作。"
    )
    by_investor = {inv: stage for _, inv, stage in got}
    assert by_investor == {
        "宏达化工": "竣工", "恒信石化": "竣工", "绿源生物": "竣工",
        "远航电子": "开工", "金桥家居": "开工",
        "华能热电": "规划", "晨光纸业": "规划",
    }


def test_kinds_of_projects_in_a_batch_give_no_projects() -> None:
    got = _projects("围绕整车，开发区先后引进动力电池、电机电控、汽车电子等项目20余个。")
    assert got == []


def test_a_company_opening_a_clause_with_its_stage_is_a_project() -> None:
    got = _projects("眼下，江城各园区正蓬勃成长：华锦铝业建成投产；天成电子有限公司正式开工。")
    assert sorted((inv, stage) for _, inv, stage in got) == [("华锦铝业", "投产"), ("天成电子有限公司", "开工")]


def test_a_company_heading_a_batch_is_a_project() -> None:
    got = _projects("国昌医药集团等一批标志性项目的引进，增强了产业发展后劲。")
    assert [(inv, stage) for _, inv, stage in got] == [("国昌医药集团", "落地")]


def test_a_stage_not_reached_or_a_named_project_gives_no_extra_project() -> None:
    assert _projects("华锦铝业有限公司将于年底投产。") == []
    assert _projects("华锦铝业投产后年产值5亿元。") == []
    got = _projects("天成电子开工建设年产10万台电脑项目。")
    assert [(n, inv) for n, inv, _ in got] == [("年产10万台电脑项目", "天成电子")]


def test_lists_of_bodies_or_kinds_and_every_park_of_a_place_are_no_projects() -> None:
    assert _items("引进了宏业达江城服务器研发中心、复元医药精准医疗创新中心等一批高端研发机构。") == []
    assert _projects("引进了宏业达江城服务器研发中心、复元医药精准医疗创新中心等一批高端研发机构。") == []
    assert _projects("今年江城各产业园区投产势头良好。") == []
    assert _projects("年内完成投资160亿元，其中基础设施30亿元、工业项目120亿元。") == []


def test_a_company_park_names_its_company_first() -> None:
    got = _projects("铁山港区引进了华科电子产业园项目，总投资20亿元。")
    assert [(n, inv) for n, inv, _ in got] == [("华科电子产业园项目", "华科")]
    # a place's park of an industry names no company
    assert [inv for _, inv, _ in _projects("北海光电产业园项目开工，总投资5亿元。")] == [None]
    assert [inv for _, inv, _ in _projects("新能源汽车产业园项目开工。")] == [None]


def test_companies_settled_as_a_batch_of_leading_projects() -> None:
    got = _projects("北湾市成功落户华澜化工、恒远化工、桐川石化等一批龙头产业项目，加快形成石化产业基地。")
    assert sorted((inv, stage) for _, inv, stage in got) == [
        ("华澜化工", "落地"), ("恒远化工", "落地"), ("桐川石化", "落地")]
