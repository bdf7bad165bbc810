/* A watch party page (templates/parties/detail.html): the countdown to the start, the
 * viewer's position (typed, or following the party clock), timeline reactions and the bar.
 * The spoiler-safe part is the server's: this page only says where the viewer is, over the
 * chat socket (position.set), and draws what the server chose to send. */
(function () {
  "use strict";
  var root = document.querySelector("[data-party]");
  if (!root) return;
  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }
  var L = json("party-labels");
  var chatLabels = json("mc-chat-labels");
  function t(key, vars) {
    var s = L[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.replace("%(" + k + ")s", vars[k]); });
    return s;
  }
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // The server's clock minus ours: the countdown and the party clock follow the server.
  var skew = new Date(root.dataset.serverNow).getTime() - Date.now();
  function serverNow() { return Date.now() + skew; }
  function pad(n) { return String(n).padStart(2, "0"); }
  function clockText(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(sec);
  }
  function positionText(p) {
    return window.MoochuPositionText ? window.MoochuPositionText(p) : clockText(p[1]);
  }

  // ---- countdown (before the start) -----------------------------------------
  var countdown = root.querySelector("[data-countdown-text]");
  if (countdown) {
    var startsAt = new Date(root.dataset.startsAt).getTime();
    var tick = function () {
      var left = Math.round((startsAt - serverNow()) / 1000);
      if (left <= 0) {
        countdown.textContent = t("opening");
        clearInterval(timer);
        setTimeout(function () { location.reload(); }, 1500);
        return;
      }
      var days = Math.floor(left / 86400), rest = left % 86400;
      var h = Math.floor(rest / 3600), m = Math.floor((rest % 3600) / 60), s = rest % 60;
      // With reduced motion the digits do not tick every second: minutes are enough.
      var time = pad(h) + ":" + pad(m) + (reducedMotion ? "" : ":" + pad(s));
      countdown.textContent = t("starts_in", { time: (days ? t("days", { n: days }) + " " : "") + time });
    };
    var timer = setInterval(tick, reducedMotion ? 30000 : 1000);
    tick();
    return;
  }
  if (root.dataset.live !== "1") return;

  // ---- live: the chat socket, the position, reactions ------------------------
  var chatRoot = root.querySelector("[data-moochu-chat]");
  var form = root.querySelector("[data-position-form]");
  var status = root.querySelector("[data-position-now]");
  var follow = root.querySelector("[data-follow-clock]");
  var clockNode = root.querySelector("[data-clock-text]");
  var bar = root.querySelector("[data-timeline-bar]");
  var reactions = root.querySelector("[data-reactions]");
  var runtime = parseInt(root.dataset.runtimeS, 10) || 0;
  // The bar's length: the runtime, or three hours when the catalog does not know it.
  var barLength = runtime || 3 * 3600;
  var fixedEpisode = parseInt(root.dataset.episode, 10) || null;
  var clock = { s: parseInt(root.dataset.clockS, 10) || 0, running: root.dataset.clockRunning === "1", at: serverNow() };
  var shown = {};  // message ids already on the bar
  var lastSent = null;

  function chat() { return chatRoot && chatRoot.moochuChat; }
  function clockNow() {
    var s = clock.s + (clock.running ? (serverNow() - clock.at) / 1000 : 0);
    return runtime ? Math.min(s, runtime) : s;
  }
  function episodeValue() {
    if (fixedEpisode) return fixedEpisode;
    var input = root.querySelector("[data-episode-input]");
    var n = input ? parseInt(input.value, 10) : NaN;
    return isNaN(n) ? null : n;
  }
  function sendPosition(seconds, episode) {
    var c = chat();
    var frame = { type: "position.set", position_s: seconds, ref: "position" };
    if (episode != null) frame.episode = episode;
    if (c && c.send(frame)) { lastSent = seconds; return true; }
    status.textContent = t("offline");
    return false;
  }

  form.addEventListener("submit", function (e) {
    if (!chat() || !chat().ws || chat().ws.readyState !== 1) return; // no socket: the form posts
    e.preventDefault();
    var minutes = form.elements.minutes.value.trim();
    var seconds = form.elements.seconds.value.trim() || "0";
    // Whatever was typed goes to the server as typed: it answers every bad value in words.
    var m = Number(minutes), s = Number(seconds);
    var total = /^-?\d+$/.test(minutes) && /^\d+$/.test(seconds) && s < 60 ? m * 60 + (m < 0 ? 0 : s) : minutes + ":" + seconds;
    if (follow) follow.checked = false;
    sendPosition(total, episodeValue());
  });

  function markHere(position) {
    if (!bar || !position) return;
    var index = Math.min(23, Math.floor((position[1] / barLength) * 24));
    bar.querySelectorAll(".is-here").forEach(function (n) { n.classList.remove("is-here"); });
    var seg = bar.children[index];
    if (seg) seg.classList.add("is-here");
  }
  function placeReaction(m) {
    if (!bar || !m.position || shown[m.id] || m.deleted) return;
    shown[m.id] = true;
    var seg = bar.children[Math.min(23, Math.floor((m.position[1] / barLength) * 24))];
    if (!seg) return;
    var span = document.createElement("span");
    span.className = "party-bar__emoji";
    span.textContent = m.body;
    span.title = t("reaction_at", { emoji: m.body, at: positionText(m.position) });
    seg.classList.add("is-busy");
    if (seg.children.length < 3) seg.appendChild(span);
  }
  function showPosition(position, following) {
    if (!position) return;
    status.textContent = following ? t("following", { at: positionText(position) }) : t("you_are_at", { at: positionText(position) });
    markHere(position);
  }

  if (chatRoot) {
    chatRoot.addEventListener("moochu:frame", function (e) {
      var f = e.detail;
      if (f.type === "hello") {
        if (reactions) reactions.hidden = !f.you.can_post;
        showPosition(f.you.position, follow && follow.checked);
        f.messages.forEach(function (m) { if (m.kind === "reaction") placeReaction(m); });
      } else if (f.type === "message.created" && f.message.kind === "reaction") {
        placeReaction(f.message);
      } else if (f.type === "position.updated") {
        showPosition(f.position, follow && follow.checked);
      } else if (f.type === "error" && f.ref === "position") {
        status.textContent = (chatLabels.errors && chatLabels.errors[f.code]) || f.message;
      }
    });
  }

  if (reactions) {
    reactions.addEventListener("click", function (e) {
      var button = e.target.closest("[data-reaction]");
      if (!button || !chat()) return;
      chat().send({ type: "message.send", kind: "reaction", body: button.dataset.reaction, client_id: "r" + Date.now() });
    });
  }

  // ---- the party clock -------------------------------------------------------
  function drawClock() { if (clockNode) clockNode.textContent = clockText(clockNow()); }
  setInterval(function () {
    drawClock();
    if (follow && follow.checked) {
      var s = Math.floor(clockNow());
      if (lastSent === null || Math.abs(s - lastSent) >= 5) sendPosition(s, episodeValue() || (fixedEpisode || null));
    }
  }, reducedMotion ? 5000 : 1000);
  drawClock();
  if (follow) {
    follow.addEventListener("change", function () {
      if (follow.checked) { lastSent = null; sendPosition(Math.floor(clockNow()), episodeValue()); }
    });
  }
  // The host may pause or move the clock: re-read it now and then.
  setInterval(function () {
    fetch(root.dataset.api, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        skew = new Date(d.server_time).getTime() - Date.now();
        clock = { s: d.clock_s, running: d.clock_running, at: serverNow() };
        drawClock();
      })
      .catch(function () {});
  }, 20000);
})();
