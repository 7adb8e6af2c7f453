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

  // Chain map: fixed columns 上游 → 中游 → 下游 computed on the server (node x/y), no force layout,
  // so the same data always draws the same picture; legend on top, the graph below it.
  function atlasOption(g) {
    var regions = g.categories.slice(2).map(function (c) { return c.name; });
    return {
      tooltip: {
        formatter: function (p) {
          if (p.dataType !== "node") return "";
          var d = p.data;
          if (d.kind === "gap") return "缺口：该环节暂无企业";
          return echarts.format.encodeHTML(d.name + (d.region ? " · " + d.region : ""));
        }
      },
      legend: [{ data: regions, type: "scroll", top: 4, left: 8, right: 8, itemWidth: 14, itemHeight: 10 }],
      series: [{
        type: "graph", layout: "none", roam: true, draggable: false, nodeScaleRatio: 0,
        left: 70, right: 160, top: 64, bottom: 24,
        categories: g.categories,
        label: { show: true, position: "right", fontSize: 12, width: 130, overflow: "truncate" },
        data: g.nodes, links: g.links,
        lineStyle: { color: "#b8c2cf", opacity: 0.7, curveness: 0 },
        emphasis: { focus: "adjacency" }
      }]
    };
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
    var option = kind === "series" ? seriesOption(data) : kind === "atlas" ? atlasOption(data) : kind === "flows" ? flowsOption(data) : null;
    if (!option) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.classList.add("ready");
    if (kind === "atlas") {
      chart.on("click", function (p) {
        if (p.dataType === "node" && p.data && p.data.entity_id) {
          window.location.href = "/entities/" + encodeURIComponent(p.data.entity_id);
        }
      });
      window.chainatlasAtlas = chart;  // lets tests and power users reach the chart instance
    }
    window.addEventListener("resize", function () { chart.resize(); });
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
