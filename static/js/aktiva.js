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
  // A number that follows another one (the minimum of participants follows the places):
  // until the person edits it, it is the preset, never more than the places.
  document.addEventListener("input", function (event) {
    var source = event.target;
    if (source.dataset && source.dataset.follows) {
      source.dataset.edited = "1";
      return;
    }
    if (!source.id) {
      return;
    }
    document.querySelectorAll("[data-follows]").forEach(function (field) {
      if (field.dataset.follows !== source.id || field.dataset.edited) {
        return;
      }
      var places = parseInt(source.value, 10);
      var current = parseInt(field.value, 10);
      if (!(places > 0)) {
        return;
      }
      var preset = Math.min(parseInt(field.dataset.followsUpTo, 10), places);
      if (field.dataset.followsPreset === "1" || !(current <= places)) {
        field.value = preset;
      }
    });
  });
})();
