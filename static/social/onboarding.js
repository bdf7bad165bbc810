// Onboarding: count ratings toward the goal as each star tap is saved (stars.js fires moochu:rated).
(function () {
  "use strict";
  var box = document.querySelector("[data-ob-progress]");
  if (!box) return;
  var goal = parseInt(box.dataset.goal, 10);
  var count = parseInt(box.querySelector("[data-ob-count]").textContent, 10) || 0;
  var rated = {};
  document.querySelectorAll("form[data-stars-form]").forEach(function (form) {
    if (form.querySelector("input[name=stars]:checked")) rated[form.dataset.titleId] = true;
  });
  document.addEventListener("moochu:rated", function (event) {
    var id = event.target.dataset.titleId;
    var was = !!rated[id];
    var now = !!event.detail.stars;
    if (was !== now) count += now ? 1 : -1;
    rated[id] = now;
    var card = event.target.closest(".card");
    if (card) card.classList.toggle("ob-done", now);
    box.querySelector("[data-ob-count]").textContent = String(count);
    box.querySelector("[data-ob-bar]").value = Math.min(count, goal);
    box.querySelector("[data-ob-next]").hidden = count < goal;
  });
})();
