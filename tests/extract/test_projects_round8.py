"""Projects on unseen real pages, round 8 (issue #10): original sentences that reproduce each
error class — 服务业 read as the verb 服务 cutting a project's name, one project told twice
with its figure once rounded (two reports of one project must never be summed), a company's
short name of two head words (某某新材料科技) named only as an investor, a list opened by 参加
whose last two items are joined by 以及, and a list item that is a trade name, a head word and
what the plant does (某某机电技改扩能)."""

from __future__ import annotations

from .sentences import companies as _companies
from .sentences import extract as _extract
from .sentences import projects as _projects


def test_fuwuye_is_a_trade_not_a_verb_cutting_the_name() -> None:
    (p,) = _projects("岳川置业集团有限公司和滨江新区管委会签约现代服务业集聚区项目。")
    assert p.name == "现代服务业集聚区项目"
    assert p.investor == "岳川置业集团有限公司"
    assert p.stage == "签约"


def test_one_project_told_twice_with_its_figure_rounded_is_one_project() -> None:
    text = ("垚辉新材料计划总投资3.6亿元，拟建设厂房、综合楼、仓库等。"
            "这2个项目分别是：岚溪电工设备生产项目总投资：60000万元；垚辉新材料科技项目总投资：36018万元。")
    projs = _projects(text)
    垚辉 = [p for p in projs if p.investor and p.investor.startswith("垚辉")]
    assert len(垚辉) == 1, projs  # never two facts whose sum an analyst would quote
    assert 垚辉[0].amount is not None and 垚辉[0].amount.value == 36018e4
    # the same figure for two different companies stays two projects
    two = _projects("岚峰科技总投资5亿元建设电机项目。垚辉新材料总投资5亿元建设电池项目。")
    assert len([p for p in two if p.amount is not None and p.amount.value == 5e8]) == 2


def test_a_short_name_of_two_head_words_named_only_as_investor_is_a_company() -> None:
    text = "当天开工的项目有：垚辉新材料科技项目，总投资3.6亿元。"
    (p,) = _projects(text)
    assert p.investor == "垚辉新材料科技"
    assert "垚辉新材料科技" in _companies(text)


def test_a_list_opened_by_canjia_splits_at_yiji() -> None:
    text = "县领导参加垚辉新材料、岚鼎科技以及S205岱石镇至开发区路面改造工程等3个项目集中开工仪式。"
    projs = _projects(text)
    names = {p.name for p in projs}
    assert "S205岱石镇至开发区路面改造工程" in names
    assert not any(n and ("以及" in n or "参加" in n) for n in names), names
    assert {p.investor for p in projs} >= {"垚辉新材料", "岚鼎科技"}
    assert all(p.stage == "开工" for p in projs)


def test_an_item_of_trade_name_head_word_and_work_names_its_company() -> None:
    text = ("此次集中开工的项目包括岚州机电技改扩能、汇岭机电防爆电机车生产、天然气储配站建设、"
            "东湖环湖路建设等4个项目。")
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("岚州机电技改扩能") == "岚州机电"
    assert inv.get("汇岭机电防爆电机车生产") == "汇岭机电"
    assert inv.get("天然气储配站建设") is None
    assert inv.get("东湖环湖路建设") is None


def test_trial_production_is_production_and_a_phase_of_works_is_no_project() -> None:
    (p,) = _projects("岚天精密材料项目已全面进入试生产状态，月产超薄钢带1500吨。")
    assert (p.name, p.stage) == ("岚天精密材料项目", "投产")
    text = ("位于某经开区的岚米年产3万吨休闲食品项目施工现场，工人正在进行厂房施工。目前已完成一期建设工程"
            "任务的50%以上，预计明年元月份投入试生产。")
    names = {p.name for p in _projects(text)}
    assert "一期建设工程" not in names
    (q,) = [p for p in _projects(text) if p.name and "休闲食品" in p.name]
    assert q.stage != "投产"  # 预计…投入试生产: not there yet


def test_a_two_character_trade_name_read_as_a_modal_verb_keeps_its_group() -> None:
    for name in ("国能集团", "鲁能集团", "岚能集团"):
        assert name in _companies(f"据悉，{name}将投资建设智慧能源产业园项目。"), name
    assert _companies("据悉，能源集团将投资建设项目。") == set()  # an industry, no trade name


