"""Score extraction output (the JSONL contract) against hand-written gold files.

Pure functions only: the CLI (`chainatlas eval`) and the tests both call ``score``.
The matching rules are the ones ``shared/contract/extract-output.md`` promises outside
evaluators, so that our own numbers mean the same as theirs:

- entities: same type (gold ``alt_types`` accepted) and any name/alias in common, after
  T→S conversion, whitespace removal and full-/half-width folding;
- metrics: same unit and value within 0.5 %, one-to-one greedy;
- projects: investor (via either side's aliases; null == null) and amount (0.5 %;
  null == null), one-to-one greedy; predicted ``aggregate`` projects are ignored.

Gold files are matched to predictions by the basename of ``source``; articles by ``part``
when both sides have the same number of articles, otherwise by title similarity and then
by reading order.  Unmatched gold articles count as misses, unmatched predicted articles
as false positives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from chainatlas.model import ENTITY_TYPES, STAGES

ORG_TYPES = ("company", "park", "government", "institution")
ORG_ANY = "org (any type)"
ALL_ENTITIES = "entities (all)"
METRICS = "metrics"
PROJECTS = "projects"
TOLERANCE = 0.005  # relative, for metric values and project amounts
TITLE_SIMILARITY = 60.0  # rapidfuzz ratio above which two titles are the same article

_WS = re.compile(r"\s+")
# Full-width ASCII block (！ … ～) → ASCII; covers （ ） and full-width digits/letters.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def norm_name(text: str | None) -> str:
    """Canonical comparison form of a name: Simplified, no whitespace, half-width brackets."""
    if not text:
        return ""
    folded = _WS.sub("", str(text).translate(_WIDTH))
    return _t2s().convert(folded)


def norm_unit(unit: str | None) -> str:
    return norm_name(unit)


def basename(path: str) -> str:
    """Basename for both POSIX paths, Windows paths and URLs."""
    tail = str(path).replace("\\", "/").rstrip("/")
    return PurePosixPath(tail.split("?", 1)[0]).name


# --------------------------------------------------------------------------- counts


@dataclass(slots=True)
class PRF:
    """Counts behind one P/R/F1 row.

    Precision and recall keep separate numerators because entity matching is not
    one-to-one (two predicted forms of one gold entity are both correct).
    """

    pred: int = 0
    pred_correct: int = 0
    gold: int = 0
    gold_found: int = 0

    @property
    def precision(self) -> float:
        return self.pred_correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.pred += other.pred
        self.pred_correct += other.pred_correct
        self.gold += other.gold
        self.gold_found += other.gold_found

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "pred": self.pred,
            "pred_correct": self.pred_correct,
            "gold": self.gold,
            "gold_found": self.gold_found,
        }


ROW_ORDER = (*ENTITY_TYPES, ORG_ANY, ALL_ENTITIES, METRICS, PROJECTS)


def _empty_rows() -> dict[str, PRF]:
    return {key: PRF() for key in ROW_ORDER}


@dataclass(slots=True)
class ArticleStats:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    titles_exact: int = 0

    def add(self, other: ArticleStats) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.matched += other.matched
        self.titles_exact += other.titles_exact


@dataclass(slots=True)
class Report:
    """Micro-averaged scores over all gold files, plus per-file rows and error lists."""

    rows: dict[str, PRF] = field(default_factory=_empty_rows)
    articles: ArticleStats = field(default_factory=ArticleStats)
    per_file: dict[str, dict[str, PRF]] = field(default_factory=dict)
    files_gold: int = 0
    files_missing: list[str] = field(default_factory=list)  # gold files with no prediction
    files_unscored: list[str] = field(default_factory=list)  # predictions with no gold
    details: list[dict[str, Any]] = field(default_factory=list)  # misses and false positives

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scores": {k: v.as_dict() for k, v in self.rows.items()},
            "articles": {
                "gold": self.articles.gold,
                "pred": self.articles.pred,
                "matched": self.articles.matched,
                "titles_exact": self.articles.titles_exact,
            },
            "files": {
                "gold": self.files_gold,
                "missing": self.files_missing,
                "unscored": self.files_unscored,
            },
            "per_file": {
                f: {k: v.as_dict() for k, v in rows.items() if v.gold or v.pred}
                for f, rows in self.per_file.items()
            },
        }
        if details:
            out["details"] = self.details
        return out


# --------------------------------------------------------------------------- gold


def load_gold(directory: str | Path) -> dict[str, dict[str, Any]]:
    """Every gold JSON under ``directory`` (recursive), keyed by the basename of its "file".

    ``split.json`` files are split definitions, not gold, and are skipped.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"gold directory not found: {root}")
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(root.rglob("*.json")):
        if path.name == "split.json":
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: invalid JSON: {exc}") from exc
        errors = validate_gold(data)
        if errors:
            raise ValueError(f"{path}: " + "; ".join(errors[:5]))
        key = basename(data["file"])
        if key in gold:
            raise ValueError(f"{path}: duplicate gold for file {key!r}")
        gold[key] = data
    return gold


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def validate_gold(data: Any) -> list[str]:
    """Schema problems of one gold document, as readable messages (empty list = valid)."""
    errs: list[str] = []
    if not isinstance(data, dict):
        return ["gold document is not an object"]
    if not isinstance(data.get("file"), str) or not data["file"]:
        errs.append("'file' must be a non-empty string")
    arts = data.get("articles")
    if not isinstance(arts, list) or not arts:
        return errs + ["'articles' must be a non-empty list"]
    parts = [a.get("part") if isinstance(a, dict) else None for a in arts]
    if parts != list(range(len(arts))):
        errs.append(f"parts must be 0..{len(arts) - 1} in order, got {parts}")
    for i, art in enumerate(arts):
        if not isinstance(art, dict):
            errs.append(f"articles[{i}] is not an object")
            continue
        where = f"articles[{i}]"
        if art.get("title") is not None and not isinstance(art.get("title"), str):
            errs.append(f"{where}.title must be a string or null")
        for j, ent in enumerate(art.get("entities", [])):
            w = f"{where}.entities[{j}]"
            if ent.get("type") not in ENTITY_TYPES:
                errs.append(f"{w}.type {ent.get('type')!r} not in {ENTITY_TYPES}")
            if not isinstance(ent.get("name"), str) or not ent.get("name"):
                errs.append(f"{w}.name must be a non-empty string")
            if not isinstance(ent.get("aliases", []), list):
                errs.append(f"{w}.aliases must be a list")
            for alt in ent.get("alt_types", []):
                if alt not in ENTITY_TYPES:
                    errs.append(f"{w}.alt_types: {alt!r} not an entity type")
        for j, met in enumerate(art.get("metrics", [])):
            w = f"{where}.metrics[{j}]"
            if not _is_number(met.get("value")):
                errs.append(f"{w}.value must be a number")
            if not isinstance(met.get("unit"), str) or not met.get("unit"):
                errs.append(f"{w}.unit must be a non-empty string")
            if not isinstance(met.get("raw"), str):
                errs.append(f"{w}.raw must be a string")
        for j, proj in enumerate(art.get("projects", [])):
            w = f"{where}.projects[{j}]"
            if proj.get("stage") is not None and proj.get("stage") not in STAGES:
                errs.append(f"{w}.stage {proj.get('stage')!r} not in {STAGES}")
            amount = proj.get("amount")
            if amount is not None and (
                not isinstance(amount, dict) or not _is_number(amount.get("value")) or not amount.get("unit")
            ):
                errs.append(f"{w}.amount must be null or {{value: number, unit}}")
            if not proj.get("name") and not proj.get("investor"):
                errs.append(f"{w} needs a name or an investor")
    return errs


