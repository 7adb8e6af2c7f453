"""Train the organisation-name CRF (``make train``) and report rules alone vs rules + model.

    python -m chainatlas.train.crf            # train, write data/models/, print the scores
    python -m chainatlas.train.crf --no-write # scores only (k-fold), the shipped model untouched

Training data:

- **gold**: every hand-made gold file with its document — ``tests/gold/{seeds,own,fresh…fresh4}``
  (documents in ``../shared/seeds``, ``data/demo``, ``tests/fixtures``) and the real pages of
  ``../shared/benchmarks/realdev`` (read here at training time, never copied).  A character is
  labelled with the type of the longest gold organisation name or alias covering it.
  ``fresh5`` is never trained on: it stays the held-out estimate.
- **silver**: the rule extractor's organisations on documents of the generated benchmark corpus
  (``bench/corpus.py``: the demo sentences recombined with names and numbers swapped, seeded).
  Silver sequences carry no rule-tag features, so the model learns the names' own shape there.

CLUENER2020 is evaluation only: never read for training.

Everything is deterministic: documents in sorted order, a seeded generator for the silver corpus,
features in a fixed order, L-BFGS (no random initialisation).  The same inputs give the same
model bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainatlas.extract.learned import (
    CODE,
    FEATURE_VERSION,
    ORG_TYPES,
    Features,
    Refiner,
    default_model_path,
    load_features,
    rule_tags,
    spans_of,
)
from chainatlas.model import Article, Entity

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
REALDEV = SHARED / "benchmarks" / "realdev"
SEED = 20241210
SILVER_DOCS = 1000
CRF_PARAMS: dict[str, Any] = {
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
# Combination thresholds tried on the k-fold predictions (chosen by org F1 on the dev sets).
# 1.01 = off.  Tried from the most conservative down; a lower threshold must do strictly better.
ADD_GRID = (1.01, 0.99, 0.97, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5)
VETO_GRID = (1.01, 0.995, 0.98)
HELD_OUT_GROUPS = ("fresh5",)


@dataclass(slots=True)
class GoldDoc:
    group: str
    file: str  # gold "file" (basename key for scoring)
    gold: dict[str, Any]
    articles: list[Article]
    gold_articles: list[dict[str, Any] | None] = field(default_factory=list)  # aligned to articles


def gold_sources(repo: Path = REPO) -> list[tuple[str, Path, Path]]:
    """(group, gold dir, documents dir) for every gold set that has its documents here."""
    out = [
        ("seeds", repo / "tests/gold/seeds", repo.parent / "shared" / "seeds"),
        ("own", repo / "tests/gold/own", repo / "src/chainatlas/data/demo"),
    ]
    for name in ("fresh", "fresh2", "fresh3", "fresh4", "fresh5"):
        out.append((name, repo / "tests/gold" / name, repo / "tests/fixtures" / name))
    out.append(("realdev", REALDEV / "gold", REALDEV / "pages"))
    return [(g, gd, dd) for g, gd, dd in out if gd.is_dir() and dd.is_dir()]


def _articles_of(path: Path, processor: Any) -> list[Article]:
    from chainatlas.ingest import iter_inputs
    from chainatlas.model import InputError
    from chainatlas.settings import Settings

    for raw in iter_inputs([str(path)], Settings()):
        if isinstance(raw, InputError):
            return []
        try:
            return processor.decode_and_split(raw)[1]
        except Exception:
            return []
    return []


def load_gold_docs(sources: Sequence[tuple[str, Path, Path]], processor: Any) -> list[GoldDoc]:
    from chainatlas.evaluate import align_articles, load_gold

    docs: list[GoldDoc] = []
    for group, gold_dir, doc_dir in sources:
        for key, gold in sorted(load_gold(gold_dir).items()):
            path = doc_dir / gold["file"]
            if not path.is_file():
                continue
            articles = _articles_of(path, processor)
            if not articles:
                continue
            g_arts = list(gold["articles"])
            recs = [{"part": a.part, "title": a.title} for a in articles]
            aligned: list[dict[str, Any] | None] = [None] * len(articles)
            for gi, pj in align_articles(g_arts, recs):
                if gi is not None and pj is not None:
                    aligned[pj] = g_arts[gi]
            docs.append(GoldDoc(group, key, gold, articles, aligned))
    return docs


def gold_labels(text: str, gold_article: dict[str, Any]) -> list[str]:
    """B-/I- + type code per character from the gold organisations' names and aliases
    (longest first, no overlaps), else O."""
    names: list[tuple[str, str]] = []
    for ent in gold_article.get("entities", []):
        typ = ent.get("type")
        if typ not in CODE:
            continue
        for name in [ent.get("name"), *(ent.get("aliases") or [])]:
            if isinstance(name, str) and len(name) >= 2:
                names.append((name, CODE[typ]))
    names.sort(key=lambda x: (-len(x[0]), x[0], x[1]))
    labels = ["O"] * len(text)
    for name, code in names:
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if all(lab == "O" for lab in labels[pos:end]):
                labels[pos] = "B-" + code
                for j in range(pos + 1, end):
                    labels[j] = "I-" + code
            pos = text.find(name, end)
    return labels


def labels_from_rules(entities: list[Entity], n: int) -> list[str]:
    labels = ["O"] * n
    for e in entities:
        code = CODE.get(e.type)
        if code is None:
            continue
        for a, b in e.spans:
            if 0 <= a < b <= n and all(lab == "O" for lab in labels[a:b]):
                labels[a] = "B-" + code
                for j in range(a + 1, b):
                    labels[j] = "I-" + code
    return labels


Example = tuple[list[list[str]], list[str]]


def article_examples(text: str, labels: list[str], entities: list[Entity], feats: Features,
                     with_rule_tags: bool = True) -> list[Example]:
    hits = feats.hits(text)
    out: list[Example] = []
    for a, b in feats.windows(text, hits):
        tags = rule_tags(entities, a, b) if with_rule_tags else None
        out.append((feats.sequence(text, a, b, hits, tags), labels[a:b]))
        out += brand_variants(text[a:b], labels[a:b], feats)
    return out


def brand_core(name: str, feats: Features) -> str | None:
    """The brand of a full company name: 天津某某科技有限公司 → 某某 (place, legal suffix and one
    industry word removed), or None when too little is left."""
    lex = feats.lexicon
    core = name
    for r in sorted((r for r in lex.regions if core.startswith(r) and len(r) >= 2), key=len, reverse=True)[:1]:
        core = core[len(r):]
    for suf in sorted((x for x in lex.suffixes["company"] if core.endswith(x)), key=len, reverse=True)[:1]:
        core = core[: -len(suf)]
    for w in sorted((x for x in lex.weak_company if core.endswith(x)), key=len, reverse=True)[:1]:
        if len(core) - len(w) >= 2:
            core = core[: -len(w)]
    if core == name or not 2 <= len(core) <= 6 or not all("\u4e00" <= c <= "\u9fff" for c in core):
        return None
    return core


def brand_variants(window: str, labels: list[str], feats: Features) -> list[Example]:
    """Synthetic sequences: each full company name of the window written as its bare brand (as
    real pages do: 与某某签约), labelled company, with the rules' tags on the new text."""
    from chainatlas.extract.entities import extract_entities

    out: list[Example] = []
    for s, e, code in spans_of(labels):
        if code != "CO":
            continue
        core = brand_core(window[s:e], feats)
        if core is None:
            continue
        text = window[:s] + core + window[e:]
        lab = labels[:s] + ["B-CO"] + ["I-CO"] * (len(core) - 1) + labels[e:]
        hits = feats.hits(text)
        out.append((feats.sequence(text, 0, len(text), hits, rule_tags(extract_entities(text), 0, len(text))), lab))
    return out


