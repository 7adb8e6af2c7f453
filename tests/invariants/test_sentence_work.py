"""The analyses' per-sentence work kept per article (analysis.work, table sentence_work) changes no answer:
on the demo store and after an ingest, judgements (merge, type change, reject, split) and an article stored
without the hook, the 卡点 list, the gaps' stated presence, the honour tags and the lists built on them equal
(a) the same analyses with every kept row dropped (each sentence worked out when asked) and (b) a plain
reference reading written here the way the analyses were written before the rows existed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import chainatlas.analysis as A
from chainatlas.analysis import work
from chainatlas.analysis.common import (
    Quotes,
    add_quote,
    load_regions,
    quote_in_region,
)
from chainatlas.analysis.coverage import _COMPANY_WORDS, stated_presence
from chainatlas.analysis.lists import (
    _cut_from_name,
    _honours_in,
    _inside_org_name,
    _substring_finder,
    honours_by_entity,
    technology_phrases,
)
from chainatlas.analysis.vocab import load_vocab
from chainatlas.chains import load_taxonomy
from chainatlas.store import marks

# our own sentences: a bottleneck trigger with technologies, a count of companies in 家, an honour
NEW_ARTICLE = (
    "天津讯 天津澜瑞半导体材料有限公司近日入选国家级专精特新“小巨人”企业名单。"
    "天津澜瑞半导体材料有限公司牵头攻关高纯电子特气提纯技术和碳化硅外延工艺，力争突破卡脖子环节，实现国产替代。"
    "目前滨海新区已集聚集成电路设计企业120余家，新材料企业80家。"
    "该公司总投资12亿元的电子特气项目已在滨海新区开工建设。"
)
UNHOOKED_ARTICLE = (
    "天津讯 天津启衡精密装备有限公司获评国家级制造业单项冠军示范企业。"
    "公司围绕高端数控机床主轴技术开展联合攻关，破解关键零部件卡脖子难题。"
    "西青区现有高端装备制造企业65家。"
)


@pytest.fixture()
def store_copy(invariant_db_path, tmp_path) -> Path:
    path = tmp_path / "work.db"
    shutil.copy(invariant_db_path, path)
    return path


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


# --------------------------------------------------------------------------- plain reference readings


def _ref_bottleneck(conn: sqlite3.Connection, tax: Any, region: str | None) -> list[tuple[Any, ...]]:
    """Every sentence of every article, as the 卡点 list read them before: (term, kind, chains, sentences,
    articles, triggers, quotes), ranked as the list ranks them."""
    vocab = load_vocab()
    regions = load_regions(tax)
    quotes = Quotes(conn)
    org_names = {n for (n,) in conn.execute("SELECT name FROM entities WHERE type IN ('company', 'institution')")}
    org_names |= {a for (a,) in conn.execute(
        "SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE e.type IN ('company', 'institution')")}
    orgs_in = _substring_finder(org_names)
    terms: dict[str, dict[str, Any]] = {}
    for art_id, title, text, art_region in conn.execute("SELECT id, title, text, region FROM articles ORDER BY rowid"):
        if not text:
            continue
        article_in = region is None or regions.within(art_region, region) or regions.within(title, region)
        for s, e in marks.sentences(text):
            sent = text[s:e]
            trig = [t for t in vocab.bottleneck_triggers if t in sent]
            if not trig or (not article_in and not regions.within(sent, region)):
                continue
            if not quote_in_region(sent, region, regions):
                continue
            orgs_here = orgs_in(sent)
            hits = tax.scan(sent)
            found: dict[str, tuple[str, set[Any]]] = {}
            for h in hits:
                if h.segment is None or h.term in vocab.generic_phrases or h.term in org_names:
                    continue
                if h.kind == "keywords" and not h.term.endswith(tuple(vocab.technology_heads)):
                    continue
                if _cut_from_name(sent, h.term, orgs_here):
                    continue
                found.setdefault(h.term, (h.kind, set()))[1].add((h.chain, h.segment))
            for phrase in technology_phrases(sent, vocab, regions):
                if phrase in found or phrase in org_names or _inside_org_name(sent, phrase) \
                        or _cut_from_name(sent, phrase, orgs_here):
                    continue
                inner = {(h.chain, h.segment) for h in tax.scan(phrase) if h.segment}
                found[phrase] = ("phrase", inner or {(h.chain, h.segment) for h in hits})
            for term, (kind, chains) in found.items():
                row = terms.setdefault(term, {"kind": kind, "chains": set(), "sentences": set(), "articles": set(),
                                              "triggers": set(), "quotes": []})
                row["chains"] |= chains
                row["sentences"].add((art_id, s))
                row["articles"].add(art_id)
                row["triggers"] |= set(trig)
                add_quote(row["quotes"], quotes.quote(art_id, s, e, expand=False))
    out = [(t, r["kind"], sorted(r["chains"], key=repr), len(r["sentences"]), len(r["articles"]),
            sorted(r["triggers"]), [(q["article_id"], q["start"], q["text"]) for q in r["quotes"]])
           for t, r in terms.items()]
    out.sort(key=lambda r: (-r[3], -r[4], r[1] == "phrase", r[0]))
    return out


def _ref_stated(conn: sqlite3.Connection, tax: Any, region: str) -> dict[Any, list[tuple[Any, ...]]]:
    regions = load_regions(tax)
    quotes = Quotes(conn)
    out: dict[Any, list[tuple[Any, ...]]] = {}
    for art, value, raw, st, en, m_region, a_region, title in conn.execute(
            'SELECT m.article_id, m.value, m.raw, m.start, m."end", m.region, a.region, a.title '
            "FROM metrics m JOIN articles a ON a.id = m.article_id WHERE m.unit IN ('家') ORDER BY m.rowid"):
        q = quotes.quote(art, st, en)
        if q is None or not any(w in q["text"] for w in _COMPANY_WORDS):
            continue
        if not (regions.within(m_region or a_region or title, region) or regions.within(q["text"], region)):
            continue
        if not quote_in_region(q["text"], region, regions):
            continue
        for h in tax.scan(q["text"]):
            rows = out.setdefault((h.chain, h.segment), []) if h.segment else None
            if rows is not None and all((r[3], r[4]) != (q["start"], art) for r in rows):
                rows.append((int(value), raw, h.term, q["start"], art, q["text"], q["title"]))
    return out


def _ref_honours(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """entity → tag → (weight, the quote's article, start, text) from every company mention's window."""
    vocab = load_vocab()
    quotes = Quotes(conn)
    out: dict[str, dict[str, Any]] = {}
    for eid, art, start, end in conn.execute(
            'SELECT m.entity_id, m.article_id, m.start, m."end" FROM mentions m JOIN entities e ON e.id = m.entity_id '
            "WHERE e.type = 'company' ORDER BY e.rowid, m.rowid"):
        s, e = quotes.sentence_bounds(art, start, end)
        text = quotes.article(art)[1]
        window = text[max(s, start - vocab.honour_window):min(e, end + vocab.honour_window)]
        for tag, w, _ in _honours_in(window, vocab):
            if tag not in out.get(eid, {}):
                q = quotes.quote(art, start, end)
                out.setdefault(eid, {})[tag] = (w, q["article_id"], q["start"], q["text"])
    return out


# --------------------------------------------------------------------------- comparing


def _answers(path: Path, tax: Any) -> dict[str, Any]:
    conn = _ro(path)
    try:
        return {
            "bottleneck_tj": A.bottleneck_technologies(conn, tax, region="天津"),
            "bottleneck_all": A.bottleneck_technologies(conn, tax),
            "bottleneck_bj": A.bottleneck_technologies(conn, tax, region="北京"),
            "stated_tj": stated_presence(conn, tax, "天津"),
            "stated_bhxq": stated_presence(conn, tax, "滨海新区"),
            "honours": honours_by_entity(conn),
            "key_tj": A.key_enterprises(conn, tax, region="天津"),
            "key_all": A.key_enterprises(conn, tax),
            "gaps_tj": A.gaps(conn, tax, "天津"),
            "targets_tj": A.investment_targets(conn, tax, "天津"),
            "coverage_tj": A.coverage(conn, tax, region="天津"),
            "pipeline": A.project_pipeline(conn),
            "figures": A.check_figures(conn),
        }
    finally:
        conn.close()


def _reference(path: Path, tax: Any) -> dict[str, Any]:
    conn = _ro(path)
    try:
        return {"bottleneck_tj": _ref_bottleneck(conn, tax, "天津"), "bottleneck_all": _ref_bottleneck(conn, tax, None),
                "stated_tj": _ref_stated(conn, tax, "天津"), "honours": _ref_honours(conn)}
    finally:
        conn.close()


def _as_reference(got: dict[str, Any]) -> dict[str, Any]:
    def tech(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(r["technology"], r["kind"], None, r["count"], r["articles"], r["triggers"],
                 [(q["article_id"], q["start"], q["text"]) for q in r["quotes"]]) for r in rows]

    return {
        "bottleneck_tj": tech(got["bottleneck_tj"]), "bottleneck_all": tech(got["bottleneck_all"]),
        "stated_tj": {k: [(r["count"], r["raw"], r["term"], r["quote"]["start"], r["quote"]["article_id"],
                           r["quote"]["text"], r["quote"]["title"]) for r in v] for k, v in got["stated_tj"].items()},
        "honours": {eid: tags for eid, tags in (
            (eid, {t: (w, q["article_id"], q["start"], q["text"]) for t, w, q in tags if q is not None})
            for eid, tags in got["honours"].items()) if tags},  # tags from the entity's attributes have no quote
    }


def _check(path: Path, tax: Any) -> dict[str, Any]:
    """The answers with the kept rows, without them, and the reference: all equal.  Returns them."""
    kept = _answers(path, tax)
    bare = path.with_name(path.stem + "_bare.db")
    bare.unlink(missing_ok=True)
    src, dst = sqlite3.connect(path), sqlite3.connect(bare)
    src.backup(dst)  # the WAL's pages too
    src.close()
    with dst:
        dst.execute("DELETE FROM sentence_work")
    dst.close()
    plain = _answers(bare, tax)
    for k in kept:
        assert kept[k] == plain[k], k
        assert repr(kept[k]) == repr(plain[k]), k  # types and order too
    ref = _reference(path, tax)
    mine = _as_reference(kept)
    for k in ref:
        if k.startswith("bottleneck"):  # the list has at most 100 rows; the reference keeps them all
            assert mine[k] == [(*r[:2], None, *r[3:]) for r in ref[k][:len(mine[k])]], k
            assert len(mine[k]) == min(100, len(ref[k])), k
        else:
            assert mine[k] == ref[k], k
    return kept


def _kept_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return dict(c.execute("SELECT kind, count(*) FROM sentence_work WHERE rows <> 'null' GROUP BY kind").fetchall())


def _ingest(path: Path, tmp: Path, name: str, text: str) -> None:
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    doc = tmp / name
    doc.write_text(text, encoding="utf-8")
    with Store.open(str(path)) as store:
        report = ingest_targets([str(doc)], store, Settings(db_path=str(path)), progress=False)
    assert not report.errors


def _eid(path: Path, name: str) -> str | None:
    with sqlite3.connect(path) as c:
        row = c.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def test_kept_work_equals_fresh_work_through_ingests_and_judgements(store_copy, tmp_path):
    from chainatlas.review.judgements import judge
    from chainatlas.store import Store

    tax = load_taxonomy()
    counts = _kept_counts(store_copy)
    assert counts.get("trigger", 0) > 0 and counts.get("count", 0) > 0 and counts.get("honour", 0) > 0, counts
    with sqlite3.connect(store_copy) as c:
        n_articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute("SELECT count(*) FROM sentence_work WHERE kind = 'done'").fetchone()[0] == n_articles
    before = _check(store_copy, tax)
    assert before["bottleneck_tj"] and before["stated_tj"] and before["honours"] and before["key_tj"]

    # an ingest: the hook works the new article only, and the answers move
    _ingest(store_copy, tmp_path, "new.txt", NEW_ARTICLE)
    with sqlite3.connect(store_copy) as c:
        assert c.execute("SELECT count(*) FROM sentence_work WHERE kind = 'done'").fetchone()[0] == n_articles + 1
    after = _check(store_copy, tax)
    assert {r["technology"] for r in after["bottleneck_tj"]} != {r["technology"] for r in before["bottleneck_tj"]}
    assert after["stated_tj"] != before["stated_tj"]
    honoured = _eid(store_copy, "天津澜瑞半导体材料有限公司")
    assert honoured and honoured in after["honours"]

    # judgements: what the rows do not hold (which entity, its type, the organisation names) moves with them
    with Store.open(str(store_copy)) as store:
        judge(store.conn, "set", "entity", honoured, user="测试", field="type", value="park")
    _check(store_copy, tax)
    other = next(r["entity_id"] for r in after["key_tj"] if r["entity_id"] != honoured)
    with Store.open(str(store_copy)) as store:
        judge(store.conn, "set", "entity", honoured, user="测试", field="type", value="company")
        judge(store.conn, "merge", "entity", other, other_id=honoured, user="测试")
    merged = _check(store_copy, tax)
    assert merged["honours"] != after["honours"]
    third = next(r["entity_id"] for r in after["key_all"] if r["entity_id"] not in (honoured, other))
    with Store.open(str(store_copy)) as store:
        judge(store.conn, "reject", "entity", third, user="测试")
    _check(store_copy, tax)

    # a figure a judgement turns into a count of companies (its span has no 'count' row): worked out
    with sqlite3.connect(store_copy) as c:
        figure = c.execute("SELECT m.id FROM metrics m JOIN articles a ON a.id = m.article_id "
                           "WHERE a.text LIKE '%澜瑞%' AND m.raw LIKE '%12亿元%'").fetchone()[0]
    with Store.open(str(store_copy)) as store:
        judge(store.conn, "set", "metric", figure, user="测试", field="unit", value="家")
    counted = _check(store_copy, tax)
    assert any(r["raw"] and "12亿元" in r["raw"] for rows in counted["stated_tj"].values() for r in rows)

    # an article stored without the hook (no rows yet): worked out when asked, same answers
    from chainatlas.pipeline import ingest_targets
    from chainatlas.review import hooks
    from chainatlas.settings import Settings

    doc = tmp_path / "unhooked.txt"
    doc.write_text(UNHOOKED_ARTICLE, encoding="utf-8")
    saved = hooks.after_ingest
    hooks.after_ingest = lambda conn: []
    try:
        with Store.open(str(store_copy)) as store:
            ingest_targets([str(doc)], store, Settings(db_path=str(store_copy)), progress=False)
    finally:
        hooks.after_ingest = saved
    with sqlite3.connect(store_copy) as c:
        missing = c.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentence_work w "
                            "WHERE w.kind = 'done' AND w.article_id = a.id)").fetchone()[0]
    assert missing == 1
    unhooked = _check(store_copy, tax)
    assert any("主轴" in r["technology"] for r in unhooked["bottleneck_all"])


def test_the_kept_rows_are_what_the_analyses_read(store_copy, monkeypatch):
    """With current rows, the 卡点 list, the stated presence and the honour tags work no sentence again (a
    sentence worked out here would fail); under another fingerprint they read no row and work them all."""
    tax = load_taxonomy()
    expected = _answers(store_copy, tax)

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a kept sentence was worked out again")

    with monkeypatch.context() as m:
        for name in ("trigger_work", "count_work", "honour_work"):
            m.setattr(work, name, refuse)
        assert _answers(store_copy, tax) == expected
    with sqlite3.connect(store_copy) as c:
        c.execute("UPDATE meta SET value = 'another' WHERE key IN (?, ?)", (work.META_KEY, work.TEXT_KEY))
    calls = {"n": 0}
    real = work.trigger_work

    def counted(*a: Any, **k: Any) -> Any:
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(work, "trigger_work", counted)
    assert _answers(store_copy, tax) == expected
    assert calls["n"] > 0
    # the next refresh makes them all again under the current fingerprint, in batches of articles
    monkeypatch.setattr(work, "REFRESH_BATCH", 7)
    with sqlite3.connect(store_copy, isolation_level=None) as c:
        c.execute("PRAGMA foreign_keys = ON")
        assert work.refresh(c, tax) == c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert work.refresh(c, tax) == 0
    monkeypatch.setattr(work, "trigger_work", refuse)
    assert _answers(store_copy, tax) == expected
