/* Moochu live chat client. Protocol: docs/chat-protocol.md.
 * All user text goes into the DOM through textContent: nothing a user types is parsed as HTML. */
(function () {
  "use strict";
  if (window.MoochuChat) return; // included twice on one page
  var labelsEl = document.getElementById("mc-chat-labels");
  var L = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  function t(key, vars) {
    var s = L[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.replace("%(" + k + ")s", vars[k]); });
    return s;
  }
  // Error codes (docs/chat-protocol.md) → the reader's language; the server's English text
  // is only a fallback for codes this page does not know yet.
  function errText(code, fallback) {
    return (L.errors && L.errors[code]) || fallback || code;
  }
  function timeText(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    var lang = document.documentElement.lang || undefined;
    var sameDay = d.toDateString() === new Date().toDateString();
    var opts = sameDay ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    return d.toLocaleString(lang, opts);
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  // [episode, second] → "1:02:03" (film) or "3화 12:05" / "E3 12:05" (series).
  function positionText(p) {
    var s = p[1], h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var clock = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
    return p[0] ? t("episode_at", { n: p[0], clock: clock }) : clock;
  }
  window.MoochuPositionText = positionText;
  // Close codes after which reconnecting cannot help (kicked, forbidden, no such room).
  var FINAL_CLOSES = { 4001: true, 4003: true, 4004: true };

  function MoochuChat(root) {
    this.root = root;
    this.wsPath = root.dataset.wsPath;
    this.q = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
    this.list = this.q("messages");
    this.input = this.q("input");
    this.lastSeq = null;
    this.firstSeq = null;
    this.attempt = 0;
    this.you = {};
    this.replyTo = null;
    this.lastTypingSent = 0;
    this.typingTimers = {};
    this.readTimer = null;
    this.nextClientId = 1;
    this.pending = null; // {clientId, body}: sent, not yet confirmed; the input keeps the text
    this.names = {}; // user id → name, for moderation notices
    this.cooldownUntil = 0;
    this.sendButton = this.q("send");
    this.bind();
  }

  MoochuChat.prototype.bind = function () {
    var self = this;
    this.q("form").addEventListener("submit", function (e) {
      e.preventDefault();
      var body = self.input.value.trim();
      if (!body) return;
      if (self.cooldownUntil > Date.now()) return; // the countdown says when
      // One message in flight at a time: a burst of Enter presses sends it once. A confirmation
      // lost to a reconnect frees the box after 10 s.
      if (self.pending && Date.now() - self.pending.at < 10000) return;
      var frame = { type: "message.send", body: body, client_id: "c" + Date.now() + "-" + self.nextClientId++ };
      if (self.replyTo) frame.reply_to = self.replyTo.id;
      if (self.q("spoiler").checked) frame.spoiler = true;
      // The text stays in the box until the server confirms the message (message.created with
      // our client_id): a refusal (rate limit, slow mode, blocked word, mute) never loses it.
      if (self.send(frame)) {
        self.pending = { clientId: frame.client_id, body: body, at: Date.now() };
      } else {
        self.notice(errText("unavailable"));
      }
    });
    this.q("slow-select").addEventListener("change", function (e) {
      self.send({ type: "mod.slow_mode", seconds: parseInt(e.target.value, 10) || 0 });
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".mc-mod-menu")) self.closeMenus();
    });
    this.input.addEventListener("input", function () {
      var now = Date.now();
      if (now - self.lastTypingSent > 3000) { self.lastTypingSent = now; self.send({ type: "typing" }); }
    });
    this.q("older").addEventListener("click", function () {
      if (self.firstSeq) self.send({ type: "history", before_seq: self.firstSeq });
    });
    this.q("reply-cancel").addEventListener("click", function () { self.setReply(null); });
    window.addEventListener("online", function () { if (!self.ws || self.ws.readyState > 1) self.connect(); });
  };

  MoochuChat.prototype.setState = function (state, text) {
    var node = this.q("state");
    node.dataset.state = state;
    node.textContent = text;
    this.root.dataset.state = state;
  };

  MoochuChat.prototype.connect = function () {
    var self = this;
    clearTimeout(this.retryTimer);
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    // A progress-synced room always starts from a fresh page: what is held back is not "seen".
    var resume = this.lastSeq != null && !this.progressSync;
    var url = scheme + location.host + this.wsPath + (resume ? "?last_seq=" + this.lastSeq : "");
    this.setState("connecting", t("connecting"));
    var ws = (this.ws = new WebSocket(url));
    ws.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      self.handle(frame);
    };
    ws.onclose = function (e) {
      clearInterval(self.heartbeat);
      if (ws !== self.ws) return;
      if (FINAL_CLOSES[e.code]) {
        self.setState("closed", t("closed"));
        self.q("form").hidden = true;
        if (e.code === 4001) self.setStatus(t("kicked_notice"));
        else if (e.code === 4003 && !self.statusShown) self.setStatus(t("banned_notice"));
        return;
      }
      // Exponential backoff with full jitter, capped at 30 s: a restarting server is
      // not stampeded by every client at once.
      var delay = Math.min(30000, 500 * Math.pow(2, self.attempt)) * (0.5 + Math.random() / 2);
      self.attempt += 1;
      self.setState("reconnecting", t("reconnecting", { s: Math.ceil(delay / 1000) }));
      self.retryTimer = setTimeout(function () { self.connect(); }, delay);
    };
  };

  MoochuChat.prototype.send = function (frame) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  };

  MoochuChat.prototype.handle = function (f) {
    this.handleFrame(f);
    // Pages built around a room (a watch party) follow the same frames.
    this.root.dispatchEvent(new CustomEvent("moochu:frame", { detail: f }));
  };

  MoochuChat.prototype.handleFrame = function (f) {
    var self = this;
    switch (f.type) {
      case "hello":
        this.attempt = 0;
        this.progressSync = !!f.room_info.progress_sync;
        this.you = f.you;
        this.ownerId = f.room_info.owner_id;
        this.setState("connected", t("connected"));
        this.roomId = f.room;
        if (f.you.id) this.names[f.you.id] = f.you.name;
        this.q("form").hidden = false;
        this.applyAccess(f.you);
        this.setSlowMode(f.room_info.slow_mode_seconds);
        var tools = this.q("modtools");
        tools.hidden = !f.you.can_moderate;
        if (f.you.can_moderate) {
          this.q("modpage").href = "/chat/rooms/" + f.room + "/moderation/";
          this.q("slow-select").value = String(f.room_info.slow_mode_seconds);
        }
        if (f.resumed_from == null || f.reset) { this.list.textContent = ""; this.firstSeq = null; }
        f.messages.forEach(function (m) { self.append(m); });
        if (this.firstSeq == null && f.messages.length) this.firstSeq = f.messages[0].seq;
        this.q("older").hidden = !f.has_more || f.resumed_from != null;
        this.setPresence(f.presence);
        clearInterval(this.heartbeat);
        this.heartbeat = setInterval(function () { self.send({ type: "ping", ts: Date.now() }); }, (f.heartbeat_s || 15) * 1000);
        this.markRead();
        break;
      case "message.created":
        if (this.pending && f.message.client_id === this.pending.clientId && f.message.author && f.message.author.id === this.you.id) {
          // Confirmed: now the box may be emptied (unless the user already typed something new).
          if (this.input.value.trim() === this.pending.body) this.input.value = "";
          this.q("spoiler").checked = false;
          this.setReply(null);
          this.pending = null;
          if (this.slowSeconds && !this.you.can_moderate) this.startCooldown(this.slowSeconds);
        }
        this.append(f.message);
        this.clearTyping(f.message.author && f.message.author.id);
        this.markRead();
        break;
      case "message.updated":
        var old = this.list.querySelector('[data-id="' + f.message.id + '"]');
        if (old) old.replaceWith(this.render(f.message));
        break;
      case "reaction.updated":
        var item = this.list.querySelector('[data-id="' + f.message_id + '"]');
        if (item) item.querySelector(".mc-msg__reactions").replaceWith(this.renderReactions(f.message_id, f.reactions));
        break;
      case "history":
        var first = this.list.firstChild;
        f.messages.forEach(function (m) { self.list.insertBefore(self.render(m), first); });
        if (f.messages.length) this.firstSeq = f.messages[0].seq;
        this.q("older").hidden = !f.has_more;
        break;
      case "presence":
        this.setPresence(f);
        break;
      case "typing":
        if (f.user.id !== this.you.id) this.showTyping(f.user);
        break;
      case "member.sanctioned":
        this.onSanction(f);
        break;
      case "room.updated":
        this.setSlowMode(f.slow_mode_seconds);
        if (this.you.can_moderate) this.q("slow-select").value = String(f.slow_mode_seconds);
        break;
      case "error":
        this.onError(f);
        break;
    }
  };

  // ---- access, sanctions, errors ------------------------------------------
  MoochuChat.prototype.applyAccess = function (you) {
    this.input.disabled = !you.can_post;
    this.sendButton.disabled = !you.can_post;
    if (you.can_post) { this.setStatus(""); return; }
    if (you.reason === "muted") this.showMuted(you.muted_until);
    else if (you.reason === "login_required") this.input.placeholder = t("login_to_chat");
    else this.setStatus(errText(you.reason || "forbidden"));
  };

  MoochuChat.prototype.setStatus = function (text) {
    var node = this.q("status");
    node.textContent = text;
    node.hidden = !text;
    node.dataset.kind = text ? "sanction" : "";
    this.statusShown = !!text;
  };

  MoochuChat.prototype.showMuted = function (until) {
    var self = this;
    this.input.disabled = true;
    this.sendButton.disabled = true;
    this.setStatus(until ? t("muted", { until: timeText(until) }) : t("muted_forever"));
    clearTimeout(this.unmuteTimer);
    if (until) {
      var wait = new Date(until).getTime() - Date.now();
      // setTimeout caps near 24.8 days; longer mutes simply stay until a reload.
      if (wait > 0 && wait < 2147483000) this.unmuteTimer = setTimeout(function () { self.unmute(); }, wait + 500);
    }
  };

  MoochuChat.prototype.unmute = function () {
    clearTimeout(this.unmuteTimer);
    this.you.can_post = true;
    this.input.disabled = false;
    this.sendButton.disabled = this.cooldownUntil > Date.now();
    this.setStatus("");
    this.notice(t("mute_lifted"));
  };

  MoochuChat.prototype.onSanction = function (f) {
    if (f.user_id === this.you.id) {
      if (f.action === "mute") { this.you.can_post = false; this.showMuted(f.until); }
      else if (f.action === "ban") this.setStatus(t("banned_notice"));
      else if (f.action === "kick") this.setStatus(t("kicked_notice"));
      else if (f.action === "lift") this.unmute();
      return;
    }
    if (!this.you.can_moderate) return;
    var name = this.names[f.user_id] || "#" + f.user_id;
    if (f.action === "mute") this.notice(f.until ? t("sanction_mute", { name: name, until: timeText(f.until) }) : t("sanction_mute_forever", { name: name }));
    else if (f.action === "ban") this.notice(t("sanction_ban", { name: name }));
    else if (f.action === "kick") this.notice(t("sanction_kick", { name: name }));
  };

  MoochuChat.prototype.onError = function (f) {
    var mine = this.pending && f.client_id && f.client_id === this.pending.clientId;
    if (mine) this.pending = null; // refused: the text is still in the box
    if (f.code === "muted") { this.you.can_post = false; this.showMuted(this.you.muted_until); return; }
    if (f.code === "banned" || f.code === "invite_only") { this.setStatus(errText(f.code)); return; }
    var text = errText(f.code, f.message);
    if (f.retry_after) {
      this.startCooldown(f.retry_after);
      text += " " + t("kept_text");
    }
    this.notice(text);
  };

  // A countdown beside the composer: the send button waits, the typed text stays.
  MoochuChat.prototype.startCooldown = function (seconds) {
    var self = this;
    this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + seconds * 1000);
    this.sendButton.disabled = true;
    clearInterval(this.cooldownTimer);
    var tick = function () {
      var left = Math.ceil((self.cooldownUntil - Date.now()) / 1000);
      var line = self.q("slow");
      if (left <= 0) {
        clearInterval(self.cooldownTimer);
        self.cooldownUntil = 0;
        self.sendButton.disabled = !self.you.can_post;
        self.setSlowMode(self.slowSeconds);
        return;
      }
      line.hidden = false;
      line.textContent = t("slow_wait", { s: left });
      line.dataset.countdown = String(left);
    };
    tick();
    this.cooldownTimer = setInterval(tick, 250);
  };

  MoochuChat.prototype.setSlowMode = function (seconds) {
    this.slowSeconds = seconds || 0;
    if (this.cooldownUntil > Date.now()) return; // the countdown line is showing
    var line = this.q("slow");
    line.hidden = !this.slowSeconds;
    line.textContent = this.slowSeconds ? t("slow_on", { s: this.slowSeconds }) : "";
    delete line.dataset.countdown;
  };

  // ---- moderator menu on a message ---------------------------------------
  MoochuChat.prototype.closeMenus = function () {
    this.root.querySelectorAll(".mc-mod-menu__list").forEach(function (list) {
      list.hidden = true;
      list.previousSibling.setAttribute("aria-expanded", "false");
    });
    this.root.querySelectorAll(".has-open-menu").forEach(function (li) { li.classList.remove("has-open-menu"); });
  };

  MoochuChat.prototype.renderModMenu = function (m) {
    var self = this;
    var wrap = el("span", "mc-mod-menu");
    var toggle = el("button", "mc-msg__action", t("moderate") + " ▾");
    toggle.type = "button";
    toggle.setAttribute("aria-haspopup", "true");
    toggle.setAttribute("aria-expanded", "false");
    toggle.dataset.role = "mod-toggle";
    var list = el("ul", "mc-mod-menu__list");
    list.hidden = true;
    var name = m.author.name;
    var item = function (label, role, fn, danger) {
      var li = el("li");
      var b = el("button", danger ? "is-danger" : "", label);
      b.type = "button";
      b.dataset.role = role;
      b.addEventListener("click", function () { self.closeMenus(); fn(); });
      li.appendChild(b);
      list.appendChild(li);
    };
    item(t("delete"), "mod-delete", function () { self.send({ type: "message.delete", message_id: m.id }); });
    // The owner cannot be muted, kicked or banned (the server says so too): not offered.
    if (m.author.id === this.ownerId) return this.finishModMenu(wrap, toggle, list);
    item(t("mute_10m"), "mod-mute-10m", function () { self.send({ type: "mod.mute", user_id: m.author.id, seconds: 600 }); });
    item(t("mute_1h"), "mod-mute-1h", function () { self.send({ type: "mod.mute", user_id: m.author.id, seconds: 3600 }); });
    item(t("kick"), "mod-kick", function () {
      if (window.confirm(t("confirm_kick", { name: name }))) self.send({ type: "mod.kick", user_id: m.author.id });
    }, true);
    item(t("ban"), "mod-ban", function () {
      if (window.confirm(t("confirm_ban", { name: name }))) self.send({ type: "mod.ban", user_id: m.author.id });
    }, true);
    return this.finishModMenu(wrap, toggle, list);
  };

  MoochuChat.prototype.finishModMenu = function (wrap, toggle, list) {
    var self = this;
    toggle.addEventListener("click", function (e) {
      e.stopPropagation();
      var open = list.hidden;
      self.closeMenus();
      list.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) wrap.closest(".mc-msg").classList.add("has-open-menu");
      if (open) list.querySelector("button").focus();
    });
    list.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { self.closeMenus(); toggle.focus(); }
    });
    wrap.appendChild(toggle);
    wrap.appendChild(list);
    return wrap;
  };

  MoochuChat.prototype.notice = function (text) {
    var node = this.q("notice");
    node.textContent = text;
    node.hidden = false;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(function () { node.hidden = true; }, 5000);
  };

  MoochuChat.prototype.setPresence = function (p) {
    // Snapshots from different server processes may arrive out of order: keep the newest.
    if (this.presenceTs && p.ts < this.presenceTs) return;
    this.presenceTs = p.ts;
    this.q("presence-count").textContent = String(p.count);
    // Who is online: chat-layout.js lists them in the member list this button opens (each
    // nickname marked as a name there, rather than an unmarked tooltip of nicknames).
    this.q("presence").dataset.names = p.users.map(function (u) { return u.name; }).join(", ");
  };

  MoochuChat.prototype.showTyping = function (user) {
    var self = this;
    clearTimeout(this.typingTimers[user.id]);
    this.typingTimers[user.id] = { name: user.name, timer: setTimeout(function () { self.clearTyping(user.id); }, 4000) };
    this.renderTyping();
  };
  MoochuChat.prototype.clearTyping = function (userId) {
    if (userId == null || !this.typingTimers[userId]) return;
    clearTimeout(this.typingTimers[userId].timer);
    delete this.typingTimers[userId];
    this.renderTyping();
  };
  MoochuChat.prototype.renderTyping = function () {
    var self = this;
    var names = Object.keys(this.typingTimers).map(function (k) { return self.typingTimers[k].name; });
    this.q("typing").textContent = names.length ? t("typing", { name: names.join(", ") }) : "";
  };

  MoochuChat.prototype.append = function (m) {
    if (m.kind === "reaction") return; // an emoji on the party's timeline bar, not a chat line
    if (this.lastSeq != null && m.seq <= this.lastSeq) {
      // In a progress-synced room a message released when the viewer caught up comes after
      // later-seq ones: place it by seq. Anything already shown is a duplicate.
      if (!this.progressSync || this.list.querySelector('[data-seq="' + m.seq + '"]')) return;
      var after = Array.prototype.find.call(this.list.children, function (li) { return Number(li.dataset.seq) > m.seq; });
      this.list.insertBefore(this.render(m), after || null);
      return;
    }
    var nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    this.list.appendChild(this.render(m));
    this.lastSeq = m.seq;
    if (nearBottom || (m.author && m.author.id === this.you.id)) this.list.scrollTop = this.list.scrollHeight;
  };

  MoochuChat.prototype.markRead = function () {
    var self = this;
    if (!this.you.id || this.lastSeq == null) return;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(function () {
      if (document.visibilityState === "visible") self.send({ type: "read", seq: self.lastSeq });
    }, 1000);
  };

  // ||text|| → inline spoiler spans; everything stays text nodes.
  MoochuChat.prototype.renderBody = function (body) {
    var wrap = el("span", "mc-msg__body ugc");  // what people wrote (design system: .ugc)
    wrap.dir = "auto";
    body.split("||").forEach(function (part, i, parts) {
      if (i % 2 === 1 && i < parts.length - 1) {
        var s = el("span", "mc-spoiler-inline", part);
        s.title = t("spoiler");
        s.tabIndex = 0;
        s.addEventListener("click", function () { s.classList.add("is-revealed"); });
        wrap.appendChild(s);
      } else {
        wrap.appendChild(document.createTextNode(i % 2 === 1 ? "||" + part : part));
      }
    });
    return wrap;
  };

  MoochuChat.prototype.render = function (m) {
    var self = this;
    var li = el("li", "mc-msg");
    li.dataset.id = m.id;
    li.dataset.seq = m.seq;
    var mine = m.author && m.author.id === this.you.id;
    if (m.author) this.names[m.author.id] = m.author.name;
    if (mine) li.classList.add("mc-msg--mine");
    if (m.mentions.indexOf(this.you.id) >= 0) li.classList.add("mc-msg--mention");
    if (m.reply_to) {
      var replyTo = el("div", "mc-msg__replyto", "↪ ");
      if (m.reply_to.spoiler && !this.you.watched) replyTo.appendChild(document.createTextNode(t("spoiler")));
      else replyTo.appendChild(el("span", "ugc", m.reply_to.excerpt));
      li.appendChild(replyTo);
    }
    if (m.position) li.appendChild(el("span", "mc-msg__at", positionText(m.position)));
    var author = el("span", "mc-msg__author", m.author ? m.author.name : "—");
    author.dataset.name = "";  // a nickname (the page tour's and translators' marker)
    author.dir = "auto";
    li.appendChild(author);
    if (m.deleted) {
      li.appendChild(el("span", "mc-msg__body mc-msg__body--deleted", t("deleted")));
      return li;
    }
    var body = this.renderBody(m.body);
    // Spoiler-flagged messages stay blurred for people who have not watched the title.
    if (m.spoiler && !this.you.watched) {
      body.classList.add("mc-spoiler");
      body.title = t("spoiler");
      body.tabIndex = 0;
      body.addEventListener("click", function () { body.classList.add("is-revealed"); });
    }
    li.appendChild(body);
    if (m.edited) li.appendChild(el("span", "mc-msg__edited", t("edited")));
    li.appendChild(this.renderReactions(m.id, m.reactions));
    if (this.you.id) {
      var actions = el("span", "mc-msg__actions");
      var add = function (label, fn) {
        var b = el("button", "mc-msg__action", label);
        b.type = "button";
        b.addEventListener("click", fn);
        actions.appendChild(b);
      };
      add(t("reply"), function () { self.setReply(m); });
      add("👍", function () { self.send({ type: "reaction.toggle", message_id: m.id, emoji: "👍" }); });
      add("😂", function () { self.send({ type: "reaction.toggle", message_id: m.id, emoji: "😂" }); });
      if (mine) {
        add(t("edit"), function () {
          var body2 = window.prompt(t("edit_prompt"), m.body);
          if (body2 && body2.trim()) self.send({ type: "message.edit", message_id: m.id, body: body2 });
        });
      }
      if (mine) {
        add(t("delete"), function () { self.send({ type: "message.delete", message_id: m.id }); });
      }
      if (mine || this.you.can_moderate) {
        add(m.spoiler ? t("unmark_spoiler") : t("mark_spoiler"), function () {
          self.send({ type: "message.spoiler", message_id: m.id, spoiler: !m.spoiler });
        });
      }
      if (!mine) {
        add(t("report"), function () {
          var reason = window.prompt(t("report_reason"));
          if (reason) self.send({ type: "report", message_id: m.id, reason: reason });
        });
      }
      // Moderators: delete, mute 10 min / 1 hour, kick, ban, from the message's menu.
      if (!mine && m.author && this.you.can_moderate) actions.appendChild(this.renderModMenu(m));
      li.appendChild(actions);
    }
    return li;
  };

  MoochuChat.prototype.renderReactions = function (messageId, reactions) {
    var self = this;
    var box = el("span", "mc-msg__reactions");
    reactions.forEach(function (r) {
      var b = el("button", "mc-reaction", r.emoji + " " + r.count);
      b.type = "button";
      if (r.user_ids.indexOf(self.you.id) >= 0) b.classList.add("is-mine");
      b.addEventListener("click", function () { self.send({ type: "reaction.toggle", message_id: messageId, emoji: r.emoji }); });
      box.appendChild(b);
    });
    return box;
  };

  MoochuChat.prototype.setReply = function (m) {
    this.replyTo = m;
    this.q("reply").hidden = !m;
    this.q("reply-text").textContent = m ? t("replying_to", { name: m.author ? m.author.name : "—" }) : "";
    if (m) this.input.focus();
  };

  window.MoochuChat = MoochuChat;
  function start() {
    document.querySelectorAll("[data-moochu-chat]").forEach(function (root) {
      if (!root.moochuChat) { root.moochuChat = new MoochuChat(root); root.moochuChat.connect(); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
