// Title picker (templates/components/title_picker.html): type, choose from /api/search/suggest/,
// the choice becomes a chip with a hidden title_ids input. Keyboard: ↑ ↓ Enter Esc.
(function () {
  "use strict";
  var DEBOUNCE_MS = 150;
  var counter = 0;

  function attach(root) {
    if (root.dataset.pickerBound) return;
    root.dataset.pickerBound = "1";
    var input = root.querySelector("[data-picker-input]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var multiple = root.hasAttribute("data-multiple");
    var listId = "title-picker-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(result) {
      if (chosen.querySelector('[data-id="' + result.id + '"]')) { close(); input.value = ""; return; }
      if (!multiple) chosen.replaceChildren();
      var li = document.createElement("li");
      li.dataset.id = result.id;
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "title_ids";
      hidden.value = result.id;
      li.appendChild(hidden);
      li.appendChild(document.createTextNode(result.title + (result.year ? " (" + result.year + ")" : "")));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.dataset.pickerRemove = "1";
      remove.textContent = "×";
      remove.setAttribute("aria-label", root.dataset.removeLabel + " " + result.title);
      li.appendChild(remove);
      chosen.appendChild(li);
      input.value = "";
      close();
      input.focus();
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    }

    function render(results) {
      list.replaceChildren();
      items = results.map(function (result, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var main = document.createElement("span");
        main.textContent = result.title + (result.year ? " (" + result.year + ")" : "");
        li.appendChild(main);
        if (result.secondary_title) {
          var small = document.createElement("small");
          small.textContent = result.secondary_title;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(result); });
        li.result = result;
        list.appendChild(li);
        return li;
      });
      if (!items.length) {
        var none = document.createElement("li");
        none.textContent = root.dataset.noneLabel;
        none.setAttribute("aria-disabled", "true");
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function lookup() {
      var query = input.value.trim();
      if (!query || /^[\x00-\x7f]$/.test(query)) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(root.dataset.suggestUrl + "?limit=8&q=" + encodeURIComponent(query), {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
        .catch(function (error) { if (error.name !== "AbortError") close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {
        // Enter picks a suggestion; it never submits the form half-filled.
        if (items.length) {
          event.preventDefault();
          choose(items[active >= 0 ? active : 0].result);
        } else if (input.value.trim()) {
          event.preventDefault();
        }
        return;
      }
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (event.key === "Escape") close();
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker-remove]");
      if (button) button.closest("li").remove();
    });
  }

  function init() { document.querySelectorAll("[data-title-picker]").forEach(attach); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
