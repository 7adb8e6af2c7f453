"""The key-enterprise list (链上重点企业清单) and the bottleneck-technology list (卡点技术攻关清单).

Both are transparent: each row carries its score broken into named parts and the quotes the
parts came from, so an analyst can see why a company ranks where it does.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from typing import Any

from chainatlas.analysis import work
from chainatlas.analysis.common import (
    MAX_QUOTES,
    Quotes,
    Regions,
    add_quote,
    data_memo,
    effective_mappings,
    entity_names,
    load_regions,
    load_subjects,
    quote_in_region_named,
    resolve_chain,
    subject_in,
    supported,
)
from chainatlas.analysis.vocab import Vocab, load_vocab
from chainatlas.chains.taxonomy import SEGMENT_LABELS, Taxonomy
from chainatlas.store import marks

MENTION_POINTS = 0.5  # per distinct article, capped
MENTION_CAP = 3.0
CENTRALITY_POINTS = 0.5  # per distinct chain segment, capped
CENTRALITY_CAP = 2.0
INVEST_CAP = 3.0


def _honours_in(text: str, vocab: Vocab) -> list[tuple[str, float, int]]:
    """(tag, weight, position) for honour terms in ``text`` (longest term wins at a position)."""
    found: list[tuple[str, float, int]] = []
    taken: list[tuple[int, int]] = []
    for h in vocab.honours:  # sorted longest first
        term = h.term
        if not term:
            continue
        at = text.find(term)
        while at >= 0:  # every non-overlapping occurrence, left to right (as re.finditer of the literal)
            end = at + len(term)
            if not any(s < end and at < e for s, e in taken):
                taken.append((at, end))
                found.append((h.tag, h.weight, at))
            at = text.find(term, end)
    return found


def honours_by_entity(conn: sqlite3.Connection, vocab: Vocab | None = None,
                      quotes: Quotes | None = None) -> dict[str, list[tuple[str, float, dict[str, Any] | None]]]:
    """``_honours_by_entity`` made once per state of the data (``data_memo``); read-only."""
    vocab = vocab or load_vocab()
    return data_memo(conn, "honours_by_entity", lambda: _honours_by_entity(conn, vocab, quotes), (vocab,))


def _honours_by_entity(conn: sqlite3.Connection, vocab: Vocab | None = None,
                       quotes: Quotes | None = None) -> dict[str, list[tuple[str, float, dict[str, Any] | None]]]:
    """entity id → distinct honour tags (tag, weight, quote) from attrs tags and mention contexts.

    A mention context is the mention's sentence cut to ``honour_window`` characters either side,
    so an honour in a long enumeration of other companies is not credited to everyone.
    """
    vocab = vocab or load_vocab()
    quotes = quotes or Quotes(conn)
    by_tag = {h.tag: h.weight for h in vocab.honours}
    out: dict[str, dict[str, tuple[str, float, dict[str, Any] | None]]] = {}
    for eid, attrs in conn.execute("SELECT id, attrs FROM entities WHERE type = 'company'"):
        try:
            data = json.loads(attrs or "{}")
        except json.JSONDecodeError:
            data = {}
        tags = data.get("tags") if isinstance(data, dict) else None
        for t in tags or []:
            for tag, w, _ in _honours_in(str(t), vocab) or ([(t, by_tag[t], 0)] if t in by_tag else []):
                out.setdefault(eid, {}).setdefault(tag, (tag, w, None))
        if isinstance(data, dict) and data.get("listed"):
            out.setdefault(eid, {}).setdefault("上市公司", ("上市公司", by_tag.get("上市公司", 2.0), None))
    rows = _honour_mentions(conn, vocab)
    kept = None
    if rows is None:  # no current article marks (store.marks): every company mention
        rows = conn.execute(
            'SELECT m.entity_id, m.article_id, m.start, m."end" FROM mentions m '
            "JOIN entities e ON e.id = m.entity_id WHERE e.type = 'company'").fetchall()
    else:  # the honour tags in each mention's window, kept per article (analysis.work)
        kept = work.kept_rows(conn, "honour", work.text_fingerprint(vocab), work.TEXT_KEY)
    meta = work.ArticleMeta(conn)
    for eid, art, start, end in rows:
        found = work.row_of(kept, (art, start, end), lambda a=art, s=start, e=end: work.honour_work(
            quotes.article(a)[1], quotes.sentence_bounds(a, s, e), s, e, vocab))
        if found is None:
            continue
        s, e, sent, tags = found
        for tag, w in tags:
            if tag not in out.get(eid, {}) or out[eid][tag][2] is None:
                out.setdefault(eid, {})[tag] = (tag, w, meta.quote(art, s, e, sent))
    return {eid: list(tags.values()) for eid, tags in out.items()}


def marks_current(conn: sqlite3.Connection, vocab: Vocab) -> bool:
    """Were the store's article marks (``store.marks``) made with this vocabulary?"""
    fp = marks.Terms([h.term for h in vocab.honours], vocab.bottleneck_triggers,
                     (*vocab.cagr_words, *vocab.growth_words, *vocab.decline_words, *vocab.share_words)).fingerprint
    return marks.current(conn, fp)


