"""Projects and names on unseen real pages, round 7 (issue #10): original sentences that
reproduce each error class found on a fresh outside set — a parent group written before its
firm (旗下), a rank before a company (500强企业), projects named on a tour with no stage, a
role (作为…代表项目) mistaken for a project, a government body signing with the investor, a
batch's count opening an enumeration, a circumstance (在…帮助下) glued to 项目, 等离子 read
as 等, and one project named twice with two readings of its investor."""

from __future__ import annotations

from .sentences import companies as _companies
from .sentences import extract as _extract
from .sentences import projects as _projects


def test_a_parents_qixia_is_no_part_of_its_firms_name() -> None:
    text = "星岳精密轴承项目由华岭集团旗下星岳精密机械有限公司投资建设，总投资6亿元，占地150亩。"
    assert {"华岭集团", "星岳精密机械有限公司"} <= _companies(text)
    (p,) = _projects(text)
    assert p.investor == "星岳精密机械有限公司"  # the firm 由…投资建设 names, not the brand opening the name
    assert p.amount is not None and p.amount.value == 6e8


def test_a_rank_before_a_company_is_no_part_of_its_name() -> None:
    text = "该项目由南溪县人民政府与全国500强企业鼎丰集团有限公司签约，项目用地90亩。"
    names = _companies(text)
    assert "鼎丰集团有限公司" in names
    assert not any("强" in n for n in names)


def test_named_projects_on_a_tour_are_projects_without_a_stage() -> None:
    text = "本次活动共观摩了远航新材料高端薄膜项目、青禾智能装备制造基地项目、江城生物医药产业园项目等一批重大项目。"
    got = {p.name: p.stage for p in _projects(text)}
    assert got == {"远航新材料高端薄膜项目": None, "青禾智能装备制造基地项目": None, "江城生物医药产业园项目": None}


def test_kinds_of_works_listed_without_names_are_no_roll_of_projects() -> None:
    assert _projects("全市持续推进城市更新项目、老旧小区改造项目、雨污分流改造项目等民生工程。") == []


def test_a_role_is_no_project_and_the_signing_body_gives_way_to_the_firm() -> None:
    text = (
        "活动现场，“南溪县年产10万吨新型建材项目”作为全市代表项目进行签约，项目投资额5.6亿元。"
        "该项目由南溪县人民政府与全国500强企业鼎丰集团有限公司签约，项目用地90亩。"
    )
    (p,) = _projects(text)
    assert p.name == "南溪县年产10万吨新型建材项目"
    assert p.amount is not None and p.amount.value == 5.6e8
    assert p.investor == "鼎丰集团有限公司"


def test_a_batch_count_opening_the_clause_is_no_list_item_and_its_total_no_projects() -> None:
    text = (
        "5日上午，共计216个、总投资1320亿元的江南省重大项目在青川县北港产业园的星辰新建年产8GWh储能电池项目"
        "现场举行集中开工仪式。“在市区两级部门帮助下项目按期开工，我们对投产很有信心。”项目负责人、"
        "星辰新能源有限公司总经理张伟说，这一项目总投资52亿元，建成后将形成年产8GWh储能电池的生产能力。"
    )
    (p,) = _projects(text)
    assert p.name == "星辰新建年产8GWh储能电池项目"
    assert p.amount is not None and p.amount.value == 52e8  # not the batch's 1320亿元
    assert p.investor == "星辰新能源有限公司"
    assert p.stage == "开工"


def test_dengli_zi_is_a_word_and_a_complete_roll_keeps_its_long_items() -> None:
    text = (
        "投产项目包含汽车座椅骨架制造、矿山机械高端装备制造、轻质合金等离子喷涂加工等3个项目，"
        "为园区装备制造产业增添了新的动能。"
    )
    got = {p.name: p.stage for p in _projects(text)}
    assert got == {"汽车座椅骨架制造": "投产", "矿山机械高端装备制造": "投产", "轻质合金等离子喷涂加工": "投产"}


def test_short_kinds_in_a_complete_roll_stay_kinds() -> None:
    assert _projects("此外，电池包壳体、汽车线束、座椅面料等3个项目也同步动工。") == []