def gold_examples(docs: Iterable[GoldDoc], feats: Features) -> list[Example]:
    from chainatlas.extract.entities import extract_entities

    out: list[Example] = []
    for doc in docs:
        for art, g in zip(doc.articles, doc.gold_articles, strict=True):
            if g is None:
                continue
            text = art.text
            out += article_examples(text, gold_labels(text, g), extract_entities(text), feats)
    return out


def silver_texts(n_docs: int = SILVER_DOCS, seed: int = SEED) -> list[str]:
    """Plain-text documents of the generated benchmark corpus (bench/corpus.py), seeded."""
    try:
        from bench import corpus
    except ImportError:  # not run from the repository: no silver corpus
        return []
    material = corpus.load_material()
    rng = random.Random(seed)
    texts: list[str] = []
    while len(texts) < n_docs:
        ext, text = corpus.make_document(material, rng)
        if ext == ".txt":
            texts.append(text.split("\n\n", 1)[-1])
    return texts


def silver_examples(texts: Iterable[str], feats: Features) -> list[Example]:
    from chainatlas.extract.entities import extract_entities

    out: list[Example] = []
    seen: set[str] = set()
    for text in texts:
        ents = extract_entities(text)
        labels = labels_from_rules(ents, len(text))
        hits = feats.hits(text)
        for a, b in feats.windows(text, hits):
            w = text[a:b]
            if w in seen:
                continue
            seen.add(w)
            out.append((feats.sequence(text, a, b, hits, None), labels[a:b]))
            out += brand_variants(w, labels[a:b], feats)
    return out


