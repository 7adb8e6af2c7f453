"""Names and investors on unseen real pages, round 8 (issue #10): original sentences that
reproduce each error class — a coined trade name (a word no dictionary knows) opening a plant's
item in a project list, a single leader in 以X为龙头, a company whose name ends in a conjunction's
character (某某六和), firms counted as 两大…企业 or listed before 等配套企业, 以 glued to the first
item of 以A、B为代表, and areas listed before 等…企业."""

from __future__ import annotations

from .sentences import companies as _companies
from .sentences import extract as _extract
from .sentences import projects as _projects


def _investors(text: str) -> dict[str | None, str | None]:
    return {p.name: p.investor for p in _projects(text)}


def test_a_coined_trade_name_opening_a_plants_item_is_its_investor() -> None:
    text = ("当天投产的项目包括汽车零部件轻量化制造、钦掣达铁路配件生产、垚冠泽精密涂布设备生产、"
            "轻合金材料陶瓷化等5个项目。")
    inv = _investors(text)
    assert inv.get("钦掣达铁路配件生产") == "钦掣达"
    assert inv.get("垚冠泽精密涂布设备生产") == "垚冠泽"
    # items of common words only name no company
    assert inv.get("汽车零部件轻量化制造") is None
    assert {"钦掣达", "垚冠泽"} <= _companies(text)


def test_a_coined_word_before_a_public_work_or_a_park_is_a_place_not_a_firm() -> None:
    text = "此次集中开工的项目有鹞辰八路大桥项目、淼盛物流园项目、钦掣达铁路配件生产项目等6个项目。"
    inv = _investors(text)
    assert inv.get("钦掣达铁路配件生产项目") == "钦掣达"
    assert inv.get("鹞辰八路大桥项目") is None  # a street's name, not a firm's
    assert inv.get("淼盛物流园项目") is None  # a park's name
    assert not {"鹞辰", "淼盛"} & _companies(text)


def test_a_single_leader_in_yi_x_wei_longtou_is_a_company() -> None:
    text = "全县已形成以垚冠泽为龙头的涂料产业集群和以鑫岳新材料为龙头的碳材料产业集群。"
    assert {"垚冠泽", "鑫岳新材料"} <= _companies(text)


def test_an_industry_as_the_single_leader_is_no_company() -> None:
    text = "全市已形成以新能源汽车为龙头、以生物医药为支撑的产业格局。"
    assert _companies(text) == set()


def test_a_name_ending_in_a_conjunctions_character_keeps_it() -> None:
    text = "以岭丰集团、新希望六和为龙头的现代食品产业集群已初具规模。"
    names = _companies(text)
    assert "新希望六和" in names
    assert "新希望六" not in names


def test_firms_counted_as_two_leaders_or_listed_before_suppliers_are_companies() -> None:
    text = "开发区相继引进鹏远汽车、钦庆时代两大龙头链主企业，以及泓士电源、玛西垚、爱龙崴等配套企业。"
    assert {"鹏远汽车", "钦庆时代", "泓士电源", "玛西垚", "爱龙崴"} <= _companies(text)


def test_classes_listed_before_suppliers_are_no_companies() -> None:
    text = "园区重点引进汽车零部件、电子元器件等配套企业。"
    assert _companies(text) == set()


def test_yi_glued_to_the_first_item_of_a_leader_list_is_cut() -> None:
    text = "全县工业发展迅速，以瑞岭科技、鼎垚电子为代表的企业快速成长。"
    names = _companies(text)
    assert {"瑞岭科技", "鼎垚电子"} <= names
    assert not any(n.startswith("以") for n in names)


def test_areas_listed_before_target_firms_are_no_companies() -> None:
    text = "围绕长三角、珠三角和环渤海区域等意向新能源配套企业形成项目库名单。"
    assert not {"长三角", "珠三角", "环渤海区域"} & _companies(text)


def test_a_coined_name_before_an_officer_an_investment_or_a_signing_is_a_company() -> None:
    assert "垚冠泽" in _companies("据垚冠泽相关负责人介绍，新工厂将于明年投产。")
    assert "垚冠泽" in _companies("会上，垚冠泽与经开区签订投资协议。")
    assert "垚冠泽" in _companies("作为全球领先的光伏企业，垚冠泽此次投资10亿元建设新基地。")
    (p,) = _projects("垚冠泽总投资5亿元的精密涂布设备项目落户高新区。")
    assert p.investor == "垚冠泽" and p.amount is not None and p.amount.value == 5e8