def test_one_project_named_in_a_roll_and_again_with_its_builder_is_one() -> None:
    text = (
        "观摩了华岭集团星岳轴承产业园项目、江城生物医药港项目等重大项目。"
        "华岭集团星岳轴承产业园项目由华岭集团旗下星岳精密机械有限公司投资建设，总投资8亿元。"
    )
    got = [p for p in _projects(text) if p.name == "华岭集团星岳轴承产业园项目"]
    assert len(got) == 1
    assert got[0].investor == "星岳精密机械有限公司"
    assert got[0].amount is not None and got[0].amount.value == 8e8


def test_a_rank_before_a_brand_project_repeats_the_brands_project() -> None:
    text = (
        "开工项目包含德瑞斯年产20万吨防水材料、江城八路大桥等2个项目。"
        "世界500强德瑞斯项目预计今年8月全面建成投产。"
    )
    names = [p.name for p in _projects(text)]
    assert not any(n and "500强" in n for n in names)
    assert "德瑞斯年产20万吨防水材料" in names


def test_a_groups_zigongsi_is_no_company_and_the_subsidiary_opening_the_name_invests() -> None:
    text = (
        "东岭集团子公司江川路桥年产3万吨磷酸铁锂材料项目在主会场亮相。"
        "该项目位于临水县经开区，总投资约18亿元。"
    )
    assert "东岭集团子公司" not in _companies(text)
    (p,) = _projects(text)
    assert p.investor == "江川路桥"
    assert p.amount is not None and p.amount.value == 18e8


def test_items_listed_with_commas_after_huan_you_are_the_events_projects() -> None:
    text = (
        "全省一季度重大项目集中开工仪式在主会场举行。纳入集中开工的项目还有：\n\n"
        "东岭集团临水县河道生态治理项目，北辰集团江州至北川高速公路项目，南港集团储气调峰基地项目等。"
    )
    got = {p.name: (p.investor, p.stage) for p in _projects(text)}
    assert got == {
        "东岭集团临水县河道生态治理项目": ("东岭集团", "开工"),
        "北辰集团江州至北川高速公路项目": ("北辰集团", "开工"),
        "南港集团储气调峰基地项目": ("南港集团", "开工"),
    }


def test_a_parent_group_glued_before_its_firms_placed_name_is_a_company_of_its_own() -> None:
    names = _companies("签约仪式上，东岳集团江苏宏远控股集团有限公司与当地签订合作协议。")
    assert {"东岳集团", "江苏宏远控股集团有限公司"} <= names
    assert "东岳集团江苏宏远控股集团有限公司" not in names


def test_a_branch_after_its_group_and_city_keeps_its_whole_name() -> None:
    assert "中建华岭集团天津分公司" in _companies("中建华岭集团天津分公司承建了该工程。")


def test_xinzeng_before_a_company_is_no_part_of_its_name() -> None:
    names = _companies("园区今年新增华岭激光、星岳精密等上市企业。")
    assert "华岭激光" in names
    assert not any(n.startswith(("园区", "新增")) for n in names)


def test_two_projects_with_equal_figures_in_one_sentence_keep_both_figures() -> None:
    text = (
        "其中，投资102亿元的远航船舶高端装备制造项目、投资50亿元的星岳汽车零部件生产项目、"
        "投资50亿元的华岭集团半导体固晶机制造项目等一批重点项目正在加紧建设。"
    )
    ext = _extract(text)
    assert sorted(m.raw for m in ext.metrics) == ["102亿元", "50亿元", "50亿元"]
    amounts = {p.name: (p.amount.value if p.amount else None) for p in ext.projects if not p.aggregate}
    assert amounts["星岳汽车零部件生产项目"] == 50e8
    assert amounts["华岭集团半导体固晶机制造项目"] == 50e8



