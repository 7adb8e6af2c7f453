"""Projects and names on unseen real pages, round 10 (issue #10): original sentences that reproduce
each error class found on new real pages (names invented, except well-known brands)."""

from __future__ import annotations

from .sentences import companies, extract
from .sentences import projects as _projects


def test_a_brand_and_its_head_word_open_a_production_line() -> None:
    # 某某科技 + 储能电池生产线: the line's name opens with the firm that builds it
    found = _projects("园区建设同步推进，锐澜科技储能电池生产线已开工建设。")
    assert [(p.name, p.investor, p.stage) for p in found] == [("锐澜科技储能电池生产线", "锐澜科技", "开工")]
    assert "锐澜科技" in companies("园区建设同步推进，锐澜科技储能电池生产线已开工建设。")


def test_a_project_started_at_the_end_of_its_clause_is_under_works() -> None:
    text = "该区另一个百亿级项目——澜拓科技年产20GWh动力电池生产基地已于今年3月启动。"
    found = _projects(text)
    assert [(p.investor, p.stage) for p in found] == [("澜拓科技", "开工")]


def test_qidong_inside_a_clause_starts_no_works() -> None:
    assert _projects("会议宣布全区招商工作正式启动。") == []
    # 启动 before what it starts is no stage of the project named before it
    found = _projects("澜拓科技动力电池生产基地启动招商引资工作。")
    assert all(p.stage != "开工" for p in found)


def test_a_project_cluster_is_one_project_and_keeps_its_own_figure() -> None:
    # the figure and the group before 项目集群 are that cluster's, not the next clause's project's
    text = ("总投资超300亿元的中石化临港高端新材料项目集群加快建设，联想智慧创新服务产业园首座零碳工厂正式投产。")
    found = {p.name: p for p in _projects(text)}
    cluster = found["中石化临港高端新材料项目集群"]
    assert cluster.investor == "中石化" and cluster.amount is not None and cluster.amount.value == 3e10
    assert all(p.amount is None for n, p in found.items() if n != "中石化临港高端新材料项目集群")


def test_a_context_brand_opening_its_projects_name_is_a_company() -> None:
    # 联想, 小米, 金风 are also everyday words: a project's name right after them vouches for the brand
    text = "北京奔驰汽车技改项目、小米智能制造产业基地项目集中开工。"
    found = {p.name: p.investor for p in _projects(text)}
    assert found["小米智能制造产业基地项目"] == "小米"
    assert "小米" in companies(text)
    assert "联想" in companies("联想智慧创新服务产业园首座零碳工厂正式投产。")
    assert "金风" in companies("续建项目包括金风总装生产车间智能制造项目等。")


def test_an_everyday_word_before_a_project_stays_a_word() -> None:
    for text in ("这让人联想到当年的项目建设。", "大众创业项目持续推进。", "苹果种植基地项目开工。", "金风送爽，项目建设正酣。",
                 "镇原县苹果产业项目开工。", "金山矿坑环境修复改造项目开工。", "长安畜禽交易市场项目开工。"):
        assert not companies(text), text


def test_china_merchants_units_are_companies_not_an_investment_promotion_bureau() -> None:
    ents = {(e.type, e.name) for e in extract("招商局蛇口股份国际金融科技城项目正在规划。").entities}
    assert ("company", "招商局蛇口股份") in ents
    assert not any(t == "government" for t, _ in ents)
    # the bureau of a city is still one
    assert ("government", "市招商局") in {(e.type, e.name) for e in extract("市招商局局长出席签约仪式。").entities}


def _metrics(text: str) -> list[tuple[str, float, str]]:
    return [(m.raw, m.value, m.unit) for m in extract(text).metrics]


def test_a_capacity_written_as_a_rate_reads_as_its_quantity() -> None:
    # realdev's convention (35万吨/年 → 350000 吨): the period stays in the raw text, not in the unit
    got = _metrics("新建35万吨/年乙烯装置。")
    assert [(v, u) for _, v, u in got] == [(350000.0, "吨")]
    assert _metrics("年产20万吨钢材。") == [("20万吨", 200000.0, "吨")]


