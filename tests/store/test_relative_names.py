"""A name that states only a level (区工信局, 市委宣传部) links no articles.

Two districts' bureaus, each introduced with 区工信局 as its short form in its own article, and a
third article naming only 区工信局: the two bureaus must stay two entities in every ingest order
(they used to be merged through the shared short form, and the cluster re-keyed with every article
naming 区工信局 alone), while an alias that names a place (天津市委宣传部 → 市委宣传部 stays an alias)
still links nothing it should not.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

from chainatlas.model import Entity
from chainatlas.store import Store
from chainatlas.store.identity import is_relative_name

from .helpers import article, decoded, fake_extract


def _doc(source: str, text: str, ents: list[Entity]) -> tuple[Any, ...]:
    for e in ents:
        e.spans = [(text.index(e.name), text.index(e.name) + len(e.name))]
    ex = fake_extract(text)
    ex.entities, ex.relations, ex.projects, ex.metrics = ents, [], [], []
    return decoded(source, text), [article(source, text)], [ex]


def _docs() -> dict[str, tuple[Any, ...]]:
    return {
        "a": _doc("a.txt", "东丽区工业和信息化局（以下简称区工信局）召开集成电路企业座谈会。",
                  [Entity(type="government", name="东丽区工业和信息化局", aliases=["区工信局"])]),
        "b": _doc("b.txt", "西青区工业和信息化局（以下简称区工信局）发布智能制造扶持政策。",
                  [Entity(type="government", name="西青区工业和信息化局", aliases=["区工信局"])]),
        "c": _doc("c.txt", "区工信局负责人表示，将加快推进重点项目建设。",
                  [Entity(type="government", name="区工信局")]),
    }


def test_relative_names_are_recognised() -> None:
    for name in ("区工信局", "市委宣传部", "县政府", "市发改委", "区人社局", "省科技厅", "新区管委会"):
        assert is_relative_name(name), name
    for name in ("天津市委宣传部", "滨海新区工业和信息化局", "区块链研究院", "市北高新区", "东丽区", "市"):
        assert not is_relative_name(name), name


def test_two_bureaus_sharing_a_relative_short_form_stay_apart_in_every_order(tmp_path: Path) -> None:
    docs = _docs()
    results = []
    for order in itertools.permutations("abc"):
        db = tmp_path / ("".join(order) + ".db")
        with Store.open(str(db)) as store:
            for key in order:
                store.add_document(*docs[key])
        with sqlite3.connect(db) as conn:
            names = sorted(r[0] for r in conn.execute("SELECT name FROM entities WHERE type = 'government'"))
            by_article = sorted(conn.execute(
                "SELECT d.source, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                "JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = a.document_id"))
            merged = conn.execute("SELECT COUNT(*) FROM entity_merges").fetchone()[0]
        results.append((names, by_article, merged))
    assert all(r == results[0] for r in results)
    names, by_article, merged = results[0]
    assert names == ["东丽区工业和信息化局", "区工信局", "西青区工业和信息化局"]
    assert by_article == [("a.txt", "东丽区工业和信息化局"), ("b.txt", "西青区工业和信息化局"), ("c.txt", "区工信局")]
    assert merged == 0


def test_a_relative_alias_still_names_its_entity_within_the_article(tmp_path: Path) -> None:
    text = "东丽区工业和信息化局（以下简称区工信局）召开座谈会，区工信局局长出席。"
    ent = Entity(type="government", name="东丽区工业和信息化局", aliases=["区工信局"])
    ent.spans = [(0, 10), (text.rindex("区工信局"), text.rindex("区工信局") + 4)]
    ex = fake_extract(text)
    ex.entities, ex.relations, ex.projects, ex.metrics = [ent], [], [], []
    db = tmp_path / "one.db"
    with Store.open(str(db)) as store:
        store.add_document(decoded("one.txt", text), [article("one.txt", text)], [ex])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == 2
        assert sorted(r[0] for r in conn.execute("SELECT alias FROM entity_aliases")) == ["东丽区工业和信息化局", "区工信局"]
