"""Projects on unseen real pages, round 6 (issue #10): original sentences reproducing each
error class found on real pages nobody had tuned on — figures opening list items without 的,
one figure value told of two projects, …"""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.extract.metrics import extract_metrics
from chainatlas.extract.projects import extract_projects
from chainatlas.model import Article, Extraction, Project


def _projects(text: str) -> list[Project]:
    ents = extract_entities(text)
    return extract_projects(text, ents, extract_metrics(text, ents, None), None)


def _amounts(text: str) -> dict[str, float | None]:
    return {
        p.name: None if p.amount is None else p.amount.value
        for p in _projects(text) if p.name and not p.aggregate
    }


def test_a_figure_opening_a_list_item_without_de_is_that_items() -> None:
    text = (
        "本月集中动工的项目中，亿元以上的分别为：总投资3亿元青禾纸塑包装技改工程、"
        "投资6亿元东港冷链仓储基地、投资1.8亿元年产5万吨饲料生产项目等9个项目。"
    )
    got = _amounts(text)
    assert got.get("东港冷链仓储基地") == 6e8
    assert got.get("年产5万吨饲料生产项目") == 1.8e8
    assert any(k.endswith("纸塑包装技改工程") and v == 3e8 for k, v in got.items())


def test_one_value_told_of_two_projects_named_after_it_stays_twice() -> None:
    text = (
        "总投资80亿元的北岭光伏玻璃项目已经开工。"
        "总投资50亿元的南苑储能电站项目、总投资80亿元的西湾氢能装备产业园项目正在洽谈，有望年内签约。"
    )
    got = _amounts(text)
    assert got.get("北岭光伏玻璃项目") == 8e9
    assert got.get("西湾氢能装备产业园项目") == 8e9
    money = [m for m in extract_metrics(text, extract_entities(text), None) if m.unit == "元"]
    assert sorted(m.value for m in money) == [5e9, 8e9, 8e9]


def test_one_project_restated_with_its_figure_before_it_is_one_fact() -> None:
    text = "总投资12亿元的某某新材料项目今年开工。据介绍，总投资12亿元的某某新材料项目明年投产。"
    money = [m for m in extract_metrics(text, extract_entities(text), None) if m.unit == "元"]
    assert len(money) == 1


def _by_investor(text: str) -> dict[str | None, Project]:
    return {p.investor: p for p in _projects(text) if not p.aggregate}


def test_companies_listed_before_a_signing_are_its_parties_not_projects() -> None:
    text = "仪式上，江岭新材料有限公司、北辰控股集团与某某经济开发区签约高性能隔膜材料项目，总投资12亿元。"
    got = [p for p in _projects(text) if not p.aggregate]
    assert [p.name for p in got] == ["高性能隔膜材料项目"]
    assert got[0].investor == "江岭新材料有限公司"
    assert got[0].amount is not None and got[0].amount.value == 1.2e9


def test_parties_signing_two_projects_respectively_are_paired_in_order() -> None:
    text = "线上，南岳软件股份公司、东阳投资有限公司分别与某某高新区签约智慧物流园项目和数字产业港项目。"
    got = {p.name: p.investor for p in _projects(text) if not p.aggregate}
    assert got == {"智慧物流园项目": "南岳软件股份公司", "数字产业港项目": "东阳投资有限公司"}


def test_a_body_among_the_parties_is_paired_and_never_a_project() -> None:
    text = "随后，青山软件股份公司、北京云岭产业投资中心分别与某某开发区签约青山智造产业园项目和云岭科技谷项目。"
    got = {p.name: p.investor for p in _projects(text) if not p.aggregate}
    assert set(got) == {"青山智造产业园项目", "云岭科技谷项目"}
    assert got["青山智造产业园项目"] == "青山软件股份公司"


def test_each_company_signing_a_project_agreement_has_a_project() -> None:
    text = (
        "仪式上，某某县先后与江岭纸业有限公司、北辰电子股份有限公司签署项目合作协议；"
        "随后又与南湖环保设备有限公司签署项目投资协议。"
    )
    got = _by_investor(text)
    assert set(got) == {"江岭纸业有限公司", "北辰电子股份有限公司", "南湖环保设备有限公司"}
    assert all(p.stage == "签约" and p.name is None for p in got.values())


