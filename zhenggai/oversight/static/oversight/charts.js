/* Draw each dashboard section's chart with the vendored ECharts, from the JSON its table was built from.
   No inline script: every chart element names the <script type="application/json"> holding its data. */
(function () {
  "use strict";

  function option(spec) {
    var horizontal = spec.kind === "bar" && spec.categories.length > 8;
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    return {
      animation: false,
      // drawn inside the chart: the HTML tooltip writes style attributes, which the Content-Security-Policy refuses
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: horizontal ? 150 : 48, right: 24, top: 36, bottom: 36, containLabel: !horizontal },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: spec.series.map(function (s) {
        var item = { name: s.name, type: spec.kind === "line" && s.name.indexOf("累计") === 0 ? "line" : spec.kind, data: s.data };
        if (s.stack) { item.stack = s.stack; }
        if (s.color) { item.itemStyle = { color: s.color }; item.lineStyle = { color: s.color }; }
        if (spec.kind === "line" && item.type !== "line") { item.type = "bar"; }
        return item;
      })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    if (spec.kind === "bar" && spec.categories.length > 8) {
      element.style.height = Math.max(320, 28 * spec.categories.length + 80) + "px";
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(spec));
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-drawn", "1");
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
