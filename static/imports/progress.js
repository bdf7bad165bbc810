// Import progress (templates/imports/detail.html): poll the batch's status from the API and
// move the bar; when reading or applying is done, reload to show the review or the result.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var root = document.querySelector("[data-import-progress]");
  if (!root) return;
  var bar = root.querySelector("[data-progress-bar]");
  var text = root.querySelector("[data-progress-text]");
  var running = { queued: true, parsing: true, applying: true };

  function poll() {
    fetch(root.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (!running[data.status]) { window.location.reload(); return; }
        bar.max = Math.max(data.progress_total, 1);
        bar.value = data.progress_done;
        text.textContent = data.progress_done + " / " + data.progress_total;
      })
      .catch(function () { /* a missed poll is retried on the next tick */ })
      .finally(function () { window.setTimeout(poll, POLL_MS); });
  }
  window.setTimeout(poll, POLL_MS);
})();
