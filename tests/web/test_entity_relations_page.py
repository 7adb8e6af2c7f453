"""The entity page and API of a much-related entity: the relations, their counts and quotes as the plain
reading gives them, and the same numbers as the other views.

The page reads only the quotes it shows (five per relation) and keeps an entity's relations per store
generation (web.queries.kept_relations); this checks both against a straightforward reference — every
relation row of the entity with its whole article, ordered, cut and grouped in Python — on a store with
hundreds of relation rows: repeated quotes of one place, a symmetric relation written both ways, name-only
ends spelt two ways (天津 / 天津市), articles without a date and articles of the same date.
"""

from __future__ import annotations

import html
import re
import sqlite3

import pytest

from chainatlas.model import make_id
from chainatlas.settings import Settings
from chainatlas.store import Store, fts
from chainatlas.store.derived import bump
from chainatlas.web import create_app
from chainatlas.web import queries as Q
from chainatlas.web.filters import span_href

MAIN = "海澜精密轴承有限公司"
PARTNERS = ["北辰数控机床股份有限公司", "东丽新材料科技有限公司", "津南动力总成有限公司", "宝坻轨道装备有限公司",
            "武清智能传感科技有限公司", "静海合金铸造有限公司"]
PLACES = ["天津", "天津市", "滨海新区"]


def _build(path) -> dict[str, str]:
    """A store made by the writer (so it has a generation), filled by direct INSERTs of our own sentences."""
    Store.open(str(path)).close()
    conn = sqlite3.connect(str(path))
    ids = {name: "CA-" + make_id("company", name) for name in [MAIN, *PARTNERS]}
    with conn:
        for name, eid in ids.items():
            conn.execute("INSERT INTO entities (id, type, name, region) VALUES (?, 'company', ?, NULL)", (eid, name))
            conn.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, ?)", (eid, name))
            conn.execute("INSERT INTO entities_fts (rowid, entity_id, names) SELECT rowid, id, ? FROM entities "
                         "WHERE id = ?", (fts.bigram_text(name), eid))
        for i in range(48):
            partner = PARTNERS[i % len(PARTNERS)]
            other = PARTNERS[(i + 1) % len(PARTNERS)]
            place = PLACES[i % len(PLACES)]
            sentences = [
                f"{MAIN}与{partner}签署第{i}期战略合作协议。",
                f"{other}与{MAIN}共同建设轴承检测平台；",
                f"{MAIN}落户{place}，新建厂房{i + 3}万平方米！",
                f"{partner}向{MAIN}增资{i + 1}亿元。",
                f"另据介绍，{MAIN}今年产值预计增长{i % 9 + 5}%？",
            ]
            text = "".join(sentences)
            doc_id, art_id = make_id("reltest", i), make_id("reltest", i, 0)
            # eight articles without a date, and the rest on a few dates (ties broken by row order)
            published = None if i % 6 == 0 else f"2024-0{i % 4 + 1}-1{i % 3}"
            conn.execute("INSERT INTO documents (id, source, sha256, format, raw_text, ingested_at) "
                         "VALUES (?, ?, ?, 'text', ?, '2024-06-01')", (doc_id, f"test://{i}", doc_id, text))
            conn.execute("INSERT INTO articles (id, document_id, part, title, published, text, content_hash, region) "
                         "VALUES (?, ?, 0, ?, ?, ?, ?, '天津')", (art_id, doc_id, f"轴承产业观察第{i}期", published, text,
                                                               make_id(text)))
            pos = 0
            for k, sentence in enumerate(sentences):
                s = text.index(MAIN, pos)
                conn.execute("INSERT INTO mentions (id, entity_id, article_id, start, \"end\", surface) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (make_id(art_id, k, s), ids[MAIN], art_id, s, s + len(MAIN), MAIN))
                pos += len(sentence)

            def rel(rtype, src, tgt, src_id, tgt_id, anchor, dup="", text=text, art_id=art_id):
                s = text.index(anchor)
                conn.execute("INSERT INTO relations (id, type, source, target, source_entity_id, target_entity_id, "
                             "article_id, start, \"end\", attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (make_id(rtype, src, tgt, art_id, s, dup), rtype, src, tgt, src_id, tgt_id, art_id, s,
                              s + len(anchor), '{"basis": "签约"}' if rtype == "cooperates_with" else "{}"))

            rel("cooperates_with", MAIN, partner, ids[MAIN], ids[partner], f"与{partner}签署")
            # the same place quoted twice (one row per direction): one quote
            rel("cooperates_with", partner, MAIN, ids[partner], ids[MAIN], f"与{partner}签署", dup="back")
            rel("cooperates_with", other, MAIN, ids[other], ids[MAIN], f"{other}与")  # written the other way round
            rel("located_in", MAIN, place, ids[MAIN], None, f"落户{place}")  # 天津 and 天津市: one place
            rel("invests_in", partner, MAIN, ids[partner], ids[MAIN], f"向{MAIN}增资")
        bump(conn)
    conn.close()
    return ids


