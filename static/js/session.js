// Warns a few minutes before an idle session ends and offers to stay logged in.
// The server ends the session (aktiva.middleware.IdleTimeoutMiddleware); this only tells.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.sessionIdleSeconds || "0", 10);
  if (!idle) { return; }
  var warnBefore = Math.min(180, Math.floor(idle / 2));
  var warning = document.getElementById("session-warning");
  var warnTimer, endTimer;

  function show(visible) {
    // Bootstrap's display classes win over the hidden attribute: toggle them instead
    warning.classList.toggle("d-none", !visible);
    warning.classList.toggle("d-flex", visible);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    show(false);
    warnTimer = setTimeout(function () { show(true); }, (idle - warnBefore) * 1000);
    // when the time is up, the next page load shows the login page with a message
    endTimer = setTimeout(function () { window.location.reload(); }, (idle + 5) * 1000);
  }

  document.getElementById("session-stay").addEventListener("click", function () {
    fetch(body.dataset.sessionPingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.dataset.csrfToken }
    }).then(function (response) {
      if (response.ok) { schedule(); } else { window.location.reload(); }
    });
  });
  // any page change through htmx counts as activity on the server as well
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
