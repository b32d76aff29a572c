// Small behaviours of the staff pages, without inline handlers (the CSP forbids them).
(function () {
  "use strict";
  // A read-only address to copy: selected at once when focused.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