def test_a_strategic_cooperation_agreement_gives_no_project() -> None:
    text = "会上，市政府与江岭纸业有限公司、北辰电子股份有限公司签署战略合作协议。"
    assert not [p for p in _projects(text) if not p.aggregate]


def test_a_listed_project_named_again_opens_the_sentence_with_its_figure() -> None:
    text = (
        "当天，某某开发区举行项目集中开工活动，青禾精工钢结构基地、东港智慧物流园两个项目正式开工。"
        "东港智慧物流园总投资2亿元，占地120亩，明年建成。"
    )
    got = _amounts(text)
    assert got.get("东港智慧物流园") == 2e8


def test_items_stating_their_own_figures_take_the_reported_event() -> None:
    text = (
        "全市第三批集中开工项目56个，总投资300亿元。"
        "其中先进制造业项目20个，包括总投资40亿元的青禾电子年产500万台显示器产业基地项目、"
        "总投资12亿元的东港生物科技园等项目。"
    )
    got = {p.name: p for p in _projects(text) if p.name and not p.aggregate}
    park = got.get("东港生物科技园")
    assert park is not None and park.amount is not None and park.amount.value == 1.2e9
    assert park.stage == "开工"


def test_a_company_project_told_again_without_its_name_is_one_project() -> None:
    text = (
        "签约项目包括总投资20亿元的青禾电子显示模组产业基地项目、总投资5亿元的东港冷链物流中心项目等。"
        "青禾电子公司总投资20亿元的项目落户后，预计年产值30亿元。"
    )
    mine = [p for p in _projects(text) if not p.aggregate and p.investor and p.investor.startswith("青禾电子")]
    assert len(mine) == 1


def test_an_unknown_three_character_trade_name_opening_a_product_is_the_investor() -> None:
    text = "上午，某区举行重大项目集中开工仪式，总投资6亿元的慕雷特车用精密轴承项目正式开工。"
    got = [p for p in _projects(text) if not p.aggregate]
    assert len(got) == 1 and got[0].investor == "慕雷特"
    assert got[0].amount is not None and got[0].amount.value == 6e8


def test_a_trade_name_ends_before_the_product_word_that_follows_it() -> None:
    from chainatlas.extract.project_arguments import _ArticleIndex, _brand_investor

    idx = _ArticleIndex("", [])
    assert _brand_investor("金坤兰优特钢生产线", idx) == "金坤兰"


def test_words_a_dictionary_knows_or_two_character_openers_give_no_trade_name() -> None:
    from chainatlas.extract.project_arguments import _ArticleIndex, _brand_investor

    idx = _ArticleIndex("", [])
    # a described product (common words), a two-character opener (a village or a brand:
    # left alone), a place and a landform
    for name in ("巧手大师糕点加工生产线项目", "鹊岭黄花菜基地建设项目", "青山尾垃圾处理厂项目"):
        assert _brand_investor(name, idx) is None, name


def test_a_list_takes_the_event_told_two_sentences_before_it() -> None:
    text = (
        "本次集中开工的8个项目，总投资22亿元。其中，工业项目6个，总投资18亿元。"
        "项目涵盖青禾复合材料产业园、东港灯具生产项目、西湾冷链物流园等。"
    )
    got = {p.name: p.stage for p in _projects(text) if p.name and not p.aggregate}
    assert got == {"青禾复合材料产业园": "开工", "东港灯具生产项目": "开工", "西湾冷链物流园": "开工"}


def test_a_list_after_an_unrelated_sentence_takes_no_event_from_further_back() -> None:
    # the sentence right before reports another stage word (规划, not an event): the list is
    # no event's
    text = (
        "本次集中开工的8个项目，总投资22亿元。全县还规划了一批储备项目。"
        "项目涵盖青禾复合材料产业园、东港灯具生产项目、西湾冷链物流园等。"
    )
    got = {p.name: p.stage for p in _projects(text) if p.name and not p.aggregate}
    assert got.get("东港灯具生产项目") != "开工"


