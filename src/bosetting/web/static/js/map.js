/* The municipality map: show a shape's figures (its <title>) in a box beside the pointer. Without
   this script the browser's own tooltip shows the same text, and the table below has every figure. */
(function () {
  "use strict";
  function init() {
    var svg = document.querySelector("svg.choropleth");
    if (!svg) { return; }
    var wrap = svg.parentElement;
    var tip = wrap.querySelector(".map-tooltip");
    var active = null;
    function show(unit, event) {
      var title = unit.querySelector("title");
      if (!title) { return; }
      if (active && active !== unit) { active.classList.remove("active"); }
      active = unit;
      unit.classList.add("active");
      tip.textContent = title.textContent;
      tip.hidden = false;
      var box = wrap.getBoundingClientRect();
      var x = event.clientX - box.left + 14;
      var y = event.clientY - box.top + 14;
      if (x + tip.offsetWidth > box.width) { x = Math.max(0, x - tip.offsetWidth - 28); }
      if (y + tip.offsetHeight > box.height) { y = Math.max(0, y - tip.offsetHeight - 28); }
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    }
    function hide() {
      if (active) { active.classList.remove("active"); active = null; }
      tip.hidden = true;
    }
    svg.addEventListener("mousemove", function (event) {
      var unit = event.target.closest && event.target.closest("a.unit");
      if (unit) { show(unit, event); } else { hide(); }
    });
    svg.addEventListener("mouseleave", hide);
  }
  document.addEventListener("DOMContentLoaded", init);
})();
