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
