"""CLUENER2020 dev: our entity extractor against the fine-grained NER gold.

Our types are mapped onto CLUENER's (company→company, government→government,
institution→organization, person→name, region→address, a person's role→position);
the other CLUENER types have no counterpart and are not scored.  Two metrics, because
papers use both: the official scorer's per-type sets of entity strings per sentence
(macro-averaged over the mapped types), and micro-F1 over (type, start, end) spans.

    python -m bench.cluener [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench import benchmarks_dir, find_table, prf

TYPE_MAP = {
    "company": "company",
    "government": "government",
    "institution": "organization",
    "person": "name",
    "region": "address",
}
POSITION = "position"
SCORED = ("company", "government", "organization", "name", "address", POSITION)

# (cluener type, surface string, start, end-exclusive)
Mention = tuple[str, str, int, int]


def load_dev(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_mentions(record: dict[str, Any]) -> list[Mention]:
    """CLUENER labels as end-exclusive mentions (the file's spans are end-inclusive)."""
    out = []
    for typ, strings in (record.get("label") or {}).items():
        for surface, spans in strings.items():
            for start, end in spans:
                out.append((typ, surface, start, end + 1))
    return out


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans, i = [], text.find(needle)
    while needle and i >= 0:
        spans.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return spans


def entities_to_mentions(text: str, entities: Iterable[Any]) -> list[Mention]:
    """Our Entity records → CLUENER mentions (roles become ``position`` mentions)."""
    out: list[Mention] = []
    for ent in entities:
        typ = TYPE_MAP.get(ent.type)
        if typ is not None:
            spans = list(ent.spans) or _occurrences(text, ent.name)
            for start, end in spans:
                out.append((typ, text[start:end], start, end))
        if ent.type == "person" and ent.role:
            for start, end in _occurrences(text, ent.role):
                out.append((POSITION, ent.role, start, end))
    return out


def score(records: list[dict[str, Any]], predict: Callable[[str], list[Mention]]) -> dict[str, Any]:
    """Per-type string-set P/R/F1 (official style), their macro average, and span micro-F1."""
    sets = {t: [0, 0, 0] for t in SCORED}  # correct, pred, gold
    spans = {t: [0, 0, 0] for t in SCORED}
    for rec in records:
        gold = [m for m in gold_mentions(rec) if m[0] in SCORED]
        pred = [m for m in predict(rec["text"]) if m[0] in SCORED]
        for t in SCORED:
            gs = {m[1] for m in gold if m[0] == t}
            ps = {m[1] for m in pred if m[0] == t}
            sets[t][0] += len(gs & ps)
            sets[t][1] += len(ps)
            sets[t][2] += len(gs)
            gsp = {m[2:] for m in gold if m[0] == t}
            psp = {m[2:] for m in pred if m[0] == t}
            spans[t][0] += len(gsp & psp)
            spans[t][1] += len(psp)
            spans[t][2] += len(gsp)
    per_type = {t: dict(zip(("p", "r", "f1"), prf(*sets[t]), strict=True)) for t in SCORED}
    span_type = {t: dict(zip(("p", "r", "f1"), prf(*spans[t]), strict=True)) for t in SCORED}
    macro = {k: sum(per_type[t][k] for t in SCORED) / len(SCORED) for k in ("p", "r", "f1")}
    totals = [sum(spans[t][i] for t in SCORED) for i in range(3)]
    micro = dict(zip(("p", "r", "f1"), prf(*totals), strict=True))
    return {"sentences": len(records), "strings": per_type, "macro": macro, "spans": span_type, "span_micro": micro,
            "counts": {t: dict(zip(("correct", "pred", "gold"), sets[t], strict=True)) for t in SCORED}}


def published_dev_baselines(source_md: str) -> dict[str, dict[str, str]]:
    """Dev-set F1 per CLUENER type and model, from the table in SOURCE.md."""
    table = find_table(source_md, "type", "BiLSTM+CRF", "Roberta+CRF")
    if not table:
        return {}
    header = table[0]
    return {row[0]: dict(zip(header[1:], row[1:], strict=False)) for row in table[1:]}


def our_predictor() -> Callable[[str], list[Mention]]:
    from chainatlas.extract.entities import extract_entities

    return lambda text: entities_to_mentions(text, extract_entities(text))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def markdown(result: dict[str, Any], baselines: dict[str, dict[str, str]]) -> str:
    """Ours (string-set P/R/F1 and span F1, in %) beside the published dev span F1."""
    models = list(next(iter(baselines.values())).keys()) if baselines else []
    lines = [
        f"CLUENER2020 dev, {result['sentences']} sentences. Ours: string-set P/R/F1 (official scorer style) "
        "and span F1, in %; baselines: span F1 on the same dev set (from SOURCE.md).",
        "",
        "| type | ours P | ours R | ours F1 | ours span F1 | " + " | ".join(models) + " |",
        "| --- | ---: | ---: | ---: | ---: |" + " ---: |" * len(models),
    ]

    def row(label: str, s: dict[str, float], span_f1: str, base: list[str]) -> str:
        cells = [label, _pct(s["p"]), _pct(s["r"]), _pct(s["f1"]), span_f1, *base]
        return "| " + " | ".join(cells) + " |"

    for t in SCORED:
        base = [baselines.get(t, {}).get(m, "") for m in models]
        lines.append(row(t, result["strings"][t], _pct(result["spans"][t]["f1"]), base))
    lines.append(row("macro (6 mapped types)", result["macro"], "", [""] * len(models)))
    overall = [baselines.get("overall", {}).get(m, "") for m in models]
    lines.append(row("span micro", result["span_micro"], _pct(result["span_micro"]["f1"]), overall))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    ap.add_argument("--json", action="store_true", help="print the raw result as JSON")
    args = ap.parse_args(argv)
    folder = benchmarks_dir() / "cluener2020"
    if not (folder / "dev.json").is_file():
        print(f"CLUENER2020 dev.json not found under {folder}", file=sys.stderr)
        return 2
    records = load_dev(folder / "dev.json")[: args.limit]
    try:
        predict = our_predictor()
    except ImportError as exc:
        print(f"entity extractor not available: {exc}", file=sys.stderr)
        return 2
    result = score(records, predict)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    source = (folder / "SOURCE.md").read_text(encoding="utf-8") if (folder / "SOURCE.md").is_file() else ""
    print(markdown(result, published_dev_baselines(source)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
