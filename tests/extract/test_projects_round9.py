"""Projects on unseen real pages, round 9 (issue #10): original sentences that reproduce each
error class found on new real pages."""

from __future__ import annotations

from .sentences import projects as _projects


def test_the_items_of_a_counted_roll_after_shang_shu_are_the_events_projects() -> None:
    # 上述N个项目分别是A、B…: the count opens the list, the signing is told in the sentence before
    text = ("当天全区22个项目集中签约，其中青湾园区5家落地项目参加本次签约。据“青湾园区发布”消息，"
            "上述5个项目分别是垚拓精密轴承研制项目、沣科电子特气项目、鑫澜微射频芯片封测项目、"
            "青湾园区材料研究院项目、淼晟抛光垫产业化项目。")
    found = {p.name: p for p in _projects(text)}
    assert len(found) == 5
    assert found["垚拓精密轴承研制项目"].investor == "垚拓"
    assert all(p.stage == "签约" for p in found.values())


def test_a_count_that_does_not_match_the_items_opens_no_roll() -> None:
    text = ("当天全区22个项目集中签约。据介绍，上述8个项目分别是垚拓精密轴承研制项目、沣科电子特气项目。")
    # two items for a count of eight: the list is not the roll the count announces
    assert len(_projects(text)) <= 2


def test_the_venue_of_a_ceremony_is_no_project() -> None:
    text = "本次签约仪式在东湖国际会展中心举行，共签约项目12个，总投资86亿元。"
    assert not any(p.name and "会展中心" in p.name for p in _projects(text))


def test_lists_of_continuing_new_and_preparatory_projects_take_their_stages() -> None:
    # 续建项目N个，包括…；新开工项目N个，包括…；前期项目N个，包括…: three lists, three stages
    text = ("其中，续建项目12个，包括垚拓精密轴承研制项目、沣科电子特气项目等一批重点项目；"
            "新开工项目8个，包括青湾体育中心、120急救中心、新改建公厕项目等一批民生项目；"
            "前期项目6个，包括青湾金融科技城、鑫澜微光伏产业园等一批优势项目。")
    stage = {p.name: p.stage for p in _projects(text)}
    assert stage.get("垚拓精密轴承研制项目") == "在建"
    assert stage.get("120急救中心") == "开工"  # a number opening a facility's name is no capacity
    assert stage.get("新改建公厕项目") == "开工"
    assert stage.get("鑫澜微光伏产业园") == "规划"


def test_capacities_after_a_comma_stay_products_of_one_name() -> None:
    text = "垚拓化工公司60万吨聚氯乙烯、60万吨烧碱项目当天开工。"
    # one project whose name holds two products, not a list of two projects
    assert len(_projects(text)) == 1


def test_a_trade_name_among_firms_listed_as_projects_is_a_firm_too() -> None:
    text = "在青湾经开区，鑫源汽车、垚达科技、安信立士、易事特等一批项目陆续开工。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("安信立士") == "安信立士"
    assert inv.get("易事特") == "易事特"


def test_a_product_or_works_among_listed_projects_stay_no_firm() -> None:
    inv = {p.name: p.investor for p in _projects("签约项目包括：鑫源科技、恒达电子、多肽口服液等一批项目。")}
    assert inv.get("多肽口服液") is None
    # most items are works, not firms: nothing vouches for the trade name
    inv = {p.name: p.investor for p in _projects("当天，城南污水厂、滨江大道、智慧停车、安信立士等一批项目开工。")}
    assert inv.get("安信立士") is None


def test_a_figure_opening_each_item_is_that_items_amount_even_when_repeated() -> None:
    # the metrics keep one fact per repeated value (3亿元 twice); each item still states its own
    text = ("此次集中签约的12个项目涵盖四大领域。旅游商贸类的另外2个项目是：3.2亿元的青屿通道铁路能源基地项目、"
            "3亿元的北部石材园区铁路物流园建设项目。新能源类项目3个：17亿元的200MW分散式风力发电项目、"
            "3亿元的新屯铜钼矿开采项目、1.2亿元垚晟医养结合项目。")
    amount = {p.name: p.amount.value if p.amount else None for p in _projects(text)}
    assert amount.get("青屿通道铁路能源基地项目") == 3.2e8
    assert amount.get("北部石材园区铁路物流园建设项目") == 3e8
    assert amount.get("新屯铜钼矿开采项目") == 3e8
    assert amount.get("垚晟医养结合项目") == 1.2e8


