// Tells the facilitator when an htmx change did not reach the server or was
// refused, instead of failing silently. The texts come translated from the page.
(function () {
  "use strict";
  // The problem bar is an alert region. Its text is put in once it is shown, empty, so
  // it changes inside a region that is already there (a region shown with its text is
  // not announced); it goes again with the next change that works.
  function problemBox() { return document.getElementById("request-problem"); }
  var problemTimer = null;
  function say(box, text) {
    box.hidden = false;
    box.textContent = "";
    window.clearTimeout(problemTimer);
    problemTimer = window.setTimeout(function () { box.textContent = text; }, 50);
  }
  function show(kind) {
    var box = problemBox();
    if (box) say(box, box.dataset[kind] || "");
  }
  function clearProblem() {
    var box = problemBox();
    if (!box) return;
    window.clearTimeout(problemTimer);
    box.hidden = true;
    box.textContent = "";
  }
  document.addEventListener("htmx:sendError", function () { show("offline"); });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var type = (xhr && xhr.getResponseHeader("Content-Type")) || "";
    show("failed");
    // A refusal with a reason (422, plain text, translated by the server): say it.
    var box = problemBox();
    if (box && xhr.status === 422 && type.indexOf("text/plain") === 0 && xhr.responseText) {
      say(box, xhr.responseText);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) clearProblem();
  });

  // The focus after a change. A swap (the page's own, or a push over the websocket) may
  // take away the control that had the focus; the focus then goes to the same control in
  // the new content (same id), else to where the control said it leads
  // (data-focus-after="id id…" on it or its form: the first that is there), never to
  // the top of the page. A field the server found wrong takes the focus first.
  var last = null;
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (!el || el === document.body) return;
    var leads = el.closest && el.closest("[data-focus-after]");
    last = {id: el.id || "", after: leads ? leads.dataset.focusAfter.split(/\s+/) : []};
  });
  // Someone who clicked elsewhere chose where they are.
  document.addEventListener("mousedown", function () { last = null; });

  function focusable(el) {
    if (el.tabIndex < 0 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    return el;
  }
  function lost() {
    var active = document.activeElement;
    return !active || active === document.body || !document.body.contains(active);
  }
  function restore() {
    if (!last || !lost()) return;
    var ids = (last.id ? [last.id] : []).concat(last.after);
    for (var i = 0; i < ids.length; i++) {
      var el = ids[i] && document.getElementById(ids[i]);
      if (el && !el.disabled && el.getClientRects().length) {
        focusable(el).focus();
        return;
      }
    }
  }
  // A refusal's wrong field takes the focus as the new content comes in (the swap), not
  // when it settles a moment later: by then the user may have moved on to another field,
  // and what they type must not land in the one the focus was moved to.
  var refused = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status < 400) return;
    var target = event.detail.target;
    var root = target && target.isConnected ? target : target && target.id ? document.getElementById(target.id) : null;
    var wrong = root && root.querySelector("[aria-invalid=true]");
    if (wrong) {
      wrong.focus();
      refused = xhr;
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // The event comes from the new content (an outerHTML swap replaced the target).
    var settled = event.target && event.target.isConnected ? event.target : null;
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr !== refused) restore();
    refused = null;
    if (settled) announce(settled);
  });
  document.addEventListener("htmx:wsAfterMessage", function () { restore(); });

  // What a swap did, said in the page's status region (there from the start): the text
  // of the swapped content's [data-announce].
  function announce(root) {
    var region = document.getElementById("page-status");
    var said = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    if (!region || !said) return;
    var text = said.textContent.trim();
    // The same words again (the same item moved twice) must still be said: empty first.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // A step put into the page (a confirmation) goes again with its Cancel link, which
  // leads elsewhere without scripts; focus goes back to what opened it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-dismiss]");
    var area = link && document.getElementById(link.dataset.dismiss);
    if (!area || !area.contains(link)) return;
    event.preventDefault();
    area.innerHTML = "";
    var opener = document.querySelector("[aria-controls='" + area.id + "']");
    if (opener) opener.focus();
  });
})();
