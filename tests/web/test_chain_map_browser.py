"""The chain map as drawn, in real headless Chromium, on a store built from the demo corpus.

What a reader sees is checked on the rendered chart (ECharts' own elements and pixel transforms),
not on the data the server sends: boxes keep their proportions, the arrows between segments start
and end on the segment headers, every node and label lies inside the chart frame and clear of the
legend, 上游 → 中游 → 下游 run left to right with each company under its own segment, two loads draw
the same picture, and a region has the same colour here as on the flows page.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import serve
from .test_browser import ARGS, CHROMIUM, shot

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} missing on CI: browser tests must run")
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)

TIANJIN = "/chains?region=" + quote("天津")
DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"

# Every drawn node of the chain map with its rendered symbol and label boxes, in canvas pixels.
GEOMETRY_JS = """() => {
  const el = document.getElementById('atlas');
  const chart = echarts.getInstanceByDom(el);
  const series = chart.getModel().getSeriesByIndex(0);
  const data = series.getData();
  const box = (g) => { const r = g.getBoundingRect().clone(); r.applyTransform(g.getComputedTransform());
                       return [r.x, r.y, r.width, r.height]; };
  const nodes = [];
  for (let i = 0; i < data.count(); i++) {
    const item = data.getRawDataItem(i);
    const g = data.getItemGraphicEl(i);
    if (!g || !g.childAt(0)) continue;  // anchors and frame pins draw nothing
    const sym = g.childAt(0);
    const text = sym.getTextContent && sym.getTextContent();
    nodes.push({id: item.id, kind: item.kind, name: item.name, region: item.region || null,
                segment: item.segment || null, size: item.symbolSize,
                at: chart.convertToPixel({seriesIndex: 0}, [item.x, item.y]),
                sym: box(sym), text: text && !text.ignore && !text.invisible ? box(text) : null,
                fill: data.getItemVisual(i, 'style').fill});
  }
  const arrows = [];
  series.getGraph().eachEdge(e => {
    const o = e.getModel().option;
    if (o.kind !== 'flow') return;
    const line = e.getGraphicEl().childOfName('line');
    const M = line.getComputedTransform() || [1, 0, 0, 1, 0, 0];
    const ap = (x, y) => [M[0] * x + M[2] * y + M[4], M[1] * x + M[3] * y + M[5]];
    arrows.push({from: o.from, to: o.to, start: ap(line.shape.x1, line.shape.y1),
                 end: ap(line.shape.x2, line.shape.y2),
                 head: !!e.getGraphicEl().childOfName('toSymbol')});
  });
  const members = [];
  series.getGraph().eachEdge(e => { const o = e.getModel().option;
    if (o.kind === 'member') members.push([o.source, o.target]); });
  const c = el.getBoundingClientRect();
  const leg = document.querySelector('.atlas-legend[data-for="atlas"]').getBoundingClientRect();
  return {width: chart.getWidth(), height: chart.getHeight(), nodes, arrows, members,
          canvas: [c.left, c.top], legend: [leg.left, leg.top, leg.width, leg.height],
          legendColors: Array.from(document.querySelectorAll('.atlas-legend button[data-region]')).map(
            b => [b.getAttribute('data-region'), getComputedStyle(b.querySelector('.swatch')).backgroundColor])};
}"""

FLOWS_JS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('flows'));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const out = {};
  for (let i = 0; i < data.count(); i++) out[data.getName(i)] = data.getItemVisual(i, 'style').fill;
  return out;
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory):
    """The app on the store `make demo` builds (the bundled demo corpus through the real pipeline),
    as in test_demo_journey."""

    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store
    from chainatlas.web import create_app

    db = tmp_path_factory.mktemp("demo-map") / "chainatlas.db"
    settings = Settings(db_path=str(db), editor_token="map")
    store = Store.open(str(db))
    try:
        report = ingest_targets([str(DEMO)], store, settings, progress=False)
    finally:
        store.close()
    assert not report.errors and report.documents_ok >= 30
    with serve(create_app(settings)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture()
def browser_ctx(demo_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)

        def open_page(width: int = 1280):
            ctx = browser.new_context(base_url=demo_server, viewport={"width": width, "height": 900})
            pg = ctx.new_page()
            pg.errors = []  # type: ignore[attr-defined]
            pg.on("pageerror", lambda e: pg.errors.append(str(e)))
            return pg

        yield open_page
        browser.close()


def _load(page, path: str = TIANJIN) -> dict:
    page.goto(path)
    page.wait_for_selector("#atlas.ready canvas")
    return page.evaluate(GEOMETRY_JS)


def _inside(r: list[float], w: float, h: float) -> bool:
    x, y, rw, rh = r
    return x >= -0.5 and y >= -0.5 and x + rw <= w + 0.5 and y + rh <= h + 0.5


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _hex(rgb: str) -> str:
    """'rgb(230, 85, 13)' → '#e6550d'."""
    parts = [int(p) for p in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    return "#" + "".join(f"{p:02x}" for p in parts)


@pytest.mark.parametrize("width", [1280, 820])
def test_tianjin_chain_map_draws_true_to_size_inside_its_frame(browser_ctx, width):
    page = browser_ctx(width)
    g = _load(page)
    shot(page, f"chain-map-tianjin-{width}")
    page.locator("#atlas").screenshot(path=f"/tmp/chain-map-tianjin-{width}.png")
    nodes = g["nodes"]
    kinds = {n["kind"] for n in nodes}
    assert {"chain", "segment", "entity"} <= kinds, kinds
    w, h = g["width"], g["height"]

    # every box and every label inside the chart frame, none under the legend (page coordinates)
    cx, cy = g["canvas"]
    for n in nodes:
        for r in (n["sym"], n["text"]):
            if r is None:
                continue
            assert _inside(r, w, h), (n["name"], r, w, h)
            assert not _overlap([r[0] + cx, r[1] + cy, r[2], r[3]], g["legend"]), (n["name"], r, g["legend"])

    # boxes at their specified size, so their proportions are the specified ones
    boxes = [n for n in nodes if n["kind"] in ("chain", "segment", "gap")]
    assert boxes
    for n in boxes:
        sw, sh = n["size"]
        rw, rh = n["sym"][2], n["sym"][3]
        # a border (the gap's dashed frame) adds its own width on both axes alike: a box stretched
        # unevenly would also draw its border thicker on one pair of sides
        assert 0 <= rw - sw <= 3 and abs((rw - sw) - (rh - sh)) <= 0.25, (n["name"], rw, rh, n["size"])
        assert abs(rw / rh - sw / sh) < 0.1, (n["name"], rw, rh, n["size"])
        # drawn centred on the node's own position
        assert abs(n["sym"][0] + rw / 2 - n["at"][0]) <= 1 and abs(n["sym"][1] + rh / 2 - n["at"][1]) <= 1
    for n in nodes:
        if n["kind"] == "entity":  # round dots stay round
            assert abs(n["sym"][2] - n["sym"][3]) <= 0.5, (n["name"], n["sym"])

    # 上游 < 中游 < 下游 from left to right, on one row
    seg = {n["segment"]: n for n in nodes if n["kind"] == "segment"}
    assert {"upstream", "midstream", "downstream"} <= set(seg), set(seg)
    up, mid, down = seg["upstream"], seg["midstream"], seg["downstream"]
    assert up["sym"][0] + up["sym"][2] < mid["sym"][0] < mid["sym"][0] + mid["sym"][2] < down["sym"][0]
    assert up["at"][1] == mid["at"][1] == down["at"][1]

    # the arrows start on one segment header's right edge and end on the next one's left edge
    by_id = {n["id"]: n for n in nodes}
    flows = {(a["from"], a["to"]): a for a in g["arrows"]}
    assert set(flows) == {(up["id"], mid["id"]), (mid["id"], down["id"])}, set(flows)
    for a in flows.values():
        src, dst = by_id[a["from"]]["sym"], by_id[a["to"]]["sym"]
        assert a["head"]
        assert abs(a["start"][0] - (src[0] + src[2])) <= 1 and abs(a["start"][1] - (src[1] + src[3] / 2)) <= 1, a
        assert abs(a["end"][0] - dst[0]) <= 1 and abs(a["end"][1] - (dst[1] + dst[3] / 2)) <= 1, a

    # each company is listed under its own segment: below the header, within that segment's column
    lefts = sorted(n["sym"][0] for n in seg.values())
    for sid, eid in g["members"]:
        s, e = by_id[sid], by_id[eid]
        nxt = [x for x in lefts if x > s["sym"][0]]
        assert e["at"][1] > s["sym"][1] + s["sym"][3], (s["name"], e["name"])
        assert s["sym"][0] <= e["sym"][0] and (not nxt or e["text"][0] + e["text"][2] <= nxt[0]), (s["name"], e["name"])

    # an empty segment is marked as a gap right under its header
    for s in seg.values():
        if s["name"].endswith("（0）"):
            gaps = [n for n in nodes if n["kind"] == "gap" and abs(n["at"][0] - s["at"][0]) <= 1]
            assert len(gaps) == 1 and gaps[0]["at"][1] > s["at"][1], s["name"]

    # no company label covers another label or a box
    texts = [n["text"] for n in nodes if n["kind"] == "entity"]
    assert all(texts)
    others = texts + [n["sym"] for n in nodes if n["kind"] in ("segment", "gap", "chain")]
    for i, a in enumerate(texts):
        for b in others[i + 1:]:
            assert not _overlap(a, b), (a, b)
    assert page.errors == []


def test_two_loads_draw_the_same_picture(browser_ctx):
    first = _load(browser_ctx())
    second = _load(browser_ctx())
    assert len(first["nodes"]) >= 5
    assert [(n["id"], n["at"], n["sym"]) for n in first["nodes"]] == [(n["id"], n["at"], n["sym"]) for n in second["nodes"]]
    assert first["arrows"] == second["arrows"]


def test_region_colours_agree_between_chain_map_and_flows(browser_ctx):
    page = browser_ctx()
    g = _load(page)
    on_map: dict[str, set[str]] = {}
    for n in g["nodes"]:
        if n["kind"] == "entity":
            on_map.setdefault(n["region"], set()).add(n["fill"].lower())
    # one colour per region on the map, and distinct regions in distinct colours
    assert all(len(v) == 1 for v in on_map.values()), on_map
    colours = {r: next(iter(v)) for r, v in on_map.items()}
    assert len(set(colours.values())) == len(colours), colours
    # the legend above the map shows each region in the colour its nodes are drawn in
    legend = {r: _hex(c) for r, c in g["legendColors"]}
    assert set(colours) <= set(legend) and all(legend[r] == colours[r] for r in colours), (legend, colours)

    page.goto("/flows?region=" + quote("天津"))
    page.wait_for_selector("#flows.ready canvas")
    on_flows = {k: v.lower() for k, v in page.evaluate(FLOWS_JS).items()}
    shared = set(colours) & set(on_flows)
    assert "天津" in shared, (sorted(colours), sorted(on_flows))
    for r in shared:
        assert colours[r] == on_flows[r], (r, colours[r], on_flows[r])
    assert page.errors == []


def test_legend_toggles_a_region_without_moving_the_rest(browser_ctx):
    page = browser_ctx()
    before = _load(page)
    regions = [r for r, _ in before["legendColors"]]
    assert regions
    hidden = regions[0]
    page.locator(f'.atlas-legend button[data-region="{hidden}"]').click()
    after = page.evaluate(GEOMETRY_JS)
    assert page.locator(f'.atlas-legend button[data-region="{hidden}"]').get_attribute("aria-pressed") == "false"
    kept = {n["id"]: n["at"] for n in before["nodes"] if n["region"] != hidden}
    assert {n["id"]: n["at"] for n in after["nodes"]} == kept
    assert not any(n["region"] == hidden for n in after["nodes"])


def test_resizing_the_window_refits_the_columns(browser_ctx):
    page = browser_ctx(1280)
    wide = _load(page)
    page.set_viewport_size({"width": 860, "height": 900})
    page.wait_for_function("() => echarts.getInstanceByDom(document.getElementById('atlas')).getWidth() < 860")
    page.wait_for_timeout(200)
    narrow = page.evaluate(GEOMETRY_JS)
    assert narrow["width"] < wide["width"]
    for n in narrow["nodes"]:
        for r in (n["sym"], n["text"]):
            if r is not None:
                assert _inside(r, narrow["width"], narrow["height"]), (n["name"], r, narrow["width"])
        if n["kind"] == "segment":
            assert [round(n["sym"][2]), round(n["sym"][3])] == n["size"]
    seg = {n["segment"]: n["at"][0] for n in narrow["nodes"] if n["kind"] == "segment"}
    assert seg["upstream"] < seg["midstream"] < seg["downstream"]
