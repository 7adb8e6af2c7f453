"""Selectors skipped by the markup pre-check (``_source_gate``) could never have matched."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from chainatlas.clean.html import _main_node, _mark_blocks, _source_gate, page_date, page_title

_BODY = "<p>" + "示例市新材料产业园今年新签约项目十二个，总投资约八十亿元。" * 8 + "</p>"
_PAGES = [
    f'<html><head><meta name="PubDate" content="2024-03-05"><title>示例标题_示例网</title></head><body>{_BODY}</body></html>',
    f'<html><head><META NAME="PUBDATE" CONTENT="2024-03-06"></head><body><H1>示例标题</H1>{_BODY}</body></html>',
    f'<html><head><meta name="pub&#100;ate" content="2024-03-07"></head><body>{_BODY}</body></html>',
    f'<html><head><meta property="og&colon;title" content="示例"></head><body>{_BODY}</body></html>',
    f'<html><head><meta property="article:published_time" content="2024-03-08T10:00:00+08:00"></head>'
    f'<body><div class="nav">首页</div><div class="Content">{_BODY}</div></body></html>',
    f'<html><body><div id="&#99;ontent">{_BODY}</div><div>另一段示例文字。</div></body></html>',
    f'<html><body><div class="article&lowbar;content">{_BODY}</div></body></html>',
    f'<html><body><ARTICLE>{_BODY}</ARTICLE><time datetime="2024-03-09">三月九日</time></body></html>',
    f'<html><body><div class="TRS_EDITOR">{_BODY}</div><p>页脚</p></body></html>',
    f'<html><body><div itemprop=articleBody>{_BODY}</div></body></html>',
    f"<html><body>{_BODY}</body></html>",
]


def test_gated_lookups_equal_full_lookups() -> None:
    for html in _PAGES:
        marked = _mark_blocks(html)
        parser = LexborHTMLParser(marked)
        low = _source_gate(marked)
        assert page_title(parser, low) == page_title(parser), html[:60]
        assert page_date(parser, low) == page_date(parser), html[:60]
        gated, full = _main_node(parser, low), _main_node(parser)
        assert (gated.tag, gated.html) == (full.tag, full.html), html[:60]


def test_gate_finds_what_the_markup_holds() -> None:
    parser = LexborHTMLParser(_mark_blocks(_PAGES[0]))
    assert page_date(parser, _source_gate(_PAGES[0])) == "2024-03-05"
    assert _source_gate(_PAGES[2]) is None  # a numeric reference could spell any needle
    page = _PAGES[7]
    assert page_date(LexborHTMLParser(page), _source_gate(page)) == "2024-03-09"
