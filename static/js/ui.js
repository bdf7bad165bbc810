/* Moochu UI behaviours shared by every page (loaded with defer from base.html). All optional:
 * pages work without JavaScript.
 *   window.Moochu.toast(text, {url, kind, timeout})  → a toast in the aria-live overlay [data-toasts]
 *   [data-dialog-open="ID"]   opens <dialog id="ID" class="dialog"> as a modal; [data-dialog-close] closes it;
 *                             a click on the backdrop closes it too.
 *   textarea/input[maxlength][data-counter]  → keeps its .field__counter ("12 / 500") up to date
 *   details.menu              → closes on Escape and on a click outside
 *   details[data-drawer]      → on phones, closes on Escape and on a tap outside it
 *   img[data-fallback]        → on a load error shows that URL instead (posters → generated placeholder);
 *                             any other uploaded poster (…/posters/…) → body[data-poster-fallback]
 *   .form-errors[data-focus]  → receives focus on load, so screen readers read the summary first
 */
(function () {
  "use strict";
  var Moochu = (window.Moochu = window.Moochu || {});

  Moochu.toast = function (text, opts) {
    opts = opts || {};
    var region = document.querySelector("[data-toasts]");
    if (!region) return null;
    var item = document.createElement(opts.url ? "a" : "div");
    item.className = "toast" + (opts.kind ? " toast--" + opts.kind : "");
    if (opts.url) item.href = opts.url;
    item.textContent = text; // textContent: user names never become markup
    if (opts.attrs) Object.keys(opts.attrs).forEach(function (k) { item.setAttribute(k, opts.attrs[k]); });
    region.appendChild(item);
    var timeout = opts.timeout == null ? 8000 : opts.timeout;
    if (timeout) setTimeout(function () { item.remove(); }, timeout);
    return item;
  };

  function closestAttr(node, attr) {
    return node && node.closest ? node.closest("[" + attr + "]") : null;
  }

  document.addEventListener("click", function (e) {
    var opener = closestAttr(e.target, "data-dialog-open");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && typeof dialog.showModal === "function") {
        e.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = closestAttr(e.target, "data-dialog-close");
    if (closer) {
      var d = closer.closest("dialog");
      if (d) { e.preventDefault(); d.close(); }
      return;
    }
    if (e.target.tagName === "DIALOG" && e.target.classList.contains("dialog")) {
      var r = e.target.getBoundingClientRect();
      var inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
      if (!inside) e.target.close();
    }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(e.target)) menu.open = false;
    });
    // A drawer (the catalog filters on phones) closes on a tap on the dimmed page around it.
    if (window.matchMedia("(max-width: 899px)").matches) {
      document.querySelectorAll("details[data-drawer][open]").forEach(function (drawer) {
        if (!drawer.contains(e.target)) { e.preventDefault(); drawer.open = false; }
      });
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details.menu[open], details.filters[open][data-drawer]").forEach(function (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  function counter(field) {
    var out = document.getElementById(field.getAttribute("data-counter"));
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!out || !max) return;
    var update = function () {
      var n = field.value.length;
      out.textContent = n + " / " + max;
      if (n >= max) out.setAttribute("data-over", ""); else out.removeAttribute("data-over");
    };
    field.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("[data-counter]").forEach(counter);

  document.querySelectorAll("dialog.dialog[data-open-on-load]").forEach(function (d) {
    if (typeof d.showModal === "function") d.showModal();
  });

  // A poster whose file is missing falls back once: to its title's generated placeholder where the
  // template names one (data-fallback), else to the generic one base.html names on <body>.
  function fallbackOf(img) {
    if (img.dataset.fallback) return img.dataset.fallback;
    var uploaded = /\/posters\/[^/]+$/.test(new URL(img.currentSrc || img.src, location.href).pathname);
    return uploaded ? document.body.dataset.posterFallback : "";
  }
  function fallBack(img) {
    var url = fallbackOf(img);
    if (!url || img.dataset.fellBack) return;
    img.dataset.fellBack = "1";
    img.src = url;
  }
  document.addEventListener("error", function (e) {
    if (e.target.tagName === "IMG") fallBack(e.target);
  }, true);
  document.querySelectorAll("img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) fallBack(img);
  });

  var summary = document.querySelector(".form-errors[data-focus]");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
})();
