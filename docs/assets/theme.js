// SPDX-License-Identifier: MIT
// Keyboard access to scrolling regions of the alloc reference: a table or code block wider than
// the page scrolls sideways, so it takes focus (tabindex 0) and the arrow keys scroll it.
(function () {
  "use strict";
  function start() {
    var regions = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code");
    Array.prototype.forEach.call(regions, function (r) {
      if (!r.hasAttribute("tabindex")) r.setAttribute("tabindex", "0");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
