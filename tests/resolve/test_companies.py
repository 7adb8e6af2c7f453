"""Companies across articles: short ↔ legal name merged, a group's regional company linked (subsidiary_of).

Our own sentences (no third-party text); expected answers worked out by hand.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chainatlas.resolve.companies import link_companies, parse_company_name

GROUP_ARTICLE = """远图智能装备集团在京发布新一代工业机器人

2024年3月5日，远图智能装备集团在北京发布新一代协作机器人产品。远图智能装备集团董事长表示，将继续加大研发投入。
"""
SUBSIDIARY_ARTICLE = """远图智能装备（天津）有限公司二期项目在西青区开工

2024年6月10日，远图智能装备（天津）有限公司二期项目在西青区开工，总投资12亿元，主要生产工业机器人减速器。
"""
SHORT_ARTICLE = """滨城高端装备企业集聚发展

2024年4月2日消息，包括澜舟精密、远航微电等一批龙头企业在内的高端装备产业集群加快成形。
"""
LEGAL_ARTICLE = """澜舟精密科技股份有限公司落户滨海新区

2024年5月8日，澜舟精密科技股份有限公司与滨海新区签约，新建高端轴承研发中心，计划投资3亿元。
"""


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("name,body,regional,group,prefix", [
    ("远图智能装备集团", "远图智能装备", None, True, None),
    ("远图智能装备集团有限公司", "远图智能装备", None, True, None),
    ("远图智能装备（天津）有限公司", "远图智能装备", "天津", False, None),
    ("远图智能装备天津公司", "远图智能装备", "天津", False, None),
    ("远图智能装备集团天津分公司", "远图智能装备", "天津", True, None),
    ("天津海川新能源科技有限公司", "海川新能源科技", None, False, "天津"),
    ("澜舟精密", "澜舟精密", None, False, None),
])
def test_parse_company_name(name, body, regional, group, prefix) -> None:
    p = parse_company_name(name)
    assert (p.body, p.regional, p.group, p.prefix_region) == (body, regional, group, prefix)


def test_short_name_merges_into_its_only_legal_name() -> None:
    links = link_companies([("s", "澜舟精密", []), ("l", "澜舟精密科技股份有限公司", []),
                            ("x", "远航微电", [])])
    assert set(links.merges) == {"s"} and links.merges["s"][0] == "l"
    assert links.subsidiaries == []


def test_short_name_of_two_legal_names_is_ambiguous() -> None:
    links = link_companies([("s", "澜舟精密", []), ("a", "澜舟精密科技股份有限公司", []),
                            ("b", "澜舟精密轴承有限公司", [])])
    assert links.merges == {}


def test_group_and_regional_company_are_two_legal_persons() -> None:
    links = link_companies([("g", "远图智能装备集团", []), ("t", "远图智能装备（天津）有限公司", []),
                            ("w", "远图智能装备天津公司", [])])
    assert links.merges == {}
    assert {(s, p) for s, p, _ in links.subsidiaries} == {("t", "g"), ("w", "g")}
    assert all("天津" in basis for _, _, basis in links.subsidiaries)


def test_explicit_short_name_wins_over_the_regional_reading() -> None:
    # 天大智图(天津)科技有限公司（以下简称天大智图）: the alias table says they are one company
    links = link_companies([("s", "星澈光电", []), ("l", "星澈光电(天津)科技有限公司", ["星澈光电"])])
    assert links.merges == {"s": ("l", links.merges["s"][1])}
    assert links.subsidiaries == []


def test_known_short_name_of_a_group_gets_the_regional_company() -> None:
    links = link_companies([("g", "中芯国际", []), ("t", "中芯国际集成电路制造(天津)有限公司", [])],
                           {"中芯国际": "中芯国际集成电路制造有限公司"})
    assert links.merges == {}
    assert [(s, p) for s, p, _ in links.subsidiaries] == [("t", "g")]


def test_order_does_not_matter() -> None:
    rows = [("s", "澜舟精密", []), ("l", "澜舟精密科技股份有限公司", []), ("g", "远图智能装备集团", []),
            ("t", "远图智能装备（天津）有限公司", [])]
    a, b = link_companies(rows), link_companies(list(reversed(rows)))
    assert a.merges == b.merges and a.subsidiaries == b.subsidiaries


# ------------------------------------------------------------------ through the store


def _ingest(tmp_path: Path, docs: dict[str, str]) -> Path:
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    paths = []
    for name, text in docs.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    db = tmp_path / "t.db"
    store = Store.open(str(db))
    try:
        for p in paths:  # one document at a time, as separate ingests would
            ingest_targets([p], store, Settings(), progress=False)
    finally:
        store.close()
    return db


def _companies(conn: sqlite3.Connection) -> dict[str, str]:
    return {name: eid for eid, name in conn.execute("SELECT id, name FROM entities WHERE type = 'company'")}


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_group_and_tianjin_subsidiary_in_two_articles(tmp_path: Path, order) -> None:
    from chainatlas.web import queries as Q

    docs = {"a": ("1_group.txt", GROUP_ARTICLE), "b": ("2_sub.txt", SUBSIDIARY_ARTICLE)}
    db = _ingest(tmp_path, dict(docs[k] for k in order))
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    companies = _companies(conn)
    group, sub = companies["远图智能装备集团"], companies["远图智能装备(天津)有限公司"] if \
        "远图智能装备(天津)有限公司" in companies else companies["远图智能装备（天津）有限公司"]
    assert group != sub  # two legal persons, never merged
    rels = conn.execute("SELECT source_entity_id, target_entity_id, attrs FROM relations "
                        "WHERE type = 'subsidiary_of'").fetchall()
    assert [(r[0], r[1]) for r in rels] == [(sub, group)]
    for eid in (group, sub):  # shown on both entity pages, with its basis
        page = Q.get_entity(conn, eid)
        shown = [r for r in page["relations"] if r["type"] == "subsidiary_of"]
        assert len(shown) == 1 and shown[0]["basis"] and shown[0]["quotes"]
    # the subsidiary's place comes from its own name, the group has no evidence of one
    place = Q.entity_place(conn, sub)
    assert place and place["region"] in ("西青区", "天津")
    assert (Q.entity_place(conn, group) or {}).get("region") is None


@pytest.mark.parametrize("order", [("s", "l"), ("l", "s")])
def test_short_name_then_legal_name_is_one_entity(tmp_path: Path, order) -> None:
    from chainatlas.web import queries as Q

    docs = {"s": ("s.txt", SHORT_ARTICLE), "l": ("l.txt", LEGAL_ARTICLE)}
    db = _ingest(tmp_path, dict(docs[k] for k in order))
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    companies = _companies(conn)
    assert "澜舟精密" not in companies
    eid = companies["澜舟精密科技股份有限公司"]
    page = Q.get_entity(conn, eid)
    assert "澜舟精密" in page["aliases"]
    arts = {r[0] for r in conn.execute("SELECT article_id FROM mentions WHERE entity_id = ?", (eid,))}
    assert len(arts) == 2 and page["mentions"] == 3  # title + sentence of one article, the list of the other
    assert "远航微电" in companies  # an unrelated short name stays itself
    # the old id of the short name leads to the merged entity
    old = conn.execute("SELECT from_id FROM entity_merges WHERE from_name = '澜舟精密'").fetchone()[0]
    assert Q.merged_into(conn, old) == eid


def test_same_relation_from_two_articles_is_listed_once(tmp_path: Path) -> None:
    from chainatlas.web import queries as Q

    a = "星澈光电落户西青区\n\n2024年5月8日，星澈光电科技有限公司落户西青区，新建光学镜片生产线。\n"
    b = "西青区光学产业再添新军\n\n2024年7月1日，星澈光电科技有限公司落户西青区后首条产线试运行。\n"
    db = _ingest(tmp_path, {"a.txt": a, "b.txt": b})
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    eid = _companies(conn)["星澈光电科技有限公司"]
    stored = conn.execute("SELECT count(*) FROM relations WHERE type = 'located_in' AND source_entity_id = ?",
                          (eid,)).fetchone()[0]
    shown = [r for r in Q.get_entity(conn, eid)["relations"] if r["type"] == "located_in"]
    assert stored == 2
    assert len(shown) == 1 and len(shown[0]["quotes"]) == 2 and shown[0]["count"] == 2
