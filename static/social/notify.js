// Real-time notifications: one WebSocket per page to /ws/notifications/, updating the
// unread badges and showing a toast in base.html's aria-live overlay. Guarded so a second include does nothing.
(function () {
  "use strict";
  if (window.__moochuNotify) return;
  window.__moochuNotify = true;

  var badges = function () { return document.querySelectorAll("[data-notify-badge]"); };
  function setUnread(n) {
    badges().forEach(function (el) { el.textContent = String(n); el.hidden = !n; });
  }
  function toast(text, url) {
    var list = document.querySelector("[data-notify-list]");
    if (list) {
      var li = document.createElement("li");
      li.className = "unread list__item";
      var a = document.createElement("a");
      a.href = url || "#";
      a.className = "list__title";
      a.textContent = text; // textContent: user names never become markup
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    }
    if (window.Moochu && window.Moochu.toast) {
      window.Moochu.toast(text, { url: url || "#", attrs: { "data-notify-toast": "" } });
      return;
    }
    var box = document.querySelector("[data-notify-toasts]");
    if (!box) return;
    var item = document.createElement("a");
    item.className = "toast";
    item.href = url || "#";
    item.setAttribute("data-notify-toast", "");
    item.textContent = text;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }
  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/ws/notifications/");
    ws.onopen = function () { delay = 1000; document.documentElement.dataset.notifyReady = "1"; };
    ws.onmessage = function (e) {
      var data = JSON.parse(e.data);
      if (typeof data.unread === "number") setUnread(data.unread);
      if (data.notification) toast(data.notification.text, data.notification.url);
    };
    ws.onclose = function (e) {
      if (e.code === 4401) return; // signed out: do not retry
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