def test_a_person_or_a_common_word_before_those_cues_is_no_company() -> None:
    assert _companies("会上，李明华与经开区签订投资协议。") == set()
    assert _companies("该项目总投资5亿元，由园区负责人介绍。") == set()
    assert _companies("这些企业相关负责人参加了会议。") == set()


def test_firms_counted_after_their_list_are_companies_but_classes_are_not() -> None:
    assert {"垚冠泽", "钦斯伟", "淼鑫源"} <= _companies("垚冠泽、钦斯伟、淼鑫源三家企业现场签约。")
    assert _companies("汽车零部件、电子元器件、新材料三家企业入驻。") == set()


def _parks(text: str) -> set[str]:
    return {e.name for e in _extract(text).entities if e.type == "park"}


def test_a_one_character_word_opening_an_unknown_place_stays_in_the_park_name() -> None:
    assert "大岚旦工业园" in _parks("截至目前，大岚旦工业园4个项目已开复工建设。")
    assert "大盂产业新城" in _parks("该项目落地大盂产业新城核心区，用地668亩。")
    # a leading word before a known word is still cut
    assert not any(p.startswith("大力") for p in _parks("大力推进岚山工业园建设。"))


def test_named_zones_with_newer_zone_words_are_parks() -> None:
    parks = _parks("集中开工活动在岚昌国际航天城起步区举行。岚湖智慧岛招引项目12个。"
                   "项目位于岚津产业新城科创先导区。项目落地长沙自贸临空区。")
    assert {"岚昌国际航天城起步区", "岚湖智慧岛", "岚津产业新城科创先导区", "长沙自贸临空区"} <= parks
    assert "贸临空区" not in parks


def _entity(text: str, name: str):  # type: ignore[no-untyped-def]
    return next(e for e in _extract(text).entities if e.name == name)


def test_a_body_or_park_named_with_its_province_is_called_without_it_too() -> None:
    text = "8月14日上午，江西省九江市委市政府举行重大项目集中开工活动。项目位于江苏南通岚央创新区。"
    assert "九江市委" in _entity(text, "江西省九江市委").aliases
    assert "南通岚央创新区" in _entity(text, "江苏南通岚央创新区").aliases
    # a province's own body keeps no shorter form
    assert _entity("江西省人民政府印发通知。", "江西省人民政府").aliases == []


def test_an_autonomous_prefecture_is_called_by_its_place_and_zhou() -> None:
    ents = {(e.type, e.name) for e in _extract("记者从黔东南州投资促进局获悉，黔南州委常委一行到恩施州考察。").entities}
    assert {("government", "黔东南州投资促进局"), ("government", "黔南州委"), ("region", "恩施州")} <= ents


def test_a_trade_name_cut_at_an_adverb_like_character_keeps_it_in_a_list() -> None:
    names = _companies("园区内，奕真生物、辉岭生物、默岚东等企业先后落户开发区。")
    assert {"奕真生物", "辉岭生物", "默岚东"} <= names


def test_a_citys_title_of_characteristic_town_is_no_park() -> None:
    assert _parks("该项目已被列入杭州市特色小镇。") == set()
    assert "杭州东部医岚港小镇" in _parks("项目位于杭州东部医岚港小镇。")


def test_kinds_of_parts_listed_before_suppliers_and_a_verb_before_a_trade_are_no_companies() -> None:
    assert _companies("园区下一步将重点引进电驱、热管理等配套企业。") == set()
    assert _companies("支持化工、电力等传统企业实施绿色化技术改造。") == set()
    names = _companies("一汽丰田、一汽-大众与长城汽车等三大龙头企业加速布局新能源赛道。")
    assert "长城汽车" in names and not any(n.endswith("等") for n in names)


def test_a_partitive_before_a_name_is_no_part_of_it() -> None:
    parks = _parks("其中22个重大产业项目中岚山农业物流园、岚钢精密等14个项目已复工。")
    assert "岚山农业物流园" in parks and not any(p.startswith(("重大", "项目")) for p in parks)
    assert "中关村科技园" in _parks("园区中关村科技园分园揭牌。") | _parks("该企业落户中关村科技园。")
