"""Property tests (Hypothesis): the text stages never raise on any string, keep offsets inside
the text, and the cleaning steps are idempotent.  Example counts are bounded so the file runs
in seconds; the failures Hypothesis finds are replayed from its database on later runs."""

from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from chainatlas.clean import break_long_runs, clean_text  # noqa: E402
from chainatlas.clean.html import flatten_deep, html_to_page  # noqa: E402
from chainatlas.errors import InputRejected  # noqa: E402
from chainatlas.extract.numbers import parse_quantity  # noqa: E402
from chainatlas.ingest.tables import articles_from_rows, csv_rows, xlsx_rows  # noqa: E402
from chainatlas.model import Article  # noqa: E402

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text in the genre: Chinese characters, the punctuation and digits of news, company and unit
# words, markup-ish characters, spaces of every width and the odd control character.
_PIECES = ["有限公司", "集团", "产业园", "亿元", "万元", "%", "同比增长", "签约", "开工", "投产", "天津", "滨海新区",
           "集成电路", "。", "，", "；", "：", "“", "”", "（", "）", "\n", " ", "\u3000", "1", "2.5", "３", "十",
           "约", "<p>", "</div>", "&amp;", "\t", "\x00", "\r\n", "责任编辑", "【", "】", "年", "月", "日"]
genre_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=60).map("".join)
any_text = st.one_of(genre_text, st.text(max_size=300))


@FAST
@given(any_text)
def test_number_parser_never_raises(raw: str) -> None:
    q = parse_quantity(raw)
    assert q is None or isinstance(q.value, float | int)


def test_number_parser_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        parse_quantity(12)  # type: ignore[arg-type]


@FAST
@given(any_text)
def test_clean_text_never_raises_and_gives_text(text: str) -> None:
    for art in clean_text(text, "p.txt"):
        assert isinstance(art.text, str) and art.text.strip()


@FAST
@given(any_text, st.integers(min_value=4, max_value=50))
def test_breaking_long_runs_is_idempotent_and_loses_nothing(text: str, limit: int) -> None:
    once = break_long_runs(text, limit)
    assert break_long_runs(once, limit) == once
    assert once.replace("\n", "") == text.replace("\n", "")
    for run in re.split(r"[。！？；!?;\n]", once):
        assert len(run) <= limit


@FAST
@given(any_text)
def test_cleaning_is_idempotent_on_its_own_output(text: str) -> None:
    from chainatlas.clean.text import normalize_chars, normalize_width

    once = normalize_width(normalize_chars(text))
    assert normalize_width(normalize_chars(once)) == once


html_text = st.lists(st.one_of(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<span>", "<b>", "</b>",
                                                "<br>", "<li>", "<table><tr><td>", "</td>", "<!--", "-->",
                                                "<script>", "</script>", "<", ">", "/>", "<a href='x'>"]),
                                genre_text), max_size=80).map("".join)


@FAST
@given(html_text)
def test_html_path_never_raises(html: str) -> None:
    page = html_to_page(html)
    assert isinstance(page.text, str)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*[^>]*>")  # start and end tags, as flatten_deep reads them


@FAST
@given(html_text, st.integers(min_value=1, max_value=6))
def test_flattening_only_removes_tags(html: str, depth: int) -> None:
    padded = html + " " * 70_000  # long enough to be scanned
    flat, dropped = flatten_deep(padded, depth)
    assert _TAG.sub("", flat) == _TAG.sub("", padded)
    assert (dropped == 0) == (flat == padded)


cells = st.lists(st.lists(st.one_of(genre_text, st.sampled_from(["企业名称", "项目名称", "所在区", "总投资（亿元）",
                                                                  "合计", '"', '""', ","])), max_size=6), max_size=12)


@FAST
@given(st.text(max_size=400))
def test_csv_reader_raises_only_input_rejected(text: str) -> None:
    try:
        rows = csv_rows(text)
    except InputRejected as exc:
        assert exc.reason
    else:
        assert all(isinstance(c, str) for r in rows for c in r)


@FAST
@given(cells)
def test_table_rows_give_articles_with_cells_inside_their_text(rows: list[list[str]]) -> None:
    try:
        arts = articles_from_rows("t.csv", rows)
    except InputRejected:
        return
    for art in arts:
        for field, (s, e) in art.meta["table_cells"].items():
            assert 0 <= s <= e <= len(art.text)
            assert art.text[s:e] == art.meta["table_row"][field]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b))
def test_xlsx_reader_raises_only_input_rejected(data: bytes) -> None:
    try:
        xlsx_rows(data)
    except InputRejected as exc:
        assert exc.reason


@pytest.fixture(scope="module")
def extractor():
    from chainatlas.extract import Extractor

    ex = Extractor()
    ex.warm_up()
    return ex


def _inside(span, text: str) -> bool:
    return span is None or (0 <= span[0] <= span[1] <= len(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(genre_text)
def test_extractor_never_raises_and_keeps_offsets_inside(extractor, text: str) -> None:
    art = Article(source="p.txt", part=0, title=None, published="2025-03-01", text=text)
    ex = extractor.extract(art)
    for ent in ex.entities:
        assert all(_inside(s, text) for s in ent.spans), (ent.name, ent.spans)
    for m in ex.metrics:
        assert _inside(m.span, text)
    for p in ex.projects:
        assert _inside(p.span, text)
    for r in ex.relations:
        assert _inside(r.span, text)
