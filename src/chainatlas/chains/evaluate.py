"""Score chain mappings against a hand-judged gold (``tests/chains/mapping_gold/*.json``).

A gold file judges one input document::

    {"file": "x.txt", "subjects": [
        {"name": "某某科技有限公司", "type": "company", "aliases": ["某某科技"],
         "chains": [{"chain": "integrated_circuits", "segment": "upstream"},
                    {"chain": "new_materials", "segment": "midstream", "optional": true}]},
        {"name": "某某园", "type": "park", "chains": []}]}

``chains: []`` means the subject should not be on any chain.  A chain marked ``optional`` is
acceptable (not a false positive when predicted) but not required (no miss when absent): a
power-battery maker is on 新能源 and may also be put on 汽车 upstream.  ``segment`` is one
segment, a list of acceptable segments, or null (the text does not tell: not scored).

Scores, over (subject, chain) pairs of the gold subjects the pipeline found (subjects the
gold lists but the extractor did not produce are counted apart as ``missing_subjects``):

- precision = predicted pairs that are required or optional / predicted pairs;
- recall = required pairs predicted / required pairs;
- segment accuracy = on correct pairs with a judged segment, the predicted segment (the most
  confident one for that chain) is among the gold segments;
- per confidence band (a pair's confidence is its best segment's): precision in the band.

Subjects the gold does not list are not scored.  Matching a gold subject to the pipeline's
subjects of the same document: any name/alias equal after normalisation (T→S, width,
whitespace), else containment of one in the other (both at least 4 characters).  A gold
project also matches an entity of the same name (计算中心 is both).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainatlas.chains.taxonomy import SEGMENTS, Taxonomy
from chainatlas.evaluate import basename, norm_name
from chainatlas.model import Article, ChainMapping, Extraction

BANDS = ((0.85, 1.01), (0.7, 0.85), (0.5, 0.7), (0.0, 0.5))
MIN_CONTAIN = 4


class MappingGoldError(ValueError):
    """A gold file is malformed; the message names the file and the subject."""


# --------------------------------------------------------------------------- gold


def _check_gold(data: Any, where: str, chain_ids: set[str] | None) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("file"), str):
        raise MappingGoldError(f"{where}: expected an object with 'file'")
    subjects = data.get("subjects")
    if not isinstance(subjects, list):
        raise MappingGoldError(f"{where}: 'subjects' must be a list")
    for i, s in enumerate(subjects):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"]:
            raise MappingGoldError(f"{where}: subjects[{i}]: needs a name")
        if s.get("type") not in ("company", "institution", "park", "project"):
            raise MappingGoldError(f"{where}: {s['name']}: type must be company/institution/park/project")
        if not isinstance(s.get("chains"), list):
            raise MappingGoldError(f"{where}: {s['name']}: 'chains' must be a list")
        for c in s["chains"]:
            if not isinstance(c, dict) or not isinstance(c.get("chain"), str):
                raise MappingGoldError(f"{where}: {s['name']}: chain entries need 'chain'")
            if chain_ids is not None and c["chain"] not in chain_ids:
                raise MappingGoldError(f"{where}: {s['name']}: unknown chain {c['chain']!r}")
            segs = c.get("segment")
            segs = segs if isinstance(segs, list) else [segs]
            if any(x is not None and x not in SEGMENTS for x in segs):
                raise MappingGoldError(f"{where}: {s['name']}: bad segment {c.get('segment')!r}")


def load_mapping_gold(directory: str | Path, taxonomy: Taxonomy | None = None) -> dict[str, dict[str, Any]]:
    """Gold files of ``directory`` keyed by the judged document's basename (split.json skipped)."""
    out: dict[str, dict[str, Any]] = {}
    ids = set(taxonomy.chains) if taxonomy is not None else None
    for path in sorted(Path(directory).glob("*.json")):
        if path.name == "split.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        _check_gold(data, path.name, ids)
        out[basename(data["file"])] = data
    return out


def load_split(directory: str | Path) -> dict[str, list[str]]:
    """``{"dev": [...], "heldout": [...]}`` from ``split.json`` (basenames)."""
    data = json.loads((Path(directory) / "split.json").read_text(encoding="utf-8"))
    return {k: [basename(v) for v in vals] for k, vals in data.items()}


def find_sources(files: Iterable[str], search_dirs: Iterable[str | Path]) -> dict[str, Path]:
    """Basename → path, for the gold documents found in ``search_dirs`` (first hit wins)."""
    wanted = set(files)
    out: dict[str, Path] = {}
    for d in search_dirs:
        d = Path(d)
        if not d.is_dir():
            continue
        for name in sorted(wanted - set(out)):
            p = d / name
            if p.is_file():
                out[name] = p
    return out


# --------------------------------------------------------------------------- predictions


@dataclass(slots=True)
class PredSubject:
    """One subject of a document as the pipeline saw it, with its mapped chains."""

    kind: str  # entity | project
    names: set[str]
    # chain id → [(segment, confidence)], best first
    chains: dict[str, list[tuple[str | None, float]]] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)  # chain → evidence of the best mapping


