"""FewFC (CasEE test split): our amount parsing and project extraction on financial events.

Two checks, both restricted to 投资 / 签署合同 / 中标 events:

1. amount normalisation: ``parse_quantity`` on every gold money/amount argument string,
   compared with an independent reference normaliser (digits × scale word, currency kept);
2. event level: the non-aggregate projects ``Extractor`` finds in each sentence against the
   gold events, matched one-to-one on investor (the ``sub``/``sub-org`` argument; the lenient
   variant also accepts ``obj``/``obj-org``) and amount (within 0.5 %, null == null).

    python -m bench.fewfc [--file casee_split/test.json] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import benchmarks_dir, find_table, prf

EVENT_TYPES = ("投资", "签署合同", "中标")
AMOUNT_ROLES = ("money", "amount")
INVESTOR_ROLES = ("sub", "sub-org", "sub-per")
PARTY_ROLES = ("obj", "obj-org", "obj-per")
TOLERANCE = 0.005

# Reference normaliser, written independently of chainatlas.extract.numbers on purpose.
_SCALE = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_QUALIFIERS = r"(?:约为|约|近|超过|超|逾|不少于|不低于|不超过|不超|高达|达|人民币)*"
_AMOUNT = r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<scale>万亿|千亿|百亿|亿|千万|百万|万|千)?(?P<cur>元|美元|港元|港币|欧元|日元|英镑|人民币)?"
# a range keeps its lower bound: 3.8亿元-40亿元, 28,560万元至30,600万元
_REF = re.compile(
    "^" + _QUALIFIERS + _AMOUNT + r"(?:人民币)?(?:(?:-|~|至|到)\d[\d,.]*(?:万亿|千亿|百亿|亿|千万|百万|万|千)?\S*)?"
    r"(?:左右|以上|多)?$"
)
_CURRENCY_ALIASES = {"人民币": "元", "港币": "港元"}


def reference_amount(raw: str) -> tuple[float, str] | None:
    """(value, currency) for a plain money string such as 1401.2739万美元; None if unusual."""
    m = _REF.match(raw.strip())
    if not m or not (m.group("cur") or m.group("scale")):
        return None
    value = float(m.group("num").replace(",", "")) * _SCALE.get(m.group("scale") or "", 1.0)
    cur = m.group("cur") or ("元" if raw.strip().startswith("人民币") or raw.endswith("人民币") else "元")
    return value, _CURRENCY_ALIASES.get(cur, cur)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * abs(b) if b else abs(a) < 1e-9


def load_records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _args(event: dict[str, Any]) -> dict[str, list[str]]:
    """Role → argument words, for both the casee_split and the rearranged format."""
    if "args" in event:
        return {role: [a["word"] for a in items] for role, items in event["args"].items()}
    out: dict[str, list[str]] = {}
    for mention in event.get("mentions", []):
        if mention.get("role") != "trigger":
            out.setdefault(mention["role"], []).append(mention["word"])
    return out


def gold_events(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Target events of one sentence as {type, investors, parties, amount_raw}."""
    out = []
    for ev in record.get("events", []):
        if ev.get("type") not in EVENT_TYPES:
            continue
        args = _args(ev)
        amounts = [w for r in AMOUNT_ROLES for w in args.get(r, [])]
        out.append({
            "type": ev["type"],
            "investors": [w for r in INVESTOR_ROLES for w in args.get(r, [])],
            "parties": [w for r in PARTY_ROLES for w in args.get(r, [])],
            "amount_raw": amounts[0] if amounts else None,
        })
    return out


def amount_check(records: list[dict[str, Any]], parse: Callable[[str], Any]) -> dict[str, Any]:
    """parse_quantity vs the reference normaliser on every gold amount string."""
    total = comparable = agree = parsed = 0
    disagreements: list[dict[str, Any]] = []
    for rec in records:
        for ev in gold_events(rec):
            raw = ev["amount_raw"]
            if raw is None:
                continue
            total += 1
            ours = parse(raw)
            parsed += ours is not None
            ref = reference_amount(raw)
            if ref is None:
                continue
            comparable += 1
            if ours is not None and ours.unit == ref[1] and close(ours.value, ref[0]):
                agree += 1
            elif len(disagreements) < 20:
                disagreements.append({"raw": raw, "reference": ref,
                                      "ours": None if ours is None else (ours.value, ours.unit)})
    return {"amount_strings": total, "parsed_by_us": parsed, "reference_comparable": comparable,
            "agree": agree, "accuracy": agree / comparable if comparable else 0.0,
            "disagreements": disagreements}


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "").replace("（", "(").replace("）", ")")


def _investor_ok(names: list[str], pred: str | None) -> bool:
    p = _norm(pred)
    if not names:
        return not p
    return bool(p) and any(_norm(n) == p for n in names)


