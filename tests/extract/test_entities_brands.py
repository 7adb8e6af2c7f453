"""Brand-style companies without a legal suffix (issue #10): well-known brands as subjects and
list items, brands that are also everyday words (only with a company context), Latin brands, and
stock-style short names (two-character head + industry word).  Sentences are invented."""

from __future__ import annotations

import pytest

from chainatlas.extract.entities import extract_entities


def _companies(text: str) -> set[str]:
    out: set[str] = set()
    for e in extract_entities(text):
        if e.type == "company":
            out.add(e.name)
            out.update(e.aliases)
    return out


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a well-known brand as the subject of a sentence
        ("昨日，网易宣布其新作将于暑期在海外同步上线。", "网易"),
        ("据知情人士透露，米哈游正在筹备一款开放世界新游。", "米哈游"),
        ("今年一季度，美光向国内客户交付的存储芯片有所增加。", "美光"),
        # Latin brands, with no Latin letter glued to them
        ("在东南亚市场，OPPO与vivo的出货量均有回升。", "OPPO"),
        ("在东南亚市场，OPPO与vivo的出货量均有回升。", "vivo"),
        ("该站点的变电设备由ABB提供。", "ABB"),
        # a brand that is also a word, next to a company in a list
        ("发布会上，荣耀与比亚迪签署了代工合作协议。", "荣耀"),
        ("这款新机的芯片来自比亚迪、高通两家供应商。", "高通"),
        # … or with a company word after it
        ("苹果公司昨晚发布了新一代平板电脑。", "苹果公司"),
        # stock-style short names
        ("澜汐股份3月18日晚间发布公告称，拟在本地投资建设新基地。", "澜汐股份"),
        ("据了解，蔻澜科技拟投资5亿元扩建生产线。", "蔻澜科技"),
    ],
)
def test_brand_found(text: str, name: str) -> None:
    assert name in _companies(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # everyday words that are also brands: no company without a company context
        ("这份荣耀属于每一位参赛选手。", "荣耀"),
        ("当地的苹果今年又获丰收。", "苹果"),
        ("要不断提高通关效率。", "高通"),
        # a brand inside another word or a place
        ("酒店按三星级标准建设。", "三星"),
        ("项目位于北京东路北侧。", "京东"),
        ("他最喜欢的乐队是ABBA。", "ABB"),
    ],
)
def test_brand_word_not_company(text: str, word: str) -> None:
    assert not any(word in n for n in _companies(text))


@pytest.mark.parametrize(
    "text",
    [
        # a phrase, not a name: the words after the industry word go on
        "全市力争新能源汽车产量翻一番。",
        "要深化科技体制改革，推动成果转化。",
        # a longer name goes on after the industry word
        "园区内的中科科技园已入驻企业30家。",
        # places before an industry word
        "中原地区新能源产业发展迅速。",
        # a verb before the industry word
        "，发展新能源是当地的主攻方向。",
    ],
)
def test_no_stock_name(text: str) -> None:
    names = _companies(text)
    assert not any(n.endswith(("新能源", "科技")) for n in names), names


def _orgs(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text) if e.type not in ("region", "person")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a stock-style name after 的 / 了, and before a stock quote in brackets
        ("总投资20亿元的岚峰科技年产5万吨新材料项目已开工。", ("company", "岚峰科技")),
        ("开发区已聚集了沃弘股份、楚钧科技等一批上市企业。", ("company", "沃弘股份")),
        ("开发区已培育了沃弘股份(12.30, 0.05, 0.41%)等上市企业。", ("company", "沃弘股份")),
        # a sports club is no government body (部)
        ("本赛季，江城飞鹰俱乐部更换了球衣赞助商。", ("institution", "江城飞鹰俱乐部")),
        # a verb phrase before two bare bodies written together
        ("全区认真贯彻落实省委省政府决策部署。", ("government", "省委")),
        ("全区认真贯彻落实省委省政府决策部署。", ("government", "省政府")),
        # a Taiwanese-investment zone is a park
        ("该项目落户福安台商投资区。", ("park", "福安台商投资区")),
    ],
)
def test_org_forms(text: str, expected: tuple[str, str]) -> None:
    assert expected in _orgs(text)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        # a brand inside a longer stock-style name is no mention of the brand
        ("昨日，通宇通讯股价收盘上涨。", "宇通"),
        # a stock name cut short before a second industry word or a legal name in brackets
        ("签约企业有星澜智能电气等5家。", "星澜智能"),
        ("谷岚实业(集团)有限公司负责建设。", "谷岚实业"),
        # a sports club is no government body
        ("江城飞鹰俱乐部主教练表示将全力以赴。", "江城飞鹰俱乐部"),
    ],
)
def test_org_forms_not(text: str, bad: str) -> None:
    orgs = _orgs(text)
    assert not any(n == bad and t in ("company", "government") for t, n in orgs), orgs