def test_a_category_of_the_batch_and_a_name_opening_with_a_numeral_keep_the_list() -> None:
    text = "岚磁材料、奥岭科技、航天特种机械制造等13个科技型项目集中签约落户某县。"
    names = {p.name for p in _projects(text)}
    assert {"岚磁材料", "奥岭科技", "航天特种机械制造"} <= names
    text = "今年以来签约岚滑油脂、联岭制药、三江生物、国瑞药业等项目29个。"
    inv = {p.investor for p in _projects(text)}
    assert {"联岭制药", "三江生物", "国瑞药业"} <= inv  # 三江生物 is a name, not a slogan's count


def test_shi_ji_opens_no_project_name() -> None:
    text = "该项目是继岚能集团智慧制造园区项目落户开发区后，园区签约的又一大项目。"
    names = {p.name for p in _projects(text)}
    assert "岚能集团智慧制造园区项目" in names
    assert not any(n and n.startswith("继") for n in names)


def test_tong_after_a_county_name_without_its_level_is_a_trade_name_character() -> None:
    text = "其中微山同岚焦化有限公司甲醇项目已竣工投产。"
    assert "微山同岚焦化有限公司" in _companies(text)
    (p,) = _projects(text)
    assert (p.investor, p.stage) == ("微山同岚焦化有限公司", "投产")


def test_a_name_after_a_copula_describes_the_project_before_it() -> None:
    text = "岚州华电塘岭发电有限公司塘岭电厂项目是岚电公司异地建设项目，总投资近百亿元。首期工程投资44亿元。"
    projs = _projects(text)
    assert [(p.name, p.investor) for p in projs] == [("塘岭电厂项目", "岚州华电塘岭发电有限公司")]
    assert projs[0].amount is not None and projs[0].amount.value == 1e10


def test_a_quoted_project_name_after_a_company_is_that_companys() -> None:
    (p,) = _projects("岚钢贵阳特殊钢有限责任公司“新岚材料循环经济工业基地”项目总投资逾百亿元。")
    assert p.investor == "岚钢贵阳特殊钢有限责任公司"


def test_a_years_investment_is_no_project() -> None:
    text = "该项目自去年6月份开工以来已累计完成投资3亿元，预计年内项目投资额将达到18亿元。"
    assert not any(p.name and "年内" in p.name for p in _projects(text))


def test_a_place_and_a_known_brand_keep_the_company_word_after_them() -> None:
    assert "香港华润集团" in _companies("阳新县与全球500强企业之一的香港华润集团签订协议。")


def test_one_firm_written_with_and_without_a_word_of_its_trade_signs_one_project() -> None:
    text = ("12月18日上午，开发区管委会与浙江岚泰新能源开发有限公司签订了正式投资合作协议。"
            "据悉，浙江岚泰新能源有限公司将投资10.5亿元，开发建设15万千瓦农光互补光伏发电项目。")
    projs = _projects(text)
    assert len(projs) == 1, projs  # the signing and the project it names are one fact
    assert projs[0].amount is not None and projs[0].amount.value == 10.5e8



def test_a_coined_trade_name_after_a_city_written_without_its_level_is_the_investor() -> None:
    text = "当天集中开工的项目有文昌岚牧原配套饲料厂项目、大新岚龙口岸基础设施工程等12个项目。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("文昌岚牧原配套饲料厂项目") == "岚牧原"
    assert inv.get("大新岚龙口岸基础设施工程") is None  # a town's name before a public work


def test_building_a_count_of_lines_is_the_projects_content_not_its_completion() -> None:
    text = ("日前，岚山县与武岚实业公司合作的冶金新辅料生产基地项目正式签约。"
            "项目总投资1.5亿元，分两期建设。一期工程正在紧张进行，计划投资5000万元，建成三条生产线。")
    (p,) = _projects(text)
    assert p.stage == "签约"


def test_a_copula_clause_after_a_name_describes_it() -> None:
    text = ("据介绍，岚建(铜川)新型材料工业园项目，是岚建实施属地化战略的重要布点项目，占地159.4亩，"
            "总投资约5亿元。")
    projs = _projects(text)
    assert [p.name for p in projs] == ["岚建(铜川)新型材料工业园项目"]
    assert projs[0].amount is not None and projs[0].amount.value == 5e8


