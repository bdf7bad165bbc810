/* Chat layout only (chat.js keeps the protocol and the message rendering):
 *  - groups consecutive messages of one author (Discord style): .mc-msg--cont, one avatar per group;
 *  - tap on a message shows its actions on touch screens (.is-active);
 *  - a "new messages" button appears when a message arrives while the reader is scrolled up;
 *  - the member list, built from the presence names chat.js puts in the presence button's data-names,
 *    shown beside the stream on wide screens and as a sheet toggled by the "N online" button. */
(function () {
  "use strict";
  function initial(name) {
    var chars = Array.from((name || "?").trim());
    return chars.length ? chars[0] : "?";
  }
  function authorOf(li) {
    var a = li.querySelector(".mc-msg__author");
    return a ? a.textContent : "";
  }
  function regroup(list) {
    var prev = null;
    Array.prototype.forEach.call(list.children, function (li) {
      if (!li.classList.contains("mc-msg")) { prev = null; return; }
      if (!li.querySelector(".mc-msg__avatar")) {
        var av = document.createElement("span");
        av.className = "avatar mc-msg__avatar";
        av.setAttribute("aria-hidden", "true");
        av.dataset.name = "";  // a nickname's initial
        av.textContent = initial(authorOf(li));
        li.insertBefore(av, li.firstChild);
      }
      var cont = prev && authorOf(prev) === authorOf(li) && !li.querySelector(".mc-msg__replyto");
      li.classList.toggle("mc-msg--cont", !!cont);
      prev = li;
    });
  }
  function renderMembers(root, names) {
    var list = root.querySelector('[data-role="member-list"]');
    if (!list) return;
    list.textContent = "";
    names.forEach(function (name) {
      var li = document.createElement("li");
      li.className = "mc-chat__member";
      var av = document.createElement("span");
      av.className = "avatar avatar--s";
      av.setAttribute("aria-hidden", "true");
      av.dataset.name = "";  // a nickname's initial
      av.textContent = initial(name);
      var label = document.createElement("span");
      label.dataset.name = "";  // a nickname
      label.textContent = name;
      label.dir = "auto";
      li.appendChild(av);
      li.appendChild(label);
      list.appendChild(li);
    });
  }
  function setup(root) {
    var list = root.querySelector('[data-role="messages"]');
    if (list) {
      var jump = root.querySelector('[data-role="jump"]');
      var last = list.lastElementChild;
      var distance = function () { return list.scrollHeight - list.scrollTop - list.clientHeight; };
      new MutationObserver(function () {
        regroup(list);
        var newLast = list.lastElementChild;
        if (jump && newLast && newLast !== last && last && distance() > 80) jump.hidden = false;
        last = newLast;
      }).observe(list, { childList: true });
      regroup(list);
      if (jump) {
        list.addEventListener("scroll", function () { if (distance() < 40) jump.hidden = true; });
        jump.addEventListener("click", function () {
          list.scrollTop = list.scrollHeight;
          jump.hidden = true;
        });
      }
      list.addEventListener("click", function (e) {
        var li = e.target.closest(".mc-msg");
        if (!li || e.target.closest("button, a, .mc-spoiler, .mc-spoiler-inline")) return;
        var was = li.classList.contains("is-active");
        list.querySelectorAll(".mc-msg.is-active").forEach(function (x) { x.classList.remove("is-active"); });
        if (!was) li.classList.add("is-active");
      });
    }
    var presence = root.querySelector('[data-role="presence"]');
    if (presence) {
      var update = function () {
        var t = presence.getAttribute("data-names") || "";
        renderMembers(root, t ? t.split(", ") : []);
      };
      new MutationObserver(update).observe(presence, { attributes: true, attributeFilter: ["data-names"] });
      update();
    }
    root.querySelectorAll("[data-members-toggle]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var open = root.classList.toggle("members-open");
        if (presence) presence.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }
  // The composer stays above an on-screen keyboard. Where the keyboard resizes the page (Android
  // Chrome, with the viewport meta's interactive-widget=resizes-content) 100dvh already shrinks; where
  // it only covers the page (iOS Safari) just the visual viewport shrinks, so the room page's height
  // follows visualViewport.height through --app-height (CSSOM, which the CSP allows).
  function trackVisibleHeight() {
    var viewport = window.visualViewport;
    if (!viewport || !document.querySelector(".mc-room-page")) return;
    var root = document.documentElement;
    var update = function () {
      root.style.setProperty("--app-height", viewport.height + "px");
      // A keyboard, not a pinch-zoom: the layout viewport is much taller than what is visible.
      var covered = window.innerHeight - viewport.height > 120 && viewport.scale < 1.01;
      root.classList.toggle("keyboard-open", covered);
    };
    viewport.addEventListener("resize", update);
    update();
  }
  function start() {
    document.querySelectorAll("[data-moochu-chat]").forEach(setup);
    trackVisibleHeight();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