def train(examples: Sequence[Example], path: Path, params: dict[str, Any] | None = None) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False, algorithm="lbfgs")
    trainer.set_params({**CRF_PARAMS, **(params or {})})
    for xseq, yseq in examples:
        trainer.append(xseq, yseq)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


def open_refiner(path: Path, params: dict[str, Any]) -> Refiner | None:
    if not params.get("enabled", True):
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return Refiner(tagger, params, load_features())


# ------------------------------------------------------------------ evaluation


def predict(docs: Iterable[GoldDoc], refiner: Refiner | None) -> list[dict[str, Any]]:
    from chainatlas.extract import Extractor
    from chainatlas.pipeline import article_record

    ex = Extractor()
    ex.refiner = refiner
    recs: list[dict[str, Any]] = []
    for doc in docs:
        for art in doc.articles:
            rec = article_record(art, ex.extract(art))
            rec["source"] = doc.file
            recs.append(rec)
    return recs


ROWS = ("company", "park", "government", "institution", "org (any type)", "projects")


def scores(docs: Sequence[GoldDoc], recs: list[dict[str, Any]]) -> dict[str, tuple[float, float, float]]:
    from chainatlas.evaluate import score

    report = score({d.file: d.gold for d in docs}, recs)
    return {k: (report.rows[k].precision, report.rows[k].recall, report.rows[k].f1)
            for k in ROWS if k in report.rows}


def folds(docs: Sequence[GoldDoc], k: int) -> list[list[GoldDoc]]:
    ordered = sorted(docs, key=lambda d: d.file)
    return [ordered[i::k] for i in range(k)]


def cross_validate(train_docs: Sequence[GoldDoc], cv_docs: Sequence[GoldDoc], silver: list[Example],
                   feats: Features, k: int, workdir: Path) -> list[tuple[list[GoldDoc], Path]]:
    """Train one model per fold of ``cv_docs`` (without that fold); return (fold docs, model)."""
    out: list[tuple[list[GoldDoc], Path]] = []
    base = gold_examples(train_docs, feats)
    for i, fold in enumerate(folds(cv_docs, k)):
        held = {d.file for d in fold}
        rest = [d for d in cv_docs if d.file not in held]
        path = workdir / f"fold{i}.crfsuite"
        train(base + gold_examples(rest, feats) + silver, path)
        out.append((fold, path))
    return out


def fold_predictions(models: list[tuple[list[GoldDoc], Path]], params: dict[str, Any]) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for fold, path in models:
        recs += predict(fold, open_refiner(path, params))
    return recs


