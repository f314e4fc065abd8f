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
  function option(element) {
    var source = document.getElementById(element.dataset.chart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function describe(element) {
    var data = option(element);
    if (!data) return;
    var title = (data.title && data.title.text) || "";
    element.setAttribute("role", "img");
    if (!element.hasAttribute("aria-label")) element.setAttribute("aria-label", title);
    if (element.dataset.chartTable !== "below") {
      var table = dataTable(data, title, element.dataset.chartCategory || "");
      if (table) {
        // Hidden in a box of its own: a table given the hidden class itself still lays out at
        // its full width and widens a phone's page.
        var box = document.createElement("div");
        box.className = "visually-hidden chart-data";
        box.appendChild(table);
        element.insertAdjacentElement("afterend", box);
      }
    }
  }

  function draw(element) {
    var data = option(element);
    if (!data || element.dataset.rendered) return;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(data);
    element.dataset.rendered = "1";
    charts.push(chart);
  }

  // This script and ECharts (<script id="echarts-library">) both load async, so that neither
  // holds up DOMContentLoaded: the text alternatives come first, the drawing once both are in,
  // in a task of its own (drawing inside the DOMContentLoaded handler would delay the event's
  // end by the whole layout of the charts).
  function start() {
    var elements = document.querySelectorAll("[data-chart]");
    elements.forEach(describe);
    var drawAll = function () {
      window.setTimeout(function () { elements.forEach(draw); }, 0);
    };
    var library = document.getElementById("echarts-library");
    if (window.echarts) {
      drawAll();
    } else if (library) {
      library.addEventListener("load", drawAll);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
