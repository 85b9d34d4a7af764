/* Simulator charts: per-year mean line and 90 % band for every run, one chart per metric, and a
   dashed line where a run's policy starts. Data comes from the page (json_script "sim-data"), the
   same calendar-year means as the table below; Plotly is served offline by the app. */
(function () {
  "use strict";
  var node = document.getElementById("sim-data");
  if (!node || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var palette = ["#0b5cad", "#b00020", "#1e7d32", "#8a4b00", "#6a1b9a", "#00838f", "#5d4037", "#37474f"];
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  document.querySelectorAll(".sim-chart").forEach(function (el) {
    var metric = el.dataset.metric;
    var traces = [];
    data.series.forEach(function (run, i) {
      var m = run.metrics[metric];
      var colour = palette[i % palette.length];
      traces.push({ x: m.years, y: m.p95, mode: "lines", line: { width: 0 }, showlegend: false,
                    hoverinfo: "skip", name: run.name + " p95" });
      traces.push({ x: m.years, y: m.p05, mode: "lines", line: { width: 0 }, fill: "tonexty",
                    fillcolor: rgba(colour, 0.18), showlegend: false, hoverinfo: "skip",
                    name: run.name + " p05" });
      traces.push({ x: m.years, y: m.mean, mode: "lines+markers", line: { color: colour, width: 2 },
                    name: run.name });
    });
    var shapes = [];
    var annotations = [];
    var marked = {};
    data.series.forEach(function (run) {
      var year = run.policy_start;
      if (!year || marked[year] || run.metrics[metric].years.indexOf(year) < 0) { return; }
      marked[year] = true;
      shapes.push({ type: "line", xref: "x", yref: "paper", x0: year, x1: year, y0: 0, y1: 1,
                    line: { color: "#5d4037", width: 1.5, dash: "dash" } });
      annotations.push({ xref: "x", yref: "paper", x: year, y: 1, yanchor: "bottom",
                         text: data.policy_label + " " + year, showarrow: false,
                         font: { size: 11, color: "#5d4037" } });
    });
    Plotly.newPlot(el, traces, {
      margin: { l: 50, r: 10, t: 24, b: 40 },
      legend: { orientation: "h" },
      xaxis: { type: "category" },
      shapes: shapes,
      annotations: annotations
    }, { displaylogo: false, responsive: true });
  });
})();