def test_a_cross_border_routes_name_opening_an_item_is_no_investor() -> None:
    text = "旅游商贸类的另外2个项目是：3.2亿元的中蒙滨海2号通道铁路能源基地项目、3亿元的北部物流园建设项目。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("中蒙滨海2号通道铁路能源基地项目") is None


def test_firms_listed_before_a_count_with_its_total_are_the_batchs_projects() -> None:
    text = "一季度，垚拓磁电、沣达智能制造、鑫澜食品等8个总投资56亿元项目开工建设，恒晟科技、鼎锐新材等5个亿元项目竣工投产。"
    stage = {p.investor: p.stage for p in _projects(text) if p.investor}
    assert stage.get("垚拓磁电") == "开工"
    assert stage.get("恒晟科技") == "投产"


def test_an_industry_word_opening_the_product_is_no_part_of_the_investors_name() -> None:
    inv = {p.name: p.investor for p in _projects("垚轴新能源汽车轴承项目、沣塑新能源设备制造项目当天开工建设。")}
    assert inv.get("垚轴新能源汽车轴承项目") == "垚轴"
    assert inv.get("沣塑新能源设备制造项目") == "沣塑"  # (当天开工建设 closes the list, no part of the name)
    # the firm's whole name before the project noun keeps its industry word
    text = "鑫澜新能源项目当天签约，总投资5亿元。"
    assert {p.investor for p in _projects(text)} <= {"鑫澜新能源", None}


def test_the_firm_opening_an_item_wins_over_a_known_name_inside_its_product() -> None:
    text = "安居房、默川石油智能仪器项目、港川石油海洋石油装备生产制造项目等18个项目集中竣工。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("默川石油智能仪器项目") == "默川石油"
    assert inv.get("港川石油海洋石油装备生产制造项目") == "港川石油"


def test_an_item_opened_by_trade_words_only_has_no_investor() -> None:
    text = "鑫澜玻璃深加工、自动化设备制造基地、环保新材料标准化项目等12个项目集中开工。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("环保新材料标准化项目") is None


def test_ji_before_a_name_is_no_part_of_it() -> None:
    text = "“一园”，即湘垚新能源装备制造产业园，项目总投资30亿元，当天开工建设。"
    assert not any(p.name and p.name.startswith("即") for p in _projects(text))
    assert not any((p.investor or "").startswith("即") for p in _projects(text))


def test_a_marine_engineering_park_has_no_investor_named_haigong() -> None:
    inv = {p.name: p.investor for p in _projects("青湾绿色石化基地、海工装备产业园等项目加快建设。")}
    assert inv.get("海工装备产业园") is None


def test_firms_listed_before_a_kind_of_project_are_their_projects() -> None:
    text = "作为青湾芯港的核心区域，青湾产业区已集聚了中芯国际、垚塔、沣科、鼎泰鑫心等晶圆项目。"
    investors = {p.investor for p in _projects(text)}
    assert {"中芯国际", "垚塔", "沣科", "鼎泰鑫心"} <= investors


def test_kinds_listed_before_a_chain_of_projects_are_no_projects() -> None:
    text = "大力招引光伏发电、共享储能、配套储能、多晶硅、组件生产等新能源全产业链项目落地。"
    found = _projects(text)
    assert all(p.investor is None for p in found)
    assert not {p.name for p in found} & {"光伏发电", "共享储能", "配套储能", "多晶硅", "组件生产"}
    assert _projects("全区签约了智能制造、生物医药等项目。") == []


def test_a_firm_listed_among_projects_and_its_named_project_are_one() -> None:
    text = ("今年以来，新区已引进垚越微电子、沣科光电等集成电路项目14个。其中，浙江垚越微电子股份有限公司"
            "12英寸特色工艺晶圆项目二期投资58亿元，目前厂房已经封顶。")
    mine = [p for p in _projects(text) if p.investor and "垚越" in p.investor]
    assert len(mine) == 1
    assert mine[0].amount is not None and mine[0].amount.value == 5.8e9


def test_a_clause_or_a_batch_is_no_projects_name() -> None:
    text = ("一季度，全县新开工项目23个，青川县在建重点项目56个。全县开工23个项目，签约50亿元项目，"
            "一大批产业链延链强链项目加快推进，新开工和谋划项目持续增加。")
    names = {p.name for p in _projects(text)}
    for junk in ("开工23个项目", "50亿元项目", "一大批产业链延链强链项目", "新开工和谋划项目"):
        assert junk not in names, (junk, names)
    assert not any(n and n.endswith("在建") for n in names)


