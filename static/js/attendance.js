// Attendance in the room, one tap per person, that never loses a tap.
// Every tap is first written to localStorage (enrollment id, status and the time of the
// tap: no names), then sent; it leaves the device only when the server has answered it.
// A tap that could not be sent (no connection, timeout, server error, logged out) stays,
// its row says "noch nicht gespeichert", and it is sent again, oldest first, when the
// connection returns (online event, and every 20 seconds). The server keeps the newest
// decision per person and session (participants.services.attendance_record_many), so a
// late tap never overwrites a later change by someone else.
// Without JavaScript the form is sent as a whole with its button.
(function () {
  "use strict";
  var list = document.getElementById("attendance-list");
  if (!list || !window.localStorage) { return; }
  // Per user: on a phone passed to a colleague, waiting taps are not sent in the
  // colleague's name; they wait until their own trainer logs in again.
  var KEY = "aktiva.attendance.taps." + list.dataset.user;
  var RETRY_MS = 20000;
  var TIMEOUT_MS = 15000;
  var text = list.dataset;
  var live = document.getElementById("attendance-status");
  var waiting = document.getElementById("attendance-waiting");
  var loggedOut = document.getElementById("attendance-logged-out");
  var sending = false;

  var unstored = null;  // the taps, where the storage refuses them (full, or blocked)

  function load() {
    if (unstored) { return unstored.slice(); }
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch (error) {
      return [];
    }
  }

  function store(taps) {
    try {
      localStorage.setItem(KEY, JSON.stringify(taps));
      unstored = null;
    } catch (error) {
      unstored = taps;  // kept while the page is open: still sent, still warned about
    }
    show(taps);
  }

  function same(a, b) { return a.url === b.url && a.at === b.at; }

  function drop(tap) {
    store(load().filter(function (other) { return !same(other, tap); }));
  }

  function csrfToken() {
    // the cookie is read at each send: after a new login it holds the new token, while
    // the page (perhaps a copy kept for offline use) still holds the old one
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var field = list.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function row(tap) {
    return tap.session === text.session ? document.getElementById("attendance-" + tap.enrollment) : null;
  }

  function note(element, message, strong) {
    var target = element.querySelector("[data-attendance-note]");
    if (!target) { return; }
    var span = document.createElement("span");
    span.className = strong ? "fw-semibold text-danger-emphasis" : "text-body-secondary";
    span.textContent = message;
    target.replaceChildren(span);
  }

  // The kept taps on this page: their buttons checked, their rows marked, the count shown.
  function show(taps) {
    var unsaved = taps.length;
    waiting.hidden = unsaved === 0;
    waiting.textContent = unsaved === 1 ? text.waitingOne : text.waitingMany.replace("__N__", unsaved);
    taps.forEach(function (tap) {
      var element = row(tap);
      if (!element) { return; }
      Object.keys(tap.fields).forEach(function (name) {
        element.querySelectorAll("[name='" + name + "']").forEach(function (field) {
          if (field.type === "radio" || field.type === "checkbox") {
            field.checked = field.value === tap.fields[name];
          } else {
            field.value = tap.fields[name];
          }
        });
      });
      element.classList.add("attendance-unsaved");
      note(element, text.unsaved, true);
    });
  }

  // The server's answer: the row as saved (or as it stands, for a tap that came too late).
  function apply(tap, html) {
    var answer = new DOMParser().parseFromString(html, "text/html");
    var fresh = answer.getElementById("attendance-" + tap.enrollment);
    var element = row(tap);
    if (fresh && element) {
      element.replaceWith(document.importNode(fresh, true));
    }
    var status = answer.getElementById("attendance-status");
    if (status && live) { live.textContent = status.textContent.trim(); }
  }

  function setLoggedOut(value) {
    loggedOut.hidden = !value;
  }

  function send() {
    var taps = load();
    if (sending || !taps.length) { return; }
    sending = true;
    var tap = taps[0];
    var body = new URLSearchParams(tap.fields);
    body.set("tapped_at", tap.at);
    body.set("sent_at", new Date().toISOString());  // the server takes the tap's age from these
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    fetch(tap.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      signal: controller.signal,
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      clearTimeout(timer);
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        setLoggedOut(true);  // logged out (or the token is stale): keep it until a new login
        throw new Error("logged out");
      }
      if (response.status === 0 || response.status === 429 || response.status >= 500) {
        throw new Error("not now");
      }
      setLoggedOut(false);
      return response.text().then(function (html) {
        drop(tap);
        if (response.ok || response.status === 400) {
          apply(tap, html);
        } else {  // the person has no place any more or the like: it can never be saved
          var element = row(tap);
          if (element) { note(element, text.rejected, true); }
        }
        show(load());  // a newer tap of the same row, still waiting, stays visible
      });
    }).then(function () {
      sending = false;
      if (!load().length) { keepCopySoon(); }
      send();
    }, function () {
      clearTimeout(timer);
      sending = false;
      show(load());
    });
  }

  list.addEventListener("change", function (event) {
    var element = event.target.closest(".attendance-row");
    if (!element || !element.dataset.tapUrl) { return; }
    var fields = {};
    element.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.disabled) { return; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      fields[field.name] = field.value;
    });
    var tap = {
      url: element.dataset.tapUrl,
      session: text.session,
      enrollment: element.dataset.enrollment,
      fields: fields,
      at: new Date().toISOString()
    };
    // a newer tap on the same row replaces one that is still waiting
    var taps = load().filter(function (other) { return other.url !== tap.url; });
    taps.push(tap);
    store(taps);
    note(element, text.saving, false);
    element.classList.remove("attendance-unsaved");
    send();
  });

  // "Alle anwesend" without a connection: a tap "anwesend" for each row without a mark,
  // kept and sent like the others (the server's answer would need the connection).
  var allPresent = document.querySelector("form[data-all-present]");
  if (allPresent) {
    allPresent.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      list.querySelectorAll(".attendance-row[data-tap-url]").forEach(function (element) {
        if (element.querySelector("input[type=radio]:checked")) { return; }
        var present = element.querySelector("input[type=radio][value=present]");
        if (present) {
          present.checked = true;
          present.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }

  window.addEventListener("online", send);
  setInterval(send, RETRY_MS);
  // Going to log in again is no leaving: the taps wait on the device and are sent after.
  var relogin = false;
  loggedOut.addEventListener("click", function () { relogin = true; });
  window.addEventListener("beforeunload", function (event) {
    if (load().length && !relogin) {
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    }
  });

  // Offline use: a worker keeps this page and its static files for a reload without a
  // connection (static/js/sw.js, served from the site's root).
  var keepTimer;

  function keepCopy(assets) {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) { return; }
    list.dataset.offlineReady = "false";
    navigator.serviceWorker.controller.postMessage({
      keep: { page: window.location.href, assets: assets || [] }
    });
  }

  // After the saves, the kept copy is renewed (once for a series of taps): a reload
  // without a connection then shows what was saved.
  function keepCopySoon() {
    clearTimeout(keepTimer);
    list.dataset.offlineReady = "false";
    keepTimer = setTimeout(keepCopy, 1500);
  }

  if ("serviceWorker" in navigator && text.serviceWorker) {
    var scope = new URL("../../", window.location.href).pathname;
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.kept) { list.dataset.offlineReady = "true"; }
    });
    navigator.serviceWorker.startMessages();
    navigator.serviceWorker.register(text.serviceWorker, { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var assets = performance.getEntriesByType("resource").map(function (entry) {
        return entry.name.split("#")[0];
      }).filter(function (name) { return name.indexOf(window.location.origin + "/static/") === 0; });
      if (navigator.serviceWorker.controller) {
        keepCopy(assets);
      } else {
        registration.active.postMessage({ keep: { page: window.location.href, assets: assets } });
      }
    }).catch(function () { /* without the worker the page still works online */ });
  }

  show(load());
  send();
})();