def test_counted_rolls_after_a_colon_are_the_reports_projects() -> None:
    text = (
        "当天，还有6个项目集中开工，其中经开区本部4个：维森特研发中心、华岭智能停车设备、"
        "青禾汽车零部件、远航食品；临空区2个：星岳精密制造产业园、东港冷链物流园。"
    )
    got = {p.name: p.stage for p in _projects(text)}
    assert got == {
        "维森特研发中心": "开工", "华岭智能停车设备": "开工", "青禾汽车零部件": "开工", "远航食品": "开工",
        "星岳精密制造产业园": "开工", "东港冷链物流园": "开工",
    }


def test_a_count_that_does_not_match_its_items_makes_no_roll() -> None:
    text = "当天，全区统计了5个：电子信息、汽车零部件、生物医药三大产业的产值。"
    assert _projects(text) == []


def _names_of(text: str, typ: str) -> set[str]:
    return {e.name for e in _extract(text).entities if e.type == typ}


def test_the_party_committee_of_a_zones_committee_is_named_by_the_committee() -> None:
    govs = _names_of("青川经济技术开发区管委会党工委书记王明介绍了园区复工情况。", "government")
    assert govs == {"青川经济技术开发区管委会"}


def test_lingang_alone_is_no_park_of_shanghai() -> None:
    text = "江州三江新区（临港经开区）布局储能电池项目，临港物流园也在扩容。"
    parks = _names_of(text, "park")
    assert not any(n.endswith("临港新片区") or n == "临港" for n in parks)
    assert any(n.endswith("临港新片区") for n in _names_of("上海临港新片区今年签约项目20个。", "park"))


def test_a_brand_opening_a_confirmed_list_item_before_its_capacity_is_the_investor() -> None:
    text = (
        "开工项目包含凤鸣工业园云岫源200MW光伏储能、甘肃禾鑫现代生态循环农业示范园建设项目、"
        "庆州欣和元20万只蛋鸡养殖项目等3个项目。"
    )
    got = {p.name: p.investor for p in _projects(text)}
    assert got["凤鸣工业园云岫源200MW光伏储能"] == "云岫源"
    assert got["甘肃禾鑫现代生态循环农业示范园建设项目"] == "禾鑫"
    # a home right before the brand: the home form is an alias of the company too
    ext = _extract(text)
    hexin = next(e for e in ext.entities if e.name == "禾鑫")
    assert "甘肃禾鑫" in hexin.aliases


def test_a_town_before_a_capacity_is_no_investor() -> None:
    text = "开工项目包含阜阳谢桥2×66万千瓦电厂项目、城南污水处理厂扩建项目等2个项目。"
    got = {p.name: p.investor for p in _projects(text)}
    assert got["阜阳谢桥2×66万千瓦电厂项目"] is None


def test_equal_figures_each_built_into_its_own_project_stay_apart() -> None:
    text = (
        "我市当天签订的江南华创化工有限公司总投资5亿元建设的年产5000吨羰基铁生产项目，"
        "北辰岳川科技集团有限公司总投资5亿元建设的隧道掘进机刀盘项目，"
        "青川金恪投资控股集团总投资5亿元建设的现代农业金融创新平台项目。"
    )
    ext = _extract(text)
    assert [m.raw for m in ext.metrics].count("5亿元") == 3
    got = {p.name: (p.investor, p.amount.value if p.amount else None) for p in ext.projects if not p.aggregate}
    assert got["隧道掘进机刀盘项目"] == ("北辰岳川科技集团有限公司", 5e8)
    assert got["现代农业金融创新平台项目"] == ("青川金恪投资控股集团", 5e8)


def test_a_comma_set_roll_of_park_led_items_is_one_project_each() -> None:
    text = (
        "集中签约仪式上，青川经济开发区精密智造项目，北港经济开发区高频变压器、电感元器件项目，"
        "东岭产业集聚区江州染化集团迁建项目，南溪高新区全球山猫小型机械属具项目等4个项目进行了现场签约。"
    )
    got = {p.name: (p.investor, p.location, p.stage) for p in _projects(text)}
    assert got["北港经济开发区高频变压器、电感元器件项目"][2] == "签约"  # 、 inside one item's name
    assert got["东岭产业集聚区江州染化集团迁建项目"][:2] == ("江州染化集团", "东岭产业集聚区")
    assert got["南溪高新区全球山猫小型机械属具项目"][0] is None  # the park is no brand
    assert len(got) == 4


