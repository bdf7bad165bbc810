// The recommend-to-friends dialog of a title: the friends (ranked by who would like it) load
// when it opens, not with the page. Without JavaScript, or if the fetch fails, the link in the
// dialog opens the same form as a page.
(function () {
  "use strict";
  document.querySelectorAll("[data-recommend-src]").forEach(function (body) {
    var details = body.closest("details");
    if (!details) return;
    function load() {
      if (body.dataset.state) return;
      body.dataset.state = "loading";
      body.setAttribute("aria-busy", "true");
      fetch(body.dataset.recommendSrc, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("recommend dialog: " + response.status);
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html;
          body.dataset.state = "ready";
        })
        .catch(function () {
          body.dataset.state = "";  // the link stays; opening again retries
        })
        .finally(function () { body.removeAttribute("aria-busy"); });
    }
    // Start on hover or focus of the summary, so the list is usually there by the click.
    var summary = details.querySelector("summary");
    if (summary) {
      summary.addEventListener("pointerenter", load, { once: true });
      summary.addEventListener("focus", load, { once: true });
    }
    details.addEventListener("toggle", function () { if (details.open) load(); });
    if (details.open) load();
  });
})();
