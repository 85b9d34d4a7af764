// The household form: "Legg til person" adds a member row from the formset's empty row (a <template>)
// and counts it in the management form. Without JavaScript the form has four blank rows, and a save
// with an error gives the rows back; so the button is only an aid (the Content-Security-Policy
// forbids inline scripts, hence this file).
document.addEventListener("click", function (e) {
  var button = e.target.closest && e.target.closest("[data-add-person]");
  if (!button) { return; }
  var prefix = button.getAttribute("data-add-person");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById(prefix + "-empty");
  var body = document.getElementById(prefix + "-rows");
  if (!total || !template || !body) { return; }
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index));
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var first = body.lastElementChild && body.lastElementChild.querySelector("input");
  if (first) { first.focus(); }
});
