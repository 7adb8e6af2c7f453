"""Project lists of one event (original sentences reproducing each error class)."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.metrics import extract_metrics
from chainatlas.extract.project_lists import brand_before_place, list_items
from chainatlas.extract.projects import extract_projects
from chainatlas.model import Project


def _projects(text: str) -> list[Project]:
    ents = extract_entities(text)
    return extract_projects(text, ents, extract_metrics(text, ents, None), None)


def _items(text: str) -> list[str]:
    return [text[s:e] for s, e, _, _ in list_items(text, 0, len(text), ("设备",))]


def test_list_items_after_intro_word() -> None:
    text = "本批开工项目还包括青岚智能装备产业园、北沙湾污水处理厂、东坪第二小学等一批民生项目。"
    assert _items(text) == ["青岚智能装备产业园", "北沙湾污水处理厂", "东坪第二小学"]


def test_list_items_with_a_glued_comma() -> None:
    text = "其中，临河片区综合管廊工程,、滨江初级中学等项目同步开工。"
    assert _items(text) == ["临河片区综合管廊工程", "滨江初级中学"]


def test_machines_goals_and_clauses_are_no_lists() -> None:
    assert _items("车间将购置五轴加工中心、龙门加工中心、精密磨床等设备。") == []
    assert _items("园区将培育创建绿色工厂、绿色园区、绿色供应链。") == []
    assert _items("近年来在东湖区、西岭区布局了一批配套项目。") == []


def test_items_of_an_event_each_become_a_project() -> None:
    text = (
        "5月8日，东川区二季度重点项目集中开工，共12个项目，总投资56亿元，"
        "包括北岭光电材料产业园项目、东川第三实验小学、滨湖污水处理厂二期等。"
    )
    names = {p.name: p for p in _projects(text) if not p.aggregate}
    assert {"北岭光电材料产业园项目", "东川第三实验小学", "滨湖污水处理厂二期"} <= set(names)
    assert all(names[n].stage == "开工" for n in ("东川第三实验小学", "滨湖污水处理厂二期"))
    assert all(names[n].amount is None for n in names)  # the 56亿元 is the batch's


def test_list_without_an_event_gives_no_projects() -> None:
    text = "该区拥有北岭光电材料产业园、东川第三实验小学、滨湖污水处理厂等设施。"
    assert [p for p in _projects(text) if p.name and "小学" in p.name] == []


def test_list_heading_the_next_sentences_event() -> None:
    text = (
        "东川区加速推进项目建设\n"
        "　　青岚智能装备产业园、北沙湾污水处理厂、东坪第二小学……\n"
        "　　日前，东川区第二批重大项目集中开工，总投资约80亿元。"
    )
    got = {p.name: p for p in _projects(text) if not p.aggregate}
    assert {"青岚智能装备产业园", "北沙湾污水处理厂", "东坪第二小学"} <= set(got)
    assert got["东坪第二小学"].stage == "开工" and got["东坪第二小学"].investor is None


def test_brand_before_a_place_names_the_investor() -> None:
    places = ["成都", "济宁"]
    assert brand_before_place("蓝岳电子成都生产基地项目", places, ("新建", "年产")) == "蓝岳电子"
    assert brand_before_place("恒跃(济宁)高端装备技改项目", places, ("新建",)) == "恒跃"
    assert brand_before_place("新建成都物流基地项目", places, ("新建",)) is None
    assert brand_before_place("成都东部物流基地项目", places, ("新建",)) is None


def test_each_list_takes_the_stage_word_of_its_own_clause() -> None:
    text = (
        "6月，全区新开工北岭光电材料产业园项目、东川第三实验小学等8个项目，"
        "建成投产滨湖精密轴承项目、南塘食品加工厂等5个项目。"
    )
    got = {p.name: p.stage for p in _projects(text) if not p.aggregate}
    assert got.get("东川第三实验小学") == "开工"
    assert got.get("南塘食品加工厂") == "投产"


def test_the_last_two_items_joined_by_he_are_two() -> None:
    text = "本次集中开工的项目包括北岭光电材料产业园、南塘物流园和滨湖会展中心。"
    assert _items(text)[-2:] == ["南塘物流园", "滨湖会展中心"]


def test_count_led_and_future_led_items_are_no_list() -> None:
    assert _items("其中包括21个产业项目、6个基础设施项目、3个民生项目。") == []
    assert _items("项目将建成检测中心、研发中心、培训中心等。") == []


def test_long_names_opening_with_a_numeral_and_bracketed_phases_stay_items() -> None:
    text = "现场签约了十六冶集团东片区综合开发项目、岭南光电(一期)项目、北塘食品加工厂等6个项目。"
    assert _items(text) == ["十六冶集团东片区综合开发项目", "岭南光电(一期)项目", "北塘食品加工厂"]
    assert _items("打造一总部、一工厂、三平台。") == []


def test_a_place_after_weiyu_takes_no_figure() -> None:
    text = (
        "12月3日，东川区重大项目集中开工。"
        "会展中心项目位于东川国际博览中心北侧，总建筑面积约18万平方米，总投资约36亿元。"
    )
    got = [p for p in _projects(text) if not p.aggregate and p.amount is not None]
    assert [p.name for p in got] == ["会展中心项目"]
    assert got[0].amount is not None and got[0].amount.value == 3.6e9


def test_brand_before_industry_names_the_investor() -> None:
    from chainatlas.extract.project_lists import brand_before_industry

    regions = {"福州", "长乐区", "日本", "东川区"}
    ind, desc = ("光伏", "玻璃", "生物", "储能", "电池", "能源"), ("年产", "新一代")
    blocked, generic = ("产业园", "研究院", "中心"), ("外资", "材料")
    assert brand_before_industry("珂岚光伏照明项目", regions, ind, desc, blocked, generic) == "珂岚"
    # places in front are skipped; a description after the industry word keeps it in the name
    assert brand_before_industry("福州长乐区晟耀玻璃年产2万吨项目", regions, ind, desc, blocked, generic) == "晟耀玻璃"
    assert brand_before_industry("日本青禾星生物制剂项目", regions, ind, desc, blocked, generic) == "青禾星"
    # an industry, a place, a foreign-capital word, a park or institute: no company
    assert brand_before_industry("新能源电池项目", regions, ind, desc, blocked, generic) is None
    assert brand_before_industry("东川区储能电池项目", regions, ind, desc, blocked, generic) is None
    assert brand_before_industry("外资光伏组件项目", regions, ind, desc, blocked, generic) is None
    assert brand_before_industry("珂岚光伏产业园项目", regions, ind, desc, blocked, generic) is None
    assert brand_before_industry("珂岚光伏照明基地", regions, ind, desc, blocked, generic) is None


def test_list_items_take_the_brand_opening_them() -> None:
    text = "本次集中开工的项目包括珂岚光伏照明项目、东坪第二小学、青禾星生物制剂项目等。"
    got = {p.name: p.investor for p in _projects(text) if not p.aggregate}
    assert got.get("珂岚光伏照明项目") == "珂岚"
    assert got.get("东坪第二小学") is None


def test_kaijungong_and_launch_ceremonies_start_a_project() -> None:
    text = "5月6日，东川区重大项目集中开竣工暨滨湖精密轴承项目开工仪式举行，该项目总投资8亿元。"
    got = [p for p in _projects(text) if p.name and "轴承" in p.name]
    assert got and got[0].stage == "开工" and got[0].name == "滨湖精密轴承项目"


def test_a_planned_date_before_the_stage_word_keeps_it_in_the_future() -> None:
    text = "东川区滨湖精密轴承项目今日开工，总投资8亿元，预计于2027年10月建成试投产。"
    got = [p for p in _projects(text) if p.name]
    assert got and got[0].stage == "开工"


def test_paired_lists_give_each_project_its_company() -> None:
    text = (
        "会上，东川区与青禾新材料有限公司、岭东光电科技有限公司分别签订"
        "青禾碳纤维复合材料项目、岭东显示模组项目投资协议。"
    )
    got = {p.name: p.investor for p in _projects(text) if not p.aggregate}
    assert got.get("青禾碳纤维复合材料项目") == "青禾新材料有限公司"
    assert got.get("岭东显示模组项目") == "岭东光电科技有限公司"


def test_a_small_batch_total_is_no_single_projects_amount() -> None:
    text = (
        "签约的两个项目总投资36亿元，其中青禾碳纤维复合材料项目计划投资30亿元，"
        "岭东显示模组项目计划投资6亿元。"
    )
    got = {p.name: p.amount.value if p.amount else None for p in _projects(text) if not p.aggregate}
    assert got.get("青禾碳纤维复合材料项目") == 3e9
    assert got.get("岭东显示模组项目") == 6e8


def test_a_quoted_project_with_its_company_and_figure_in_a_signing_report() -> None:
    text = (
        "当天东川区共签约9个项目，总投资120亿元。"
        "第二大项目为“青禾智造港”，青禾新材料有限公司独资，投资额 40亿。"
    )
    got = [p for p in _projects(text) if not p.aggregate]
    assert [(p.name, p.investor, p.amount.value if p.amount else None) for p in got] == [
        ("青禾智造港", "青禾新材料有限公司", 4e9)
    ]
    assert got[0].stage == "签约"


def test_a_figure_before_its_project_and_a_size_is_no_name() -> None:
    text = "东川区签约项目中，除 80亿项目外，还有 30亿的“北岭光电产业化项目”。"
    got = [p for p in _projects(text) if not p.aggregate]
    assert [(p.name, p.amount.value if p.amount else None) for p in got] == [("北岭光电产业化项目", 3e9)]


def test_a_numbered_list_keeps_its_names() -> None:
    text = "现场集中签约的重点项目如下：\n1.青禾新材料有限公司碳纤维项目，总投资12亿元；\n2.岭东光电科技有限公司显示模组项目，总投资8亿元。"
    got = {p.investor: p.amount.value if p.amount else None for p in _projects(text) if not p.aggregate}
    assert got == {"青禾新材料有限公司": 1.2e9, "岭东光电科技有限公司": 8e8}


def test_a_companys_new_project_keeps_its_verb_and_jianshe() -> None:
    text = "总投资18亿元的岭东汽车有限公司新增混动车型建设项目当天在东川区开工。"
    got = [p for p in _projects(text) if p.name]
    assert len(got) == 1 and got[0].name is not None and got[0].name.endswith("新增混动车型建设项目")
    assert got[0].investor == "岭东汽车有限公司" and got[0].amount is not None and got[0].amount.value == 1.8e9


def test_what_a_project_builds_does_not_take_its_figure() -> None:
    text = (
        "本月新开工青禾新一代碳纤维研发生产总部基地项目、南塘食品加工厂等6个项目。"
        "青禾新一代碳纤维研发生产总部基地项目占地约30亩，主要建设碳纤维研发生产总部基地和复合材料检测中心，"
        "投产后预计年产值达8亿元。项目总投资9亿元，于今年5月开工建设。"
    )
    got = {p.name: p.amount.value if p.amount else None for p in _projects(text) if p.name}
    assert got == {"青禾新一代碳纤维研发生产总部基地项目": 9e8, "南塘食品加工厂": None}


def test_the_subsidiary_named_after_its_parent_invests() -> None:
    text = "青禾未来材料城项目今日开工，总投资20亿元，由青禾控股有限公司的全资子公司东川青禾材料有限公司投资建设。"
    got = [p for p in _projects(text) if p.name]
    assert [(p.investor, p.amount.value if p.amount else None) for p in got] == [("东川青禾材料有限公司", 2e9)]


def test_a_count_of_big_projects_is_no_name() -> None:
    text = "此次签约的3大项目总投资80亿元。"
    assert [p.name for p in _projects(text) if p.name and not p.aggregate] == []


def test_products_inside_one_name_are_no_list() -> None:
    text = "青禾新材料有限公司20万吨PVC、30万吨烧碱综合项目，总投资30亿元，该项目7月5日开工。"
    assert _items(text) == []


def test_a_figure_told_of_the_project_after_it_in_a_batch_sentence() -> None:
    text = "这12个集中开工的项目中，总投资58亿元的中国岭东(昆明)电子信息产业园项目尤其引人关注。"
    got = {p.name: (p.investor, p.amount.value if p.amount else None) for p in _projects(text) if not p.aggregate}
    assert got.get("中国岭东(昆明)电子信息产业园项目") == ("中国岭东", 5.8e9)


def test_what_a_bracketed_aside_lists_is_built_by_the_project_before_it() -> None:
    text = (
        "青禾新材料有限公司50万吨碳纤维项目(一期建设20万吨原丝、10万吨碳化线、110KV变电站)"
        "总投资36亿元，该项目4月开工。"
    )
    got = [(p.investor, p.amount.value if p.amount else None) for p in _projects(text) if p.name]
    assert got == [("青禾新材料有限公司", 3.6e9)]


def test_a_place_and_periods_major_projects_are_no_name() -> None:
    text = "东川市2025年第二季度重大项目开工活动举行，共开工项目30个，总投资150亿元。"
    assert [p.name for p in _projects(text) if p.name] == []


def test_an_investor_stated_without_stage_word_or_figure() -> None:
    text = (
        "东川区重大项目集中开工，青禾未来材料城项目总投资20亿元。"
        "青禾未来材料城项目由青禾控股有限公司的全资子公司东川青禾材料有限公司投资建设。"
    )
    got = [p for p in _projects(text) if p.name]
    assert [(p.name, p.investor) for p in got] == [("青禾未来材料城项目", "东川青禾材料有限公司")]


def test_ji_joins_two_parts_of_one_name_unless_an_event_precedes() -> None:
    text = "东川高新区北园空间升级改造暨产城融合一期项目总投资9亿元，今日开工。"
    assert [p.name for p in _projects(text) if p.name] == ["东川高新区北园空间升级改造暨产城融合一期项目"]
    text = "东川区重大项目集中开工活动暨青禾碳纤维项目开工仪式举行，该项目总投资9亿元。"
    assert [p.name for p in _projects(text) if p.name] == ["青禾碳纤维项目"]


def test_a_rate_and_a_joined_facility_stay_inside_one_name() -> None:
    text = "青禾粮油500吨/天面粉加工项目投产，总投资2亿元。"
    assert [p.name for p in _projects(text) if p.name] == ["青禾粮油500吨/天面粉加工项目"]
    text = "东川区北岭生物科技生产线及冷链物流平台建设项目总投资4亿元，今日开工。"
    assert [p.name for p in _projects(text) if p.name] == ["东川区北岭生物科技生产线及冷链物流平台建设项目"]


def test_gaiximu_after_two_projects_is_ambiguous_and_takes_no_figure() -> None:
    text = "日前，青禾面粉加工项目和岭东装备技改项目顺利投产。该项目是省重点项目，总投资2亿元。"
    assert all(p.amount is None for p in _projects(text) if p.name)


def test_a_lender_financing_a_project_is_no_investor() -> None:
    text = "近日，农业银行东川支行向该区投放固定资产贷款5亿元，用于支持东川北岭产业园标准厂房项目建设，该项目总投资8亿元。"
    got = [p for p in _projects(text) if p.name]
    assert got and all(p.investor is None or "银行" not in p.investor for p in got)


def test_a_long_company_item_and_a_trailing_count_and_the_clauses_best_stage() -> None:
    text = (
        "开工仪式同时还设立青禾乳业酸奶加工项目、东川青禾食品有限公司日处理900吨番茄原料的番茄酱生产线及小包装生产线项目、"
        "北岭住宅小区二期建设项目3个其他项目开工现场。"
    )
    assert _items(text) == [
        "青禾乳业酸奶加工项目",
        "东川青禾食品有限公司日处理900吨番茄原料的番茄酱生产线及小包装生产线项目",
        "北岭住宅小区二期建设项目",
    ]
    got = {p.name: p for p in _projects(text) if not p.aggregate}
    assert got["北岭住宅小区二期建设项目"].stage == "开工"  # 开工 (in the clause) over 设立
    assert got["青禾乳业酸奶加工项目"].investor == "青禾乳业"


def test_a_category_of_projects_is_no_name() -> None:
    text = "当天开工的先进制造业项目还有青禾汽车零部件制造项目，总投资10亿元。"
    assert [p.name for p in _projects(text) if p.name] == ["青禾汽车零部件制造项目"]
