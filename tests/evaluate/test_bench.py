"""Benchmark scorers on tiny hand-made records with fake predictors (no benchmark data needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repo root, for the bench package

from bench import find_table, markdown_tables  # noqa: E402
from bench.cluener import entities_to_mentions, gold_mentions  # noqa: E402
from bench.cluener import score as cluener_score  # noqa: E402
from bench.fewfc import amount_check, event_scores, gold_events, reference_amount  # noqa: E402

from chainatlas.model import Entity  # noqa: E402

CLUENER_REC = {
    "text": "华为公司董事长张三在北京市会见工信部代表",
    "label": {"company": {"华为公司": [[0, 3]]}, "name": {"张三": [[7, 8]]}, "position": {"董事长": [[4, 6]]},
              "address": {"北京市": [[10, 12]]}, "government": {"工信部": [[15, 17]]}},
}


def test_cluener_gold_spans_become_end_exclusive() -> None:
    mentions = gold_mentions(CLUENER_REC)
    assert ("company", "华为公司", 0, 4) in mentions
    assert all(CLUENER_REC["text"][s:e] == w for _, w, s, e in mentions)


def test_entities_to_mentions_maps_types_and_roles() -> None:
    text = CLUENER_REC["text"]
    ents = [Entity("person", "张三", spans=[(7, 9)], role="董事长"), Entity("park", "某园区"),
            Entity("institution", "工信部", spans=[(15, 18)])]
    got = set(entities_to_mentions(text, ents))
    assert got == {("name", "张三", 7, 9), ("position", "董事长", 4, 7), ("organization", "工信部", 15, 18)}


def test_cluener_scores_by_hand() -> None:
    def fake(text: str) -> list[tuple[str, str, int, int]]:
        # company right string but wrong span; name right; government typed as organization; extra address
        return [("company", "华为公司", 1, 5), ("name", "张三", 7, 9), ("organization", "工信部", 15, 18),
                ("address", "北京市", 10, 13), ("address", "会见", 13, 15)]

    res = cluener_score([CLUENER_REC], fake)
    assert res["strings"]["company"]["f1"] == 1.0  # string sets ignore offsets
    assert res["spans"]["company"]["f1"] == 0.0
    assert res["strings"]["address"]["p"] == pytest.approx(0.5) and res["strings"]["address"]["r"] == 1.0
    assert res["strings"]["government"]["r"] == 0.0 and res["strings"]["organization"]["p"] == 0.0
    # spans: correct = name + address = 2; pred 5; gold 5 → P = R = 0.4
    assert res["span_micro"]["p"] == pytest.approx(0.4) and res["span_micro"]["r"] == pytest.approx(0.4)


def test_reference_amount() -> None:
    assert reference_amount("1401.2739万美元") == pytest.approx((14012739.0, "美元"))
    assert reference_amount("298.03亿元")[0] == pytest.approx(2.9803e10)
    assert reference_amount("3.8亿元-40亿元")[0] == pytest.approx(3.8e8)
    assert reference_amount("约为人民币3.96亿元") == pytest.approx((3.96e8, "元"))
    assert reference_amount("450万元/年") is None and reference_amount("三成") is None


FEWFC_REC = {
    "content": "甲公司拟以2.5亿元投资乙公司；丙公司中标1,000万元项目。",
    "events": [
        {"type": "投资", "trigger": {"span": [0, 0], "word": "投资"},
         "args": {"sub": [{"span": [0, 3], "word": "甲公司"}], "obj": [{"span": [0, 0], "word": "乙公司"}],
                  "money": [{"span": [0, 0], "word": "2.5亿元"}]}},
        {"type": "中标", "trigger": {"span": [0, 0], "word": "中标"},
         "args": {"sub": [{"span": [0, 0], "word": "丙公司"}], "amount": [{"span": [0, 0], "word": "1,000万元"}]}},
        {"type": "质押", "trigger": {"span": [0, 0], "word": "质押"}, "args": {}},
    ],
}


class _Q:
    def __init__(self, value: float, unit: str) -> None:
        self.value, self.unit = value, unit


def _fake_parse(raw: str) -> _Q | None:
    ref = reference_amount(raw)
    return None if ref is None or "," in raw else _Q(*ref)  # pretend we fail on thousands separators


def test_fewfc_gold_events_and_amount_check() -> None:
    evs = gold_events(FEWFC_REC)
    assert [e["type"] for e in evs] == ["投资", "中标"]
    assert evs[0]["investors"] == ["甲公司"] and evs[0]["parties"] == ["乙公司"]
    res = amount_check([FEWFC_REC], _fake_parse)
    assert (res["amount_strings"], res["reference_comparable"], res["agree"]) == (2, 2, 1)


def test_fewfc_event_scores_by_hand() -> None:
    def fake(text: str) -> list[dict]:
        return [
            {"investor": "甲公司", "amount": {"value": 2.5e8, "unit": "元"}},  # right
            {"investor": "乙公司", "amount": {"value": 1e7, "unit": "元"}},  # amount right, investor wrong
            {"investor": None, "amount": {"value": 9e9, "unit": "元"}, "aggregate": True},  # ignored
        ]

    res = event_scores([FEWFC_REC], fake, _fake_parse)
    strict = res["investor+amount"]
    assert (strict["correct"], strict["pred"], strict["gold"]) == (1, 2, 2)
    assert res["amount only"]["correct"] == 2
    assert res["party+amount"]["correct"] == 1  # 乙公司 is the 投资 object, not a party of the 中标 event


def test_markdown_table_parsing() -> None:
    text = "x\n\n| metric | P | R | F1 |\n| --- | ---: | ---: | ---: |\n| AI | 70.4 | 77.8 | 73.9 |\n\ny"
    assert markdown_tables(text) == [[["metric", "P", "R", "F1"], ["AI", "70.4", "77.8", "73.9"]]]
    assert find_table(text, "metric", "F1")[1][0] == "AI" and find_table(text, "nope") is None