def test_a_verb_right_before_an_institution_word_makes_no_name() -> None:
    insts = _names_of("王明认真听取研究院发展历程介绍。该平台将搭建起实验室与企业合作的桥梁。", "institution")
    assert not any(("听取" in n) or ("搭建" in n) for n in insts)


def test_labs_and_institutes_named_by_common_words_only_are_kinds() -> None:
    text = "学校设有材料科学与工程学院、科学技术研究院，另有细分领域实验室12个，辽宁省实验室2家。"
    insts = _names_of(text, "institution")
    assert "科学技术研究院" not in insts and "细分领域实验室" not in insts and "辽宁省实验室" not in insts
    assert "之江实验室" in _names_of("青川大学与之江实验室签署合作协议。", "institution")  # a proper word
    named = _names_of("该区成功获批国家级现代家具制造业创新中心。", "institution")
    assert "国家级现代家具制造业创新中心" in named  # a designation names its one holder


def test_a_bureaus_party_group_is_named_by_the_bureau() -> None:
    govs = _names_of("江州市科技局党委书记王明出席。市发改委党组成员李华介绍。", "government")
    assert {"江州市科技局", "市发改委"} <= govs
    assert not any(n.endswith(("党委", "党组")) for n in govs)


def test_firms_listed_before_dengxiangmu_jianshe_xianchang_are_companies() -> None:
    text = "市长王明一行先后到金岳医疗、汇川兽药、赤岭实业、冀华电子、顶峰科技等项目建设现场调研。"
    assert {"金岳医疗", "汇川兽药", "赤岭实业", "冀华电子", "顶峰科技"} <= _companies(text)
    # kinds of industry listed before the same tail stay kinds
    assert _companies("市长先后到生物医药、新能源汽车等项目现场调研。") == set()


def test_firms_counted_as_parties_of_a_signing_each_sign_an_unnamed_project() -> None:
    text = "市领导代表江州市人民政府在会上与青川凯岳实业集团有限公司、东港远麻业有限公司等10家企业签约。"
    got = {(p.name, p.investor, p.stage) for p in _projects(text)}
    assert got == {(None, "青川凯岳实业集团有限公司", "签约"), (None, "东港远麻业有限公司", "签约")}


def test_firms_listed_before_they_sign_settling_agreements_each_sign_one() -> None:
    text = "上海华通建筑科技集团有限公司、上海明远医学数据科技有限公司等12家上海企业与江州科技城现场签订入驻协议。"
    assert {p.investor for p in _projects(text)} == {"上海华通建筑科技集团有限公司", "上海明远医学数据科技有限公司"}


def test_firms_given_as_examples_of_a_strategic_cooperation_sign_no_project() -> None:
    text = "青川凯岳实业集团有限公司、东港远麻业有限公司等企业与江州市签订战略合作协议。"
    assert _projects(text) == []


def test_a_short_name_after_its_district_is_also_called_without_it() -> None:
    ext = _extract("开工项目包含江州汇鑫建材5800吨水泥生产线、江州华绿生物食用菌工厂化等2个项目。")
    aliases = {e.name: e.aliases for e in ext.entities if e.type == "company"}
    assert "汇鑫建材" in aliases["江州汇鑫建材"]
    assert not any(p.name and p.name.startswith("包含") for p in ext.projects)


def test_a_legal_name_keeps_its_place() -> None:
    ext = _extract("江州汇鑫建材有限公司今年投产。")
    ent = next(e for e in ext.entities if e.type == "company")
    assert "汇鑫建材有限公司" not in ent.aliases


def test_yuanqu_after_common_words_or_a_verb_is_no_park() -> None:
    parks = _names_of("这些项目的签约，将助推园区不断完善产业体系，推动发展园区经济。", "park")
    assert not parks


def test_a_park_after_a_ceremony_verb_starts_after_it() -> None:
    text = "3月29日，富平产业合作园区隆重举行富平产业合作园区一季度项目集中签约仪式。"
    assert _names_of(text, "park") == {"富平产业合作园区"}