def choose_thresholds(models: list[tuple[list[GoldDoc], Path]],
                      docs: Sequence[GoldDoc]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(chosen, best with the model on): by org F1 on the k-fold predictions; a less
    conservative setting is chosen only when strictly better."""
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    best_on: tuple[float, float, float] = (-1.0, 0.9, 1.01)
    for add in ADD_GRID:
        for veto in VETO_GRID:
            params = _params(add, veto)
            f1 = scores(docs, fold_predictions(models, params))["org (any type)"][2]
            print(f"  add ≥ {add:.2f}, veto ≥ {veto:.3f} (≥ 1: off): org F1 {f1:.3f}", flush=True)
            if f1 > best[0] + 1e-9:
                best = (f1, add, veto)
            if params["enabled"] and f1 > best_on[0] + 1e-9:
                best_on = (f1, add, veto)
    return _params(best[1], best[2]), _params(best_on[1], best_on[2])


def _params(add: float, veto: float) -> dict[str, Any]:
    return {"feature_version": FEATURE_VERSION, "add_threshold": add, "veto_threshold": veto,
            "enabled": add <= 1 or veto <= 1,
            "add_types": list(ORG_TYPES), "veto_types": ["park", "institution"] if veto <= 1 else []}


def _table(title: str, rules: dict[str, tuple[float, float, float]],
           model: dict[str, tuple[float, float, float]]) -> str:
    lines = [f"### {title}", "", "| row | rules P | R | F1 | rules + model P | R | F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key in rules:
        r, m = rules[key], model.get(key, (0.0, 0.0, 0.0))
        lines.append(f"| {key} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {m[0]:.3f} | {m[1]:.3f} | {m[2]:.3f} |")
    return "\n".join(lines)


def cluener_scores(refiner: Refiner | None) -> dict[str, Any] | None:
    """CLUENER2020 dev (evaluation only), company and government, rules ± model."""
    try:
        from bench import benchmarks_dir, cluener
    except ImportError:
        return None
    path = benchmarks_dir() / "cluener2020" / "dev.json"
    if not path.is_file():
        return None
    from chainatlas.extract.entities import extract_entities

    records = cluener.load_dev(path)

    def predict_one(text: str) -> list[Any]:
        ents = extract_entities(text)
        if refiner is not None:
            ents = refiner.refine(text, ents)
        return cluener.entities_to_mentions(text, ents)

    return cluener.score(records, predict_one)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="train the organisation-name CRF")
    ap.add_argument("--no-write", action="store_true", help="do not replace the shipped model")
    ap.add_argument("--folds", type=int, default=3, help="k for the k-fold over realdev pages")
    ap.add_argument("--silver-docs", type=int, default=SILVER_DOCS)
    ap.add_argument("--out", type=Path, default=default_model_path())
    args = ap.parse_args(argv)
    started = time.time()
    from chainatlas.pipeline import Processor

    processor = Processor(with_chains=False)
    feats = load_features()
    docs = load_gold_docs(gold_sources(), processor)
    by_group: dict[str, list[GoldDoc]] = {}
    for d in docs:
        by_group.setdefault(d.group, []).append(d)
    print("gold documents: " + ", ".join(f"{g} {len(v)}" for g, v in by_group.items()), flush=True)
    realdev = by_group.get("realdev", [])
    others = [d for d in docs if d.group not in HELD_OUT_GROUPS and d.group != "realdev"]
    silver = silver_examples(silver_texts(args.silver_docs), feats)
    print(f"silver sequences: {len(silver)} (from {args.silver_docs} generated documents)", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        params = _params(0.9, 1.01)
        best_on = params
        if realdev:
            print(f"k-fold over realdev pages (k={args.folds}), models trained without the scored pages:")
            models = cross_validate(others, realdev, silver, feats, args.folds, Path(tmp))
            params, best_on = choose_thresholds(models, realdev)
            print(f"chosen: add ≥ {params['add_threshold']}, veto ≥ {params['veto_threshold']} (≥ 1: off)")
            rules_rd = scores(realdev, predict(realdev, None))
            print()
            print(_table(f"realdev ({len(realdev)} pages, {args.folds}-fold by page), chosen setting",
                         rules_rd, scores(realdev, fold_predictions(models, params))))
            if best_on is not params and best_on != params:
                print()
                print(_table(f"realdev, model on at its best setting (add ≥ {best_on['add_threshold']}, "
                             f"veto ≥ {best_on['veto_threshold']})", rules_rd,
                             scores(realdev, fold_predictions(models, best_on))))
        train_docs = others + realdev
        examples = gold_examples(train_docs, feats) + silver
        final = Path(tmp) / "final.crfsuite"
        train(examples, final)
        size = final.stat().st_size
        params["trained_on"] = {"gold_documents": len(train_docs), "gold_sequences": len(examples) - len(silver),
                                "silver_sequences": len(silver), "seed": SEED}
        shown = params if params["enabled"] else best_on
        label = "" if params["enabled"] else f", model forced on (add ≥ {shown['add_threshold']})"
        refiner = open_refiner(final, shown)
        for group in HELD_OUT_GROUPS:
            held = by_group.get(group, [])
            if held:
                print()
                print(_table(f"{group} (held out from training){label}", scores(held, predict(held, None)),
                             scores(held, predict(held, refiner))))
        cl_rules, cl_model = cluener_scores(None), cluener_scores(refiner)
        if cl_rules is not None and cl_model is not None:
            print(f"\n### CLUENER2020 dev (evaluation only){label}\n")
            print(json.dumps({"rules": _cluener_rows(cl_rules), "rules + model": _cluener_rows(cl_model)},
                             ensure_ascii=False, indent=1))
        if not args.no_write:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(final.read_bytes())
            args.out.with_suffix(".json").write_text(
                json.dumps(params, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"\nmodel → {args.out} ({size / 1024:.0f} KB)")
    if not params.get("enabled"):
        print("no threshold beat the rules alone in the k-fold: the model ships switched off (enabled: false)")
    print(f"done in {time.time() - started:.0f} s")
    return 0


def _cluener_rows(result: dict[str, Any]) -> dict[str, Any]:
    per = result["strings"]
    return {key: {k: round(v, 3) for k, v in per[key].items()} for key in ("company", "government", "organization")}


if __name__ == "__main__":
    sys.exit(main())