def reference(conn: sqlite3.Connection, entity_id: str, rows_cap: int, shown: int) -> tuple[list[dict], int]:
    """The relations as the plain reading gives them: every row with its whole article, ordered by
    (published, row) — no date first, as SQL orders NULL — cut to ``rows_cap``, grouped, cut to ``shown``."""
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(
        "SELECT r.rowid AS rid, r.*, a.title, a.published, a.text FROM relations r JOIN articles a ON a.id = r.article_id "
        "WHERE r.source_entity_id = ? OR r.target_entity_id = ?", (entity_id, entity_id))]
    total = len(rows)
    rows.sort(key=lambda r: (r["published"] is not None, r["published"] or "", r["rid"]))
    groups: dict[tuple, dict] = {}
    for r in rows[:rows_cap]:
        src = r["source_entity_id"] or Q.canonical_region(r["source"])
        tgt = r["target_entity_id"] or Q.canonical_region(r["target"])
        ends = tuple(sorted((src, tgt))) if r["type"] == "cooperates_with" else (src, tgt)
        basis = (r["attrs"] and __import__("json").loads(r["attrs"]) or {}).get("basis")
        quote = {"article_id": r["article_id"], "start": r["start"], "end": r["end"], "title": r["title"],
                 "published": r["published"], "basis": basis, "text": Q.sentence_at(r["text"], r["start"], r["end"])}
        g = groups.setdefault((r["type"], *ends), {
            "id": r["id"], "type": r["type"],
            "source": r["source"] if r["source_entity_id"] else Q.canonical_region(r["source"]),
            "target": r["target"] if r["target_entity_id"] else Q.canonical_region(r["target"]),
            "source_entity_id": r["source_entity_id"], "target_entity_id": r["target_entity_id"],
            "article_id": r["article_id"], "start": r["start"], "end": r["end"], "title": r["title"],
            "published": r["published"], "basis": basis, "quotes": [], "count": 0})
        if all((q["article_id"], q["start"]) != (quote["article_id"], quote["start"]) for q in g["quotes"]):
            g["quotes"].append(quote)
            g["count"] += 1
    out = sorted(groups.values(), key=lambda g: (g["type"], g["source"], g["target"]))
    return out[:shown], total


def page_relations(page: str) -> list[dict]:
    """Each relation of the page: its count, its quotes' links and sentences, and the 另有 N line."""
    section = page[page.index('id="relations"'):page.index('id="mentions"')]
    out = []
    for block in section.split('<li class="relation"')[1:]:
        quotes = block[block.index('<ul class="quotes">'):]
        out.append({
            "count": int(re.search(r"（(\d+) 处出处）", block).group(1)),
            "hrefs": [html.unescape(h) for h in re.findall(r'<li><a href="([^"]+)">“', quotes)],
            "texts": [html.unescape(t) for t in re.findall(r"“(.*?)”</a>", quotes, re.S)],
            "more": int(m.group(1)) if (m := re.search(r"另有 (\d+) 处出处", quotes)) else 0,
        })
    return out


def number(text: str, pattern: str) -> int:
    m = re.search(pattern, re.sub(r"<[^>]+>", "", text))
    assert m, pattern
    return int(m.group(1).replace(",", ""))


@pytest.fixture()
def related(tmp_path):
    from fastapi.testclient import TestClient

    path = tmp_path / "related.db"
    ids = _build(path)
    with TestClient(create_app(Settings(db_path=str(path), editor_token="tok-rel"))) as c:
        yield c, path, ids


