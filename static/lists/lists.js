// The list page: drag a poster onto another to move it there (the up/down buttons and
// "Move to #" do the same without a mouse), and confirm before removing.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  var grid = document.querySelector("[data-list-grid]");
  if (!grid) return;
  var dragged = null;

  function entryOf(target) { return target && target.closest ? target.closest("[data-entry-id]") : null; }

  grid.addEventListener("dragstart", function (event) {
    dragged = entryOf(event.target);
    if (!dragged) return;
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.entryId);
  });
  grid.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    grid.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
    dragged = null;
  });
  grid.addEventListener("dragover", function (event) {
    var over = entryOf(event.target);
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    grid.querySelectorAll(".is-drop-target").forEach(function (el) { if (el !== over) el.classList.remove("is-drop-target"); });
    over.classList.add("is-drop-target");
  });
  grid.addEventListener("drop", function (event) {
    var over = entryOf(event.target);
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    // The same form as "Move to #": the server checks the position we saw is still current.
    var form = dragged.querySelector("[data-move-form]");
    if (!form) return;
    form.querySelector("[name=position_display]").value = Number(over.dataset.position) + 1;
    form.requestSubmit();
  });
})();