def test_a_sector_or_kind_of_capital_with_a_figure_is_a_total_not_a_project() -> None:
    text = (
        "今年一季度共签约项目20个。医药项目总投资8.2亿元，主要建设制剂生产线。"
        "内资项目投资总额96亿元，外资项目投资总额3亿美元。东湖物流项目总投资3亿元。"
    )
    got = _projects(text)
    named = {p.name for p in got if not p.aggregate}
    assert not named & {"医药项目", "内资项目", "外资项目", "制剂生产线"}
    totals = {p.name for p in got if p.aggregate}
    assert {"医药项目", "内资项目", "外资项目"} <= totals


def test_the_company_a_project_is_signed_with_is_its_investor() -> None:
    text = "当日，某某经济开发区与江岭新能源科技有限公司签约的储能电池材料项目，计划总投资8亿元。"
    got = [p for p in _projects(text) if not p.aggregate]
    assert len(got) == 1 and got[0].investor == "江岭新能源科技有限公司"
    assert got[0].amount is not None and got[0].amount.value == 8e8


def test_companies_at_a_bare_signing_each_have_a_project() -> None:
    text = "会上，某某市市长代表市政府与江岭材料科技有限公司、北辰自动化科技有限公司和南湖新材料有限公司进行现场签约。"
    got = _by_investor(text)
    assert set(got) == {"江岭材料科技有限公司", "北辰自动化科技有限公司", "南湖新材料有限公司"}


def test_one_company_at_a_bare_signing_gets_no_extra_project() -> None:
    text = "某某新材料项目总投资5亿元。会上，县政府与江岭材料科技有限公司进行现场签约。"
    got = [p for p in _projects(text) if not p.aggregate]
    assert len(got) == 1


def test_the_company_before_the_area_of_its_headquarters_is_the_investor() -> None:
    from chainatlas.extract.project_arguments import _ArticleIndex, _brand_investor

    idx = _ArticleIndex("", [])
    assert _brand_investor("中航材华南区域总部", idx) == "中航材"
    assert _brand_investor("青鸾科技总部项目", idx) == "青鸾科技"
    assert _brand_investor("远帆集团中国区投资总部", idx) == "远帆集团"
    assert _brand_investor("中储电浙江总部", idx) == "中储电"


def test_a_kind_of_office_names_no_company() -> None:
    from chainatlas.extract.project_arguments import _ArticleIndex, _brand_investor

    idx = _ArticleIndex("", [])
    for name in ("企业总部项目", "金融总部", "科技总部项目", "央企总部基地", "国际总部项目"):
        assert _brand_investor(name, idx) is None, name


def test_a_company_opening_a_sentence_it_builds_in_is_a_project_of_the_event() -> None:
    text = (
        "本季度全市共有45个重大项目集中开工，总投资96亿元。"
        "青禾生物有限公司将建5万级洁净车间，新建检测试剂生产线。"
        "东港药业有限公司将投资1.2亿元，扩建口服液车间及仓储。"
    )
    got = _by_investor(text)
    assert set(got) == {"青禾生物有限公司", "东港药业有限公司"}
    assert got["东港药业有限公司"].amount is not None and got["东港药业有限公司"].amount.value == 1.2e8
    assert got["青禾生物有限公司"].stage == "开工"


def test_a_company_building_in_an_article_reporting_no_event_is_no_project() -> None:
    text = "青禾生物有限公司将建5万级洁净车间，新建检测试剂生产线。"
    assert not [p for p in _projects(text) if not p.aggregate and p.investor == "青禾生物有限公司"]


def test_items_told_by_their_capacity_are_projects_of_the_list() -> None:
    from chainatlas.extract.project_lists import list_items

    text = (
        "此次签约的项目既有青岚精工年产200万只汽车轮毂轴承、东港部件年产30万套座椅骨架等一批零部件项目，"
        "也有一批服务业项目。"
    )
    items = [text[s:e] for s, e, _, _ in list_items(text, 0, len(text))]
    assert items == ["青岚精工年产200万只汽车轮毂轴承", "东港部件年产30万套座椅骨架"]


