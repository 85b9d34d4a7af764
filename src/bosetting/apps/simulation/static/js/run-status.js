// While a simulation runs, htmx polls its status; when it is done, the page reloads with the results.
document.addEventListener("htmx:afterSwap", function (e) {
  var s = e.detail.elt.dataset ? e.detail.elt.dataset.status : null;
  if (s === "done") { window.location.reload(); }
});
