// The attendance page keeps working without a connection (a training room with poor
// reception): the page is fetched from the network first and its last copy kept for a
// reload while offline; the static files it needs are kept too. Only attendance pages are
// in this worker's scope (registered by static/js/attendance.js); the taps themselves are
// kept by that script in localStorage, never here.
"use strict";

var PAGES = "aktiva-attendance-pages";
var ASSETS = "aktiva-attendance-assets";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function isPage(request) {
  return request.mode === "navigate" && /\/anwesenheit\/$/.test(new URL(request.url).pathname);
}

function isAsset(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

function keepPage(request, response) {
  // a page that was redirected (to the login page) is no attendance page to keep
  if (response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    return caches.open(PAGES).then(function (cache) { return cache.put(request.url, copy); });
  }
  if (response.redirected) {
    return caches.delete(PAGES);  // logged out: no copy of names stays behind
  }
  return Promise.resolve();
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (isPage(request)) {
    event.respondWith(
      fetch(request).then(function (response) {
        event.waitUntil(keepPage(request, response));
        return response;
      }).catch(function () {
        return caches.match(request.url, { cacheName: PAGES, ignoreVary: true }).then(
          function (kept) { return kept || Response.error(); }
        );
      })
    );
  } else if (isAsset(url)) {
    event.respondWith(
      caches.match(request, { cacheName: ASSETS, ignoreVary: true }).then(function (kept) {
        return kept || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            event.waitUntil(caches.open(ASSETS).then(function (c) { return c.put(request, copy); }));
          }
          return response;
        });
      })
    );
  }
});

// The page that registered this worker was loaded before the worker took over: it names
// itself and its static files, which are fetched once more and kept.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (!data.keep) { return; }
  var page = fetch(data.keep.page, { credentials: "same-origin" }).then(function (response) {
    return keepPage(new Request(data.keep.page), response);
  });
  var assets = caches.open(ASSETS).then(function (cache) {
    return Promise.all(data.keep.assets.filter(function (a) {
      return isAsset(new URL(a));
    }).map(function (asset) {
      return cache.match(asset).then(function (kept) { return kept || cache.add(asset); });
    }));
  });
  event.waitUntil(Promise.all([page, assets]).then(function () {
    if (event.source) { event.source.postMessage({ kept: true }); }
  }, function () {
    if (event.source) { event.source.postMessage({ kept: false }); }
  }));
});
