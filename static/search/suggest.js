// Search-as-you-type for every <input data-suggest-url> (the combobox is static/js/combobox.js):
// a suggestion opens its title's page, or searches for it where it has no page.
(function () {
  "use strict";

  function attach(input) {
    if (input.dataset.suggestBound) return;
    input.dataset.suggestBound = "1";
    window.MoochuCombobox(input, {
      id: "search-suggest",
      listClass: "search-suggest",
      itemClass: "search-suggest__item",
      titleClass: "search-suggest__title",
      secondaryClass: "search-suggest__secondary",
      debounceMs: 120,
      blurCloseMs: 100,
      url: function (query) { return input.dataset.suggestUrl + "?q=" + encodeURIComponent(query); },
      choose: function (result) {
        if (result.url) {
          window.location.assign(result.url);
        } else if (input.form) {
          input.value = result.title;
          input.form.submit();
        }
      },
    });
  }

  function attachAll() {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