def test_firms_projects_heading_clauses_of_an_event_report_are_its_projects() -> None:
    text = ("在活动现场，18个项目成功签约。垚拓股份有限公司的新能源动力电池二期项目，将打造国内领先的电池基地；"
            "浙江沣石信息技术股份有限公司数字经济产业园项目，将打造数字经济高地。")
    found = {p.name: p for p in _projects(text)}
    assert found["新能源动力电池二期项目"].investor == "垚拓股份有限公司"
    assert found["新能源动力电池二期项目"].stage == "签约"
    assert found["数字经济产业园项目"].investor == "浙江沣石信息技术股份有限公司"


def test_a_firms_project_in_an_article_reporting_no_event_is_not_made_a_project_by_it() -> None:
    # no event reported: a firm's project mentioned in passing gets no stage from nowhere
    found = _projects("垚拓股份有限公司的新能源动力电池二期项目，将打造国内领先的电池基地。")
    assert all(p.stage is None for p in found)


def test_a_plant_handed_over_on_schedule_is_completed() -> None:
    text = "开发区捷报频传：垚仕科技节能装备中试基地项目顺利投产，青湾石化设备公司新建厂房项目如期交付。"
    stage = {p.name: p.stage for p in _projects(text)}
    assert stage.get("青湾石化设备公司新建厂房项目") == "竣工"


def test_firms_listed_as_settling_are_companies_and_their_projects() -> None:
    text = ("9月15日，青湾区招商项目举行集中签约，共有18个项目签约落户。京东智能、垚大国创、温州俱沣、"
            "上海航天科工、上海亦垚机电等纷纷落户，进一步延伸产业链条。")
    investors = {p.investor for p in _projects(text)}
    assert {"京东智能", "垚大国创", "温州俱沣", "上海亦垚机电"} <= investors


def test_kinds_listed_as_settling_are_no_firms() -> None:
    text = "新能源汽车、生物医药、高端装备等纷纷落户，产业集群加快形成。"
    assert _projects(text) == []


def test_an_item_opened_by_its_site_or_its_builder_reads_both() -> None:
    text = ("今年新开工项目中，有位于鹿泉区的垚拓电气成套设备生产基地项目、"
            "辽宁垚和新材料股份有限公司投资的菱镁新材料产业园项目等10个项目。")
    found = {p.name: p for p in _projects(text)}
    assert "垚拓电气成套设备生产基地项目" in found
    assert found["垚拓电气成套设备生产基地项目"].location == "鹿泉区"
    assert found["菱镁新材料产业园项目"].investor == "辽宁垚和新材料股份有限公司"


def test_what_one_project_holds_is_no_list_of_projects() -> None:
    text = ("当天动工的湾区未来科技城项目，是由垚业集团有限公司打造的集甲级写字楼、独栋总部广场、酒店式公寓、"
            "配套商务中心、滨海风情商业街区为一体的项目。")
    names = {p.name for p in _projects(text)}
    assert names == {"湾区未来科技城项目"}


def test_a_long_project_name_keeps_its_whole_company() -> None:
    text = "贵州垚娃儿大健康产业发展有限公司刺梨系列健康食品深加工基地建设项目开工。"
    found = _projects(text)
    assert [p.investor for p in found] == ["贵州垚娃儿大健康产业发展有限公司"]
    assert not any(p.name and p.name.startswith("州") for p in found)


def test_each_firm_a_district_signs_with_is_a_signing() -> None:
    text = "近日，青湾区举行项目集中签约仪式，分别与垚域数据服务长治有限公司、长治精垚科技有限公司进行签约。"
    assert {p.investor for p in _projects(text)} == {"垚域数据服务长治有限公司", "长治精垚科技有限公司"}


def test_a_cooperation_ceremonys_party_invests_in_the_project_signed_at_it() -> None:
    text = ("4月15日，眉山市人民政府与四川垚临实业集团合作项目签约仪式在眉山举行。"
            "本次签约的锂电正极材料生产项目计划总投资约56亿元。")
    found = _projects(text)
    assert [(p.name, p.investor) for p in found] == [("锂电正极材料生产项目", "四川垚临实业集团")]
