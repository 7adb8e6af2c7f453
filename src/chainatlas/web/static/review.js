// Review queue keyboard shortcuts: A accept, R reject, E correct, J/N next, K previous.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".review-item"));
  if (!items.length) { return; }
  var current = 0;
  function focus(i) {
    if (i < 0 || i >= items.length) { return; }
    items[current].classList.remove("current");
    current = i;
    items[current].classList.add("current");
    items[current].focus();
    items[current].scrollIntoView({block: "nearest"});
  }
  function click(selector) {
    var b = items[current].querySelector(selector);
    if (b) { b.click(); }
  }
  focus(0);
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    var k = ev.key.toLowerCase();
    if (k === "a") { click("button.accept"); ev.preventDefault(); }
    else if (k === "r") { click("button.reject"); ev.preventDefault(); }
    else if (k === "j" || k === "n") { focus(current + 1); ev.preventDefault(); }
    else if (k === "k") { focus(current - 1); ev.preventDefault(); }
    else if (k === "e") {
      var d = items[current].querySelector("details");
      if (d) { d.open = true; var inp = d.querySelector("input[name=value]"); if (inp) { inp.focus(); } }
      ev.preventDefault();
    }
  });
})();
