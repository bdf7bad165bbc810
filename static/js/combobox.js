// One ARIA combobox for title search-as-you-type (loaded by templates/base.html on every
// page): the header/search-page suggestions (static/search/suggest.js) and the title picker
// (static/js/title_picker.js) differ only in what a choice does and how a row looks.
// Suggests while a Korean syllable is still being composed ("기생ㅊ"), cancels stale
// requests, and works from the keyboard (↑ ↓ Enter Esc).
//
//   MoochuCombobox(input, {
//     id: "search-suggest",          // list id prefix
//     listClass, itemClass, titleClass, secondaryClass,
//     url: function (query) {...},   // the suggest API URL for a query
//     choose: function (result) {...},
//     emptyLabel: "…",               // shown when nothing matches (else the list closes)
//     enterPicksFirst: false,        // Enter with nothing highlighted takes the first row
//     debounceMs, blurCloseMs,
//   });
(function () {
  "use strict";

  var counter = 0;

  function label(result) {
    return result.title + (result.year ? " (" + result.year + ")" : "");
  }

  function MoochuCombobox(input, options) {
    var listId = options.id + "-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = options.listClass;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function render(results) {
      list.replaceChildren();
      items = results.map(function (result, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        if (options.itemClass) item.className = options.itemClass;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var main = document.createElement("span");
        if (options.titleClass) main.className = options.titleClass;
        main.textContent = label(result);
        item.appendChild(main);
        if (result.secondary_title) {
          var secondary = document.createElement(options.secondaryClass ? "span" : "small");
          if (options.secondaryClass) secondary.className = options.secondaryClass;
          secondary.textContent = result.secondary_title;
          item.appendChild(secondary);
        }
        // mousedown, not click: fires before the input's blur closes the list.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); options.choose(result); });
        item.result = result;
        list.appendChild(item);
        return item;
      });
      active = -1;
      if (!items.length && options.emptyLabel) {
        var none = document.createElement("li");
        none.textContent = options.emptyLabel;
        none.setAttribute("aria-disabled", "true");
        list.appendChild(none);
      }
      var open = items.length > 0 || Boolean(options.emptyLabel);
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function lookup() {
      var query = input.value.trim();
      // One Latin letter matches thousands of titles; one Hangul letter is a real start.
      if (!query || /^[\x00-\x7f]$/.test(query)) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(options.url(query), { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
        .catch(function (error) { if (error.name !== "AbortError") close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, options.debounceMs || 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing && options.enterPicksFirst) {
        // Enter picks a suggestion; it never submits the form half-filled.
        if (items.length) {
          event.preventDefault();
          options.choose(items[active >= 0 ? active : 0].result);
        } else if (input.value.trim()) {
          event.preventDefault();
        }
        return;
      }
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !event.isComposing) {
        event.preventDefault();
        options.choose(items[active].result);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, options.blurCloseMs || 100); });
    return { close: close };
  }

  MoochuCombobox.label = label;
  window.MoochuCombobox = MoochuCombobox;
})();
