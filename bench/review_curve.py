"""Learning curve of the user lexicon on realdev: F1 after 0, 10, 25, 50 analyst judgements.

The realdev pages are split in two halves by file name (even positions judged, odd positions scored).
A simulated analyst reviews the extractor's output on the judged half against its gold, as a person
working through the review queue would: a false organisation/place/person → reject (its string
joins the stop list), a missed gold entity → add (name, type and aliases join the user lexicon), a
right name with a wrong type → correct the type, and, once errors run out, a right entity →
accept.  Pages are visited round-robin, each page's decisions in reading order.  The first N
judgements are stored as ``judgements`` rows in a scratch store and turned into a lexicon by the
same code the pipeline uses (``review.learning.user_lexicon``); both halves are then extracted
again with it and scored with ``chainatlas eval``'s scorer.

    python -m bench.review_curve [--steps 0,10,25,50] [--json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from chainatlas.evaluate import (
    ALL_ENTITIES,
    ORG_ANY,
    PROJECTS,
    align_articles,
    entity_names,
    load_gold,
    score,
)
from chainatlas.model import make_id
from chainatlas.pipeline import Processor, extract_targets
from chainatlas.review.learning import user_lexicon
from chainatlas.settings import Settings
from chainatlas.store import Store

REALDEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "realdev"
OUR_TYPES = ("company", "park", "government", "institution", "person", "region")


def halves(gold: dict[str, Any]) -> tuple[list[str], list[str]]:
    names = sorted(gold)
    return names[0::2], names[1::2]


def extract(processor: Processor, pages: Path, files: list[str]) -> list[dict[str, Any]]:
    recs = extract_targets([str(pages / f) for f in files], Settings(), processor=processor)
    return [r for r in recs if isinstance(r, dict)]


def analyst(gold: dict[str, Any], preds: list[dict[str, Any]], files: list[str]) -> list[dict[str, Any]]:
    """The judgements an analyst makes on these pages, in the order they would make them."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for rec in preds:
        by_file.setdefault(Path(str(rec["source"])).name, []).append(rec)
    per_page: list[list[dict[str, Any]]] = []
    for fname in files:
        g_arts = gold[fname]["articles"]
        p_arts = by_file.get(fname, [])
        errors: list[tuple[int, dict[str, Any]]] = []
        accepts: list[tuple[int, dict[str, Any]]] = []
        seen: set[tuple[str, str]] = set()
        for gi, pj in align_articles(g_arts, p_arts):
            g_ents = g_arts[gi]["entities"] if gi is not None else []
            p_ents = p_arts[pj]["entities"] if pj is not None else []
            text = p_arts[pj].get("text", "") if pj is not None else ""
            g_info = [({g.get("type"), *(g.get("alt_types") or [])}, entity_names(g), g) for g in g_ents]
            for p in p_ents:
                names = entity_names(p)
                pos = text.find(p["name"]) if text else 0
                same = [g for types, gn, g in g_info if names & gn and p["type"] in types]
                other = [g for types, gn, g in g_info if names & gn and p["type"] not in types]
                key = ("p", p["name"])
                if key in seen:
                    continue
                seen.add(key)
                if same:
                    accepts.append((pos, {"action": "accept", "type": p["type"], "name": p["name"]}))
                elif other:
                    new_type = other[0]["type"]
                    if new_type in OUR_TYPES:
                        errors.append((pos, {"action": "set", "type": p["type"], "name": p["name"],
                                             "field": "type", "value": new_type}))
                else:
                    errors.append((pos, {"action": "reject", "type": p["type"], "name": p["name"]}))
            p_info = [(p["type"], entity_names(p)) for p in p_ents]
            for types, gn, g in g_info:
                if g.get("type") not in OUR_TYPES:
                    continue
                if any(pt in types and gn & pn for pt, pn in p_info):
                    continue
                key = ("g", g["name"])
                if key in seen:
                    continue
                seen.add(key)
                pos = text.find(g["name"]) if text else 0
                errors.append((pos if pos >= 0 else 10**6, {"action": "add", "type": g["type"], "name": g["name"],
                                                             "aliases": list(g.get("aliases") or [])}))
        errors.sort(key=lambda e: e[0])
        accepts.sort(key=lambda e: e[0])
        per_page.append([e[1] for e in errors] + [a[1] for a in accepts])
    out: list[dict[str, Any]] = []
    depth = 0
    while any(depth < len(p) for p in per_page):
        out += [p[depth] for p in per_page if depth < len(p)]
        depth += 1
    return out


def store_judgements(conn: sqlite3.Connection, judgements: list[dict[str, Any]]) -> None:
    conn.execute("DELETE FROM judgements")
    for n, j in enumerate(judgements):
        key = {"type": j["type"], "name": j["name"]}
        value: Any = None
        if j["action"] == "add":
            value = {"type": j["type"], "name": j["name"], "aliases": j["aliases"], "quote": j["name"]}
        elif j["action"] == "set":
            value = j["value"]
        conn.execute(
            "INSERT INTO judgements(uid, action, target_kind, target_key, field, value, user, at, status) "
            "VALUES (?, ?, 'entity', ?, ?, ?, 'analyst', ?, 'applied')",
            (make_id("sim", n), j["action"], json.dumps(key, ensure_ascii=False), j.get("field"),
             json.dumps(value, ensure_ascii=False), f"2025-01-01T00:00:{n:02d}"))


def f1s(report: Any) -> dict[str, float]:
    return {k: round(report.rows[k].f1, 3) for k in (ALL_ENTITIES, ORG_ANY, PROJECTS)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", default="0,10,25,50")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not REALDEV.is_dir():
        print(f"realdev not found at {REALDEV}", file=sys.stderr)
        return 2
    gold = load_gold(REALDEV / "gold")
    train, test = halves(gold)
    processor = Processor(with_chains=False)
    processor.extractor.user_lexicon = None
    base_train = extract(processor, REALDEV / "pages", train)
    sims = analyst(gold, base_train, train)
    store = Store.open(":memory:")
    rows = []
    for n in [int(s) for s in args.steps.split(",")]:
        store_judgements(store.conn, sims[:n])
        processor.extractor.user_lexicon = user_lexicon(store.conn)
        lex = processor.extractor.user_lexicon
        scored = f1s(score({f: gold[f] for f in test}, extract(processor, REALDEV / "pages", test)))
        judged = f1s(score({f: gold[f] for f in train}, extract(processor, REALDEV / "pages", train)))
        kinds: dict[str, int] = {}
        for j in sims[:n]:
            kinds[j["action"]] = kinds.get(j["action"], 0) + 1
        rows.append({"judgements": min(n, len(sims)), "kinds": kinds,
                     "lexicon": {"names": len(lex.names) if lex else 0, "stop": len(lex.stop) if lex else 0},
                     "held_out": scored, "judged_half": judged})
    if args.json:
        print(json.dumps({"train": train, "test": test, "available": len(sims), "curve": rows},
                         ensure_ascii=False, indent=1))
        return 0
    print(f"judged half: {len(train)} pages ({len(sims)} judgements available); held-out half: {len(test)} pages")
    print("judgements | held-out F1: entities / org-any / projects | judged half F1: entities / org-any / projects")
    for r in rows:
        h, t = r["held_out"], r["judged_half"]
        print(f"{r['judgements']:>10} | {h[ALL_ENTITIES]:.3f} / {h[ORG_ANY]:.3f} / {h[PROJECTS]:.3f}"
              f" | {t[ALL_ENTITIES]:.3f} / {t[ORG_ANY]:.3f} / {t[PROJECTS]:.3f}  {r['kinds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