def test_a_move_in_a_ranking_and_a_rankings_top_are_no_counts() -> None:
    assert _metrics("综合排名较上年前进了整整12位，其中创新能力上升3位。") == []
    assert _metrics("该区进入全国综合评价前30名。") == []
    # people counted in 位 and 名 still are
    got = _metrics("共有8位专家和30名企业代表出席。")
    assert ("8位", 8.0, "位") in got and ("30名", 30.0, "名") in got


def test_the_functions_one_park_holds_are_no_projects() -> None:
    # 集A中心、B中心…等功能于一体的产业园: the parts of one project, listed before 等功能于一体
    text = ("青禾供应链项目开工。项目落地临港片区，拟建设集跨境商品加工中心、直销中心、展示中心、"
            "物流周转中心、结算中心等功能于一体的智慧物流产业园。")
    assert [p.name for p in _projects(text)] == ["青禾供应链项目"]


def test_classes_of_projects_joined_by_he_are_no_project() -> None:
    text = ("此次开工的既有松岭工业城三期、鹭岸智慧物流基地等产业项目，也有临空区块道路、"
            "职业学院四期等社会民生和基础设施项目。")
    assert not any(p.name and "社会民生" in p.name for p in _projects(text))


def test_the_first_firm_of_a_list_starts_after_the_clauses_verb() -> None:
    # 某产业链先后引入 + 甲、乙、丙等头部企业: the first item is the firm, not the clause before it
    got = companies("光伏产业链先后引入澜峰、晶穗、一禾等头部企业。")
    assert {"澜峰", "晶穗", "一禾"} <= got
    assert not any("引入" in c for c in got)


def test_the_firms_a_chain_is_represented_by_are_companies() -> None:
    got = companies("形成了乌峰石化、国垣化工、兖岭等为代表的能源化工产业链。")
    assert {"乌峰石化", "国垣化工", "兖岭"} <= got
    # places and classes listed the same way are not
    assert not companies("形成了以天津、北京、上海等为代表的城市产业集群。")
    assert not companies("形成了光伏、储能、氢能等为代表的新能源产业集群。")


def test_a_legal_name_keeps_its_brand_before_its_home() -> None:
    # a group's or a foreign firm's subsidiary: brand + province + trade + 有限公司 is one name
    assert "国能吉林热电有限公司" in companies("项目由国能吉林热电有限公司建设。")
    assert "雅保四川新材料有限公司" in companies("雅保四川新材料有限公司锂盐项目投产。")
    # a home and 联合 open the trade name too
    assert "福建联合动力设备制造有限公司" in companies("福建联合动力设备制造有限公司厂房改扩建项目开工。")
    # a place and its verb before a firm stay outside the firm's name
    assert companies("天津引进澜峰科技有限公司落户。") == {"澜峰科技有限公司"}
    # a one-character verb before a place still ends what stands before it
    ents = {(e.type, e.name) for e in extract("相城高新技术产业开发区获江苏省政府批复。").entities}
    assert ("government", "江苏省政府") in ents


def test_firms_counted_with_duo_jia_after_their_list_are_companies() -> None:
    got = companies("之后，澜比斯、京岳电子、东禾、韩岭等300多家外资汽车配套企业先后入驻。")
    assert {"澜比斯", "京岳电子", "东禾", "韩岭"} <= got


def test_projects_named_by_their_firms_name_those_firms() -> None:
    # 甲食品、乙…产业基地、丙食品等8个项目: items of a trade name and a firm's head word are firms
    got = companies("此次集中开工有禾力盛食品、帆远航海文化产业基地、新岳食品、澄旺冷链物流等8个项目。")
    assert {"禾力盛食品", "新岳食品"} <= got
    # kinds of business listed the same way are not
    assert not companies("推进高端食品、绿色建材、智能机电等项目。")
    assert not companies("洽谈了雨禾冷链物流与食品商贸城、光湖新材料产业园等五个项目。") & {"雨禾冷链物流"}