def subjects_of(articles: list[Article], extractions: list[Extraction],
                mappings: list[list[ChainMapping]]) -> list[PredSubject]:
    """Every company/institution/park/project of a document with its chain mappings
    (a subject mentioned in several articles of the document is one subject)."""
    by_key: dict[tuple[str, str], PredSubject] = {}

    def get(kind: str, name: str) -> PredSubject:
        key = (kind, norm_name(name))
        if key not in by_key:
            by_key[key] = PredSubject(kind, {norm_name(name)})
        return by_key[key]

    for _article, ex, maps in zip(articles, extractions, mappings, strict=True):
        for e in ex.entities:
            if e.type in ("company", "institution", "park") and e.name:
                subj = get("entity", e.name)
                subj.names.update(norm_name(a) for a in e.aliases if a)
        for p in ex.projects:
            name = p.name or p.investor
            if name:
                get("project", name)
        for m in maps:
            subj = get(m.subject_kind, m.subject_name)
            rows = subj.chains.setdefault(m.chain, [])
            rows.append((m.segment, m.confidence))
            rows.sort(key=lambda r: -r[1])
            if rows[0] == (m.segment, m.confidence):
                subj.evidence[m.chain] = m.evidence or ""
    return list(by_key.values())


def map_documents(docs: Mapping[str, tuple[list[Article], list[Extraction]]], taxonomy: Taxonomy,
                  map_article: Any = None) -> dict[str, list[PredSubject]]:
    """Run chain mapping on already extracted documents (copies, so they can be re-mapped)."""
    if map_article is None:
        from chainatlas.chains.mapping import map_article
    out: dict[str, list[PredSubject]] = {}
    for name, (articles, extractions) in docs.items():
        exs = [copy.deepcopy(ex) for ex in extractions]
        maps = [list(map_article(a, ex, taxonomy)) for a, ex in zip(articles, exs, strict=True)]
        out[name] = subjects_of(articles, exs, maps)
    return out


def extract_documents(paths: Mapping[str, Path], processor: Any = None) -> dict[str, tuple[list[Article], list[Extraction]]]:
    """Decode, clean and extract each document with the real pipeline (no chain mapping)."""
    from chainatlas.ingest import iter_inputs
    from chainatlas.model import InputError
    from chainatlas.pipeline import Processor
    from chainatlas.settings import Settings

    if processor is None:
        processor = Processor(with_chains=False)
    out: dict[str, tuple[list[Article], list[Extraction]]] = {}
    for name, path in paths.items():
        for raw in iter_inputs([str(path)], Settings()):
            if isinstance(raw, InputError):
                continue
            decoded, articles = processor.decode_and_split(raw)
            extractions = []
            for a in articles:
                ex = processor.extractor.extract(a)
                if isinstance(a.meta, dict) and a.meta.get("table_row"):
                    from chainatlas.extract.table_facts import apply_table_row

                    ex = apply_table_row(a, ex)
                extractions.append(ex)
            out[name] = (articles, extractions)
    return out


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class MappingReport:
    docs: int = 0
    gold_subjects: int = 0
    missing_subjects: list[tuple[str, str]] = field(default_factory=list)  # (file, name)
    predicted: int = 0  # predicted (subject, chain) pairs of found gold subjects
    correct: int = 0  # … that are required or optional in the gold
    required: int = 0  # required (subject, chain) pairs of found gold subjects
    found: int = 0  # … that were predicted
    required_missing_subjects: int = 0  # required pairs of subjects the extractor missed
    segment_judged: int = 0
    segment_correct: int = 0
    bands: dict[str, list[int]] = field(default_factory=dict)  # "0.70–0.85" → [correct, predicted]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def segment_accuracy(self) -> float:
        return self.segment_correct / self.segment_judged if self.segment_judged else 0.0

    def band_precision(self) -> dict[str, tuple[float, int]]:
        return {k: (c / n if n else 0.0, n) for k, (c, n) in self.bands.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "docs": self.docs, "gold_subjects": self.gold_subjects,
            "missing_subjects": len(self.missing_subjects),
            "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
            "pairs": {"predicted": self.predicted, "correct": self.correct, "required": self.required,
                      "found": self.found},
            "segment_accuracy": round(self.segment_accuracy, 3), "segment_judged": self.segment_judged,
            "bands": {k: {"precision": round(p, 3), "n": n} for k, (p, n) in self.band_precision().items()},
        }


def _band(conf: float) -> str:
    for lo, hi in BANDS:
        if lo <= conf < hi:
            return f"{lo:.2f}-{min(hi, 1.0):.2f}"
    return "?"


def _gold_names(s: Mapping[str, Any]) -> set[str]:
    return {norm_name(n) for n in [s["name"], *s.get("aliases", [])] if n}


