/* Draw the reports' Plotly charts: each .plot names the json_script that holds its figure.
   Charts in a fragment swapped in by htmx (the dashboard's filters) are drawn when it settles. */
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".plot[data-figure-id]:not(.js-plotly-plot)").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure-id"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(el, figure.data, figure.layout, { displaylogo: false, responsive: true });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
