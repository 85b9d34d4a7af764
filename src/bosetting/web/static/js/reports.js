/* Draw the reports' Plotly charts: each .plot names the json_script that holds its figure. */
(function () {
  "use strict";
  function draw(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll(".plot[data-figure-id]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure-id"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(el, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
