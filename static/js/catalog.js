// Progressive enhancement of the catalog filters: the forms work as plain GET forms;
// with JavaScript they submit themselves a moment after a change.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-autosubmit]");
  Array.prototype.forEach.call(forms, function (form) {
    var timer = null;
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "number") return; // wait for Enter or the button
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        // Drop empty and default fields so shared URLs stay short.
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name) return;
          var isEmpty = el.value === "" && (el.type === "number" || el.type === "radio");
          var isDefault = el.hasAttribute("data-default") && (el.type === "hidden" || el.checked);
          var defaultOption = el.tagName === "SELECT" && el.selectedOptions.length &&
            el.selectedOptions[0].hasAttribute("data-default");
          if (isEmpty || isDefault || defaultOption) el.disabled = true;
        });
        form.submit();
      }, 350);
    });
  });
  // On wide screens the filter panel is always open; on phones it is a drawer that starts closed.
  var panel = document.getElementById("filters");
  if (panel && window.matchMedia("(max-width: 899px)").matches) {
    panel.open = false;
  }
})();
