// Small behaviours of the staff pages, without inline handlers (the CSP forbids them).
(function () {
  "use strict";
  // A read-only address to copy: selected at once when focused.
  // Logged out (no session data on the page): no copy of an attendance page, which names
  // people, stays in the browser (static/js/sw.js keeps it for offline use).
  if (!document.body.dataset.sessionIdleSeconds && window.caches) {
    window.caches.delete("aktiva-attendance-pages").catch(function () {});
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