def _amount_ok(gold_raw: str | None, pred: dict[str, Any] | None, parse: Callable[[str], Any]) -> bool:
    if gold_raw is None or pred is None:
        return gold_raw is None and pred is None
    ref = reference_amount(gold_raw)
    ours = parse(gold_raw)
    value, unit = ref if ref else ((ours.value, ours.unit) if ours else (None, None))
    return value is not None and pred.get("unit") == unit and close(float(pred["value"]), value)


def event_scores(
    records: list[dict[str, Any]],
    predict: Callable[[str], list[dict[str, Any]]],
    parse: Callable[[str], Any],
) -> dict[str, Any]:
    """Investor+amount P/R/F1 (strict and lenient investor), and amount-only, micro over sentences."""
    counts = {k: [0, 0, 0] for k in ("investor+amount", "party+amount", "amount only", "investor only")}
    for rec in records:
        gold = gold_events(rec)
        if not gold:
            continue
        pred = [p for p in predict(rec["content"]) if not p.get("aggregate")]
        checks: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
            "investor+amount": lambda g, p: _investor_ok(g["investors"], p.get("investor"))
            and _amount_ok(g["amount_raw"], p.get("amount"), parse),
            "party+amount": lambda g, p: _investor_ok(g["investors"] + g["parties"], p.get("investor"))
            and _amount_ok(g["amount_raw"], p.get("amount"), parse),
            "amount only": lambda g, p: _amount_ok(g["amount_raw"], p.get("amount"), parse),
            "investor only": lambda g, p: _investor_ok(g["investors"], p.get("investor")),
        }
        for key, ok in checks.items():
            used: set[int] = set()
            for g in gold:
                j = next((j for j, p in enumerate(pred) if j not in used and ok(g, p)), None)
                if j is not None:
                    used.add(j)
            counts[key][0] += len(used)
            counts[key][1] += len(pred)
            counts[key][2] += len(gold)
    return {k: dict(zip(("p", "r", "f1", "correct", "pred", "gold"), (*prf(*c), *c), strict=True))
            for k, c in counts.items()}


def published_casee(source_md: str) -> list[list[str]]:
    table = find_table(source_md, "metric", "P", "R", "F1")
    return table[1:] if table else []


def our_predictor() -> Callable[[str], list[dict[str, Any]]]:
    """Text → contract-shaped project dicts, through the same Extractor the CLI uses."""
    from chainatlas.extract import Extractor
    from chainatlas.model import Article, to_plain

    extractor = Extractor()

    def predict(text: str) -> list[dict[str, Any]]:
        art = Article(source="fewfc", part=0, title=None, published=None, text=text)
        return [to_plain(p) for p in extractor.extract(art).projects]

    return predict


def markdown(amounts: dict[str, Any], events: dict[str, Any], casee: list[list[str]], n: int) -> str:
    lines = [
        f"FewFC {n} sentences; events of types {', '.join(EVENT_TYPES)}.",
        "",
        f"Amount normalisation: {amounts['agree']}/{amounts['reference_comparable']} agree with the reference "
        f"({amounts['accuracy']:.3f}); parse_quantity returned a value for {amounts['parsed_by_us']}/"
        f"{amounts['amount_strings']} gold amount strings.",
        "",
        "| ours (event level) | P | R | F1 | correct | pred | gold |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, s in events.items():
        lines.append(f"| {key} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['correct']} | {s['pred']} | {s['gold']} |")
    if casee:
        lines += ["", "Published CasEE (bert-base-chinese, all 10 event types, span-level; from SOURCE.md):", "",
                  "| metric | P | R | F1 |", "| --- | ---: | ---: | ---: |"]
        lines += ["| " + " | ".join(row) + " |" for row in casee]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default="casee_split/test.json", help="path under the fewfc folder")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = benchmarks_dir() / "fewfc"
    path = folder / args.file
    if not path.is_file():
        print(f"FewFC file not found: {path}", file=sys.stderr)
        return 2
    records = load_records(path)[: args.limit]
    try:
        from chainatlas.extract.numbers import parse_quantity
    except ImportError as exc:
        print(f"number parser not available: {exc}", file=sys.stderr)
        return 2
    amounts = amount_check(records, parse_quantity)
    try:
        predict = our_predictor()
    except ImportError as exc:
        print(f"project extractor not available ({exc}); amount check only", file=sys.stderr)
        predict = None
    events = event_scores(records, predict, parse_quantity) if predict else {}
    if args.json:
        print(json.dumps({"amounts": amounts, "events": events}, ensure_ascii=False, indent=1))
        return 0
    source = (folder / "SOURCE.md").read_text(encoding="utf-8") if (folder / "SOURCE.md").is_file() else ""
    print(markdown(amounts, events, published_casee(source), len(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
