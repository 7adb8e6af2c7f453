"""Error classes of extraction round 4 (issue #10), each reproduced by original invented
sentences: a park's batch total is no project's amount, adverbs glued to persons and persons
after 秘书长/区领导, project names that are no companies, institutes under an academy kept
whole, start-event lists after 涵盖/包括, investors as project-name prefixes with company head
words, and facilities or categories that are no projects or entities."""

from __future__ import annotations

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.model import Article


def _ents(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract_entities(text)}


def _article(text: str):  # type: ignore[no-untyped-def]
    art = Article(source="t", part=0, title=None, published="2024-05-01", text=text)
    return Extractor().extract(art)


def _projects(text: str) -> list[tuple[str | None, str | None, float | None, str | None]]:
    return [
        (p.name, p.investor, p.amount.value if p.amount else None, p.stage)
        for p in _article(text).projects if not p.aggregate
    ]


# ---------------------------------------------------------------- 1. park batch totals


def test_a_park_batch_total_is_no_single_project_amount() -> None:
    text = ("截至目前，青禾智造产业园已引进入驻企业23家，总投资56.8亿元，"
            "已投产项目蓝溪调味品加工项目运行平稳。")
    for name, _inv, amount, _stage in _projects(text):
        assert amount != 5.68e9, name


def test_a_single_project_settled_in_a_park_keeps_its_own_amount() -> None:
    text = "园区已入驻项目蓝溪调味品加工项目，总投资2亿元，已投产。"
    assert ("蓝溪调味品加工项目", None, 2e8, "投产") in _projects(text)


def test_a_count_of_projects_before_the_total_is_a_batch() -> None:
    text = "今年以来，白沙镇共签约项目12个，总投资31.5亿元，其中金穗米业深加工项目已开工。"
    for name, _inv, amount, _stage in _projects(text):
        assert amount != 3.15e9, name


# ---------------------------------------------------------------- 2. persons


def test_an_adverb_after_a_person_is_no_part_of_the_name() -> None:
    ents = _ents("仪式上，董事长韩立群先后致辞，对各方支持表示感谢。")
    assert ("person", "韩立群") in ents
    assert ("person", "韩立群先后") not in ents


def test_a_person_after_mishuzhang_at_the_end_of_a_list() -> None:
    ents = _ents("副市长郑海涛、市政府秘书长傅立峰出席签约仪式。")
    assert ("person", "傅立峰") in ents
    assert ("person", "阎俊和") in _ents("市政府秘书长阎俊和主持仪式。")


def test_a_person_after_qu_lingdao_before_deng() -> None:
    assert ("person", "柏永昌") in _ents("区领导柏永昌等见证签约。")
    assert ("person", "祁文斌") in _ents("区领导祁文斌等出席活动。")


# ---------------------------------------------------------------- 3. project names are no companies


def test_a_project_name_is_no_company() -> None:
    text = "签约项目代表、青峦冷链物流产业园项目总经理barrier韦建华作了发言。".replace("barrier", "")
    res = _article(text)
    companies = {e.name for e in res.entities if e.type == "company"}
    assert not any(n.endswith(("项目", "产业园")) for n in companies), companies
    for p in res.projects:
        assert not (p.investor or "").endswith(("项目", "产业园")), p


# ---------------------------------------------------------------- 4. institutes under an academy


def test_an_institute_under_an_academy_stays_whole() -> None:
    ents = _ents("中国科学院地球化学研究中心科技合作处处长出席会议。")
    assert ("institution", "中国科学院地球化学研究中心") in ents
    assert ("institution", "中国科学院") not in ents
    ents2 = _ents("中国科学院海洋微生物研究所院地合作办主任介绍了成果。")
    assert ("institution", "中国科学院海洋微生物研究所") in ents2


# ---------------------------------------------------------------- 5. start-event lists after 涵盖


