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
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
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
    this.bind();
  }

  MoochuChat.prototype.bind = function () {
    var self = this;
    this.q("form").addEventListener("submit", function (e) {
      e.preventDefault();
      var body = self.input.value.trim();
      if (!body) return;
      var frame = { type: "message.send", body: body, client_id: "c" + Date.now() + "-" + self.nextClientId++ };
      if (self.replyTo) frame.reply_to = self.replyTo.id;
      if (self.q("spoiler").checked) frame.spoiler = true;
      if (self.send(frame)) {
        self.input.value = "";
        self.q("spoiler").checked = false;
        self.setReply(null);
      }
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
    var url = scheme + location.host + this.wsPath + (this.lastSeq != null ? "?last_seq=" + this.lastSeq : "");
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
      if (FINAL_CLOSES[e.code]) { self.setState("closed", t("closed")); self.q("form").hidden = true; return; }
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
    var self = this;
    switch (f.type) {
      case "hello":
        this.attempt = 0;
        this.you = f.you;
        this.setState("connected", t("connected"));
        this.q("form").hidden = false;
        this.input.disabled = !f.you.can_post;
        this.input.placeholder = f.you.can_post ? this.input.placeholder : t("login_to_chat");
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
        if (f.user_id === this.you.id && f.action === "mute") {
          this.input.disabled = true;
          this.notice(t("muted", { until: f.until || "∞" }));
        }
        break;
      case "room.updated":
        break;
      case "error":
        var text = f.message;
        if (f.retry_after) text += " " + t("retry_in", { s: Math.ceil(f.retry_after) });
        this.notice(text);
        break;
    }
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
    this.q("presence").title = p.users.map(function (u) { return u.name; }).join(", ");
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
    if (this.lastSeq != null && m.seq <= this.lastSeq) return; // duplicate
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
    var wrap = el("span", "mc-msg__body");
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
    if (mine) li.classList.add("mc-msg--mine");
    if (m.mentions.indexOf(this.you.id) >= 0) li.classList.add("mc-msg--mention");
    if (m.reply_to) li.appendChild(el("div", "mc-msg__replyto", "↪ " + (m.reply_to.spoiler && !this.you.watched ? t("spoiler") : m.reply_to.excerpt)));
    li.appendChild(el("span", "mc-msg__author", m.author ? m.author.name : "—"));
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
      if (mine || this.you.can_moderate) {
        add(t("delete"), function () { self.send({ type: "message.delete", message_id: m.id }); });
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
