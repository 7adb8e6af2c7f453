"""Project fixes from the fresh-set error analysis, on sentences written for these tests."""

from __future__ import annotations

from tests.extract.test_projects import run

from chainatlas.extract import Extractor
from chainatlas.model import Article, Project


def _projects(text: str) -> list[Project]:
    art = Article(source="t.txt", part=0, title=None, published="2024-05-01", text=text)
    return [p for p in Extractor().extract(art).projects if not p.aggregate]


def test_pronoun_qi_refers_to_the_company_before() -> None:
    text = "会上，湘江动力电池股份有限公司作为链主企业作了发言；其投资18亿元的固态电池中试线项目已完成设备安装。"
    ps = run(text, ("company", "湘江动力电池股份有限公司"))
    assert [(p.investor, p.amount.value if p.amount else None) for p in ps] == [("湘江动力电池股份有限公司", 1.8e9)]


def test_qizhong_is_not_a_pronoun() -> None:
    text = "活动现场签约项目8个。其中，储能电站项目总投资5亿元。"
    ps = [p for p in run(text) if not p.aggregate]
    assert all(p.investor is None for p in ps)


def test_company_name_is_not_part_of_the_project_name() -> None:
    text = "6月3日，江城重型机械集团有限公司大型盾构机总装基地正式投产，总投资9亿元。"
    ps = run(text, ("company", "江城重型机械集团有限公司"))
    assert len(ps) == 1
    assert ps[0].name == "大型盾构机总装基地"
    assert ps[0].investor == "江城重型机械集团有限公司"


def test_class_of_projects_is_not_a_project() -> None:
    text = "本次集中开工项目共9个，总投资60亿元，高端装备领域项目占了一半。"
    assert [p for p in run(text) if not p.aggregate] == []


def test_counted_facilities_are_not_a_project() -> None:
    text = "截至目前，全区在建及投运的大型数据中心达到12个。"
    assert [p for p in run(text) if not p.aggregate] == []


def test_engineer_is_not_an_engineering_project() -> None:
    text = "双方签署合作协议，联合培养芯片设计工程师。"
    assert run(text) == []


def test_content_of_the_project_is_not_a_second_project() -> None:
    text = "其中，湖州蓝海储能有限公司储能系统集成项目总投资6亿元，规划建设年产3GWh储能系统生产线。"
    ps = run(text, ("company", "湖州蓝海储能有限公司"))
    assert len(ps) == 1 and ps[0].amount is not None and ps[0].amount.value == 6e8


def test_capital_increase_is_an_investment_figure() -> None:
    text = "日资企业东丸化学（嘉兴）有限公司将增资2亿美元扩建高性能胶膜生产线。"
    ps = run(text, ("company", "东丸化学（嘉兴）有限公司"))
    assert len(ps) == 1
    assert ps[0].amount is not None and ps[0].amount.unit == "美元"


def test_headline_repeat_without_amount_is_merged() -> None:
    text = "嘉兴科达20亿元基地开工\n3月1日，嘉兴科达精密机械有限公司（以下简称“嘉兴科达”）精密轴承生产基地开工，项目总投资20亿元。"
    ps = run(text, ("company", "嘉兴科达精密机械有限公司", "嘉兴科达"))
    assert len(ps) == 1
    assert ps[0].amount is not None and ps[0].amount.value == 2e9
    assert ps[0].stage == "开工"


def test_planned_figure_in_a_signing_report_keeps_the_signing_stage() -> None:
    text = (
        "4月2日，临港新区新能源产业项目集中签约，共签约项目6个。"
        "其中，海州储能科技有限公司拟投资12亿元，建设钠离子电池项目；"
        "江北材料有限公司拟投资5亿元，建设电解液项目。"
    )
    ps = [p for p in run(text, ("company", "海州储能科技有限公司"), ("company", "江北材料有限公司")) if not p.aggregate]
    assert [p.stage for p in ps] == ["签约", "签约"]


def test_commissioning_is_production_and_completion_before_future_production() -> None:
    a = run("临江储能科技有限公司总投资8亿元的电芯项目日前建成投运。", ("company", "临江储能科技有限公司"))
    assert a[0].stage == "投产"
    b = run("临江储能科技有限公司年产2GWh电芯项目已于3月竣工，预计6月投产。", ("company", "临江储能科技有限公司"))
    assert b[0].stage == "竣工"


def test_decimal_point_stays_in_the_project_name() -> None:
    text = "浙江蓝碳复合材料股份有限公司拟投资10亿元，建设年产2.5万吨碳纤维制品项目。"
    ps = run(text, ("company", "浙江蓝碳复合材料股份有限公司"))
    assert ps[0].name == "年产2.5万吨碳纤维制品项目"


def test_park_in_a_sentence_about_the_project_is_its_location() -> None:
    text = (
        "5月8日，江城重型机械集团有限公司大型盾构机总装基地正式投产，江州市副市长到场。"
        "该基地位于江州高新技术产业开发区（简称“江州高新区”），总投资9亿元。"
    )
    ps = _projects(text)
    assert len(ps) == 1
    assert ps[0].location == "江州高新技术产业开发区"
    assert ps[0].investor == "江城重型机械集团有限公司"