def test_products_without_capacity_or_project_words_make_no_list() -> None:
    from chainatlas.extract.project_lists import list_items

    text = "园区企业主要生产汽车轮毂轴承、座椅骨架等一批零部件项目的配套产品。"
    assert list_items(text, 0, len(text)) == []


def test_investments_written_without_yuan_give_the_projects_amounts() -> None:
    text = (
        "本次推介会上，某县共签约4个项目，招商引资5亿元。\n\n"
        "签约项目分别是：青禾森林康养小镇建设项目，总投资3.1个亿；东港景区开发建设项目，总投资1.2个亿；"
        "西湾生态园建设项目，总投资2900万。"
    )
    got = _amounts(text)
    assert got.get("东港景区开发建设项目") == 1.2e8
    assert got.get("西湾生态园建设项目") == 2.9e7


def test_a_figure_with_its_yuan_is_not_read_twice() -> None:
    from chainatlas.extract.projects import _bare_investments

    text = "青禾项目总投资3.1亿元，东港项目总投资2900万美元。"
    assert _bare_investments(text, []) == []


def test_a_sentence_opening_on_this_project_keeps_it_the_one_a_later_figure_means() -> None:
    text = (
        "9月3日，青禾乳业有限公司年产8万吨乳制品加工厂建设项目开工仪式在某新区举行。"
        "某某、某某出席开工仪式。某某主持仪式。"
        "据了解，此次开工的项目是某新区今年重点招商引资项目。项目总投资6亿元，分两期建设。"
    )
    got = [p for p in _projects(text) if not p.aggregate]
    assert len(got) == 1
    assert got[0].amount is not None and got[0].amount.value == 6e8


def test_without_the_anaphor_a_figure_far_after_the_project_stays_unclaimed() -> None:
    text = (
        "9月3日，青禾乳业有限公司年产8万吨乳制品加工厂建设项目开工仪式在某新区举行。"
        "某某、某某出席开工仪式。某某主持仪式。"
        "据了解，某新区今年共引进重点招商引资项目12个。项目总投资6亿元以上的有3个。"
    )
    got = [p for p in _projects(text) if not p.aggregate and p.investor == "青禾乳业有限公司"]
    assert len(got) == 1 and got[0].amount is None


def test_the_second_of_two_named_examples_before_deng_is_a_project() -> None:
    text = "此外，总投资分别为9亿元、4亿元的青禾康养中心项目和东港文旅小镇项目等已签约落户某投资区。"
    assert _amounts(text) == {"青禾康养中心项目": 9e8, "东港文旅小镇项目": 4e8}


def test_kinds_of_projects_before_deng_stay_a_batch() -> None:
    text = "今年以来，全区产业协同项目和人才项目等集中签约。"
    assert not [p for p in _projects(text) if not p.aggregate]


def test_two_projects_each_told_with_its_builder_keep_the_same_figure() -> None:
    text = (
        "青禾包装制品项目由某某青禾包装有限公司投资建设，位于某开发区西港区，总投资额为1亿元。\n"
        "东港纸品包装项目由江西东港印刷包装有限公司投资建设，厂房面积3000平方米，总投资1亿元。"
    )
    money = [m for m in extract_metrics(text, extract_entities(text), None) if m.unit == "元"]
    assert len(money) == 2
    got = {p.name: p.amount.value if p.amount else None for p in _projects(text) if not p.aggregate}
    assert got.get("东港纸品包装项目") == 1e8


def test_a_project_stated_with_its_builder_needs_no_figure_or_stage_word() -> None:
    text = (
        "截至目前，全市共签署协议30项。农牧业方面，北辰农产品加工有限公司在某县投资建设的净菜加工项目；"
        "工业方面，南湖新能源科技有限公司在某区投资建设的锂电池正极材料项目。"
    )
    got = {p.name: p.investor for p in _projects(text) if not p.aggregate}
    assert got.get("净菜加工项目") == "北辰农产品加工有限公司"
    assert got.get("锂电池正极材料项目") == "南湖新能源科技有限公司"


