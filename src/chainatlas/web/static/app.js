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

  function atlasOption(g) {
    return {
      tooltip: {
        formatter: function (p) {
          if (p.dataType !== "node") return "";
          var d = p.data;
          return echarts.format.encodeHTML(d.name + (d.region ? " · " + d.region : ""));
        }
      },
      legend: [{ data: g.categories.map(function (c) { return c.name; }), type: "scroll", bottom: 0 }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 180, edgeLength: [40, 120], gravity: 0.08 },
        categories: g.categories,
        label: { show: true, position: "right", fontSize: 11 },
        data: g.nodes, links: g.links,
        lineStyle: { color: "source", opacity: 0.5 },
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
        data: g.nodes.map(function (n) { return { id: n.id, name: n.name, symbolSize: 36 }; }),
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
