/* Room list: refresh live member counts and unread badges every 10 s from the API. */
(function () {
  "use strict";
  var list = document.querySelector('[data-role="room-list"]');
  if (!list) return;
  function refresh() {
    if (document.visibilityState !== "visible") return;
    fetch(list.dataset.api, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rooms) {
        rooms.forEach(function (room) {
          var item = list.querySelector('[data-room-id="' + room.id + '"]');
          if (!item) return;
          item.querySelector('[data-role="online"]').textContent = String(room.online);
          var unread = item.querySelector('[data-role="unread"]');
          if (unread) unread.textContent = String(room.unread);
        });
      })
      .catch(function () { /* offline: keep the last numbers */ });
  }
  setInterval(refresh, 10000);
})();