def test_numbered_company_lines_after_an_event_intro_are_its_projects() -> None:
    text = (
        "9月2日，某市举行三季度重大项目集中开工竣工仪式。新开工项目5个，总投资4.2亿元。其中包括：\n"
        "1、宜丰县青禾陶瓷原料有限公司，年加工2000吨釉料项目；\n"
        "2、宜丰县东港新型建材有限公司，年产5000万块透水砖项目。\n"
        "新竣工项目3个，总投资6.1亿元。其中包括：\n"
        "1、江西南岭陶瓷集团有限公司，扩建两条陶瓷生产线。\n"
        "2、江西北辰瓷业有限公司，投资1.5亿元扩建窑炉。\n"
    )
    got = _by_investor(text)
    assert got["宜丰县青禾陶瓷原料有限公司"].stage == "开工"
    assert got["宜丰县青禾陶瓷原料有限公司"].name == "年加工2000吨釉料项目"
    assert got["江西南岭陶瓷集团有限公司"].stage == "竣工"
    bc = got["江西北辰瓷业有限公司"]
    assert bc.stage == "竣工" and bc.amount is not None and bc.amount.value == 1.5e8


def test_numbered_lines_after_an_intro_reporting_no_event_give_nothing() -> None:
    text = "园区重点企业包括：\n1、宜丰县青禾陶瓷原料有限公司；\n2、宜丰县东港新型建材有限公司。\n"
    assert not [p for p in _projects(text) if not p.aggregate]


def test_a_list_of_projects_counted_after_it_takes_the_reported_signing() -> None:
    text = (
        "本次集中签约18个项目，总投资96亿元。新能源产业合作层次高，"
        "包括某某区中国华能储能电站项目、某某县中广核风电场项目等新能源重点项目2个。"
    )
    got = {p.name: (p.investor, p.stage) for p in _projects(text) if p.name and not p.aggregate}
    assert got.get("某某区中国华能储能电站项目", (None, None))[1] == "签约"
    assert got.get("某某县中广核风电场项目", (None, None))[1] == "签约"


def test_the_examples_marker_opens_no_name_and_places_before_a_trade_name_are_skipped() -> None:
    text = "本季度签约项目12个。先进装备制造项目引进成果突出，如邕宁区慕雷特特种车辆生产项目、横州市慕雷特再生资源产业园项目。"
    got = {p.name: p.investor for p in _projects(text) if p.name and not p.aggregate}
    assert "邕宁区慕雷特特种车辆生产项目" in got
    assert got["邕宁区慕雷特特种车辆生产项目"] == "慕雷特"


def test_a_proper_name_the_dictionary_knows_opens_the_project_of_the_company_named_later() -> None:
    text = (
        "3月2日上午，麦克斯年产80万套汽车座椅骨架项目建设现场机声隆隆。\n"
        "据了解，江苏麦克斯汽车部件有限公司是一家民营企业。该项目总投资6亿元。"
    )
    got = [p for p in _projects(text) if not p.aggregate]
    assert len(got) == 1 and got[0].investor == "江苏麦克斯汽车部件有限公司"
    assert got[0].amount is not None and got[0].amount.value == 6e8


def test_parties_listed_after_yu_are_no_list_items_and_the_first_invests() -> None:
    text = (
        "其中，某区与广西青禾投资集团、苏州工业园区东港生物医药有限公司签约的中药材种植加工基地项目，"
        "总投资4.5亿元，建成投产后年产值10亿元以上。"
    )
    got = [p for p in _projects(text) if not p.aggregate]
    assert [p.name for p in got] == ["中药材种植加工基地项目"]
    assert got[0].investor == "广西青禾投资集团"
    assert got[0].amount is not None and got[0].amount.value == 4.5e8


def test_a_list_after_the_events_count_takes_the_event_told_before() -> None:
    text = (
        "20日上午，某市举行12个重点项目集中开工奠基仪式，总投资60亿元。"
        "据了解，12个重点项目包括青禾国际博览城、东港生态科技园、西湾食品产业园等，涉及多个领域。"
    )
    got = {p.name: p.stage for p in _projects(text) if p.name and not p.aggregate}
    assert got == {"青禾国际博览城": "开工", "东港生态科技园": "开工", "西湾食品产业园": "开工"}


