"""Projects on unseen real pages (issue #10): original sentences reproducing each error class
found on a fresh set of real pages (figures inside list items, list ends, generic names,
counts and times read as brands)."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.metrics import extract_metrics
from chainatlas.extract.project_lists import list_items
from chainatlas.extract.projects import extract_projects
from chainatlas.model import Project


def _projects(text: str) -> list[Project]:
    ents = extract_entities(text)
    return extract_projects(text, ents, extract_metrics(text, ents, None), None)


def _named(text: str) -> dict[str, Project]:
    return {p.name: p for p in _projects(text) if p.name and not p.aggregate}


def _items(text: str) -> list[str]:
    return [text[s:e] for s, e, _, _ in list_items(text, 0, len(text), ("设备",))]


def test_each_item_keeps_the_figure_stated_before_its_name() -> None:
    text = (
        "会上，青川县与江岭纸业有限公司签订总投资6亿元的高档生活用纸项目、"
        "与北辰农机股份有限公司签订总投资2.5亿元的智能农机装配项目等7个项目，总投资31.4亿元。"
    )
    got = _named(text)
    assert set(got) == {"高档生活用纸项目", "智能农机装配项目"}
    paper, farm = got["高档生活用纸项目"], got["智能农机装配项目"]
    assert paper.investor == "江岭纸业有限公司" and paper.amount is not None and paper.amount.value == 6e8
    assert farm.investor == "北辰农机股份有限公司" and farm.amount is not None and farm.amount.value == 2.5e8
    batch = [p for p in _projects(text) if p.aggregate]
    # the batch keeps its own total, never an item's figure
    assert all(p.amount is None or p.amount.value == 3.14e9 for p in batch)


def test_figure_items_without_project_words_are_a_list() -> None:
    text = (
        "此次集中开工的9个项目有总投资4.2亿元的南湖精工数控机床、总投资1.8亿元的"
        "临江阀门有限公司高压阀门、总投资0.9亿元的东岸食品冷链仓储项目等。"
    )
    got = _named(text)
    assert got["临江阀门有限公司高压阀门"].amount is not None
    assert got["临江阀门有限公司高压阀门"].amount.value == 1.8e8
    assert got["临江阀门有限公司高压阀门"].investor == "临江阀门有限公司"
    assert got["南湖精工数控机床"].amount is not None and got["南湖精工数控机床"].amount.value == 4.2e8
    assert all(p.stage == "开工" for p in got.values())


def test_the_event_after_the_last_item_ends_the_list() -> None:
    text = "总投资30亿元的星河锂电材料项目、总投资12亿元的蓝湾智能家居产业园项目实现当年签约、当年开工。"
    assert _items(text) == ["总投资30亿元的星河锂电材料项目", "总投资12亿元的蓝湾智能家居产业园项目"]
    got = _named(text)
    assert set(got) == {"星河锂电材料项目", "蓝湾智能家居产业园项目"}
    assert got["蓝湾智能家居产业园项目"].amount is not None and got["蓝湾智能家居产业园项目"].amount.value == 1.2e9


def test_and_inside_the_last_name_joins_no_two_items() -> None:
    text = "总投资8亿元的年产2万台电动机项目、总投资5亿元的年产3万台储能柜和充电桩项目成功签约。"
    assert _items(text)[-1] == "总投资5亿元的年产3万台储能柜和充电桩项目"
    got = _named(text)
    assert "年产3万台储能柜和充电桩项目" in got
    assert "充电桩项目" not in got


def test_a_leading_figure_is_the_amount_not_the_name() -> None:
    text = "总投资80亿元蓝峰硅材料项目已经签约。"
    got = _named(text)
    assert set(got) == {"蓝峰硅材料项目"}
    assert got["蓝峰硅材料项目"].amount is not None and got["蓝峰硅材料项目"].amount.value == 8e9


def test_a_place_class_of_projects_is_no_project() -> None:
    for text in (
        "今年以来，桐溪经济开发区狠抓重点项目建设，投资上亿元的项目加快推进。",
        "上午桐溪经济开发区重大招商项目签约仪式在管委会举行。",
    ):
        assert _named(text) == {}, text


def test_a_count_or_a_time_is_no_brand() -> None:
    for text in (
        "4月2日，两大新能源项目签约仪式举行。",
        "4月2日，桐溪县两大新能源项目签约仪式举行。",
        "上午桐溪经济开发区新能源产业项目签约仪式举行。",
    ):
        assert all(p.investor is None for p in _projects(text)), text


def test_a_trade_word_closes_the_brand_that_invests() -> None:
    text = (
        "总投资3亿元的岚溪木业一期工程已正式投产。"
        "总投资约2亿元的恒岳钢结构生产项目一期已投产，二期正在建设。"
    )
    got = _named(text)
    assert got["岚溪木业一期工程"].investor == "岚溪木业"
    assert got["恒岳钢结构生产项目一期"].investor == "恒岳钢结构"


def test_the_trade_name_of_a_company_named_in_full_elsewhere() -> None:
    text = (
        "记者走进位于桐溪经开区的安徽翎岳新能科技有限公司，生产线满负荷运转。\n"
        "翎岳年产2GW光伏组件项目总投资8亿元，去年12月投产。"
    )
    got = _named(text)
    p = got["翎岳年产2GW光伏组件项目"]
    assert p.investor == "安徽翎岳新能科技有限公司"
    assert p.amount is not None and p.amount.value == 8e8
    # a park's name gives no investor this way (its prefix is as often a slogan or a place)
    text2 = "安徽翎岳新能科技有限公司参加了推介会。翎岳未来科技城项目总投资50亿元，今年开工。"
    assert all(q.investor != "安徽翎岳新能科技有限公司" for q in _projects(text2) if q.name and "科技城" in q.name)


def test_a_name_cut_by_its_reach_starts_at_the_company_joined_by_yu() -> None:
    text = "6月3日，桐溪县石门镇人民政府与湖北青岚生态农业有限公司年加工5万吨有机稻米及米制品深加工项目正式签约。"
    got = _named(text)
    assert set(got) == {"年加工5万吨有机稻米及米制品深加工项目"}
    assert got["年加工5万吨有机稻米及米制品深加工项目"].investor == "湖北青岚生态农业有限公司"


def test_counted_lines_and_verbs_before_project_are_no_names() -> None:
    text = (
        "桐溪高新区两项目奠基投产。耀川公司首个车间12条生产线投入生产，年底将有20条生产线投产。"
        "园区积极协调化解项目建设中的困难，全力助推大项目建设。"
    )
    got = _named(text)
    assert not any("生产线" in n or n.endswith(("两项目", "化解项目", "大项目")) for n in got), got


def test_an_item_among_named_items_takes_no_party_of_another_agreement() -> None:
    text = (
        "签约仪式上，江苏岚山智能科技有限公司南通智能装备基地、浙江禾丰贸易(湖州)返乡创业园等20个项目集中签约。"
        "北辰发展(控股)有限公司与东岳集团现场签订战略合作协议。"
    )
    got = _named(text)
    assert got["浙江禾丰贸易(湖州)返乡创业园"].investor != "北辰发展(控股)有限公司"


def test_a_name_right_after_the_reference_is_what_the_project_builds() -> None:
    text = (
        "当天上午，青岚隔热板材生产线项目正式动工。据了解，该项目年产8万吨高品质隔热板材生产线是省重点项目，"
        "拟投资2.6亿元。"
    )
    got = _named(text)
    assert set(got) == {"青岚隔热板材生产线项目"}
    assert got["青岚隔热板材生产线项目"].amount is not None
    assert got["青岚隔热板材生产线项目"].amount.value == 2.6e8


def test_a_workshop_building_is_no_factory_name() -> None:
    text = (
        "6月2日，桐溪镇与湖北青禾农业有限公司年养殖5万头生猪及肉制品深加工项目正式签约。"
        "该项目利用原东坪小学闲置土地进行深加工厂房建设，协议投资额达0.8亿元。"
    )
    got = _named(text)
    assert set(got) == {"年养殖5万头生猪及肉制品深加工项目"}
    assert got["年养殖5万头生猪及肉制品深加工项目"].amount is not None
    assert got["年养殖5万头生猪及肉制品深加工项目"].amount.value == 8e7


def test_items_after_fenbie_shi_each_become_a_project_of_the_signing() -> None:
    text = (
        "6月5日，东坪镇成功签约3个招商引资项目，协议投资额达2.4亿元。\n"
        "分别是：桐溪青禾服饰有限公司服装加工项目；湖北岚山农业发展有限公司饲料生产项目；"
        "东坪镇建材制造销售项目。\n"
        "项目建成后将带动周边农民增收。"
    )
    got = _named(text)
    assert set(got) == {"服装加工项目", "饲料生产项目", "东坪镇建材制造销售项目"}
    assert got["服装加工项目"].investor == "桐溪青禾服饰有限公司"
    assert got["饲料生产项目"].investor == "湖北岚山农业发展有限公司"
    assert got["东坪镇建材制造销售项目"].investor is None
    assert all(p.stage == "签约" and p.amount is None for p in got.values())


def test_one_project_of_a_size_class_then_its_investor() -> None:
    text = (
        "近日，东坪镇成功签约一个亿元菌菇深加工项目。"
        "据了解，该项目由海岚农业投资有限公司投资1.2亿元，用地40亩。"
    )
    got = _named(text)
    assert set(got) == {"菌菇深加工项目"}
    assert got["菌菇深加工项目"].investor == "海岚农业投资有限公司"
    assert got["菌菇深加工项目"].amount is not None and got["菌菇深加工项目"].amount.value == 1.2e8


def test_the_last_example_before_deng_is_a_project() -> None:
    text = (
        "现场了解到，青岚光电股份有限公司和东川区政府签约光电器件生产基地项目，"
        "禾丰集团和西岭县政府签约康养休闲特色小镇项目等。"
    )
    got = _named(text)
    assert got["光电器件生产基地项目"].investor == "青岚光电股份有限公司"
    assert got["康养休闲特色小镇项目"].investor == "禾丰集团"


def test_a_fenbie_wei_sentence_lists_the_event_of_the_sentence_before() -> None:
    text = (
        "据悉，东川高新区一季度集中开工项目共有3个，总投资12亿元。"
        "分别为青岚重工装备有限公司智能起重机制造项目、禾川(东川)复合材料有限公司包装膜材料项目、"
        "东川市第五小学教学楼项目。"
    )
    got = _named(text)
    assert got["禾川(东川)复合材料有限公司包装膜材料项目"].investor == "禾川(东川)复合材料有限公司"
    assert got["禾川(东川)复合材料有限公司包装膜材料项目"].stage == "开工"
    assert "东川市第五小学教学楼项目" in got


def test_an_enumeration_opened_inside_a_sentence() -> None:
    text = (
        "本届洽谈会上，东坪县签约的3个项目分别是：东坪云岭康养小镇建设项目；"
        "东坪县白沙峡景区开发建设项目；岚山索道建设项目。"
    )
    got = _named(text)
    assert set(got) == {"东坪云岭康养小镇建设项目", "东坪县白沙峡景区开发建设项目", "岚山索道建设项目"}
    assert all(p.stage == "签约" for p in got.values())


def test_ji_before_the_suffix_and_you_in_a_legal_name_cut_no_name() -> None:
    text = (
        "第五届东坪农博会优势资源推介暨项目签约仪式举行。\n"
        "东坪智能科技产业园一期项目暨新能源科技有限公司储能支架项目竣工投产。"
    )
    names = set(_named(text))
    assert not any(n.endswith("暨项目") or n.startswith(("暨", "限公司")) for n in names), names
    assert all(p.investor is None or not p.investor.startswith("暨") for p in _projects(text))


def test_a_project_named_as_the_ground_of_another_is_background() -> None:
    text = (
        "岚山(东坪)储能科技有限公司储能支架项目是在东坪县2GW光伏发电项目基础上延伸产业链的重要举措，"
        "总投资4亿元，今日正式投产。"
    )
    got = _named(text)
    assert "东坪县2GW光伏发电项目" not in got
    assert any(p.amount is not None and p.amount.value == 4e8 for p in got.values())


def test_each_company_project_keeps_its_repeated_figure() -> None:
    text = (
        "其中，东川青禾家具有限公司实木家具项目总投资2亿元，占地60亩；"
        "岚山科技有限公司项目总投资为2亿元，占地40亩；东川宏业胶辊有限公司胶辊项目总投资1亿元。"
    )
    got = _named(text)
    assert got["岚山科技有限公司项目"].investor == "岚山科技有限公司"
    assert got["岚山科技有限公司项目"].amount is not None and got["岚山科技有限公司项目"].amount.value == 2e8
    assert got["实木家具项目"].amount is not None and got["实木家具项目"].amount.value == 2e8
    ents = extract_entities(text)
    values = [m.value for m in extract_metrics(text, ents, None) if m.unit == "元"]
    assert values.count(2e8) == 2


def test_the_only_company_of_a_later_project_invests_in_no_earlier_one() -> None:
    text = (
        "省重点建设项目“年产5万吨锂离子电池负极材料一体化项目”落址东坪，总投资30亿元，预计年内建成。\n"
        "日前，西岭县举行一季度项目集中开工暨岚钢搬迁项目炼钢轧钢工程开工仪式。\n"
        "西岭岚山钢铁有限责任公司董事长 王明：\n"
        "成立了专班，有效推进了岚钢搬迁项目建设。"
    )
    got = [p for p in _projects(text) if p.amount is not None and p.amount.value == 3e9]
    assert got and all(p.investor != "西岭岚山钢铁有限责任公司" for p in got)


def test_an_unknown_three_character_trade_name_before_a_product() -> None:
    text = "当天上午，随着一声令下，翎岳泰隔热板材生产线项目正式动工，拟投资2.2亿元。"
    got = _named(text)
    assert got["翎岳泰隔热板材生产线项目"].investor == "翎岳泰"
    # a mountain, a grade or a dictionary word opening the name is no trade name
    for text in (
        "拉尕山景区索道建设项目正式开工，总投资3亿元。",
        "车规级功率芯片封测项目正式开工，总投资3亿元。",
        "城市数据湖项目正式开工，总投资3亿元。",
    ):
        assert all(p.investor is None for p in _projects(text)), text


def test_a_suffix_inside_a_company_name_ends_no_project_name() -> None:
    text = "当日五个项目成功签约。东岳水利管道工程公司项目计划总投资6亿元。"
    got = _named(text)
    assert "公司项目" not in got
    p = got["东岳水利管道工程公司项目"]
    assert p.investor == "东岳水利管道工程公司" and p.amount is not None and p.amount.value == 6e8


def test_a_company_named_project_is_that_companys_one_project() -> None:
    text = (
        "3月29日，东川区举行重大项目集中开竣工活动，东川经开区分会场在广西青禾食品有限责任公司项目开竣工活动现场举行。"
        "当天，3个开工项目分别是广西青禾食品有限责任公司年产2万吨卤制食品加工项目、"
        "东川市正岚机械设备有限公司农机生产项目、广西金岭建材有限公司标准厂房项目。"
    )
    mine = [p for p in _projects(text) if p.investor == "广西青禾食品有限责任公司"]
    assert [p.name for p in mine] == ["广西青禾食品有限责任公司年产2万吨卤制食品加工项目"]


def test_who_planned_a_project_does_not_invest_in_it() -> None:
    text = "青岚热电联产项目是东川省和西北岚山电网公司规划的重点项目，投资28亿元，已进行签约。"
    assert all(p.investor != "西北岚山电网公司" for p in _projects(text))


def test_a_batch_total_told_before_its_count_is_no_listed_projects_amount() -> None:
    # the figure of "总投资约N亿元的M个项目" belongs to the batch, never to the project named before it
    text = ("3月12日上午，江城招商引资项目3月份集中开工暨签约仪式在北湖举行，19个项目集中开工，8个项目集中签约。\n"
            "上午10时，集中开工仪式在北湖区鑫源食品馅料项目开工现场举行，总投资约86亿元的19个项目集中开工，"
            "市委书记张某参加开工仪式并为北湖区鑫源食品馅料项目开工奠基。")
    named = [p for p in _projects(text) if not p.aggregate]
    assert named and all(p.amount is None for p in named)


def test_kinds_of_projects_described_are_no_items() -> None:
    text = ("此次集中开工的项目既有引领发展、支撑跨越的先进制造业项目，也有数字驱动、文旅融合的现代服务业项目，"
            "更有回应关切、满足需求的民生项目。")
    named = [p for p in _projects(text) if not p.aggregate]
    assert named == []


def test_a_stated_total_wins_over_an_increment() -> None:
    text = ("4月10日，江城动力科技有限公司年产3GWh储能电池项目在北湖经济开发区开工。"
            "该项目追加8亿元投资，扩建1GWh产能，总投资达到26.5亿元。")
    named = [p for p in _projects(text) if not p.aggregate]
    assert [p.amount.value for p in named if p.amount is not None] == [2.65e9]
