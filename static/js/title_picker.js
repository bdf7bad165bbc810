// Title picker (templates/components/title_picker.html): type, choose from /api/search/suggest/
// (the combobox is static/js/combobox.js); the choice becomes a chip with a hidden title_ids input.
(function () {
  "use strict";

  function attach(root) {
    if (root.dataset.pickerBound) return;
    root.dataset.pickerBound = "1";
    var input = root.querySelector("[data-picker-input]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var multiple = root.hasAttribute("data-multiple");
    var combobox = null;

    function choose(result) {
      if (chosen.querySelector('[data-id="' + result.id + '"]')) { combobox.close(); input.value = ""; return; }
      if (!multiple) chosen.replaceChildren();
      var li = document.createElement("li");
      li.dataset.id = result.id;
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "title_ids";
      hidden.value = result.id;
      li.appendChild(hidden);
      li.appendChild(document.createTextNode(window.MoochuCombobox.label(result)));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.dataset.pickerRemove = "1";
      remove.textContent = "×";
      remove.setAttribute("aria-label", root.dataset.removeLabel + " " + result.title);
      li.appendChild(remove);
      chosen.appendChild(li);
      input.value = "";
      combobox.close();
      input.focus();
    }

    combobox = window.MoochuCombobox(input, {
      id: "title-picker",
      listClass: "picker__list",
      emptyLabel: root.dataset.noneLabel,
      enterPicksFirst: true,
      debounceMs: 150,
      blurCloseMs: 150,
      url: function (query) { return root.dataset.suggestUrl + "?limit=8&q=" + encodeURIComponent(query); },
      choose: choose,
    });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker-remove]");
      if (button) button.closest("li").remove();
    });
  }

  function init() { document.querySelectorAll("[data-title-picker]").forEach(attach); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