# --- round 6b: project classes recurring across the development sets (own sentences) ---


def _extract(text: str) -> Extraction:
    return Extractor().extract(Article(source="t", part=0, title=None, published="2024-01-01", text=text))


def _named(text: str) -> dict[str, str | None]:
    return {p.name: p.investor for p in _projects(text) if p.name and not p.aggregate}


def test_a_brand_before_a_bracketed_county_short_form_invests() -> None:
    got = _named("总投资6亿元的祥岳(洪洞)新材料产业园一期项目今天开工。")
    assert got == {"祥岳(洪洞)新材料产业园一期项目": "祥岳"}


def test_a_brand_between_nothing_and_a_known_city_invests() -> None:
    got = _named("瑞嘉太原旗舰康养社区项目总投资12亿元，落地太原市万柏林区。")  # (太原: 太原市 as written)
    assert got == {"瑞嘉太原旗舰康养社区项目": "瑞嘉"}


def test_common_words_before_a_district_short_form_are_no_brand() -> None:
    got = _named("城市更新新城片区改造项目总投资20亿元，今年开工。")
    assert all(v is None for v in got.values()), got


def test_a_works_named_by_trade_name_and_product_invests_in_the_project_after_it() -> None:
    assert _named("鸿岳车厢厂扩能项目总投资3亿元，已开工建设。") == {"鸿岳车厢厂扩能项目": "鸿岳车厢厂"}
    # a facility that is itself the project names no company
    assert _named("城东污水处理厂提标改造项目总投资2亿元，已开工建设。") == {"城东污水处理厂提标改造项目": None}


def test_two_levels_of_region_before_a_group_are_its_place_not_its_name() -> None:
    x = _extract("郑州市金水区瑞丰控股集团绿色建材产业园项目正式签约，总投资20亿元。")
    got = [p for p in x.projects if not p.aggregate]
    assert [(p.name, p.investor) for p in got] == [("瑞丰控股集团绿色建材产业园项目", "瑞丰控股集团")]
    companies = [e.name for e in x.entities if e.type == "company"]
    assert companies == ["瑞丰控股集团"]


def test_a_zone_before_a_legal_name_is_the_projects_place() -> None:
    x = _extract("滨江新区禾润实业有限公司年产10万吨饲料项目总投资3亿元，已开工。")
    got = [p for p in x.projects if not p.aggregate]
    assert [(p.name, p.investor, p.location) for p in got] == [
        ("年产10万吨饲料项目", "禾润实业有限公司", "滨江新区")
    ]
    assert [e.name for e in x.entities if e.type == "company"] == ["禾润实业有限公司"]
    assert "滨江新区" in [e.name for e in x.entities if e.type == "park"]
    # a city before a legal name is part of that name
    y = _extract("沧源禾丰饲料科技有限公司年产5万吨饲料项目总投资1亿元，已开工。")
    assert [p.investor for p in y.projects if not p.aggregate] == ["沧源禾丰饲料科技有限公司"]


def test_the_place_and_head_forms_of_a_brand_investor_are_its_aliases() -> None:
    x = _extract("深圳华拓新材料产业项目总投资9亿元，落地某某新城。")
    assert [p.investor for p in x.projects if not p.aggregate] == ["华拓"]
    comp = {e.name: e.aliases for e in x.entities if e.type == "company"}
    assert comp == {"华拓": ["深圳华拓"]}
    y = _extract("厦门澜博卫浴项目、宁德鑫拓锂电项目等项目集中签约。")
    comp = {e.name: e.aliases for e in y.entities if e.type == "company"}
    assert comp.get("澜博卫浴") == ["厦门澜博卫浴"]
    assert comp.get("鑫拓") == ["宁德鑫拓"]


