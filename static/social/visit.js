// Mini-homepage visit beacon, on anonymous pages only. A visit counts when a browser shows the
// page: the page itself is shared by the edge cache and counts nobody, so this posts once to
// the page's visit URL, which counts this browser once a day and answers the fresh TODAY/TOTAL,
// shown in place of the figures the page was drawn with (apps/social/views/homepage.py).
// Without JavaScript the page works as before; the visit just goes uncounted.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.visitUrl;
  if (!url || !window.fetch) return;

  function show(counts) {
    var box = document.querySelector("[data-visitor-counter]");
    if (!box) return;
    [["today", "[data-today]"], ["total", "[data-total]"]].forEach(function (pair) {
      var figure = box.querySelector(pair[1]);
      if (figure && typeof counts[pair[0]] === "number") figure.textContent = String(counts[pair[0]]);
    });
  }

  function send() {
    // keepalive: a visitor who leaves at once is still counted.
    fetch(url, { method: "POST", credentials: "same-origin", keepalive: true, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) { if (counts) show(counts); })
      .catch(function () {}); // offline: the figures drawn with the page stay
  }

  // A prerendered page is not shown yet: count it when (if) it is.
  if (document.prerendering) document.addEventListener("prerenderingchange", send, { once: true });
  else send();
})();
