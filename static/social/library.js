// Library pages: filter forms apply as soon as a chip or the sort changes.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var button = form.querySelector("[data-autosubmit-button]");
    if (button) button.hidden = true;
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
})();

// Buttons that destroy something ask first (data-confirm); without JavaScript they just post.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

// Picks: "관심 없음" takes the card away at once; a rating marks it as seen.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-dismiss-form]");
  if (!form) return;
  event.preventDefault();
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  }).then(function (response) {
    if (!response.ok) { form.submit(); return; }
    var card = form.closest(".card");
    if (card) card.remove();
    // Say what happened; "숨긴 작품" at the bottom of the page takes it back after a reload.
    return response.json().then(function (data) {
      if (data.message && window.Moochu && window.Moochu.toast) window.Moochu.toast(data.message, { kind: "success" });
    });
  }).catch(function () { form.submit(); });
});
document.addEventListener("moochu:rated", function (event) {
  var card = event.target.closest(".picks-row .card");
  if (card) card.classList.toggle("is-seen", !!event.detail.stars);
});