def test_a_company_and_a_placed_zone_joined_by_yu_are_two_names() -> None:
    text = "3月5日，中建华岭与株洲国家高新区签订合作框架协议。"
    assert "株洲国家高新区" in _names_of(text, "park")
    assert not any("与" in n for n in _names_of(text, "park"))


def test_a_company_after_a_descriptor_of_common_words_and_qiye_starts_after_it() -> None:
    names = _companies("园区与国内领先的无人智能配送企业新石器公司签署合作协议。")
    assert "新石器公司" in names
    assert not any(n.startswith(("无人", "领先")) for n in names)


def test_firms_whose_project_sites_are_visited_each_have_a_project() -> None:
    text = "市长王明一行先后到金岳医疗、汇川兽药、赤岭实业等项目建设现场调研。"
    got = {(p.name, p.investor, p.stage) for p in _projects(text)}
    assert got == {("金岳医疗", "金岳医疗", None), ("汇川兽药", "汇川兽药", None), ("赤岭实业", "赤岭实业", None)}


def test_firms_only_visited_have_no_project() -> None:
    assert _projects("市长王明一行先后到金岳医疗、汇川兽药、赤岭实业等企业调研。") == []


def test_a_brand_opening_with_an_adverb_like_character_is_still_a_company() -> None:
    ext = _extract("开工项目包含庆阳正欣元15万只生猪养殖项目、城南污水处理厂扩建项目等2个项目。")
    ent = next(e for e in ext.entities if e.name == "正欣元")
    assert ent.type == "company" and "庆阳正欣元" in ent.aliases
    # a reference before a brand stays no name
    from chainatlas.extract.entity_promotion import _plausible_brand
    from chainatlas.extract.lexicon import load_lexicon
    assert not _plausible_brand("该华为", None, load_lexicon())


def test_firms_counted_before_a_comma_then_signing_projects_each_sign_one() -> None:
    text = "江州高新区与青川大唐新能源有限公司、东港中加特电气股份有限公司等21家企业，通过线上线下方式，集中签约项目21个。"
    assert {p.investor for p in _projects(text) if not p.aggregate} == {"青川大唐新能源有限公司", "东港中加特电气股份有限公司"}


def test_kinds_of_projects_a_plan_lays_out_are_no_projects() -> None:
    text = (
        "三江新区布局动力电池电芯及核心配套项目，翠屏区工业园区布局动力电池隔膜项目，"
        "南溪区工业园区布局动力电池铜箔项目，今年已有12个项目开工。"
    )
    assert [p for p in _projects(text) if not p.aggregate] == []


def test_a_named_project_placed_by_a_plan_is_still_a_project() -> None:
    text = "三江新区布局华岭动力电池生产基地项目，总投资100亿元，今年开工。"
    assert [p.name for p in _projects(text)] == ["华岭动力电池生产基地项目"]


def test_an_investor_cut_across_a_conjunction_is_no_investor() -> None:
    text = "该公司将在园区建设研发总部和地区总部项目，总投资5亿元。"
    for p in _projects(text):
        assert p.investor is None or not p.investor.endswith(("和", "及", "与"))
    assert not any(n.endswith("和") for n in _companies(text))


def test_a_delegation_going_into_a_company_is_no_part_of_its_name() -> None:
    assert _companies("市长王明一行深入交城义望铁合金有限责任公司调研。") == {"交城义望铁合金有限责任公司"}


def test_tong_right_after_a_place_opens_a_trade_name() -> None:
    assert _companies("山西平遥同妙机车有限公司与学校签约。") == {"山西平遥同妙机车有限公司"}


def test_an_areas_own_committee_is_a_government_body() -> None:
    govs = _names_of("王明一行到绿茵湖管委会调研，与企业代表座谈。", "government")
    assert "绿茵湖管委会" in govs
    assert _names_of("相关管委会负责人参加。", "government") == set()


def test_lingang_and_linkong_name_zones_of_their_own() -> None:
    parks = _names_of("嘉祥经济开发区下设临港产业园和临空经济区两个片区。", "park")
    assert {"临港产业园", "临空经济区"} & parks
