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