def test_slogans_and_goals_are_no_projects() -> None:
    for text in (
        "全省各地持续掀起大抓项目、抓大项目的热潮，一批工业项目集中开工。",
        "会议要求深入贯彻高质量项目建设部署，推动项目开工。",
        "力争实现百亿元项目落地开工，总投资30.2亿元。",
        "加快构建一核三带九基地发展格局，推动项目落地。",
        "明确了发展思路及装备智造产业园建设重点，某某储能科技有限公司签约。",
        "推动区内国别产业园建设，多个项目签约落地。",
        "今年共安排县(区)级重点项目开工。",
    ):
        assert [p.name for p in _projects(text) if p.name and not p.aggregate] == [], text


def test_a_task_joined_by_he_names_nothing_but_the_project_after_it_stays() -> None:
    text = "打响了招商引资和项目建设两大会战，禾丰实业年产5万吨饲料项目开工。"
    got = _named(text)
    assert "招商引资和项目" not in got
    assert any(k.endswith("年产5万吨饲料项目") for k in got)


def test_the_firms_home_before_a_brand_and_a_bracketed_place_stays_in_its_name() -> None:
    x = _extract("浙江禾隆贸易(自贡)返乡创业园项目今年开工建设，总投资3亿元。")
    assert [p.investor for p in x.projects if not p.aggregate] == ["浙江禾隆贸易"]
    assert "浙江禾隆贸易" in [e.name for e in x.entities if e.type == "company"]


def test_a_plant_of_a_company_is_no_works_name() -> None:
    got = _named("禾瑞汽车未来一工厂及发动机项目总投资13亿元，今天开工。")
    assert all(v is None or not v.endswith("厂") for v in got.values()), got


def test_a_goal_after_dazao_with_de_is_no_project() -> None:
    text = "某市加快推进钢铁核心基地建设，着力打造具有先进水平的高端金属新材料生产基地。"
    assert [p.name for p in _projects(text) if p.name and not p.aggregate] == []
    # a company's base after 打造 stays its project
    got = _named("禾丰实业有限公司投资5亿元，打造年产10万吨的饲料生产基地，项目已开工。")
    assert any(k.endswith("饲料生产基地") for k in got), got


def test_the_company_after_an_items_figure_invests_under_its_legal_name() -> None:
    text = (
        "其中，总投资5亿元以上项目共2个，分别是：总投资12亿元的滨江新区禾润实业有限公司年产80万吨球团项目、"
        "总投资5.2亿元的沧源禾丰饲料科技有限公司年产3万吨饲料项目。"
    )
    got = sorted((p.investor, p.amount.value if p.amount else None) for p in _projects(text) if p.name and not p.aggregate)
    assert got == [("沧源禾丰饲料科技有限公司", 5.2e8), ("禾润实业有限公司", 1.2e9)]


def test_a_trade_name_after_the_firms_home_opens_its_own_park_project() -> None:
    # (the segmenter glues 华 and 新 across the trade name's end)
    assert _named("合肥禾兴润华新能源科技产业园项目投资规模达10亿元，今年签约。") == {
        "合肥禾兴润华新能源科技产业园项目": "禾兴润华"
    }
    # common words after the city are a theme, no trade name
    assert _named("长沙国际汽车新能源产业园项目投资规模达10亿元，今年签约。") == {
        "长沙国际汽车新能源产业园项目": None
    }


def test_a_trade_name_only_the_firms_home_marks_keeps_the_home() -> None:
    # 和 could open a clause as a conjunction; after the city and before a head word it opens a name
    x = _extract("厦门和淋卫浴项目、宁德鑫拓锂电项目等项目集中签约。")
    assert {p.name: p.investor for p in x.projects if not p.aggregate}["厦门和淋卫浴项目"] == "厦门和淋卫浴"
    assert "厦门和淋卫浴" in [e.name for e in x.entities if e.type == "company"]


def test_who_takes_charge_of_a_project_is_no_part_of_its_name() -> None:
    text = (
        "某某股份与某市政府共同投资建设传感器封装项目，总投资6亿元。"
        "公司以其在当地设立的禾川电子科技有限公司负责该项目的产线建设及运营。"
    )
    assert not any((p.name or "").startswith("负责") for p in _projects(text)), _named(text)