def load_split(gold_dir: str | Path, split: str) -> set[str]:
    """Basenames in ``split`` ("dev"/"heldout") from the nearest split.json above gold_dir."""
    here = Path(gold_dir).resolve()
    for cand in (here, *list(here.parents)[:2]):
        path = cand / "split.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if split not in data:
                raise ValueError(f"{path}: no split named {split!r}")
            return {basename(f) for f in data[split]}
    raise FileNotFoundError(f"no split.json in or above {gold_dir}")


def read_predictions(path: str | Path) -> list[dict[str, Any]]:
    """Contract records from a JSONL file (blank lines skipped)."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {exc}") from exc
            if not isinstance(rec, dict) or "source" not in rec:
                raise ValueError(f"{path}:{lineno}: not a contract record (no 'source')")
            records.append(rec)
    return records


# --------------------------------------------------------------------------- matching


def entity_names(ent: Mapping[str, Any]) -> set[str]:
    names = {norm_name(ent.get("name"))}
    names.update(norm_name(a) for a in ent.get("aliases") or [])
    names.discard("")
    return names


def _gold_types(ent: Mapping[str, Any]) -> set[str]:
    return {ent.get("type"), *(ent.get("alt_types") or [])}


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    """Relative closeness to the gold value ``b`` (sign matters; 0 only matches ~0)."""
    if b == 0:
        return abs(a) < 1e-9
    return abs(a - b) <= tol * abs(b)


def _name_index(entities: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """name/alias → every name of the entity (or entities) carrying it."""
    index: dict[str, set[str]] = {}
    for ent in entities:
        names = entity_names(ent)
        for n in names:
            index.setdefault(n, set()).update(names)
    return index


def _expand(name: str | None, index: Mapping[str, set[str]]) -> set[str]:
    key = norm_name(name)
    if not key:
        return set()
    return {key} | index.get(key, set())


def score_entities(
    gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]], details: list[dict[str, Any]] | None = None
) -> dict[str, PRF]:
    """Per-type, org-any and overall counts for one article pair."""
    rows = {key: PRF() for key in (*ENTITY_TYPES, ORG_ANY, ALL_ENTITIES)}
    gold_info = [(_gold_types(g), entity_names(g)) for g in gold]
    pred_info = [(p.get("type"), entity_names(p)) for p in pred]

    for g, (gtypes, gnames) in zip(gold, gold_info, strict=True):
        found = any(pt in gtypes and gnames & pnames for pt, pnames in pred_info)
        org_found = any(pt in ORG_TYPES and gtypes & set(ORG_TYPES) and gnames & pnames for pt, pnames in pred_info)
        for key in (g.get("type"), ALL_ENTITIES):
            if key in rows:
                rows[key].gold += 1
                rows[key].gold_found += found
        if g.get("type") in ORG_TYPES:
            rows[ORG_ANY].gold += 1
            rows[ORG_ANY].gold_found += org_found
        if details is not None and not found:
            details.append({"kind": "entity_missed", "type": g.get("type"), "name": g.get("name")})

    for p, (ptype, pnames) in zip(pred, pred_info, strict=True):
        correct = any(ptype in gtypes and gnames & pnames for gtypes, gnames in gold_info)
        for key in (ptype, ALL_ENTITIES):
            if key in rows:
                rows[key].pred += 1
                rows[key].pred_correct += correct
        if ptype in ORG_TYPES:
            org_ok = any(gtypes & set(ORG_TYPES) and gnames & pnames for gtypes, gnames in gold_info)
            rows[ORG_ANY].pred += 1
            rows[ORG_ANY].pred_correct += org_ok
        if details is not None and not correct:
            details.append({"kind": "entity_false", "type": ptype, "name": p.get("name")})
    return rows


def _greedy(n_gold: int, n_pred: int, cost) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """One-to-one matching: each gold item takes the cheapest still-free compatible pred.

    ``cost(i, j)`` returns None when gold i and pred j are incompatible.
    """
    used: set[int] = set()
    pairs = []
    for i in range(n_gold):
        best, best_cost = None, None
        for j in range(n_pred):
            if j in used:
                continue
            c = cost(i, j)
            if c is not None and (best_cost is None or c < best_cost):
                best, best_cost = j, c
        if best is not None:
            used.add(best)
            pairs.append((i, best))
    return pairs


def _as_float(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if out == out else None


def score_metrics(
    gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]], details: list[dict[str, Any]] | None = None
) -> PRF:
    def cost(i: int, j: int) -> float | None:
        g, p = gold[i], pred[j]
        pv, gv = _as_float(p.get("value")), float(g["value"])
        if pv is None or norm_unit(p.get("unit")) != norm_unit(g.get("unit")) or not close(pv, gv):
            return None
        return abs(pv - gv)

    pairs = _greedy(len(gold), len(pred), cost)
    if details is not None:
        hit_g, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
        details += [{"kind": "metric_missed", "raw": g.get("raw"), "value": g.get("value"), "unit": g.get("unit")}
                    for i, g in enumerate(gold) if i not in hit_g]
        details += [{"kind": "metric_false", "raw": p.get("raw"), "value": p.get("value"), "unit": p.get("unit")}
                    for j, p in enumerate(pred) if j not in hit_p]
    return PRF(pred=len(pred), pred_correct=len(pairs), gold=len(gold), gold_found=len(pairs))


def _amount_ok(g: Mapping[str, Any] | None, p: Mapping[str, Any] | None) -> bool:
    if not g or not p:
        return not g and not p
    pv = _as_float(p.get("value"))
    return pv is not None and norm_unit(p.get("unit")) == norm_unit(g.get("unit")) and close(pv, float(g["value"]))


def score_projects(
    gold: list[Mapping[str, Any]],
    pred: list[Mapping[str, Any]],
    gold_entities: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    pred_entities: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    details: list[dict[str, Any]] | None = None,
) -> PRF:
    """Investor + amount matching; investors compare through both sides' alias lists."""
    pred = [p for p in pred if not p.get("aggregate")]
    g_index, p_index = _name_index(gold_entities), _name_index(pred_entities)

    def investor_ok(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
        gi, pi = g.get("investor"), p.get("investor")
        if not norm_name(gi) or not norm_name(pi):
            return not norm_name(gi) and not norm_name(pi)
        return bool(_expand(gi, g_index) & _expand(pi, p_index))

    def cost(i: int, j: int) -> float | None:
        g, p = gold[i], pred[j]
        if not investor_ok(g, p) or not _amount_ok(g.get("amount"), p.get("amount")):
            return None
        # prefer the same name when several projects of one investor have no amount
        return 0.0 if norm_name(g.get("name")) == norm_name(p.get("name")) else 1.0

    pairs = _greedy(len(gold), len(pred), cost)
    if details is not None:
        hit_g, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
        details += [{"kind": "project_missed", "name": g.get("name"), "investor": g.get("investor"),
                     "amount": g.get("amount")} for i, g in enumerate(gold) if i not in hit_g]
        details += [{"kind": "project_false", "name": p.get("name"), "investor": p.get("investor"),
                     "amount": p.get("amount")} for j, p in enumerate(pred) if j not in hit_p]
    return PRF(pred=len(pred), pred_correct=len(pairs), gold=len(gold), gold_found=len(pairs))


def score_article(
    gold: Mapping[str, Any] | None, pred: Mapping[str, Any] | None, details: list[dict[str, Any]] | None = None
) -> dict[str, PRF]:
    """All rows for one article pair; either side may be None (unmatched)."""
    g = gold or {}
    p = pred or {}
    g_ents, p_ents = list(g.get("entities") or []), list(p.get("entities") or [])
    rows = score_entities(g_ents, p_ents, details)
    rows[METRICS] = score_metrics(list(g.get("metrics") or []), list(p.get("metrics") or []), details)
    rows[PROJECTS] = score_projects(
        list(g.get("projects") or []), list(p.get("projects") or []), g_ents, p_ents, details
    )
    return rows


# --------------------------------------------------------------------------- articles


def norm_title(title: str | None) -> str:
    return norm_name(title)


def align_articles(
    gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]
) -> list[tuple[int | None, int | None]]:
    """Pairs (gold index, pred index); None marks an unmatched article on that side.

    Same count → by part.  Otherwise titles first (rapidfuzz ratio), then reading order.
    """
    pred_order = sorted(range(len(pred)), key=lambda j: (_as_float(pred[j].get("part")) or 0.0, j))
    pairs: dict[int, int] = {}
    if len(gold) == len(pred):
        pairs = dict(zip(range(len(gold)), pred_order, strict=True))
    else:
        from rapidfuzz import fuzz

        cands = []
        for i, g in enumerate(gold):
            gt = norm_title(g.get("title"))
            for j in pred_order:
                pt = norm_title(pred[j].get("title"))
                if gt and pt:
                    sim = fuzz.ratio(gt, pt)
                    if sim >= TITLE_SIMILARITY:
                        cands.append((-sim, i, j))
        used_p: set[int] = set()
        for _, i, j in sorted(cands):
            if i not in pairs and j not in used_p:
                pairs[i] = j
                used_p.add(j)
        rest_g = [i for i in range(len(gold)) if i not in pairs]
        rest_p = [j for j in pred_order if j not in used_p]
        # keep reading order consistent with title anchors: only pair leftovers in order
        for i, j in zip(rest_g, rest_p, strict=False):
            pairs[i] = j
    out: list[tuple[int | None, int | None]] = [(i, pairs.get(i)) for i in range(len(gold))]
    matched_p = set(pairs.values())
    out += [(None, j) for j in pred_order if j not in matched_p]
    return out


