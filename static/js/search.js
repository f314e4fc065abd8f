// The top bar's search: live results below the box (htmx fills #global-search-results),
// arrow keys move through them, Escape closes them. No inline script (CSP).
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("[data-testid='global-search']");
    if (!form) { return; }
    var input = form.querySelector("input[name='q']");
    var box = form.querySelector("#global-search-results");
    function links() { return Array.prototype.slice.call(box.querySelectorAll("a.search-result")); }
    function close() { box.innerHTML = ""; box.classList.remove("show"); }
    function move(step) {
      var items = links();
      if (!items.length) { return; }
      var index = items.indexOf(document.activeElement);
      var next = index + step;
      if (next < 0) { input.focus(); return; }
      items[Math.min(next, items.length - 1)].focus();
    }
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === box) {
        box.classList.toggle("show", input.value.trim().length > 0 && box.children.length > 0);
      }
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { close(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();