def test_items_after_hangai_in_a_start_event_are_projects() -> None:
    text = ("此次集中开工的8个重大项目总投资42亿元，项目涵盖溪岭食品产业园、蓝湾纸品生产项目、"
            "金禾饲料生产项目以及滨河路网建设等。")
    projs = _projects(text)
    names = {n for n, *_ in projs}
    for want in ("溪岭食品产业园", "蓝湾纸品生产项目", "金禾饲料生产项目"):
        assert any(n and want in n for n in names), (want, projs)
    for name, _inv, amount, stage in projs:
        if name and ("纸品" in name or "饲料" in name or "溪岭" in name):
            assert stage == "开工", (name, stage)
            assert amount is None, name
    ents = _ents(text)
    assert ("park", "溪岭食品产业园") in ents


def test_items_after_hangai_in_the_sentence_after_the_event_are_projects() -> None:
    text = ("此次集中开工的8个重大项目总投资42亿元。项目涵盖溪岭食品产业园、蓝湾纸品生产项目、"
            "金禾饲料生产项目以及滨河路网建设等。")
    projs = [p for p in _projects(text) if p[0] and ("纸品" in p[0] or "饲料" in p[0])]
    assert len(projs) == 2, projs
    for name, _inv, amount, stage in projs:
        assert (amount, stage) == (None, "开工"), name
    # a coined trade name opening a plant's item is its investor (金禾 is no dictionary word);
    # 蓝湾 is a common place-like word and names none
    assert {n: inv for n, inv, *_ in projs} == {"蓝湾纸品生产项目": None, "金禾饲料生产项目": "金禾"}, projs


# ---------------------------------------------------------------- 6. investors as name prefixes


def _investors(text: str) -> set[str | None]:
    return {inv for _n, inv, _a, _s in _projects(text)}


def test_company_head_words_open_project_names() -> None:
    text = ("会上，鼎岳投资康养产业园、华能电力风光储一体化项目、中泰汇能风电项目、"
            "苏锦高新智能装备总部产业园等12个项目签约落户。")
    inv = _investors(text)
    for want in ("鼎岳投资", "华能电力", "中泰汇能", "苏锦高新"):
        assert want in inv, (want, inv)
    assert "华能" not in inv
    res = _article(text)
    companies = {e.name for e in res.entities if e.type == "company"}
    assert "鼎岳投资" in companies


def test_a_brand_with_touzi_before_a_park_name_is_no_verb() -> None:
    parks = {n for t, n in _ents("会上，鼎岳投资康养产业园、青松电力风电项目等签约。") if t == "park"}
    assert "鼎岳投资康养产业园" in parks and "康养产业园" not in parks, parks
    assert ("park", "康养产业园") in _ents("公司计划投资康养产业园。")


def test_a_state_group_brand_opening_with_zhong_is_a_company() -> None:
    res = _article("会上，中核盛能光伏项目、鼎岳投资康养产业园等9个项目签约落户。")
    assert "中核盛能" in {p.investor for p in res.projects if not p.aggregate}
    assert "中核盛能" in {e.name for e in res.entities if e.type == "company"}


def test_a_known_short_form_with_a_head_word_is_the_longer_company() -> None:
    res = _article("本次活动中，华润电力山地风电项目、鼎岳投资康养产业园等9个项目签约落户。")
    invs = {p.investor for p in res.projects if not p.aggregate}
    assert "华润电力" in invs and "华润" not in invs, invs
    companies = {e.name for e in res.entities if e.type == "company"}
    assert "华润电力" in companies and "华润" not in companies, companies


def test_a_group_before_a_regional_headquarters_invests() -> None:
    text = "长虹集团西南区域总部、中电建路桥建设集团三级企业总部等一批项目落户新区。"
    inv = _investors(text)
    assert "长虹集团" in inv, inv
    assert "中电建路桥建设集团" in inv, inv


# ---------------------------------------------------------------- 7. false projects and entities


def test_a_government_work_plan_is_no_project() -> None:
    names = {n for n, *_ in _projects("按照市委、市政府项目建设年的部署要求，全区加快推进重点项目建设。")}
    assert "市政府项目" not in names


def test_a_built_facility_is_no_project() -> None:
    names = {n for n, *_ in _projects("近年来，该区建成了协同发展中心，引进人才300余人。")}
    assert "协同发展中心" not in names


def test_categories_and_generic_names_are_no_entities() -> None:
    names = {n for _, n in _ents("鼓励央企三级公司来区投资，并设立发展中心。")}
    assert "央企三级公司" not in names
    assert "发展中心" not in names
