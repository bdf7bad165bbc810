// Search-as-you-type for every <input data-suggest-url>. Suggests while a Korean
// syllable is still being composed ("기생ㅊ"), cancels stale requests, and works
// from the keyboard (↑ ↓ Enter Esc) as an ARIA combobox.
(function () {
  "use strict";

  var DEBOUNCE_MS = 120;
  var counter = 0;

  function attach(input) {
    if (input.dataset.suggestBound) return;
    input.dataset.suggestBound = "1";
    var listId = "search-suggest-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest";
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

    function go(result) {
      if (result.url) {
        window.location.assign(result.url);
      } else if (input.form) {
        input.value = result.title;
        input.form.submit();
      }
    }

    function render(results) {
      list.replaceChildren();
      items = results.map(function (result, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.className = "search-suggest__item";
        item.setAttribute("role", "option");
        var main = document.createElement("span");
        main.className = "search-suggest__title";
        main.textContent = result.title + (result.year ? " (" + result.year + ")" : "");
        item.appendChild(main);
        if (result.secondary_title) {
          var secondary = document.createElement("span");
          secondary.className = "search-suggest__secondary";
          secondary.textContent = result.secondary_title;
          item.appendChild(secondary);
        }
        // mousedown, not click: fires before the input's blur closes the list.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); go(result); });
        item.result = result;
        list.appendChild(item);
        return item;
      });
      active = -1;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      // One Latin letter matches thousands of titles; one Hangul letter is a real start.
      if (!query || /^[\x00-\x7f]$/.test(query)) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
        .catch(function (error) { if (error.name !== "AbortError") close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !event.isComposing) {
        event.preventDefault();
        go(items[active].result);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function attachAll() {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
