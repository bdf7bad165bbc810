// Star rating forms (templates/components/star_input.html): save each tap at once.
// Without this script the form still works: pick a star and press Save.
(function () {
  "use strict";
  var DELAY_MS = 350; // arrow keys step through values: save the one the person stops on

  function saved(form, data) {
    var value = form.querySelector("[data-stars-value]");
    var clear = form.querySelector("[data-stars-clear]");
    value.textContent = data.label;
    if (clear) clear.hidden = !data.stars;
    if (!data.stars) {
      form.querySelectorAll("input[name=stars]").forEach(function (r) { r.checked = false; });
    }
    form.dataset.saved = data.stars ? String(data.stars) : "";
    form.dispatchEvent(new CustomEvent("moochu:rated", { bubbles: true, detail: data }));
  }

  function showError(form, message) {
    var p = form.querySelector(".star-form__error");
    if (!p) {
      p = document.createElement("p");
      p.className = "star-form__error";
      p.setAttribute("role", "alert");
      form.appendChild(p);
    }
    p.textContent = message;
  }

  function send(form, clear) {
    var body = new FormData(form);
    if (clear) {
      body.delete("stars");
      body.set("clear", "1");
    }
    form.dataset.busy = "1";
    var old = form.querySelector(".star-form__error");
    if (old) old.remove();
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.message || response.statusText);
          saved(form, data);
        });
      })
      .catch(function (error) {
        // Put the last saved value back so what is lit is what is stored.
        var previous = form.dataset.saved;
        form.querySelectorAll("input[name=stars]").forEach(function (r) {
          r.checked = previous !== "" && parseFloat(r.value) === parseFloat(previous);
        });
        showError(form, error.message);
      })
      .finally(function () { delete form.dataset.busy; });
  }

  function enhance(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    var checked = form.querySelector("input[name=stars]:checked");
    form.dataset.saved = checked ? checked.value : "";
    var timer = null;
    form.addEventListener("change", function (event) {
      if (event.target.name !== "stars") return;
      clearTimeout(timer);
      timer = setTimeout(function () { send(form, false); }, DELAY_MS);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      send(form, event.submitter && event.submitter.name === "clear");
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-stars-form]").forEach(enhance);
  }
  window.MoochuStars = { init: init };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
})();