def test_a_context_brand_before_a_5g_project_and_a_time_phrase_before_a_group() -> None:
    found = {p.name: p.investor for p in _projects("投资50亿元的联想5G项目开工。")}
    assert found == {"联想5G项目": "联想"}
    assert companies("多年来省建投集团坚持创新。") == {"省建投集团"}


def test_a_listed_companys_short_name_opening_a_project_is_its_investor() -> None:
    found = {p.name: p.investor for p in _projects(
        "投资60亿元的临港亿禾智慧科技城、投资80亿元的华夏幸福机器人产业园等一大批项目落户。")}
    assert found.get("华夏幸福机器人产业园") == "华夏幸福"
    # not when the name is a body of its own, or the firm's own fuller name
    assert all(p.investor != "上海电力" for p in _projects("上海电力设计院项目开工。"))


def test_a_reports_representative_projects_take_its_stage() -> None:
    text = ("19日，江城举行第三季度集中开工仪式，42个重大项目同步动工。其中，总投资10亿元以上的项目有12个，"
            "具有代表性的是澜峰动力设备制造有限公司厂房改扩建项目、临江渣土资源化利用项目、"
            "岳远二期年产40万吨聚酰胺一体化项目等。")
    found = {p.name: p for p in _projects(text)}
    assert set(found) == {"澜峰动力设备制造有限公司厂房改扩建项目", "临江渣土资源化利用项目",
                          "岳远二期年产40万吨聚酰胺一体化项目"}
    assert all(p.stage == "开工" for p in found.values())
    assert found["澜峰动力设备制造有限公司厂房改扩建项目"].investor == "澜峰动力设备制造有限公司"


def test_a_batch_its_counted_parts_and_a_goal_are_no_projects() -> None:
    text = ("某省重点建设项目(第三批)集中开工签约 总投资860亿元\n"
            "某省18日举行重点建设项目(第三批)集中开工和签约仪式。本次集中开工项目96个、集中签约项目40个。"
            "澜云公司将澜云某省云计算数据中心打造成某省乃至南亚、东南亚领先的离岸大数据中心。")
    names = {p.name for p in _projects(text)}
    assert not any(n and ("建设项目" in n or "集中" in n or "南亚" in n) for n in names), names


def test_an_item_opened_by_its_investors_short_name_and_figure() -> None:
    text = ("1-5月份，全区共签约引进产业化项目16个，协议总投资近77亿元，包括天澜集团投资20亿元的绿色产业园项目、"
            "台州澜仕乐投资14亿元的智能水表产业园项目、江苏岳东投资7.05亿元的现代智慧物流园项目等。")
    found = {p.name: p for p in extract(text).projects if not p.aggregate}
    assert found["智能水表产业园项目"].investor == "台州澜仕乐"
    assert found["现代智慧物流园项目"].investor == "江苏岳东"
    assert found["现代智慧物流园项目"].amount.value == 7.05e8
    # the batch is not placed in the home written in an investor's name
    batch = [p for p in extract(text).projects if p.aggregate]
    assert batch and all(p.location != "台州" for p in batch)


def test_a_firms_signing_of_an_unnamed_project_keeps_its_figure() -> None:
    for text in ("7月20日，某经济技术开发区与内蒙古澜和新材料科技发展有限公司签约一项100亿元的工业项目。",
                 "7月20日，某经济技术开发区与内蒙古澜和新材料科技发展有限公司签约，项目总投资100亿元。"):
        got = [(p.investor, p.amount.value if p.amount else None, p.stage) for p in _projects(text)]
        assert got == [("内蒙古澜和新材料科技发展有限公司", 1e10, "签约")], text
    # several parties: the figure is the signing's, no one firm's
    got = _projects("某区与湖南岳川电气有限公司、澜凌电力有限公司等公司签订合作协议，项目总投资140.3亿元。")
    assert all(p.amount is None for p in got)


