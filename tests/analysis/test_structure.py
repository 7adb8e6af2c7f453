"""Pure-function tests for the structural pairing of figures, names → regions and project cores.

Sentences are written for these tests in the genre (invented figures)."""

from __future__ import annotations

import pytest

from chainatlas.analysis import check_sentence
from chainatlas.analysis.common import load_regions, region_from_name
from chainatlas.analysis.pipeline import event_date, name_core
from chainatlas.model import make_id


def _checks(sentence: str, previous: str | None = None) -> list[tuple[str, str, float | None]]:
    return [(r["check"], r["verdict"], r["recomputed"]) for r in check_sentence(sentence, previous=previous)]


def test_counts_in_the_same_sentence_are_not_paired():
    s = "园区已集聚企业48家，比上年增加6家，2024年园区营业收入预计达到65亿元，较2022年的50亿元增长30%。"
    assert _checks(s) == [("growth", "consistent", 30.0)]


def test_absolute_increase_is_not_a_growth_rate():
    s = "全市规上工业产值同比增长8.1%，其中出口交货值达到2.4亿美元，较上年增加0.3亿美元。"
    assert _checks(s) == []


def test_from_to_with_wrong_cagr_is_inconsistent():
    rows = check_sentence("该区装备产业产值由2019年的40亿元增长到2023年的60亿元，年均增长15%。")
    assert len(rows) == 1 and rows[0]["check"] == "cagr" and rows[0]["verdict"] == "inconsistent"
    assert rows[0]["inputs"]["years"] == 4
    assert abs(rows[0]["recomputed"] - (1.5 ** 0.25 - 1) * 100) < 0.01


def test_year_on_year_rate_is_not_checked_against_values_years_apart():
    s = "软件收入由2020年的100亿元增长至2023年的130亿元，同比增长9%。"
    assert _checks(s) == []


def test_mismatched_units_are_never_paired():
    assert _checks("出口额由上年的5亿美元增长至40亿元，增长20%。") == []


def test_cagr_without_linked_values_is_insufficient():
    rows = check_sentence("近五年全区数字经济规模年均增长12%。")
    assert [(r["check"], r["verdict"]) for r in rows] == [("cagr", "insufficient")]


def test_leading_comparison_takes_the_single_value_of_the_previous_sentence():
    prev = "2023年，全区生物医药产业实现产值133.1亿元。"
    s = "与2020年的100亿元相比，三年年均增长10%。"
    assert _checks(s, prev) == [("cagr", "consistent", 10.0)]
    two_values = "2023年，全区产值133.1亿元，税收20亿元。"
    assert _checks(s, two_values) == [("cagr", "insufficient", None)]
    # "三年" contradicting the years stated: do not judge
    assert _checks("与2018年的100亿元相比，三年年均增长10%。", prev)[0][1] == "insufficient"


def test_decline_is_signed():
    rows = check_sentence("库存由上年的50万吨下降到40万吨，下降20%。")
    assert rows and rows[0]["stated"] == -20.0 and rows[0]["verdict"] == "consistent"


@pytest.mark.parametrize("name, region", [
    ("天津海河智能装备有限公司", "天津"),
    ("博远(天津)半导体材料有限公司", "天津"),
    ("博远（北京）科技有限公司", "北京"),
    ("华信智联科技有限公司", None),
])
def test_region_from_name(name, region):
    assert region_from_name(name, load_regions()) == region


def test_name_core_strips_investor_phase_and_tail():
    regions = load_regions()
    assert name_core("海河新能源年产10GWh储能电池项目一期", ["海河新能源"], regions) == "年产10GWh储能电池"
    assert name_core("天津海河新能源科技有限公司储能电池项目（二期）", ["天津海河新能源科技有限公司"],
                     regions) == "储能电池"
    assert name_core("海河新能源项目", ["海河新能源"], regions) == ""


def test_event_date_prefers_the_more_precise_article_date():
    assert event_date("2023", "2023-09-22") == "2023-09-22"
    assert event_date("2023-03-15", "2023-09-22") == "2023-03-15"
    assert event_date("2022", "2023-09-22") == "2022"
    assert event_date(None, "2023-09-22") == "2023-09-22"


def test_duplicates_need_the_same_subject(db):
    """营业收入 of two different companies in 2023 is not a conflict; the same company's is."""
    from chainatlas.analysis import check_figures

    texts = {"B1": "海河微电子科技有限公司2023年实现营业收入48亿元。",
             "B2": "津城封测科技有限公司2023年实现营业收入21亿元。",
             "B3": "海河微电子科技有限公司2023年实现营业收入45亿元。"}
    ents = dict(db.execute("SELECT name, id FROM entities"))
    doc = db.execute("SELECT document_id FROM articles LIMIT 1").fetchone()[0]
    for i, (key, text) in enumerate(texts.items()):
        aid = make_id("extra", key)
        db.execute("INSERT INTO articles (id, document_id, part, title, published, text, content_hash) "
                   "VALUES (?,?,?,?,?,?,?)", (aid, doc, 100 + i, key, "2024-02-01", text, key))
        company = text[: text.index("2023")]
        db.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?)",
                   (make_id(aid, "m"), ents[company], aid, 0, len(company), company, None))
        q = text.index("营业收入") + 4
        raw = text[q:text.index("元") + 1]
        value = float(raw[:-2]) * 1e8
        db.execute('INSERT INTO metrics (id, article_id, indicator, value, unit, raw, start, "end", period) '
                   "VALUES (?,?,?,?,?,?,?,?,?)", (make_id(aid, q), aid, "实现营业收入", value, "元", raw, q,
                                                 q + len(raw), "2023"))
    db.commit()
    dups = [r for r in check_figures(db) if r["check"] == "duplicate" and r["inputs"]["indicator"] == "实现营业收入"]
    assert len(dups) == 1 and dups[0]["inputs"]["subject"] == "海河微电子科技有限公司"
    assert sorted(dups[0]["stated"]) == [4.5e9, 4.8e9] and dups[0]["verdict"] == "inconsistent"


def test_technology_phrases_are_noun_phrases_not_fragments():
    from chainatlas.analysis.lists import technology_phrases
    from chainatlas.analysis.vocab import load_vocab

    vocab, regions = load_vocab(), load_regions()
    got = technology_phrases("区内企业正在补上高精度减速器这一短板，碳化硅衬底是制约功率器件的卡脖子环节。", vocab, regions)
    assert "高精度减速器" not in got  # no head word: not a phrase (taxonomy terms come from the taxonomy)
    assert all(not p.startswith(("企业", "是", "正在")) for p in got)
    assert "功率器件" in got
    assert technology_phrases("天津职业技术学院开展攻关。", vocab, regions) == []
