// Moochu behaviour events: title views with dwell time, clicks from lists, dismissals,
// search clicks, and a small API (MoochuEvents.track) for ratings, likes and watchlist.
// Events are queued and sent in batches; the last batch leaves with sendBeacon on pagehide.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var endpoint = script.dataset.endpoint;
  var csrf = script.dataset.csrf || "";
  var titleId = parseInt(script.dataset.titleId || "", 10);
  var queue = [];
  var MAX_BATCH = 50;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function track(kind, fields) {
    var event = Object.assign({ event_id: uuid(), kind: kind, occurred_at: new Date().toISOString() }, fields);
    queue.push(event);
    if (queue.length >= MAX_BATCH) flush(false);
  }

  function flush(leaving) {
    if (!queue.length || !endpoint) return;
    var batch = queue.splice(0, MAX_BATCH);
    var body = JSON.stringify({ events: batch, csrf: csrf });
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }));
      return;
    }
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body,
    }).catch(function () {
      queue = batch.concat(queue); // network hiccup: try again with the next batch
    });
  }

  // Dwell time counts only while the page is visible.
  var visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  var dwell = 0;
  function pause() {
    if (visibleSince !== null) dwell += performance.now() - visibleSince;
    visibleSince = null;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") visibleSince = performance.now();
    else {
      pause();
      flush(true);
    }
  });
  window.addEventListener("pagehide", function () {
    pause();
    if (titleId > 0) track("view", { title_id: titleId, dwell_ms: Math.round(dwell) });
    dwell = 0;
    flush(true);
  });

  document.addEventListener("click", function (e) {
    var dismiss = e.target.closest("[data-recs-dismiss]");
    if (dismiss) {
      var card = dismiss.closest("[data-title-id]");
      track("rec_dismiss", { title_id: parseInt(card.dataset.titleId, 10) });
      card.hidden = true;
      flush(false);
      e.preventDefault();
      return;
    }
    var item = e.target.closest("[data-title-id][data-position]");
    var list = item && item.closest("[data-recs-list]");
    if (!item || !list) return;
    var id = parseInt(item.dataset.titleId, 10);
    var position = parseInt(item.dataset.position, 10);
    if (list.dataset.searchQuery !== undefined) {
      track("search_click", { title_id: id, position: position, query: list.dataset.searchQuery });
    } else {
      track("list_click", { title_id: id, position: position, list_name: list.dataset.recsList });
      if (list.dataset.recsKind === "recommendation") track("rec_accept", { title_id: id, list_name: list.dataset.recsList });
    }
  });

  window.MoochuEvents = {
    track: track,
    flush: function () { flush(false); },
    rate: function (id, halfStars) { track("rate", { title_id: id, value: halfStars }); flush(false); },
    like: function (id) { track("like", { title_id: id }); },
    watchlistAdd: function (id) { track("watchlist_add", { title_id: id }); },
  };
})();
