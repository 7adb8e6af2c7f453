"""extract_projects and merge_project_reports on sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from chainatlas.extract.metrics import extract_metrics
from chainatlas.extract.projects import extract_projects as _extract
from chainatlas.extract.projects import merge_project_reports, stage_rank
from chainatlas.model import Amount, Entity, Project


def ents(text: str, *specs: tuple[str, ...]) -> list[Entity]:
    out = []
    for type_, name, *aliases in specs:
        spans = [(m.start(), m.end()) for f in (name, *aliases) for m in re.finditer(re.escape(f), text)]
        out.append(Entity(type_, name, list(aliases), spans))
    return out


def run(text: str, *specs: tuple[str, ...], published: str | None = "2024-03-01") -> list[Project]:
    es = ents(text, *specs)
    return _extract(text, es, extract_metrics(text, es, published), published)


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("宁德时代与市政府签署协议，宁德时代西南电池生产基地项目落户经开区。", "签约"),
        ("3月5日，比亚迪合肥动力电池工厂项目正式开工。", "开工"),
        ("目前，比亚迪合肥动力电池工厂项目主体结构已封顶，预计年底投产。", "在建"),
        ("比亚迪合肥动力电池工厂项目近日竣工。", "竣工"),
        ("比亚迪合肥动力电池工厂项目一期已建成投产。", "投产"),
        ("比亚迪合肥动力电池工厂项目成功落户高新区。", "落地"),
        ("双方就共建比亚迪合肥动力电池工厂项目达成共识。", "规划"),
    ],
)
def test_stage_per_trigger(sentence: str, stage: str) -> None:
    ps = run(sentence, ("company", "比亚迪股份有限公司", "比亚迪"), ("company", "宁德时代"), ("park", "经开区"), ("park", "高新区"))
    named = [p for p in ps if not p.aggregate]
    assert len(named) == 1, ps
    assert named[0].stage == stage


def test_investor_amount_location_date() -> None:
    text = "2023年11月，总投资12.5亿元的蔚来汽车合肥零部件产业园项目在新桥智能电动汽车产业园开工建设。"
    ps = run(text, ("company", "蔚来汽车（安徽）有限公司", "蔚来汽车"), ("park", "新桥智能电动汽车产业园"))
    assert len(ps) == 1
    p = ps[0]
    assert p.name == "蔚来汽车合肥零部件产业园项目"
    assert p.investor == "蔚来汽车（安徽）有限公司"
    assert p.amount == Amount(1.25e9, "元")
    assert p.location == "新桥智能电动汽车产业园"
    assert p.stage == "开工"
    assert p.date == "2023-11"
    assert text[p.span[0]:p.span[1]] == text


def test_investor_as_subject_before_name() -> None:
    text = "项目开工的同时，联想集团与江北新区共建总投资超8亿元的南京智算中心，面向全省提供算力服务。"
    ps = run(text, ("company", "联想集团"), ("region", "江北新区"))
    named = [p for p in ps if p.name]
    assert [p.name for p in named] == ["南京智算中心"]
    assert named[0].investor == "联想集团"
    assert named[0].amount == Amount(8e8, "元")
    assert named[0].location == "江北新区"


def test_aggregate_batch_signing() -> None:
    text = "本次推介会共签约项目210个，投资总额1057亿元，涵盖新能源、新材料等领域。"
    ps = run(text)
    assert len(ps) == 1
    agg = ps[0]
    assert agg.aggregate and agg.count == 210
    assert agg.amount == Amount(1.057e11, "元")
    assert agg.stage == "签约"


def test_aggregate_count_before_noun() -> None:
    text = "去年，总投资超70亿元的34个优质项目在临港产业新城集中签约落地。"
    ps = run(text, ("park", "临港产业新城"))
    assert [(p.aggregate, p.count, p.amount, p.location, p.date) for p in ps] == [
        (True, 34, Amount(7e9, "元"), "临港产业新城", "2023")
    ]


def test_no_project_without_trigger_or_amount() -> None:
    assert run("该基地是全省重要的创新平台，汇聚了大量科研人才。") == []
    assert run("加快培育一批重点项目，推动产业链延链补链。") == []


def test_reference_fills_previous_project() -> None:
    text = "海光信息成都研发中心项目签约落地。该项目总投资20亿元，计划明年开工。"
    ps = run(text, ("company", "海光信息"))
    assert len(ps) == 1
    assert ps[0].investor == "海光信息" and ps[0].amount == Amount(2e9, "元") and ps[0].stage == "签约"


def _p(name, stage, date=None, investor=None, location=None, amount=None, aggregate=False) -> Project:
    return Project(name, investor, location, amount, stage, (0, 10), date=date, aggregate=aggregate)


def test_merge_timeline_orders_stages() -> None:
    reports = [
        (_p("比亚迪合肥动力电池工厂项目", "投产", "2024-06", "比亚迪"), "a3", "2024-06-02"),
        (_p("比亚迪合肥动力电池工厂", "签约", "2022-03", "比亚迪", amount=Amount(1.5e10, "元")), "a1", None),
        (_p("比亚迪合肥动力电池工厂项目", "开工", None, None, "合肥经开区"), "a2", "2022-09-10"),
        (_p("奇瑞芜湖超级工厂项目", "开工", "2023-01"), "a4", None),
        (_p(None, "签约", None, None, None, Amount(1e10, "元"), aggregate=True), "a5", None),
        (_p(None, "签约", None, None, None, Amount(1e10, "元"), aggregate=True), "a6", None),
    ]
    tl = merge_project_reports(reports)
    assert len(tl) == 4
    byd = tl[0]
    assert [e.stage for e in byd.events] == ["签约", "开工", "投产"]
    assert [e.article_id for e in byd.events] == ["a1", "a2", "a3"]
    assert byd.events[1].date == "2022-09-10"  # falls back to the article's date
    assert byd.stage == "投产" and byd.last_date == "2024-06"
    assert byd.investor == "比亚迪" and byd.location == "合肥经开区" and byd.amount == Amount(1.5e10, "元")
    assert byd.name == "比亚迪合肥动力电池工厂项目"
    assert byd.key.startswith("PJ-")
    assert sum(t.aggregate for t in tl) == 2


def test_merge_keeps_conflicting_investors_apart() -> None:
    reports = [
        (_p("新能源汽车零部件产业园项目", "签约", investor="甲公司"), "a1", None),
        (_p("新能源汽车零部件产业园项目", "开工", investor="乙公司"), "a2", None),
    ]
    assert len(merge_project_reports(reports)) == 2


def test_stage_rank_order() -> None:
    order = ["规划", "签约", "落地", "开工", "在建", "竣工", "投产"]
    assert [stage_rank(s) for s in order] == list(range(7))
    assert stage_rank(None) == -1


def test_headline_and_body_report_one_project() -> None:
    text = (
        "临江高新区签约储能电池项目 总投资20亿元\n"
        "5月6日，临江储能科技有限公司（简称“临江储能”）储能电池及系统集成生产基地项目在临江高新区签约。"
        "项目总投资20亿元，计划明年建成投产。"
    )
    ps = run(text, ("company", "临江储能科技有限公司", "临江储能"), ("park", "临江高新区"))
    assert len(ps) == 1, ps
    p = ps[0]
    assert p.name == "储能电池及系统集成生产基地项目" or p.name.endswith("储能电池及系统集成生产基地项目")
    assert (p.investor, p.amount, p.stage) == ("临江储能科技有限公司", Amount(2e9, "元"), "签约")


def test_coordinated_nouns_stay_in_one_name() -> None:
    text = "甲乙智能装备有限公司与丙丁机器人有限公司签约，双方合资8亿元在滨湖新区建设协作机器人整机及核心部件生产基地。"
    ps = run(text, ("company", "甲乙智能装备有限公司"), ("company", "丙丁机器人有限公司"), ("park", "滨湖新区"))
    assert [p.name for p in ps] == ["协作机器人整机及核心部件生产基地"]
    # the subject of the signing, not the nearest company, is the investor
    assert ps[0].investor == "甲乙智能装备有限公司" and ps[0].amount == Amount(8e8, "元")


def test_listed_projects_take_the_articles_stage() -> None:
    text = (
        "经开区举办产业项目集中签约活动，共签约项目12个，总投资60亿元。"
        "其中，星河航电科技有限公司将投资9亿元，在经开区建设航电设备研发制造基地；"
        "云岭药业股份有限公司将投资4亿元建设中药提取生产基地。"
    )
    ps = run(text, ("company", "星河航电科技有限公司"), ("company", "云岭药业股份有限公司"), ("park", "经开区"))
    named = [p for p in ps if not p.aggregate]
    assert [(p.investor, p.amount, p.stage) for p in named] == [
        ("星河航电科技有限公司", Amount(9e8, "元"), "签约"),
        ("云岭药业股份有限公司", Amount(4e8, "元"), "签约"),
    ]
    assert [p.count for p in ps if p.aggregate] == [12]


def test_bare_company_subject_and_short_form() -> None:
    text = (
        "杭州青禾软件股份有限公司是一家工业软件企业。今年，公司在临港新区设立华东交付中心，投资3亿元。"
        "由青禾软件投资5亿元建设的工业软件适配验证基地已封顶。"
    )
    ps = run(text, ("company", "杭州青禾软件股份有限公司"), ("park", "临港新区"))
    assert [(p.investor, p.amount) for p in ps] == [
        ("杭州青禾软件股份有限公司", Amount(3e8, "元")),
        ("杭州青禾软件股份有限公司", Amount(5e8, "元")),
    ]


def test_future_stage_and_parts_of_a_project() -> None:
    text = (
        "8月1日，远航电池年产10GWh电芯项目开工建设。项目总投资30亿元，主要建设电芯和模组生产线，计划2026年底建成投产。"
    )
    ps = run(text, ("company", "远航电池"))
    assert len(ps) == 1
    assert (ps[0].stage, ps[0].amount) == ("开工", Amount(3e9, "元"))


def test_examples_and_classes_are_not_projects_or_investors() -> None:
    text = "服务星海半导体、启明微电子等龙头企业需求，拟建滨江电子化学品储备库。园区布局了多个整机和部件项目。"
    ps = run(text, ("company", "星海半导体"), ("company", "启明微电子"))
    assert [(p.name, p.investor) for p in ps] == [("滨江电子化学品储备库", None)]
