// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them):
// a form marked data-autosubmit is sent when one of its fields changes (the language switcher).
// A field marked data-reload-param="name" reloads the page with ?name=<its value> (the simulator's
// scenario choice shows that scenario's defaults).
document.addEventListener("change", function (e) {
  var param = e.target.getAttribute && e.target.getAttribute("data-reload-param");
  if (param) {
    window.location.search = "?" + encodeURIComponent(param) + "=" + encodeURIComponent(e.target.value);
    return;
  }
  var form = e.target.form;
  if (form && form.hasAttribute("data-autosubmit")) { form.submit(); }
});

// The menu's groups are <details>: only one is open at a time, and a click outside or Escape folds it
// (Escape returns the focus to the group's heading, so a keyboard user is not lost).
(function () {
  function groups() { return document.querySelectorAll("details.nav-group"); }
  document.addEventListener("toggle", function (e) {
    var opened = e.target;
    if (!opened.classList || !opened.classList.contains("nav-group") || !opened.open) { return; }
    groups().forEach(function (g) { if (g !== opened) { g.open = false; } });
  }, true);
  document.addEventListener("click", function (e) {
    groups().forEach(function (g) { if (g.open && !g.contains(e.target)) { g.open = false; } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    groups().forEach(function (g) {
      if (g.open) { g.open = false; g.querySelector("summary").focus(); }
    });
  });
})();

// Keyboard users keep their place when HTMX replaces the part of the page they were working in
// (answering a proposal swaps its row, ticking a checklist item swaps the item): focus goes back
// into the new content — to the element with the same id (HTMX does that itself), else to the
// element marked data-focus-after-swap (the new status), else to its first field or button.
(function () {
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    refocus = target && target.id && target.contains(document.activeElement) ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) { return; }
    var box = document.getElementById(refocus);
    refocus = null;
    if (!box || box.contains(document.activeElement)) { return; }
    var next = box.querySelector("[data-focus-after-swap]") ||
      box.querySelector("a[href], button, input:not([type=hidden]), select, textarea");
    if (next) { next.focus(); }
  });
})();