@pytest.mark.parametrize("rows_cap, shown", [(None, None), (150, 4)])
def test_relations_page_and_api_match_the_plain_reading(related, monkeypatch, rows_cap, shown):
    client, path, ids = related
    if rows_cap is not None:  # the page's cuts, made small enough to bite on this store
        monkeypatch.setattr(Q, "RELATION_ROWS", rows_cap)
        monkeypatch.setattr(Q, "RELATIONS_SHOWN", shown)
    eid = ids[MAIN]
    conn = sqlite3.connect(str(path))
    ref, total = reference(conn, eid, Q.RELATION_ROWS, Q.RELATIONS_SHOWN)
    assert total == 48 * 5 and any(g["count"] > 5 for g in ref) and len(ref) >= 4  # the store is what we think

    for _ in range(2):  # the first request reads the store, the second the relations kept for this generation
        api = client.get(f"/api/entities/{eid}").json()
        assert api["relations"] == ref
        page = client.get(f"/entities/{eid}").text
        got = page_relations(page)
        assert [g["count"] for g in got] == [g["count"] for g in ref]
        assert [g["hrefs"] for g in got] == [[span_href(q["article_id"], q["start"], q["end"]) for q in g["quotes"][:5]]
                                             for g in ref]
        assert [g["texts"] for g in got] == [[q["text"] for q in g["quotes"][:5]] for g in ref]
        assert [g["more"] for g in got] == [max(0, g["count"] - 5) for g in ref]
        if rows_cap is not None:
            assert number(page, r"该实体共有 ([\d,]+) 处关系出处") == total
            assert number(page, r"关系 （列出 (\d+) 个）") == len(ref) == shown
        else:
            assert "关系出处；" not in page
            assert number(page, r"关系 （(\d+)）") == len(ref)

    # the entity's mention count is the same number on the page, in the API and in search results
    mentions = conn.execute("SELECT count(*) FROM mentions WHERE entity_id = ?", (eid,)).fetchone()[0]
    assert mentions == 48 * 5
    assert number(page, r"全部提及 （([\d,]+)）") == mentions == api["mentions"]
    hits = client.get("/api/search", params={"q": "海澜精密", "type": "entity"}).json()["entities"]
    assert [h["mentions"] for h in hits if h["id"] == eid] == [mentions]
    conn.close()


def test_a_new_relation_is_on_the_page_at_the_next_request(related):
    """Kept per store generation: a write moves the generation, and the next request reads the store."""
    client, path, ids = related
    eid = ids[MAIN]
    before = page_relations(client.get(f"/entities/{eid}").text)
    conn = sqlite3.connect(str(path))
    with conn:  # one more quote of an existing relation, written as the store's writers do (with the bump)
        art, text = conn.execute("SELECT id, text FROM articles ORDER BY rowid LIMIT 1").fetchone()
        s = text.index("增资")
        conn.execute("INSERT INTO relations (id, type, source, target, source_entity_id, target_entity_id, article_id, "
                     "start, \"end\", attrs) VALUES ('R-new', 'invests_in', ?, ?, ?, ?, ?, ?, ?, '{}')",
                     (PARTNERS[0], MAIN, ids[PARTNERS[0]], eid, art, s, s + 2))
        bump(conn)
    ref, _ = reference(conn, eid, Q.RELATION_ROWS, Q.RELATIONS_SHOWN)
    conn.close()
    after = page_relations(client.get(f"/entities/{eid}").text)
    assert sum(g["count"] for g in after) == sum(g["count"] for g in before) + 1
    assert [g["count"] for g in after] == [g["count"] for g in ref]
    assert client.get(f"/api/entities/{eid}").json()["relations"] == ref


@pytest.mark.parametrize("path, name", [("/", "web.dashboard"), ("/lists", "web.lists_page"), ("/indicators", "web.indicators_page"),
                                        ("/projects", "web.projects_page"), ("/api/atlas", "web.atlas_graph")])
def test_a_kept_drawing_still_counts_as_a_read_of_its_analysis(related, monkeypatch, path, name):
    """A page answered from its kept drawing (or the chain-map API from its kept JSON) does not read its kept
    analysis, but still marks it as read: the background refresher recomputes the analyses read recently
    after a change, and the first reader after an ingest would otherwise wait for it."""
    client, _path, _ids = related
    kept = client.app.state.web.db.kept

    def last_read() -> float:
        return next(r.used for r in kept.recent(3600.0, 64) if r.name == name)

    first = client.get(path)
    assert first.status_code == 200
    read_at = last_read()
    reads: list[str] = []
    get = kept.get
    monkeypatch.setattr(kept, "get", lambda conn, what, *a, **k: (reads.append(what), get(conn, what, *a, **k))[1])
    again = client.get(path)
    assert again.content == first.content
    assert last_read() > read_at  # counted as read …
    assert name not in reads  # … without reading the kept result
    monkeypatch.undo()