@pytest.mark.parametrize(
    "text",
    [
        # category phrases before a park word are no park names
        "考察组走访了县区产业园区和服务业类产业园区。",
        "市里将再打造一批标杆性产业园。",
        "招商重点放在楼宇经济产业园区。",
    ],
)
def test_category_parks_are_no_names(text: str) -> None:
    assert not [e.name for e in extract_entities(text) if e.type == "park"]


def test_a_park_after_its_city_and_after_its_province_is_one_park() -> None:
    text = "苏州枫桥高新片区举办大会。2019江苏枫桥高新片区创新大会近日闭幕。南京经开区与北京经开区签约。"
    parks = [e for e in extract_entities(text) if e.type == "park"]
    names = sorted([e.name, *e.aliases] for e in parks)
    # one park under both forms (and its own name 枫桥高新片区 as a further alias)
    assert any({"苏州枫桥高新片区", "江苏枫桥高新片区"} <= set(forms) for forms in names)
    # two parks of unrelated cities stay apart
    assert ["北京经开区"] in names and ["南京经开区"] in names


@pytest.mark.parametrize(
    ("text", "company"),
    [
        # a group or company opening a park's name is a company of its own
        ("投资21亿元的岚煤集团新材料工业园即将开工。", "岚煤集团"),
        ("开工活动在山东华嘉保健品公司高端大豆蛋白产业园项目现场举行。", "山东华嘉保健品公司"),
        # Latin names ending in a company word
        ("发布会上展示了Remedy Entertainment和505 Games的新作。", "Remedy Entertainment"),
        ("发布会上展示了Remedy Entertainment和505 Games的新作。", "505 Games"),
    ],
)
def test_company_inside_or_latin(text: str, company: str) -> None:
    assert company in _companies(text)


@pytest.mark.parametrize("text", ["收益率排名前十公司中，有三家来自上海。", "调整后四类公司的差异明显缩小。"])
def test_counted_companies_are_no_names(text: str) -> None:
    assert not [n for n in _companies(text) if n.endswith("公司")]


def test_a_brand_opening_a_project_name_is_a_company() -> None:
    # "X食品项目": the stock-style name before 项目 is the investor's name
    assert "岚昌食品" in _companies("今年新签约项目5个。岚昌食品项目首期建设两条生产线。")


def test_an_industry_word_before_another_is_no_company() -> None:
    assert not _companies("该县重点发展锂电材料、光伏组件等产业项目。")


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        # a game's (book's, film's) title is no organisation
        ("新作《星海同盟》上线首周下载量突破百万。", "星海同盟"),
        ("电影《远山集团》定档国庆。", "远山集团"),
        # a verb phrase before 旗下 names no company
        ("岚峰地产公告称，公司拟出售旗下两处物业。", "拟出售"),
    ],
)
def test_no_org_from_titles_or_predicates(text: str, bad: str) -> None:
    assert bad not in {n for _, n in _orgs(text)}


def test_a_document_title_keeps_its_bodies() -> None:
    # 《…规划》 is a document: the body named in it is still mentioned
    assert ("government", "天津市人民政府") in _orgs("《天津市人民政府关于加快产业发展的规划》近日印发。")


@pytest.mark.parametrize(
    ("text", "company"),
    [
        # two industry words written together close one stock-style name
        ("加快推进总投资过10亿元的瑞澜纺织机械、沃弘精密等在建项目。", "瑞澜纺织机械"),
    ],
)
def test_compound_industry_words(text: str, company: str) -> None:
    assert company in _companies(text)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        # a company's division before its officer's title is no company
        ("岚峰科技终端BG董事长在发布会上表示将推出新机。", "终端BG"),
        ("岚峰科技消费者业务CEO表示今年出货量将翻番。", "岚峰科技消费者业务"),
        # a generic kind of company
        ("这是一家国际化集团公司。", "国际化集团公司"),
        ("现在只要是个稍有名气的游戏公司都会被收购。", "游戏公司"),
    ],
)
def test_divisions_and_kinds_are_no_companies(text: str, bad: str) -> None:
    assert bad not in _companies(text)


def test_a_role_between_two_bodies_ends_the_first() -> None:
    # "X党工委副书记管委会主任": the zone's party committee is named; the role ends it
    orgs = _orgs("会上，枫桥园区党工委副书记管委会主任张某介绍了园区情况。")
    assert ("government", "枫桥园区党工委") in orgs
    assert not any("副书记" in n for _, n in orgs)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("县委副书记、县长罗某峰率考察组赴深圳招商。", "罗某峰"),
        ("集团总裁许立衡却在会上表示不会涨价。", "许立衡"),
    ],
)
def test_a_person_before_a_verb_character(text: str, person: str) -> None:
    names = {e.name for e in extract_entities(text) if e.type == "person"}
    assert person in names, names


@pytest.mark.parametrize("text", ["证券公司营业部数量继续增加。", "房地产公司融资持续收紧。", "多家基金公司发行了新产品。"])
def test_a_kind_of_financial_firm_is_no_name(text: str) -> None:
    assert not _companies(text)


def test_a_generic_innovation_centre_is_no_institution() -> None:
    assert not [e for e in extract_entities("今年入驻科创中心的项目有8个。") if e.type == "institution"]
