// Draws every ECharts chart of a page: <div data-chart="ID"> with its option in
// <script type="application/json" id="ID"> (Django's json_script).
(function () {
  "use strict";
  if (!window.echarts) return;
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(JSON.parse(source.textContent));
    element.dataset.rendered = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