def test_a_county_in_brackets_after_the_city_is_the_items_home() -> None:
    text = "此次集中开工的项目包括漳州(东山县)岚源生物科技生产线项目、岚海冷链物流中心项目等5个项目。"
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("漳州(东山县)岚源生物科技生产线项目") == "岚源"


def test_two_parts_of_one_name_joined_by_ji_are_one_project() -> None:
    (p,) = _projects("总投资15亿元的岚华矿山军团全球总部暨山西区域总部项目签约。")
    assert p.name == "岚华矿山军团全球总部暨山西区域总部项目"
    assert p.amount is not None and p.amount.value == 15e8 and p.stage == "签约"


def test_a_homed_short_name_and_head_word_opening_a_named_item_is_its_investor() -> None:
    # (福尔 opens the trade name as a word the dictionary reads as a place)
    (p,) = _projects("总投资5.7亿元的湖南福尔岚环保科技重金属螯合剂系列产品项目签约。")
    assert p.investor is not None and p.investor.startswith("福尔岚环保")


def test_a_short_name_paired_with_its_company_by_fenbie_is_kept() -> None:
    text = ("县政府分别与岚峰科技有限公司、鑫岭新材料有限公司、华岚电子有限公司签订了智能装备制造项目、"
            "新型建材项目和电子元器件项目投资协议。")
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv == {"智能装备制造项目": "岚峰科技有限公司", "新型建材项目": "鑫岭新材料有限公司",
                   "电子元器件项目": "华岚电子有限公司"}


def test_a_phase_named_twice_by_its_company_is_one_project() -> None:
    text = ("岚南锂电科技有限公司二期项目正式投产，总投资46亿元。"
            "岚南锂电总经理介绍，二期工厂从打下第一根桩到首条产线试生产仅用了十四个月。")
    projs = _projects(text)
    assert len(projs) == 1, projs
    assert not any(p.name and "打下" in p.name for p in projs)


def test_a_figure_shared_by_two_signing_firms_is_theirs_together_never_one_firms() -> None:
    text = "正镶白旗与江苏瑞岚太阳能科技有限公司、秦皇岛特岚科技材料有限公司签署产业合作框架协议，投资额达24亿元。"
    projs = _extract(text).projects
    assert not any(p.amount is not None and p.investor for p in projs), projs  # no firm gets the total
    (agg,) = [p for p in projs if p.aggregate]
    assert agg.amount is not None and agg.amount.value == 24e8 and agg.count == 2
    # one firm and its figure is that firm's project
    (p,) = _projects("正镶白旗与江苏瑞岚太阳能科技有限公司签署产业合作框架协议，投资额达24亿元。")
    assert p.investor == "江苏瑞岚太阳能科技有限公司" and p.amount is not None


def test_paired_projects_keep_a_second_name_opened_by_a_building_verb() -> None:
    text = ("市长代表市人民政府分别与新疆岚缘投资有限公司、新疆百岚鲜食(集团)有限公司签订了"
            "岚苏香馕美酒文化旅游产业园项目和建设馕产业园(中央厨房)项目。")
    inv = {p.name: p.investor for p in _projects(text)}
    assert inv.get("岚苏香馕美酒文化旅游产业园项目") == "新疆岚缘投资有限公司"
    assert inv.get("馕产业园(中央厨房)项目") == "新疆百岚鲜食(集团)有限公司"


def test_an_investor_stated_on_its_own_after_the_project_is_its() -> None:
    for text, want in (
        ("岚山新材料项目正式开工。项目投资方为岚峰科技有限公司，总投资5亿元。", "岚峰科技有限公司"),
        ("岚山新材料项目正式开工。项目业主为岚峰科技有限公司。", "岚峰科技有限公司"),
        ("岚山新材料项目正式开工。投资企业：岚峰科技有限公司。", "岚峰科技有限公司"),
        ("岚山新材料项目正式开工。该项目由岚峰科技有限公司全资子公司岚峰新材料有限公司投资建设。", "岚峰新材料有限公司"),
    ):
        (p,) = _projects(text)
        assert p.investor == want, text
    # a contractor is no investor
    (p,) = _projects("岚山新材料项目正式开工。项目承建单位为岚城建设工程有限公司。")
    assert p.investor is None


def test_a_firm_after_the_zone_opening_a_phase_of_works_is_its_investor() -> None:
    (p,) = _projects("2月14日，岚氏县产业集聚区浩岚服饰二期工程开工建设。")
    assert p.investor == "浩岚服饰"
