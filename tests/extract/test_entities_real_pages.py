"""Entity error classes seen on real pages (issue #10), each reproduced by an original sentence."""

from __future__ import annotations

from chainatlas.extract.entities import extract_entities


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def _names(text: str) -> set[str]:
    return {e.name for e in extract_entities(text)}


# ---------------------------------------------------------------- verbs and titles glued to names


def test_a_verb_before_a_place_led_park_is_cut_off() -> None:
    assert ("park", "青林工业园区") in _ents("两家单位共同担负青林工业园区的招商任务。")
    assert ("park", "岳州高新区") in _ents("今年恰逢岳州高新区获批十周年。")
    assert not any(n.startswith(("担负", "恰逢")) for n in _names("两家单位共同担负青林工业园区的招商任务。"))


def test_promotion_verbs_are_no_part_of_a_park_name() -> None:
    names = _names("企业家们表示回去后要多宣传推介岳州高新区。")
    assert "岳州高新区" in names
    assert not any(n.startswith(("宣传", "推介")) for n in names)


def test_a_verb_before_a_bare_park_word_gives_no_park() -> None:
    assert not any(t == "park" for t, _ in _ents("调研组详细了解产业园区的规划。"))
    assert not any(t == "park" for t, _ in _ents("下一步将继续扩大园区的影响力。"))


def test_a_leading_verb_before_a_legal_company_name_is_cut() -> None:
    assert ("company", "晨曦智能装备有限公司") in _ents("现场共有晨曦智能装备有限公司等企业签约。")


def test_a_person_and_a_venue_before_a_name_are_no_part_of_it() -> None:
    ents = _ents("副区长陈立新带队赴会展中心松岭集团展台考察。")
    assert ("company", "松岭集团") in ents
    assert not any("会展中心" in n or "带队" in n for _, n in ents)


def test_a_measure_word_before_a_university_is_cut() -> None:
    assert ("institution", "南湖大学") in _ents("一位南湖大学的专家作了报告。")


def test_a_leading_word_that_opens_a_place_name_stays() -> None:
    # 大 is a leading word (大企业) but here it opens the city 大连
    assert ("company", "大连泓远精密机械有限公司") in _ents("大连泓远精密机械有限公司与园区签约。")


def test_a_boundary_character_inside_a_common_word_does_not_cut() -> None:
    # 再 is a boundary character (再签) but 再生 is one word of the company name
    assert ("company", "江西绿川再生资源有限公司") in _ents("江西绿川再生资源有限公司完成扩产。")


# ---------------------------------------------------------------- parent and subsidiary


def test_a_group_and_its_subsidiary_are_two_entities() -> None:
    ents = _ents("项目由远洋建设股份有限公司全资子集团远建三局集团有限公司承建。")
    assert ("company", "远洋建设股份有限公司") in ents
    assert ("company", "远建三局集团有限公司") in ents


def test_subsidiary_words_before_a_company_name_are_cut() -> None:
    ents = _ents("该公司的全资子公司深圳云帆智控科技有限公司于近日落户。")
    assert ("company", "深圳云帆智控科技有限公司") in ents


def test_a_branch_of_a_company_stays_one_name() -> None:
    assert ("company", "青禾物流有限公司武汉分公司") in _ents("青禾物流有限公司武汉分公司揭牌。")


# ---------------------------------------------------------------- government bodies


def test_city_and_county_committees_are_two_bodies() -> None:
    ents = extract_entities("市委副书记刘成出席，县委书记周海主持。市委、县委相关部门参加。")
    govs = {e.name: e.aliases for e in ents if e.type == "government"}
    assert "市委" in govs and "县委" in govs
    assert "县委" not in govs["市委"]


def test_a_district_bureau_is_not_the_city_bureau() -> None:
    ents = extract_entities("洛阳市工信局局长王力到涧西区调研，区工信局有关同志陪同。")
    govs = {e.name: e.aliases for e in ents if e.type == "government"}
    assert "洛阳市工信局" in govs
    assert "区工信局" not in govs["洛阳市工信局"]


def test_party_and_government_written_together_are_two_bodies() -> None:
    ents = _ents("市委市政府对此高度重视。")
    assert ("government", "市委") in ents and ("government", "市政府") in ents
    assert ("government", "市委市政府") not in ents


def test_a_verb_right_before_a_bare_park_word_gives_no_park() -> None:
    assert not any(t == "park" for t, _ in _ents("市委市政府高度重视园区建设。"))


def test_a_company_party_committee_is_no_government_body() -> None:
    assert not any(t == "government" for t, _ in _ents("东湖城投集团党委召开专题会议。"))


# ---------------------------------------------------------------- institutions and venues


def test_venues_are_no_entities() -> None:
    for text in ("大会在岳州国际会议中心举行。", "展会在滨江会展中心开幕。", "签约仪式在金江宾馆举行。"):
        assert not any(t in ("institution", "park", "government") for t, _ in _ents(text)), text


def test_two_names_joined_by_ji_are_two() -> None:
    names = _names("活动在岳州国际会议中心暨岳州经开区展示厅举行。")
    assert "岳州经开区" in names
    assert not any("暨" in n for n in names)


def test_a_service_desk_named_by_its_function_is_no_institution() -> None:
    ents = _ents("企业可到行政服务中心和招商服务中心办理手续。")
    assert not any(t == "institution" for t, _ in ents)