def score(gold: Mapping[str, Mapping[str, Any]], predictions: Iterable[Mapping[str, Any]]) -> Report:
    """Micro-averaged report of ``predictions`` (contract records) against ``gold`` (load_gold)."""
    by_file: dict[str, list[Mapping[str, Any]]] = {}
    for rec in predictions:
        by_file.setdefault(basename(str(rec.get("source", ""))), []).append(rec)

    report = Report(files_gold=len(gold))
    report.files_unscored = sorted(f for f in by_file if f not in gold)
    for fname in sorted(gold):
        g_arts = list(gold[fname]["articles"])
        p_arts = by_file.get(fname, [])
        if not p_arts:
            report.files_missing.append(fname)
        file_rows = _empty_rows()
        stats = ArticleStats(gold=len(g_arts), pred=len(p_arts))
        for gi, pj in align_articles(g_arts, p_arts):
            g = g_arts[gi] if gi is not None else None
            p = p_arts[pj] if pj is not None else None
            if g is not None and p is not None:
                stats.matched += 1
                stats.titles_exact += norm_title(g.get("title")) == norm_title(p.get("title"))
            article_details: list[dict[str, Any]] = []
            for key, prf in score_article(g, p, article_details).items():
                file_rows[key].add(prf)
            where = {"file": fname, "gold_part": gi, "pred_part": None if p is None else p.get("part")}
            report.details += [{**where, **d} for d in article_details]
        report.per_file[fname] = file_rows
        report.articles.add(stats)
        for key, prf in file_rows.items():
            report.rows[key].add(prf)
    return report