def test_a_trade_name_before_its_product_is_the_investor_alone() -> None:
    text = ("以上工业项目4个，分别为总投资120亿元的岳轩(二期)年产30GW动力电池产业化项目、总投资110亿元的衡岭年产30亿平方米"
            "锂离子电池隔膜生产项目、总投资60亿元的集澜新材料产业基地项目和总投资55亿元的江宸新能源换电站产业基地项目。")
    found = {p.investor for p in _projects(text)}
    assert {"岳轩", "衡岭", "集澜", "江宸"} <= found, found
    # a verb or a reference before the capacity is no trade name
    assert all(p.investor is None for p in _projects("某区新建年产5万吨铜箔项目开工。"))


def test_the_figure_naming_a_project_beats_the_batch_total_before_it() -> None:
    # a wrong number analysts would quote: the batch's 110.9亿 given to the one project named after it
    text = ("37个亿元以上重大产业项目参加集中开工活动，总投资110.9亿元，其中，计划总投资约10亿元的启澜科技综合体项目，"
            "建成后将作为江城超智能产城旗舰项目。")
    found = {p.name: p for p in _projects(text)}
    assert found["启澜科技综合体项目"].amount.value == 1e9
    assert "江城超智能产城旗舰项目" not in found  # what the project is to serve as, no project


def test_a_years_projects_and_a_size_class_are_no_projects() -> None:
    text = ("——江城高新区2021年项目招引建设概况\n全年签约超亿元项目超80个、总投资876亿元，"
            "其中超百亿元项目1个、超50亿元项目2个。")
    assert not [p for p in _projects(text) if p.name]


def test_items_under_way_name_their_firms_by_a_strong_head_word() -> None:
    text = ("岳澜科技新能源材料等项目已建成投产；开岭集团大水工业园三期工程、双禾集团50万吨生态肥一期工程、"
            "路澜实业25万吨磷酸二铵技改等项目正在加速推进。")
    found = {p.name: p for p in _projects(text)}
    assert found["双禾集团50万吨生态肥一期工程"].investor == "双禾集团"
    assert found["路澜实业25万吨磷酸二铵技改"].investor == "路澜实业"
    assert found["路澜实业25万吨磷酸二铵技改"].stage == "在建"
    # 加快推进 alone reports no works under way
    assert _projects("同时，加快推进某某产业合作园区建设，侨资项目多点开花。") == []


def test_a_strong_head_before_a_capacity_opens_an_investor_and_a_places_year_is_no_project() -> None:
    # a trade name and 集团 right before the capacity: the firm
    assert {p.investor for p in _projects("双禾集团50万吨生态肥一期工程开工。")} == {"双禾集团"}
    assert not {p.name for p in _projects("——江城高新区2021年项目招引建设概况\n全区签约项目80个。")} - {None}


def test_a_class_of_parks_read_with_the_words_before_it_is_no_park() -> None:
    for text in ("科技部公布2021年度国家高新区评价结果。", "江城高新区已经站稳国家级高新区第一方阵。"):
        parks = {e.name for e in extract(text).entities if e.type == "park"}
        assert not any(p.endswith(("国家高新区", "国家级高新区")) for p in parks), parks
    parks = {e.name for e in extract("江城国家高新区发布年度报告。").entities if e.type == "park"}
    assert parks == {"江城国家高新区"}  # a place before the class: a park


def test_a_batch_is_not_placed_in_a_park_that_one_of_its_neighbours_names() -> None:
    # a batch total placed in the wrong park is a figure a regional view would count there
    def batch_places(text: str) -> list:
        return [p.location for p in extract(text).projects if p.aggregate]

    assert batch_places("岳建美住智慧移动建筑、新岳科技半导体设备等21个项目建成投产，"
                        "联东U谷江城创新企业港、谷禾铝塑膜二期等30个项目在建。")[0] is None
    assert batch_places("21个项目在江城高新区集中开工，总投资138亿元。") == ["江城高新区"]
