"""Jinja2 filters for display: amounts in 亿元/万元, segment names, links to a quote's span."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import jinja2

from chainatlas.web.services import SEGMENT_LABELS

ENTITY_TYPE_LABELS = {
    "company": "企业", "park": "园区", "government": "政府机构", "institution": "科研/机构",
    "person": "人物", "region": "地区",
}


def amount(value: Any, unit: str | None = "元") -> str:
    """3.76e8 元 → '3.76亿元' (Chinese readers think in 亿 and 万)."""
    if value is None:
        return ""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    unit = unit or ""
    for scale, name in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(v) >= scale:
            return f"{v / scale:.4g}{name}{unit}"
    return f"{v:.4g}{unit}"


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def segment_label(seg: str | None) -> str:
    return SEGMENT_LABELS.get(seg, seg or "未分段")


def entity_type_label(t: str | None) -> str:
    from chainatlas.labels import entity_type

    return ENTITY_TYPE_LABELS.get(t or "") or entity_type(t)


def relation_label(t: str | None) -> str:
    """Relation type code → Chinese (invests_in → 投资), from the shared label vocabulary."""
    from chainatlas.labels import relation

    return relation(t)


def zh(code: Any, section: str) -> str:
    """``{{ key|zh('ingest_report') }}``: the Chinese label of a code (chainatlas.labels)."""
    from chainatlas.labels import label

    return label(section, code)


def span_href(article_id: str | None, start: Any = None, end: Any = None) -> str:
    """Link to an article scrolled to (and marking) one span."""
    if not article_id:
        return "#"
    if start is None or end is None:
        return f"/articles/{article_id}"
    if type(start) is int and type(end) is int:  # what urlencode gives for ints, without its cost (pages draw hundreds)
        return f"/articles/{article_id}?start={start}&end={end}#span-{start}-{end}"
    return f"/articles/{article_id}?{urlencode({'start': start, 'end': end})}#span-{start}-{end}"


def quote_href(q: dict[str, Any]) -> str:
    return span_href(q.get("article_id"), q.get("start"), q.get("end"))


def query_string(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def page_href(action: str, params: dict[str, Any], page: int, key: str = "page", anchor: str = "") -> str:
    """The link to another page of a paged list, keeping the list's filters (and any other pager's page)."""
    return f"{action}?{query_string({**params, key: page})}{anchor}"


def _region_color(region: str | None) -> str:
    """The region's colour on the chain map and the flows graph (one colour per region everywhere)."""
    from chainatlas.web.views import region_color

    return region_color(region)


def install(env: jinja2.Environment) -> None:
    env.filters.update(
        amount=amount, number=number, segment_label=segment_label, entity_type_label=entity_type_label,
        quote_href=quote_href, query_string=query_string, relation_label=relation_label, zh=zh,
        region_color=_region_color,
    )
    env.globals.update(span_href=span_href, page_href=page_href, ENTITY_TYPE_LABELS=ENTITY_TYPE_LABELS)
