"""Alerts rendered for people: a self-contained HTML digest and an Atom feed per user.

Everything from documents is escaped; the HTML has no scripts and no external assets, so the
file can be mailed or archived as is.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from chainatlas.model import make_id

KIND_LABELS = {"chain": "产业链", "region": "地区", "company": "企业", "stage": "项目进展",
               "figure": "数字冲突", "competitor": "竞争地区签约"}

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;
color:#1f2933;line-height:1.6;padding:0 1rem}
h1{font-size:1.5rem;border-bottom:2px solid #1f6feb;padding-bottom:.3rem}h2{font-size:1.15rem;margin-top:1.6rem}
.alert{border-left:4px solid #1f6feb;background:#f6f8fa;padding:.5rem .9rem;margin:.7rem 0}
.alert.figure{border-color:#d1242f}.alert.competitor{border-color:#bf8700}.alert.stage{border-color:#1a7f37}
.title{font-weight:600}.quote{margin:.3rem 0;color:#333}.meta{color:#57606a;font-size:.85rem}
.meta a{color:#0969da}.other{color:#57606a;font-size:.9rem}
"""


def _meta(a: dict[str, Any]) -> str:
    parts = []
    detail = a.get("detail") or {}
    if detail.get("article_title"):
        parts.append(escape(detail["article_title"]))
    if detail.get("published"):
        parts.append(escape(str(detail["published"])))
    src = a.get("url") or a.get("source")
    if src:
        if a.get("url"):
            parts.append(f'<a href="{escape(a["url"], quote=True)}">{escape(a["url"])}</a>')
        else:
            parts.append(escape(src))
    if a.get("place"):
        parts.append(escape(a["place"]))
    parts.append("提醒于 " + escape(a.get("created_at") or ""))
    return " · ".join(parts)


def render_html(alerts: list[dict[str, Any]], title: str = "产业链动态摘要", since: str | None = None,
                user: str | None = None) -> str:
    """The digest page: alerts grouped by kind, newest first, each with its quote and source."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in alerts:
        groups[a["kind"]].append(a)
    head = f"共 {len(alerts)} 条提醒"
    if since:
        head += f"（自 {escape(since)} 起）"
    if user:
        head += f" · 用户 {escape(user)}"
    body = [f"<h1>{escape(title)}</h1>", f"<p>{head}；生成于 {datetime.now(UTC).isoformat(timespec='minutes')}</p>"]
    if not alerts:
        body.append("<p>这段时间没有新的提醒。</p>")
    for kind in KIND_LABELS:
        items = groups.get(kind)
        if not items:
            continue
        body.append(f"<h2>{KIND_LABELS[kind]}（{len(items)}）</h2>")
        for a in items:
            other = ""
            if kind == "figure" and (a.get("detail") or {}).get("other_quote"):
                other = f'<div class="other">另一来源：“{escape(a["detail"]["other_quote"])}”</div>'
            body.append(f'<div class="alert {escape(kind)}"><div class="title">{escape(a["title"])}</div>'
                        f'<div class="quote">“{escape(a["quote"])}”</div>{other}'
                        f'<div class="meta">{_meta(a)}</div></div>')
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>" + "\n".join(body) + "</body></html>\n")


def render_text(alerts: list[dict[str, Any]]) -> str:
    """Plain-text digest (the e-mail's text part)."""
    lines = [f"共 {len(alerts)} 条提醒", ""]
    for a in alerts:
        lines.append(f"【{KIND_LABELS.get(a['kind'], a['kind'])}】{a['title']}")
        lines.append(f"  “{a['quote']}”")
        where = " · ".join(x for x in (a.get("url") or a.get("source"), a.get("place")) if x)
        if where:
            lines.append(f"  {where}")
        lines.append("")
    return "\n".join(lines)


def render_atom(alerts: list[dict[str, Any]], user: str, base_url: str = "http://127.0.0.1:8000") -> str:
    """An Atom 1.0 feed of a user's alerts (newest first)."""
    base = base_url.rstrip("/")
    updated = max((a.get("created_at") or "" for a in alerts), default="") or datetime.now(UTC).isoformat(
        timespec="seconds")
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{xml_escape('产业链提醒 · ' + user)}</title>",
           f"<id>urn:chainatlas:alerts:{make_id(user)}</id>", f"<updated>{xml_escape(updated)}</updated>",
           f'<link rel="alternate" href="{xml_escape(base)}/alerts"/>']
    for a in alerts:
        link = a.get("url") or (f"{base}/articles/{a['article_id']}" if a.get("article_id") else f"{base}/alerts")
        summary = a["quote"] + (f"（{a['place']}）" if a.get("place") else "")
        out += ["<entry>", f"<title>{xml_escape(a['title'])}</title>", f"<id>urn:chainatlas:alert:{a['id']}</id>",
                f"<updated>{xml_escape(a.get('created_at') or updated)}</updated>",
                f'<link href="{xml_escape(link, {chr(34): "&quot;"})}"/>',
                f"<category term=\"{xml_escape(a['kind'])}\" label=\"{xml_escape(KIND_LABELS.get(a['kind'], a['kind']))}\"/>",
                f"<summary>{xml_escape(summary)}</summary>", "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
