// Draws every ECharts chart of a page: <div data-chart="ID"> with its option in
// <script type="application/json" id="ID"> (Django's json_script).
// Each chart is an image to assistive technology (role="img" with the chart's title as its
// label); unless the page shows the numbers in a table below (data-chart-table="below"), a
// visually hidden table with the chart's data follows it, so a screen reader gets the numbers.
(function () {
  "use strict";

  function cell(tag, text, scope) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (scope) element.scope = scope;
    return element;
  }

  function dataTable(option, title, categoryLabel) {
    var series = option.series || [];
    if (!series.length) return null;
    var table = document.createElement("table");
    table.createCaption().textContent = title;
    var head = table.createTHead().insertRow();
    head.appendChild(cell("th", categoryLabel, "col"));
    var body = table.createTBody();
    if (series[0].type === "pie" || series[0].type === "funnel") {
      head.appendChild(cell("th", series[0].name || "", "col"));
      series[0].data.forEach(function (point) {
        var row = body.insertRow();
        row.appendChild(cell("th", point.name, "row"));
        row.appendChild(cell("td", String(point.value)));
      });
    } else {
      var labels = (option.xAxis && option.xAxis.data) || [];
      series.forEach(function (serie) { head.appendChild(cell("th", serie.name || "", "col")); });
      labels.forEach(function (label, index) {
        var row = body.insertRow();
        row.appendChild(cell("th", String(label), "row"));
        series.forEach(function (serie) { row.appendChild(cell("td", String(serie.data[index]))); });
      });
    }
    return table;
  }

  var charts = [];
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var option = JSON.parse(source.textContent);
    var title = (option.title && option.title.text) || "";
    element.setAttribute("role", "img");
    if (!element.hasAttribute("aria-label")) element.setAttribute("aria-label", title);
    if (element.dataset.chartTable !== "below") {
      var table = dataTable(option, title, element.dataset.chartCategory || "");
      if (table) {
        // Hidden in a box of its own: a table given the hidden class itself still lays out at
        // its full width and widens a phone's page.
        var box = document.createElement("div");
        box.className = "visually-hidden chart-data";
        box.appendChild(table);
        element.insertAdjacentElement("afterend", box);
      }
    }
    if (!window.echarts) return;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    element.dataset.rendered = "1";
    charts.push(chart);
  }

  // The text alternatives first; the drawing after DOMContentLoaded, so that the page is
  // usable before ECharts lays out its charts.
  window.setTimeout(function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }, 0);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
