// chainatlas pages: draw ECharts charts from JSON data blocks.  No inline scripts (CSP:
// script-src 'self'); data arrives in <script type="application/json"> blocks, which the
// browser never executes.  Without ECharts the server-rendered tables remain.
(function () {
  "use strict";

  function readData(el) {
    var src = document.getElementById(el.getAttribute("data-source"));
    if (!src) return null;
    try { return JSON.parse(src.textContent); } catch (e) { return null; }
  }

  function seriesOption(s) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: s.points.map(function (p) { return p.period || "?"; }) },
      yAxis: { type: "value", name: s.unit },
      series: [{ type: s.points.length > 2 ? "line" : "bar", data: s.points.map(function (p) { return p.value; }), name: s.indicator }]
    };
  }

  // Chain map: fixed columns 上游 → 中游 → 下游 computed on the server, no force layout, so the same data
  // always draws the same picture.  The server counts x in column slots (node x = slot × slot width
  // + dx, y in pixels); here the slot width is fitted to the frame and the series box is set to the
  // canvas itself (two invisible corner nodes pin the bounding box to it), so one data unit is one
  // pixel on both axes: boxes keep their [w, h], and arrows, drawn between anchors on the boxes'
  // edges, start and end on the segment headers.  The legend is HTML above the canvas.
  var ATLAS_PAD = 12;

  function atlasLayout(g, width, height) {
    var slots = g.slots || 1;
    var slotW = Math.max(60, Math.min(g.slot_width * 1.5, (width - 2 * ATLAS_PAD) / slots));
    var nodes = g.nodes.map(function (n) {
      var m = {};
      for (var k in n) if (Object.prototype.hasOwnProperty.call(n, k)) m[k] = n[k];
      m.x = Math.round(ATLAS_PAD + n.slot * slotW + n.dx);
      m.y = n.y;
      if (n.kind === "entity") {
        m.label = { width: Math.max(40, Math.floor(slotW - n.dx - 18)) };
      }
      return m;
    });
    // corner pins: the bounding box of the data is exactly the canvas
    nodes.push({ id: "frame:tl", name: "", kind: "frame", x: 0, y: 0, symbol: "none", symbolSize: 0, label: { show: false } });
    nodes.push({ id: "frame:br", name: "", kind: "frame", x: width, y: height, symbol: "none", symbolSize: 0, label: { show: false } });
    return { nodes: nodes, slotWidth: slotW };
  }

  function atlasOption(g, width, height) {
    var lay = atlasLayout(g, width, height);
    return {
      animation: false,
      tooltip: {
        formatter: function (p) {
          if (p.dataType !== "node") return "";
          var d = p.data;
          if (d.kind === "gap") return "缺口：该环节暂无企业";
          if (d.kind === "anchor" || d.kind === "frame") return "";
          return echarts.format.encodeHTML(d.name + (d.region ? " · " + d.region : ""));
        }
      },
      // hidden: the HTML legend above the chart drives it (legendToggleSelect), so no node can sit under it
      legend: [{ show: false, data: g.categories.slice(2).map(function (c) { return c.name; }) }],
      series: [{
        type: "graph", layout: "none", roam: false, draggable: false, nodeScaleRatio: 0,
        left: 0, top: 0, width: width, height: height,
        categories: g.categories,
        label: { show: true, position: "right", fontSize: 12, overflow: "truncate" },
        data: lay.nodes, links: g.links,
        lineStyle: { color: "#b8c2cf", opacity: 0.7, curveness: 0 },
        emphasis: { focus: "adjacency", scale: false, label: { show: true } }
      }]
    };
  }

  function atlasLegend(el, chart) {
    var box = document.querySelector('.atlas-legend[data-for="' + el.id + '"]');
    if (!box) return;
    var items = box.querySelectorAll("button[data-region]");
    for (var i = 0; i < items.length; i++) {
      items[i].addEventListener("click", function (e) {
        var b = e.currentTarget;
        chart.dispatchAction({ type: "legendToggleSelect", name: b.getAttribute("data-region") });
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "false" ? "true" : "false");
      });
    }
  }

  function flowsOption(g) {
    return {
      tooltip: {},
      series: [{
        type: "graph", layout: "circular", roam: true,
        label: { show: true, fontSize: 13 }, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 10,
        data: g.nodes.map(function (n) { return { id: n.id, name: n.name, symbolSize: 36, itemStyle: n.color ? { color: n.color } : undefined }; }),
        links: g.links.map(function (l) {
          return { source: l.source, target: l.target, value: l.value, lineStyle: { width: 1 + Math.min(l.value, 8), curveness: 0.2 } };
        })
      }]
    };
  }

  function draw(el) {
    var data = readData(el);
    if (!data) return;
    var kind = el.getAttribute("data-chart");
    if (kind === "atlas") return drawAtlas(el, data);
    var option = kind === "series" ? seriesOption(data) : kind === "flows" ? flowsOption(data) : null;
    if (!option) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.classList.add("ready");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAtlas(el, data) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(atlasOption(data, chart.getWidth(), chart.getHeight()));
    el.classList.add("ready");
    atlasLegend(el, chart);
    var last = chart.getWidth();
    window.addEventListener("resize", function () {
      chart.resize();
      if (chart.getWidth() === last) return;
      last = chart.getWidth();
      chart.setOption(atlasOption(data, chart.getWidth(), chart.getHeight()));  // re-fit the columns
    });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data && p.data.entity_id) {
        window.location.href = "/entities/" + encodeURIComponent(p.data.entity_id);
      }
    });
    window.chainatlasAtlas = chart;  // lets tests and power users reach the chart instance
  }

  function init() {
    if (typeof window.echarts === "undefined") return;  // degrade: tables stay visible
    var els = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < els.length; i++) draw(els[i]);
  }

  // Filter dropdowns on the chain map apply immediately (the submit button stays for keyboards).
  function autoSubmit() {
    var sels = document.querySelectorAll("form.filters select");
    for (var i = 0; i < sels.length; i++) {
      sels[i].addEventListener("change", function (e) { if (e.target.form && e.target.form.action.indexOf("/search") < 0) e.target.form.submit(); });
    }
  }

  function focusTarget() {
    if (location.hash.indexOf("#span-") === 0) {
      var t = document.getElementById(location.hash.slice(1));
      if (t) { t.scrollIntoView({ block: "center" }); t.focus({ preventScroll: true }); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(); autoSubmit(); focusTarget(); });
})();
