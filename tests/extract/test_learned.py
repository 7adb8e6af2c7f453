"""The learned organisation-name stage (extract/learned.py): features, model, switch, fallback,
reproducible training.  Every sentence here is our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainatlas.extract import Extractor
from chainatlas.extract.entities import extract_entities
from chainatlas.extract.learned import (
    NO_MODEL_ENV,
    default_model_path,
    load_features,
    load_refiner,
    rule_tags,
    spans_of,
)
from chainatlas.model import Article

pycrfsuite = pytest.importorskip("pycrfsuite")

# A brand-style partner without a legal suffix, right before 签约: the rules leave it unnamed.
BRAND_SENTENCE = "高新区与禾川精工签约落户。"
BRAND = "禾川精工"
# make train ships the model switched off when it does not beat the rules in its k-fold
# (enabled: false); the model itself is tested with a threshold given explicitly.
FORCED: dict[str, object] = {"add_threshold": 0.8}


def _article(text: str) -> Article:
    return Article(source="test", part=0, title=None, published="2024-05-01", text=text)


def test_features_are_deterministic() -> None:
    feats = load_features()
    text = "园区与星桥微电子签署合作协议，星桥微电子有限公司将在此投资建设封装测试基地。"
    ents = extract_entities(text)
    hits = feats.hits(text)
    wins = feats.windows(text, hits)
    assert wins, "a sentence with 签署/合作 must open a window"
    first = [feats.sequence(text, a, b, hits, rule_tags(ents, a, b)) for a, b in wins]
    second = [feats.sequence(text, a, b, list(reversed(hits)), rule_tags(ents, a, b)) for a, b in wins]
    assert first == second  # same features whatever order the lexicon hits come in
    # one feature list per character, each starting with the character itself
    for (a, b), seq in zip(wins, first, strict=True):
        assert len(seq) == b - a
        assert [f[0] for f in seq] == ["c=" + c for c in text[a:b]]


def test_spans_of_reads_bio_runs() -> None:
    labels = ["O", "B-CO", "I-CO", "O", "B-PK", "I-PK", "I-PK", "B-GV"]
    assert spans_of(labels) == [(1, 3, "CO"), (4, 7, "PK"), (7, 8, "GV")]


@pytest.mark.skipif(not default_model_path().exists(), reason="no shipped model")
def test_shipped_model_adds_a_name_the_rules_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NO_MODEL_ENV, raising=False)
    monkeypatch.delenv("CHAINATLAS_MODEL", raising=False)
    rules = {e.name for e in extract_entities(BRAND_SENTENCE)}
    assert BRAND not in rules
    refiner = load_refiner(default_model_path(), FORCED)
    assert refiner is not None
    combined = refiner.refine(BRAND_SENTENCE, extract_entities(BRAND_SENTENCE))
    added = [e for e in combined if e.name == BRAND]
    assert added and added[0].type == "company"
    start = BRAND_SENTENCE.index(BRAND)
    assert added[0].spans == [(start, start + len(BRAND))]
    # the rules' own entities are all still there
    assert rules <= {e.name for e in combined}
    # and the whole extractor passes it on
    ex = Extractor()
    ex.refiner = refiner
    assert BRAND in {e.name for e in ex.extract(_article(BRAND_SENTENCE)).entities}


def test_switch_gives_rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_MODEL_ENV, "1")
    ex = Extractor()
    assert ex.refiner is None
    got = ex.extract(_article(BRAND_SENTENCE)).entities
    want = extract_entities(BRAND_SENTENCE)
    assert [(e.type, e.name, e.spans) for e in got] == [(e.type, e.name, e.spans) for e in want]


def test_missing_model_falls_back_to_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(NO_MODEL_ENV, raising=False)
    monkeypatch.setenv("CHAINATLAS_MODEL", str(tmp_path / "absent.crfsuite"))
    ex = Extractor()
    assert ex.refiner is None
    assert load_refiner(tmp_path / "absent.crfsuite") is None
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"not a model")
    assert load_refiner(broken) is None
    got = ex.extract(_article(BRAND_SENTENCE)).entities
    assert [e.name for e in got] == [e.name for e in extract_entities(BRAND_SENTENCE)]


# A tiny original corpus with hand labels (names in our own words).
_TINY = [
    ("市商务局与蓝湾新材签约，蓝湾新材将建设特种薄膜生产线。", ["蓝湾新材"]),
    ("开发区与明川智能签订合作协议，明川智能计划投资建设机器人总部。", ["明川智能"]),
    ("新区与北辰光电科技有限公司签署战略合作协议。", ["北辰光电科技有限公司"]),
    ("园区与云杉生物合作建设疫苗中试平台。", ["云杉生物"]),
]


def _tiny_examples() -> list[tuple[list[list[str]], list[str]]]:
    from chainatlas.train.crf import article_examples

    feats = load_features()
    out = []
    for text, names in _TINY:
        labels = ["O"] * len(text)
        for name in names:
            pos = text.index(name)
            labels[pos] = "B-CO"
            for j in range(pos + 1, pos + len(name)):
                labels[j] = "I-CO"
        out += article_examples(text, labels, extract_entities(text), feats)
    return out


def test_training_is_reproducible(tmp_path: Path) -> None:
    from chainatlas.train.crf import train

    examples = _tiny_examples()
    assert examples and any(any(lab != "O" for lab in y) for _, y in examples)
    one, two = tmp_path / "one.crfsuite", tmp_path / "two.crfsuite"
    train(examples, one, {"max_iterations": 30})
    train(_tiny_examples(), two, {"max_iterations": 30})
    assert one.read_bytes() == two.read_bytes()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(one))
    xseq, yseq = examples[0]
    assert len(tagger.tag(xseq)) == len(yseq)
