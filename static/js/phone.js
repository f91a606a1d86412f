// The live pages (phone, presenter, control panel): connection status,
// reconnecting, the server's countdown, and answers that are retried until
// the server acknowledges them. Texts come translated in data- attributes.
// Exercise kinds add their own behaviour through window.Samling (kinds.js).
(function () {
  "use strict";
  var offset = 0; // server clock minus this device's clock, in ms
  var OK_CODES = [1000, 1008];

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // Reconnect quickly, never waiting more than 5 s, jittered so a room of
  // phones does not come back in one burst.
  function reconnectDelay(retries) {
    var cap = Math.min(5000, 500 * Math.pow(2, retries));
    return cap / 2 + Math.random() * cap / 2;
  }
  if (window.htmx) window.htmx.config.wsReconnectDelay = reconnectDelay;

  function setStatus(state) {
    var box = document.getElementById("connection");
    if (!box) return;
    box.dataset.state = state;
    box.textContent = box.dataset[state] || "";
  }

  // The phone's own token and a fresh idempotency key go into forms that were
  // rendered once for every phone.
  function fillForms(root) {
    var live = document.getElementById("live");
    var token = live ? live.dataset.token : "";
    (root || document).querySelectorAll("form[data-retry]").forEach(function (form) {
      var csrf = form.querySelector("input[name=csrf_token]");
      if (csrf && !csrf.value && token) csrf.value = token;
      var key = form.querySelector("input[name=idem_key]");
      if (key && !key.value) key.value = randomKey();
    });
  }

  // Every message starts with the server's clock (#server-now).
  function syncClock() {
    var marker = document.getElementById("server-now") || document.querySelector("[data-server-now]");
    if (marker) offset = Number(marker.dataset.serverNow) - Date.now();
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    document.querySelectorAll(".countdown[data-ends-at]").forEach(function (el) {
      var left = Number(el.dataset.endsAt) - (Date.now() + offset);
      var seconds = Math.max(0, Math.ceil(left / 1000));
      el.textContent = Math.floor(seconds / 60) + ":" + pad(seconds % 60);
      el.classList.toggle("over", seconds === 0);
    });
  }

  // A screen that connects while answers arrive may get one both in its full
  // state and in the next append: keep the first.
  function dropDuplicates() {
    var seen = {};
    document.querySelectorAll("li[id^=answer-], li[id^=response-]").forEach(function (el) {
      if (seen[el.id]) el.parentNode.removeChild(el);
      else seen[el.id] = true;
    });
  }

  // Text a phone is typing survives pushes that re-render its form (a new
  // point from the group, +1 min on the timer): kept by field and form.
  var typing = {};
  function typingKey(field) {
    var form = field.form;
    return field.id + "@" + (form ? form.getAttribute("action") : "");
  }
  function forget(form) {
    form.querySelectorAll("textarea, input[type=text], input:not([type])").forEach(function (field) {
      delete typing[typingKey(field)];
    });
  }
  // An edit keeps the version of the response it was begun on: a push that re-renders
  // the form with a newer version (another phone saved the same point) must not make
  // the edit overwrite that change; the server refuses it as stale and says so.
  function versionOf(form) {
    var version = form.querySelector("input[name=version]");
    return version ? version.value : null;
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.id && field.form && field.form.hasAttribute("data-retry") &&
        (field.tagName === "TEXTAREA" || field.type === "text")) {
      var key = typingKey(field);
      var begun = typing[key] ? typing[key].version : versionOf(field.form);
      typing[key] = {value: field.value, version: begun};
    }
  });
  function restoreTyping() {
    var focused = document.activeElement;
    Object.keys(typing).forEach(function (key) {
      var id = key.split("@")[0];
      var field = document.getElementById(id);
      if (!field || typingKey(field) !== key) return;
      var kept = typing[key];
      if (field.value !== kept.value) field.value = kept.value;
      var version = field.form && field.form.querySelector("input[name=version]");
      if (version && kept.version !== null && version.value !== kept.version) {
        version.value = kept.version;
      }
    });
    return focused;
  }
  // Where the focus is, and the caret in a text field: a push that re-renders the part
  // of the page around it puts both back on the field with the same id.
  // A control without an id of its own is found again as the nth control inside its
  // nearest ancestor with one (a point's Delete button inside the point).
  var CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  function pathOf(el) {
    if (!el || el === document.body) return null;
    if (el.id) return { id: el.id };
    var anchor = el.parentElement && el.parentElement.closest("[id]");
    if (!anchor) return null;
    var index = Array.prototype.indexOf.call(anchor.querySelectorAll(CONTROLS), el);
    return index < 0 ? null : { anchor: anchor.id, index: index };
  }
  function find(path) {
    if (!path) return null;
    if (path.id) return document.getElementById(path.id);
    var anchor = document.getElementById(path.anchor);
    return anchor ? anchor.querySelectorAll(CONTROLS)[path.index] || null : null;
  }
  var focusedAt = null;
  var caret = null;
  function remember(el) {
    focusedAt = pathOf(el);
    caret = null;
    if (el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") &&
        typeof el.selectionStart === "number") {
      caret = [el.selectionStart, el.selectionEnd, el.selectionDirection];
    }
  }
  document.addEventListener("focusin", function (event) { remember(event.target); });
  ["input", "keyup", "mouseup", "select"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target === document.activeElement) remember(event.target);
    }, true);
  });
  function focusLost() {
    var now = document.activeElement;
    return !now || now === document.body || !document.documentElement.contains(now);
  }
  // Focus a control again (keepCaret: and the caret where it was); for one inside a
  // closed Edit box (its form was sent) the box's summary takes the focus.
  function focusOn(el, keepCaret) {
    if (!el || el.disabled || el.closest("[hidden]")) return false;
    var at = caret; // focusing remembers the fresh field's own caret
    var box = el.closest("details");
    if (box && !box.open && el.tagName !== "SUMMARY") el = box.querySelector("summary") || el;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) return false;
    if (keepCaret && at && el.setSelectionRange) {
      try { el.setSelectionRange(at[0], at[1], at[2]); } catch (e) { /* no caret */ }
    }
    remember(el);
    return true;
  }
  // An Edit box someone opened stays open when a push re-renders it.
  // Only the phone's own opening counts (its summary pressed, by a key or a tap: a click),
  // not ours; a box whose form is sent is done with.
  var openBoxes = {};
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("summary");
    var box = summary && summary.parentElement;
    if (!box || box.tagName !== "DETAILS" || !box.id) return;
    if (box.open) delete openBoxes[box.id];
    else openBoxes[box.id] = true;
  }, true);
  document.addEventListener("submit", function (event) {
    var box = event.target.closest && event.target.closest("details");
    if (box && box.id) delete openBoxes[box.id];
  }, true);
  function reopenBoxes() {
    Object.keys(openBoxes).forEach(function (id) {
      var box = document.getElementById(id);
      if (box && openBoxes[id] && !box.open) box.open = true;
    });
  }
  // Taken before a push is swapped in: htmx may focus the fresh field itself, with its
  // caret at the start and without the text being typed.
  var before = null;
  document.addEventListener("htmx:wsBeforeMessage", function () {
    if (!focusLost()) remember(document.activeElement);
    before = { at: focusedAt, caret: caret };
  });
  document.addEventListener("htmx:wsAfterMessage", function () {
    var was = before || { at: focusedAt, caret: caret };
    before = null;
    restoreTyping();
    reopenBoxes();
    var el = find(was.at);
    if (!el) return;
    caret = was.caret;
    if (focusLost() || document.activeElement === el) focusOn(el, true);
  });

  // After an answer re-renders its form: the focus goes back to the control pressed (by
  // id, or the one it names in data-refocus when it is gone or disabled), else to the
  // form's first field for the next answer, else to what the page says now (all sent).
  function focusAfterAnswer(was, fresh) {
    if (!focusLost()) return;
    if (was.id && focusOn(document.getElementById(was.id), false)) return;
    if (was.refocus && focusOn(document.getElementById(was.refocus), false)) return;
    var form = (was.form && document.getElementById(was.form)) ||
      (fresh && fresh.querySelector("#answer-form"));
    if (form) {
      var fields = form.querySelectorAll("textarea, input:not([type=hidden]), select, button");
      for (var i = 0; i < fields.length; i++) if (focusOn(fields[i], false)) return;
    }
    var said = fresh && fresh.querySelector("#all-sent, .notice, [role=alert]");
    if (said) {
      said.setAttribute("tabindex", "-1");
      focusOn(said, false);
    }
  }

  // The end of a phase: the phase box flashes; the presenter can also chime
  // (once the facilitator has ticked the box: browsers play sound only then).
  var lastPhase = null;
  var audio = null;
  function chime() {
    if (!audio) return;
    [0, 0.35].forEach(function (delay, i) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = i ? 660 : 880;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.25, audio.currentTime + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + delay + 0.6);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + delay);
      tone.stop(audio.currentTime + delay + 0.65);
    });
  }
  function watchPhase() {
    var box = document.getElementById("phase");
    var now = box ? box.dataset.item + ":" + box.dataset.phase + ":" + (document.getElementById("phase-over") ? "over" : "") : null;
    if (box && lastPhase !== null && now !== lastPhase && lastPhase.split(":")[0] === box.dataset.item) {
      box.classList.add("changed");
      chime();
    }
    lastPhase = now;
  }
  document.addEventListener("change", function (event) {
    if (event.target.id !== "phase-sound") return;
    if (event.target.checked && !audio && window.AudioContext) audio = new window.AudioContext();
    if (!event.target.checked) audio = null;
  });

  // An answer field's count of the characters it has left (#<field>-left).
  function countChars(box) {
    var field = document.getElementById(box.dataset.charsFor);
    var max = field ? Number(field.getAttribute("maxlength")) : 0;
    if (!max) return;
    var left = Math.max(0, max - field.value.length);
    box.textContent = (box.dataset.left || "").replace("{n}", String(left));
    box.classList.toggle("few", left <= Math.max(5, Math.floor(max / 10)));
  }
  document.addEventListener("input", function (event) {
    var box = event.target.id && document.getElementById(event.target.id + "-left");
    if (box && box.dataset.charsFor === event.target.id) countChars(box);
  });

  // The phone's own live regions (#phone-said, #phone-alert: they exist from the start):
  // what was sent or saved, the item and the phase as they change, and errors that
  // arrive in re-rendered parts (whose own role=alert would come with its text).
  var sayTimers = {};
  function say(text, urgent) {
    var id = urgent ? "phone-alert" : "phone-said";
    var box = document.getElementById(id);
    if (!box || !text) return;
    box.textContent = "";
    // Emptied first, so the same words said twice are heard twice.
    clearTimeout(sayTimers[id]);
    sayTimers[id] = setTimeout(function () { box.textContent = text; }, 60);
  }
  function words(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
  var lastHeading = null;
  var lastStep = null;
  // What the stage shows: its heading, with the item (two items may share a title).
  function headingNow() {
    var title = document.getElementById("item-title");
    var answers = document.getElementById("answers");
    var heading = title ? words(title) : words(document.querySelector("#stage h1"));
    return heading ? (answers ? answers.dataset.item || "" : "") + "|" + heading : "";
  }
  function stepNow() {
    var phase = document.getElementById("phase");
    var over = document.getElementById("phase-over");
    return phase ? [phase.dataset.item, phase.dataset.phase, over ? "over" : ""].join(":") : "";
  }
  function sayChanges(root) {
    var live = document.getElementById("phone-said");
    if (!live) return;
    var title = document.getElementById("item-title");
    var heading = headingNow();
    var phase = document.getElementById("phase");
    var over = document.getElementById("phase-over");
    var step = stepNow();
    var news = [];
    if (lastHeading !== null && heading && heading !== lastHeading) {
      heading = heading.slice(heading.indexOf("|") + 1);
      news.push(title ? (live.dataset.item || "{title}").replace("{title}", heading) : heading);
    }
    if (phase && lastStep !== null && step !== lastStep) {
      var sameItem = lastStep && lastStep.split(":")[0] === phase.dataset.item;
      if (!sameItem || lastStep.split(":")[1] !== phase.dataset.phase) {
        news.push(words(phase.querySelector(".phase-step")) + ". " + words(document.getElementById("phase-name")));
      } else if (over) {
        news.push(words(over));
      }
    }
    lastHeading = headingNow();
    lastStep = step;
    if (news.length) say(news.join(". "));
    // An error that came in a re-rendered part: said in the page's own alert region.
    var alerts = (root || document).querySelectorAll("#live [role=alert]:not(#phone-alert)");
    Array.prototype.forEach.call(alerts, function (el) {
      el.removeAttribute("role");
      if (words(el)) say(words(el), true);
    });
  }

  var contentHooks = [];
  function afterContent(root) {
    document.querySelectorAll("[data-chars-for]").forEach(countChars);
    watchPhase();
    dropDuplicates();
    syncClock();
    fillForms(root);
    tick();
    contentHooks.forEach(function (hook) { hook(root || document); });
    if (loaded) sayChanges(root);
  }
  var loaded = false;

  // POST a form's data until the server answers (a 5xx or no answer: again, later).
  function postUntilAnswered(url, data, answered, failedOnce) {
    var attempt = 0;
    function send() {
      fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "HX-Request": "true" }
      }).then(function (response) {
        if (response.status >= 500) throw new Error(String(response.status));
        return response.text().then(function (html) { answered(html, response.status); });
      }).catch(function () {
        attempt += 1;
        if (failedOnce) failedOnce(attempt);
        setTimeout(send, reconnectDelay(attempt));
      });
    }
    send();
  }

  // Put the elements of an answer in place of the page's elements with the same ids; the
  // focus back where it was, else (that control gone) on the one named by ``refocus``.
  function replaceById(html, refocus) {
    var at = focusedAt;
    var holder = document.createElement("template");
    holder.innerHTML = html;
    Array.prototype.forEach.call(holder.content.children, function (fresh) {
      var old = fresh.id && document.getElementById(fresh.id);
      if (old) old.parentNode.replaceChild(fresh.cloneNode(true), old);
    });
    afterContent(document);
    if (at && focusLost() && focusOn(find(at), false)) return;
    if (refocus && focusLost()) focusOn(document.getElementById(refocus), false);
  }

  window.Samling = {
    onContent: function (hook) { contentHooks.push(hook); },
    token: function () {
      var live = document.getElementById("live");
      return live ? live.dataset.token : "";
    },
    post: postUntilAnswered,
    replaceById: replaceById
  };

  function sendStatus(form, key) {
    var box = form.querySelector(".send-status");
    if (box) box.textContent = box.dataset[key] || "";
  }

  // What the page shows now: changes with the item, its phase, the timer, the switches.
  function currentStage() {
    var stage = document.getElementById("stage");
    return stage ? stage.dataset.stage : "";
  }

  // An answer is retried until the server answers; "sent" shows only then, and only
  // while the page still shows what it was sent on (not "Saved" in the next phase).
  function submitWithRetry(form, submitter) {
    var data = new FormData(form);
    // The button pressed is part of the answer (the move buttons' "by"), by mouse or key.
    if (submitter && submitter.name && !data.has(submitter.name)) {
      data.append(submitter.name, submitter.value);
    }
    var stage = currentStage();
    var active = document.activeElement;
    var was = { form: form.id, id: null, refocus: null };
    var focusWasIn = Boolean(active && form.contains(active));
    if (focusWasIn) {
      was.id = active.id || null;
      was.refocus = active.getAttribute("data-refocus");
    }
    form.classList.add("sending");
    sendStatus(form, "sending");
    postUntilAnswered(form.getAttribute("action"), data, function (html) {
      form.classList.remove("sending");
      // The answer replaces the form's area: #answers, or the one it names.
      var target = form.dataset.target || "answers";
      forget(form);
      var area = document.getElementById(target);
      if (area && window.htmx) {
        window.htmx.swap(area, html, { swapStyle: "outerHTML" });
        var fresh = document.getElementById(target);
        if (fresh && currentStage() !== stage) {
          var statuses = fresh.matches(".send-status") ? [fresh] : fresh.querySelectorAll(".send-status");
          Array.prototype.forEach.call(statuses, function (box) { box.textContent = ""; });
        }
        if (fresh) afterContent(fresh);
        if (fresh && currentStage() === stage) {
          var boxes = fresh.matches(".send-status") ? [fresh] : fresh.querySelectorAll(".send-status, #all-sent");
          var done = Array.prototype.filter.call(boxes, function (box) { return words(box); })[0];
          if (done) say(words(done));
        }
        if (focusWasIn) focusAfterAnswer(was, fresh);
      }
    }, function () { sendStatus(form, "retrying"); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-retry]") || !window.fetch) return;
    event.preventDefault();
    if (form.classList.contains("sending")) return;
    fillForms(form.parentNode);
    submitWithRetry(form, event.submitter);
  });

  document.addEventListener("htmx:wsConnecting", function () { setStatus("connecting"); });
  document.addEventListener("htmx:wsOpen", function () { setStatus("connected"); });
  document.addEventListener("htmx:wsClose", function (event) {
    setStatus("offline");
    var detail = event.detail || {};
    var code = detail.event ? detail.event.code : 0;
    // The extension itself reconnects after 1006/1011/1012/1013; a server that
    // went away with another code gets the same treatment here.
    if ([1006, 1011, 1012, 1013].indexOf(code) < 0 && OK_CODES.indexOf(code) < 0 &&
        detail.socketWrapper) {
      setTimeout(detail.socketWrapper.reconnect, reconnectDelay(1));
    }
  });
  document.addEventListener("htmx:wsAfterMessage", function () { afterContent(document); });
  // A part the page asked for itself (an answer's edit form): tokens in its forms too,
  // and the focus on its first field when the link pressed for it is gone.
  var askedFor = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    askedFor = elt && elt === document.activeElement ? elt.getAttribute("hx-target") : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    afterContent(document);
    var part = askedFor && document.querySelector(askedFor);
    askedFor = null;
    if (!part || !focusLost()) return;
    var fields = part.querySelectorAll("textarea, input:not([type=hidden]), select, button");
    for (var i = 0; i < fields.length; i++) {
      if (!focusOn(fields[i], false)) continue;
      // An answer being edited: the caret after its text, to go on writing.
      var field = fields[i];
      if (field.tagName === "TEXTAREA" || field.type === "text") {
        field.setSelectionRange(field.value.length, field.value.length);
      }
      return;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    afterContent(document);
    // What the page showed when it loaded is not news; what changes after it is.
    lastHeading = headingNow();
    lastStep = stepNow();
    loaded = true;
    setInterval(tick, 250);
  });
})();