def _honour_mentions(conn: sqlite3.Connection, vocab: Vocab) -> list[tuple[str, str, int, int]] | None:
    """The company mentions whose honour window can hold an honour term, in the order of the full
    pass over every company mention (entity, then mention, by row): only those can find a tag.

    A term inside a mention's window [start - window, end + window] (cut further at its sentence)
    is one of the article's ``honour`` marks, which lists every occurrence of every term.  None
    when the marks are not current (then the caller reads every company mention)."""
    if not marks_current(conn, vocab):
        return None
    w = vocab.honour_window
    rows = conn.execute(
        'SELECT DISTINCT e.rowid, m.rowid, m.entity_id, m.article_id, m.start, m."end" FROM article_marks h '
        'JOIN mentions m ON m.article_id = h.article_id AND m.start <= h.start + ? AND m."end" >= h."end" - ? '
        "JOIN entities e ON e.id = m.entity_id WHERE h.kind = 'honour' AND e.type = 'company'", (w, w)).fetchall()
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(r[2], r[3], r[4], r[5]) for r in rows]


def key_enterprises(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str | None = None,
                    chain: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """链上重点企业清单: companies on the chain(s), ranked by a transparent score.

    score = honours (distinct tags, weights in analysis_triggers.yaml)
          + investment: log10(1 + 投资额/亿元), capped at 3
          + mentions: 0.5 per distinct article, capped at 3
          + centrality: 0.5 per distinct chain segment, capped at 2
    """
    chain_id = resolve_chain(taxonomy, chain)
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    subjects = load_subjects(conn, regions)
    mappings = effective_mappings(conn)
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for m in mappings:
        if m["subject_kind"] == "entity" and m["chain"] in taxonomy.chains:
            by_entity.setdefault(m["subject_id"], []).append(m)
    candidates = [eid for eid, ms in by_entity.items()
                  if (s := subjects.get(("entity", eid))) and s.type == "company"
                  and (chain_id is None or any(m["chain"] == chain_id for m in ms))
                  and subject_in(s, regions, region)]
    if not candidates:
        return []
    honours = honours_by_entity(conn, quotes=quotes)
    ent_names = entity_names(conn)
    invest, invest_projects = investment_by_company(conn, subjects, set(candidates), regions)
    name_to_id = {subjects[("entity", e)].name: e for e in candidates}
    wanted = set(name_to_id.values())
    # the articles mentioning each wanted company, by index (not a pass over every mention)
    mention_articles: dict[str, set[str]] = {}
    ordered = sorted(wanted)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        for eid, art in conn.execute("SELECT DISTINCT entity_id, article_id FROM mentions "
                                     f"WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk):
            mention_articles.setdefault(eid, set()).add(art)
    rows = []
    for eid in candidates:
        subj = subjects[("entity", eid)]
        ms = by_entity[eid]
        tags = honours.get(eid, [])
        h_pts = sum(w for _, w, _ in tags)
        inv = invest.get(eid, 0.0)
        inv_pts = min(INVEST_CAP, math.log10(1 + inv / 1e8)) if inv > 0 else 0.0
        articles = mention_articles.get(eid, set()) | {m["article_id"] for m in ms if m["article_id"]}
        men_pts = min(MENTION_CAP, MENTION_POINTS * len(articles))
        segs = {(m["chain"], m["segment"]) for m in ms}
        cen_pts = min(CENTRALITY_CAP, CENTRALITY_POINTS * len(segs))
        breakdown = {"honours": round(h_pts, 2), "investment": round(inv_pts, 2),
                     "mentions": round(men_pts, 2), "centrality": round(cen_pts, 2)}
        reasons = []
        if tags:
            reasons.append("荣誉：" + "、".join(t for t, _, _ in tags) + f" (+{h_pts:g})")
        if inv_pts:
            projs = invest_projects.get(eid, [])
            names = "、".join(f"{p['name']} {p['amount_yuan'] / 1e8:g}亿元" for p in projs[:3])
            more = f"等{len(projs)}个项目" if len(projs) > 3 else f"{len(projs)}个项目"
            reasons.append(f"项目投资 {inv / 1e8:.2f}亿元（{more}，同一项目多篇报道只计一次：{names}）"
                           f" (+{inv_pts:.2f})")
        reasons.append(f"{len(articles)}篇文章提及 (+{men_pts:g})")
        reasons.append(f"覆盖{len(segs)}个链环节 (+{cen_pts:g})")
        qs: list[dict[str, Any]] = []
        for _, _, q in tags:
            add_quote(qs, q)
        for m in sorted(ms, key=lambda m: -float(m["confidence"])):
            if len(qs) >= MAX_QUOTES:  # add_quote would drop it: no need to read the article
                break
            add_quote(qs, quotes.quote(m["article_id"], m["start"], m["end"]))
        if eid in wanted and len(qs) < MAX_QUOTES:  # its mentions in stored order, until the quotes are full
            for art, st, en in conn.execute('SELECT article_id, start, "end" FROM mentions WHERE entity_id = ? '
                                            "ORDER BY rowid", (eid,)):
                add_quote(qs, quotes.quote(art, st, en))
                if len(qs) >= MAX_QUOTES:
                    break
        qs = supported(qs, ent_names.get(eid, set()) | {subj.name}, region, regions)
        chain_labels = list(dict.fromkeys(taxonomy.label(m["chain"]) for m in ms))
        seg_labels = list(dict.fromkeys(
            f"{taxonomy.label(m['chain'])}·{SEGMENT_LABELS.get(m['segment'] or '', '未定')}" for m in ms))
        rows.append({
            "company": subj.name, "entity_id": eid, "region": subj.region, "region_basis": subj.region_basis,
            "chains": chain_labels, "segments": seg_labels, "tags": [t for t, _, _ in tags],
            "investment": inv, "projects": invest_projects.get(eid, []), "articles": len(articles),
            "score": round(sum(breakdown.values()), 2), "breakdown": breakdown, "reasons": reasons,
            "quotes": qs,
        })
    rows.sort(key=lambda r: (-r["score"], r["company"]))
    for i, r in enumerate(rows[:limit], 1):
        r["rank"] = i
    return rows[:limit]


def investment_by_company(conn: sqlite3.Connection, subjects: dict[tuple[str, str], Any], companies: set[str],
                          regions: Regions) -> tuple[dict[str, float], dict[str, list[dict[str, Any]]]]:
    """company id → (sum of its merged projects' amounts in 元, those projects).

    Each real-world project counts once with its one amount (``pipeline.project_groups``), however
    many articles reported it; batch events (一批项目集中签约) are not a company's investment.
    """
    from chainatlas.analysis.pipeline import is_generic_name, project_groups

    groups = project_groups(conn, regions)
    rows = {r[0]: r for r in conn.execute("SELECT id, name, investor, investor_entity_id FROM projects")}
    by_name = {subjects[("entity", e)].name: e for e in companies if ("entity", e) in subjects}
    total: dict[str, float] = {}
    projects: dict[str, list[dict[str, Any]]] = {}
    for info in {g["id"]: g for g in groups.values()}.values():
        members = [rows[m] for m in info["members"] if m in rows]
        eid = next((m[3] for m in members if m[3] in companies), None) or next(
            (by_name[m[2]] for m in members if m[2] in by_name), None)
        if eid is None or not info["yuan"]:
            continue
        name = next((m[1] for m in members if not is_generic_name(m[1])), None) or "（未具名项目）"
        total[eid] = total.get(eid, 0.0) + info["yuan"]
        projects.setdefault(eid, []).append({"project_id": info["id"], "name": name, "amount_yuan": info["yuan"],
                                             "merged_ids": list(info["members"])})
    for plist in projects.values():
        plist.sort(key=lambda p: -p["amount_yuan"])
    return total, projects


# --------------------------------------------------------------------------- bottleneck technologies

_CHUNK_SPLIT = re.compile(r"[，,、。；;：:“”\"‘’'《》（）()\[\]【】\s!！?？和及与等]+")


def _region_prefix_len(text: str, regions: Regions) -> int:
    """Length of a leading region name (天津职业技术 → 2), 0 when none."""
    for k in range(min(8, len(text)), 1, -1):
        if regions.canonical(text[:k]):
            return k
    return 0


def technology_phrases(sentence: str, vocab: Vocab, regions: Regions | None = None) -> list[str]:
    """Noun phrases ending in a technology head (…技术/工艺/装备/材料/芯片) with verbs stripped."""
    out: list[str] = []
    heads = sorted(vocab.technology_heads, key=len, reverse=True)
    verbs = [w for w in vocab.phrase_strip_prefixes if len(w) >= 2]
    for chunk in _CHUNK_SPLIT.split(sentence):
        if len(chunk) < 3:
            continue
        for head in heads:
            pos = chunk.find(head)
            while pos >= 0:
                end = pos + len(head)
                phrase = chunk[max(0, pos - 24):end]  # cut at break words below; a body over 10 chars is dropped
                body = phrase[: -len(head)]
                for v in (*verbs, *vocab.phrase_break_words):
                    i = body.rfind(v)
                    if i >= 0:
                        body = body[i + len(v):]
                changed = True
                while changed and body:
                    changed = False
                    for p in vocab.phrase_strip_prefixes:
                        if body.startswith(p):
                            body = body[len(p):]
                            changed = True
                if regions is not None and (pre := _region_prefix_len(body, regions)):
                    body = body[pre:]
                phrase = body + head
                if 2 <= len(body) <= 10 and phrase not in vocab.generic_phrases and not phrase[0].isdigit():
                    out.append(phrase)
                pos = chunk.find(head, end)
    return list(dict.fromkeys(out))


_ORG_TAILS = ("有限", "公司", "集团", "股份", "科技", "研究院", "研究所", "研究中心", "大学", "学院", "学校",
              "实验室", "中心", "协会", "联盟", "医院", "委员会", "局", "厅", "办公室")


def _substring_finder(names: set[str]) -> Any:
    """``f(text)`` → the names that occur in ``text`` (as ``[n for n in names if n in text]``, in
    another order), with one Aho-Corasick pass instead of one scan per name: the organisation
    list grows with the store, the sentences too."""
    import daachorse

    patterns = sorted(n for n in names if n)
    always = [""] if "" in names else []
    if not patterns:
        return lambda text: list(always)
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(patterns, match_kind=daachorse.MATCH_KIND_STANDARD)

    def found(text: str) -> list[str]:
        return [*always, *dict.fromkeys(patterns[i] for _s, _e, i in automaton.find_overlapping(text))]

    return found


def _cut_from_name(sentence: str, term: str, org_names: list[str]) -> bool:
    """Is every occurrence of ``term`` in ``sentence`` a piece of a longer organisation name
    (中国科学技术 in 中国科学技术大学)?  Such a piece is not a technology."""
    i = sentence.find(term)
    if i < 0:
        return False
    while i >= 0:
        whole = False
        for name in org_names:
            if len(name) > len(term) and term in name:
                j = sentence.find(name)
                while j >= 0:
                    if j <= i and i + len(term) <= j + len(name):
                        whole = True
                        break
                    j = sentence.find(name, j + 1)
            if whole:
                break
        if not whole and not sentence.startswith(_ORG_TAILS, i + len(term)):
            return False
        i = sentence.find(term, i + 1)
    return True


def _inside_org_name(sentence: str, phrase: str) -> bool:
    """A phrase that is the head of an organisation name (…装备有限公司) is not a technology."""
    i = sentence.find(phrase)
    while i >= 0:
        if sentence.startswith(_ORG_TAILS, i + len(phrase)):
            return True
        i = sentence.find(phrase, i + 1)
    return False


def _trigger_sentences(conn: sqlite3.Connection, vocab: Vocab, quotes: Quotes) -> Any:
    """(article id, title, text, region, sentences or None) in article order: with current article
    marks only the articles that have a trigger sentence, with those sentences; else every article
    (None: split its text)."""
    if not marks_current(conn, vocab):
        for row in conn.execute("SELECT id, title, text, region FROM articles"):
            yield (*row, None)
        return
    rows = conn.execute('SELECT a.rowid, k.article_id, k.start, k."end" FROM article_marks k '
                        "JOIN articles a ON a.id = k.article_id WHERE k.kind = 'trigger'").fetchall()
    rows.sort(key=lambda r: (r[0], r[2]))
    spans: dict[str, list[tuple[int, int]]] = {}
    for _rowid, art_id, s, e in rows:
        spans.setdefault(art_id, []).append((s, e))
    for art_id, sentences in spans.items():  # in article order (dicts keep it)
        title, text, _source, _published, art_region = quotes.article(art_id)
        yield art_id, title, text, art_region, sentences


def _trigger_work(conn: sqlite3.Connection, vocab: Vocab, taxonomy: Taxonomy, regions: Regions,
                  quotes: Quotes) -> Any:
    """(article id, title, region, start, end, the sentence's work (``work.trigger_work``), its quote
    maker) for every sentence with a trigger, in article order.  The work is read from ``sentence_work``
    when it was kept under the current fingerprint (then the article's text is not read), else made now."""
    if marks_current(conn, vocab) and work.current(conn, work.fingerprint(taxonomy, vocab)):
        meta = work.ArticleMeta(conn)
        # each trigger mark with its kept work, the empty ones (nothing can come out of them) left in the store
        rows = conn.execute(
            'SELECT a.rowid, k.article_id, k.start, k."end", a.title, a.region, w.rows FROM article_marks k '
            "JOIN articles a ON a.id = k.article_id LEFT JOIN sentence_work w ON w.kind = 'trigger' "
            'AND w.article_id = k.article_id AND w.start = k.start AND w."end" = k."end" '
            "WHERE k.kind = 'trigger' AND (w.rows IS NULL OR w.rows <> 'null')").fetchall()
        rows.sort(key=lambda r: (r[0], r[2]))
        for _rowid, art_id, s, e, title, art_region, text in rows:
            if text is not None and text != "0":
                w = json.loads(text)
                yield (art_id, title, art_region, s, e, w,
                       lambda a=art_id, s=s, e=e, t=w[0]: meta.quote(a, s, e, t))
                continue
            full = quotes.article(art_id)[1]  # not kept: worked out now
            if not full:
                continue
            w = work.trigger_work(full[s:e], vocab, taxonomy, regions)
            if w is not None:
                yield art_id, title, art_region, s, e, w, lambda a=art_id, s=s, e=e: quotes.quote(a, s, e, expand=False)
        return
    for art_id, title, text, art_region, spans in _trigger_sentences(conn, vocab, quotes):
        if not text:
            continue
        for s, e in spans if spans is not None else marks.sentences(text):
            w = work.trigger_work(text[s:e], vocab, taxonomy, regions)
            if w is not None:
                yield art_id, title, art_region, s, e, w, lambda a=art_id, s=s, e=e: quotes.quote(a, s, e, expand=False)


def _sentence_terms(w: list[Any], org_names: set[str], orgs_in: Any) -> dict[str, tuple[str, set[tuple[str, str | None]]]]:
    """term → (kind, its (chain, segment)s) for one trigger sentence's work: the taxonomy terms and
    technology phrases that are not, and are not cut from, an organisation's name."""
    sent, _trig, sent_chains, cands, phrases = w[:5]
    orgs_here = orgs_in(sent)
    found: dict[str, tuple[str, set[tuple[str, str | None]]]] = {}
    for term, kind, chain, segment in cands:
        if term in org_names or _cut_from_name(sent, term, orgs_here):
            continue
        found.setdefault(term, (kind, set()))[1].add((chain, segment))
    for phrase, inner in phrases:
        if phrase in found or phrase in org_names or _cut_from_name(sent, phrase, orgs_here):
            continue
        chains = {(c, sg) for c, sg in inner} or {(c, sg) for c, sg in sent_chains}
        found[phrase] = ("phrase", chains)
    return found


def bottleneck_technologies(conn: sqlite3.Connection, taxonomy: Taxonomy, region: str | None = None,
                            chain: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """卡点技术攻关清单: technologies named in sentences about 卡脖子/攻关/突破/国产替代…

    Terms are taxonomy products/technologies/keywords (tied to their chain segment) and noun
    phrases ending in a technology head (tied to the chains named in the same sentence).
    Ranked by the number of distinct sentences, then articles.
    """
    chain_id = resolve_chain(taxonomy, chain)
    vocab = load_vocab()
    regions = load_regions(taxonomy)
    quotes = Quotes(conn)
    org_names = {n for (n,) in conn.execute("SELECT name FROM entities WHERE type IN ('company', 'institution')")}
    org_names |= {a for (a,) in conn.execute(
        "SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE e.type IN ('company', 'institution')")}
    orgs_in = _substring_finder(org_names)
    terms: dict[str, dict[str, Any]] = {}
    inside: dict[str, bool] = {}  # article id → is the article in the region (by its region or title)
    for art_id, title, art_region, s, _e, w, make_quote in _trigger_work(conn, vocab, taxonomy, regions, quotes):
        article_in = inside.get(art_id)
        if article_in is None:
            article_in = inside[art_id] = (region is None or regions.within(art_region, region)
                                           or regions.within(title, region))
        sent, trig, found_place, named = w[0], w[1], w[5], w[6]
        if not article_in and not regions.within_found(sent, found_place, region):
            continue
        if region is not None and sent and not quote_in_region_named(sent, named, region, regions):
            continue  # a 天津 list is not evidenced by a sentence about 海淀区
        for term, (kind, chains) in _sentence_terms(w, org_names, orgs_in).items():
            if chain_id and chain_id not in {c for c, _ in chains}:
                continue
            row = terms.setdefault(term, {"technology": term, "kind": kind, "chains": set(),
                                          "sentences": set(), "articles": set(), "triggers": set(),
                                          "quotes": []})
            row["chains"] |= chains
            row["sentences"].add((art_id, s))
            row["articles"].add(art_id)
            row["triggers"] |= set(trig)
            qs = row["quotes"]
            if len(qs) < MAX_QUOTES and not any(q["article_id"] == art_id and q["start"] == max(0, s) for q in qs):
                add_quote(qs, make_quote())  # the quote is made only when the list can take it
    out = []
    for row in terms.values():
        chains = sorted(row["chains"], key=lambda x: (taxonomy.label(x[0]), x[1] or ""))
        if chain_id:
            chains = [c for c in chains if c[0] == chain_id]
        seg_labels = [f"{taxonomy.label(c)}·{SEGMENT_LABELS.get(sg or '', '未定')}" for c, sg in chains]
        trig = sorted(row["triggers"])
        reason = (f"{len(row['articles'])}篇文章中有{len(row['sentences'])}句在“{'、'.join(trig)}”语境中提到"
                  f"“{row['technology']}”" + (f"，属于{'、'.join(seg_labels)}" if seg_labels else "")
                  + ("（产业链词表术语）" if row["kind"] != "phrase" else "（从原句识别的技术短语）"))
        out.append({
            "technology": row["technology"], "kind": row["kind"],
            "chains": list(dict.fromkeys(taxonomy.label(c) for c, _ in chains)),
            "segments": seg_labels,
            "count": len(row["sentences"]), "articles": len(row["articles"]),
            "triggers": trig, "reason": reason, "quotes": row["quotes"],
        })
    out.sort(key=lambda r: (-r["count"], -r["articles"], r["kind"] == "phrase", r["technology"]))
    for i, r in enumerate(out[:limit], 1):
        r["rank"] = i
    return out[:limit]