def test_a_company_unit_is_no_institution() -> None:
    ents = _ents("双方在青禾通信设备有限公司研发中心签署协议。")
    assert ("company", "青禾通信设备有限公司") in ents
    assert not any(t == "institution" for t, _ in ents)


def test_an_institute_lab_is_the_institute() -> None:
    ents = _ents("团队来自中核能研究院实验室。")
    assert ("institution", "中核能研究院") in ents
    assert not any(n.endswith("研究院实验室") for _, n in ents)


def test_hospitals_are_institutions() -> None:
    assert ("institution", "岳州市第一人民医院") in _ents("岳州市第一人民医院新院区开工。")


# ---------------------------------------------------------------- parks: named zones only


def test_zone_slogans_without_a_proper_name_are_no_parks() -> None:
    for text in ("要把这里建成生态环保示范区。", "推进农村片区综合整治。", "努力打造承接产业转移示范区。"):
        assert not any(t == "park" for t, _ in _ents(text)), text


def test_named_zones_with_a_place_or_area_stay_parks() -> None:
    assert ("park", "岳阳绿色发展示范区") in _ents("岳阳绿色发展示范区获批。")
    assert ("park", "京津产业合作示范区") in _ents("京津产业合作示范区新增企业十家。")


# ---------------------------------------------------------------- persons


def test_a_list_of_leaders_gives_every_person() -> None:
    names = {e.name for e in extract_entities("仪式上，区领导周启明、沈玉、韩立华出席。") if e.type == "person"}
    assert names == {"周启明", "沈玉", "韩立华"}


def test_leaders_listed_before_companies_are_no_companies() -> None:
    ents = _ents("县领导周启明、沈玉及青禾集团、远帆科技等8家企业负责人参加。")
    assert ("person", "周启明") in ents and ("person", "沈玉") in ents
    assert not any(t == "company" and ("周启明" in n or "沈玉" in n) for t, n in ents)
    assert ("company", "青禾集团") in ents


def test_the_head_of_state_title_after_a_verb() -> None:
    assert ("person", "习近平") in _ents("会议深入学习贯彻习近平总书记重要指示精神。")


def test_a_person_invited_to_attend() -> None:
    assert ("person", "赵志刚") in _ents("集团党委书记、副董事长赵志刚应邀出席活动。")


# ---------------------------------------------------------------- regional companies, counts


def test_a_province_before_a_known_brand_is_a_regional_company() -> None:
    ents = _ents("福建奔驰的新车型在当地下线。")
    assert ("company", "福建奔驰") in ents
    assert ("region", "福建") not in ents


def test_a_count_of_people_before_a_university_is_cut() -> None:
    assert ("institution", "南湖大学") in _ents("团队由3位南湖大学博士组成。")


def test_an_ordinal_description_is_no_park_name() -> None:
    assert not any(t == "park" for t, _ in _ents("这里是全市首个未来产业园。"))
    assert not any(t == "park" for t, _ in _ents("这里是岳阳市首个未来产业园。"))


def test_a_subdistrict_before_a_park_name_is_cut() -> None:
    ents = _ents("项目位于青溪街道星河未来产业园内。")
    assert ("park", "星河未来产业园") in ents


def test_a_headquarters_project_centre_is_no_institution() -> None:
    assert not any(t == "institution" for t, _ in _ents("雄鹰汽车研发生产总部中心项目开工。"))


def test_an_enumeration_keeps_brands_that_look_like_names_but_drops_people_and_parks() -> None:
    ents = _ents("副县长任会明致辞。考察组走访了马士远、青禾科技、星河创新产业园和行政服务中心等企业和平台。")
    assert ("company", "马士远") in ents and ("company", "青禾科技") in ents
    assert not any(t == "company" and n in ("星河创新产业园", "行政服务中心") for t, n in ents)
    ents = _ents("副县长任会明致辞。县领导任会明、沈玉和青禾集团等企业负责人出席。")
    assert not any(t == "company" and "任会明" in n for t, n in ents)


def test_common_bank_and_ministry_short_names_are_known() -> None:
    ents = _ents("交行和招行下调了存款利率，公安部和最高法联合发文。")
    assert ("company", "交行") in ents or any(t == "company" and n.startswith("交通银行") for t, n in ents)
    assert any(t == "government" and n == "公安部" for t, n in ents)
    assert any(t == "government" and n in ("最高人民法院", "最高法") for t, n in ents)


def test_a_lab_named_by_two_fields_keeps_its_whole_name() -> None:
    ents = _ents("双方与肝病与代谢全国重点实验室江北分中心共建平台。")
    assert ("institution", "肝病与代谢全国重点实验室江北分中心") in ents


def test_a_zone_committee_is_a_government_body() -> None:
    assert ("government", "高新区党工委") in _ents("高新区党工委书记周启明出席。")
    assert ("government", "开发区管委会") in _ents("开发区管委会与企业签约。")


def test_a_vague_reference_to_government_bodies_is_no_name() -> None:
    assert not any(t == "government" for t, _ in _ents("企业负责人会见了岳阳市相关政府部门负责人。"))


def test_a_dash_before_a_park_name_is_no_part_of_it() -> None:
    assert ("park", "京津新城产业园") in _ents("项目落户于——京津新城产业园。")


def test_a_multinational_is_no_company_name() -> None:
    assert not any(t == "company" for t, _ in _ents("园区吸引了多家跨国公司入驻。"))


def test_joint_venture_brands_are_known() -> None:
    assert any(t == "company" and n.startswith("上汽大众") for t, n in _ents("上汽大众新工厂在当地投产。"))
