// The housing-gap chart: the figure's JSON lies in #gap-chart-data (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("gap-chart-data");
  if (!el || !window.Plotly) { return; }
  var fig = JSON.parse(el.textContent);
  window.Plotly.newPlot("gap-chart", fig.data, fig.layout, {displaylogo: false, responsive: true});
});