def match_subjects(gold_subject: Mapping[str, Any], preds: list[PredSubject]) -> list[PredSubject]:
    """The pipeline subjects that are this gold subject (exact name first, else containment)."""
    names = _gold_names(gold_subject)
    kinds = ("project", "entity") if gold_subject["type"] == "project" else ("entity",)
    cands = [p for p in preds if p.kind in kinds]
    exact = [p for p in cands if p.names & names]
    if gold_subject["type"] == "project":
        exact = [p for p in exact if p.kind == "project"] or exact
    if exact:
        return exact
    out = []
    for p in cands:
        if p.kind == "entity" and gold_subject["type"] == "project":
            continue
        for g in names:
            if any(len(g) >= MIN_CONTAIN and len(n) >= MIN_CONTAIN and (g in n or n in g) for n in p.names):
                out.append(p)
                break
    return out


def score_mappings(gold: Mapping[str, Mapping[str, Any]], predictions: Mapping[str, list[PredSubject]],
                   files: Iterable[str] | None = None) -> MappingReport:
    """Score ``predictions`` (basename → subjects) against ``gold`` on ``files`` (default: all)."""
    rep = MappingReport(bands={_band(lo): [0, 0] for lo, _ in BANDS})
    for fname in (list(files) if files is not None else list(gold)):
        g = gold.get(fname)
        if g is None or fname not in predictions:
            continue
        rep.docs += 1
        preds = predictions[fname]
        for gs in g["subjects"]:
            rep.gold_subjects += 1
            required = {c["chain"]: c for c in gs["chains"] if not c.get("optional")}
            allowed = {c["chain"]: c for c in gs["chains"]}
            matched = match_subjects(gs, preds)
            if not matched:
                rep.missing_subjects.append((fname, gs["name"]))
                rep.required_missing_subjects += len(required)
                continue
            chains: dict[str, list[tuple[str | None, float]]] = {}
            evidence: dict[str, str] = {}
            for p in matched:
                for ch, rows in p.chains.items():
                    chains.setdefault(ch, []).extend(rows)
                    evidence.setdefault(ch, p.evidence.get(ch, ""))
            for rows in chains.values():
                rows.sort(key=lambda r: -r[1])
            rep.required += len(required)
            for ch, rows in chains.items():
                conf = rows[0][1]
                ok = ch in allowed
                rep.predicted += 1
                rep.correct += ok
                band = rep.bands.setdefault(_band(conf), [0, 0])
                band[0] += ok
                band[1] += 1
                if ch in required:
                    rep.found += 1
                if not ok:
                    rep.errors.append({"file": fname, "subject": gs["name"], "kind": "false_chain", "chain": ch,
                                       "segment": rows[0][0], "confidence": conf, "evidence": evidence.get(ch, "")})
                    continue
                gseg = allowed[ch].get("segment")
                gsegs = gseg if isinstance(gseg, list) else [gseg]
                if all(x is None for x in gsegs):
                    continue
                rep.segment_judged += 1
                if rows[0][0] in gsegs:
                    rep.segment_correct += 1
                else:
                    rep.errors.append({"file": fname, "subject": gs["name"], "kind": "wrong_segment", "chain": ch,
                                       "segment": rows[0][0], "gold_segment": gseg, "confidence": conf,
                                       "evidence": evidence.get(ch, "")})
            for ch in required:
                if ch not in chains:
                    rep.errors.append({"file": fname, "subject": gs["name"], "kind": "missed_chain", "chain": ch})
    return rep


def evaluate(gold_dir: str | Path, search_dirs: Iterable[str | Path], taxonomy: Taxonomy | None = None,
             docs: Mapping[str, tuple[list[Article], list[Extraction]]] | None = None) -> dict[str, MappingReport]:
    """Run the real pipeline on the gold documents and score each split (and ``all``)."""
    from chainatlas.chains.taxonomy import load_taxonomy

    taxonomy = taxonomy or load_taxonomy()
    gold = load_mapping_gold(gold_dir, taxonomy)
    if docs is None:
        docs = extract_documents(find_sources(gold, search_dirs))
    preds = map_documents(docs, taxonomy)
    out = {"all": score_mappings(gold, preds)}
    split_file = Path(gold_dir) / "split.json"
    if split_file.exists():
        for name, files in load_split(gold_dir).items():
            out[name] = score_mappings(gold, preds, files)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m chainatlas.chains.evaluate GOLD_DIR SOURCE_DIR... [--errors]``"""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    show_errors = "--errors" in args
    args = [a for a in args if a != "--errors"]
    if len(args) < 2:
        print(main.__doc__)
        return 2
    reports = evaluate(args[0], args[1:])
    for name, rep in reports.items():
        print(name, json.dumps(rep.summary(), ensure_ascii=False))
    if show_errors:
        for e in reports["all"].errors:
            print(json.dumps(e, ensure_ascii=False))
        for f, n in reports["all"].missing_subjects:
            print(json.dumps({"file": f, "subject": n, "kind": "missing_subject"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
