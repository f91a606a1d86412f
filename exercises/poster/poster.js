// poster on the phone: the dots in the plenary (each phone marks its own, #my-dots, as
// qa marks its votes), the edit boxes that stay open while other phones' edits come in,
// and an edit that met another phone's at the same moment: it is sent again on the copy
// it was made on, so the server keeps it beside the point (the conflict view), never lost.
(function () {
  "use strict";
  var samling = window.Samling;
  if (!samling) return;
  var inFlight = {};
  var open = {};
  var focused = null;
  // The versions chosen to compare survive a re-render of the group's area.
  var picked = {};
  // An edit being typed keeps the version of the point it was begun on, also when another
  // phone's change re-renders the list (phone.js keeps the typed text): sent on that
  // version, a point changed meanwhile shows both texts instead of losing the other's.
  var based = {};
  var settling = false;
  // What the facilitator types into the common poster stays while pushes re-render the
  // control panel (dots and points keep coming), until that form is sent.
  var panel = {};

  function voted() {
    var el = document.getElementById("my-dots");
    var text = el ? el.getAttribute("data-voted") || "" : "";
    return text.split(" ").filter(function (s) { return s; });
  }

  function markDots() {
    var mine = voted();
    var holder = document.getElementById("my-dots");
    var dots = holder ? parseInt(holder.dataset.dots, 10) || 0 : 0;
    var own = ((document.getElementById("answers") || {}).dataset || {}).mine || "";
    own = own.split(" ");
    var given = 0;
    document.querySelectorAll("button[data-dot]").forEach(function (button) {
      var id = button.dataset.dot;
      if (id in inFlight ? inFlight[id] : mine.indexOf(id) >= 0) given += 1;
    });
    document.querySelectorAll("button[data-dot]").forEach(function (button) {
      var id = button.dataset.dot;
      var up = id in inFlight ? inFlight[id] : mine.indexOf(id) >= 0;
      button.setAttribute("aria-pressed", up ? "true" : "false");
      button.value = up ? "0" : "1";
      var label = button.querySelector(".dot-label");
      if (label) label.textContent = up ? label.dataset.on : label.dataset.off;
      button.disabled = own.indexOf(id) >= 0 || (!up && given >= dots);
    });
  }

  function sendDot(form, button) {
    var id = button.dataset.dot;
    var up = button.getAttribute("aria-pressed") !== "true";
    var data = new FormData(form);
    data.set("csrf_token", samling.token());
    data.set("up", up ? "1" : "0");
    inFlight[id] = up;
    markDots();
    samling.post(form.getAttribute("action"), data, function (html) {
      delete inFlight[id];
      samling.replaceById(html);
    });
  }

  // An edit sent on a copy the server no longer has (409): again, on that same copy.
  function sendEdit(form) {
    var data = new FormData(form);
    data.set("csrf_token", samling.token());
    var tries = 0;
    var field = form.querySelector("textarea");
    if (field) delete based[field.id];
    form.classList.add("sending");
    var details = form.closest("details");
    if (details && details.id) delete open[details.id];
    // A conflict's choice goes with its form: the focus then goes where its button says.
    var active = document.activeElement;
    var refocus = active && form.contains(active) ? active.getAttribute("data-refocus") : null;
    function answered(html, status) {
      if (status === 409 && tries < 3) {
        tries += 1;
        samling.post(form.getAttribute("action"), data, answered);
        return;
      }
      form.classList.remove("sending");
      samling.replaceById(html, refocus);
      // What was sent is done with: the text kept for re-renders is the point's now.
      var fresh = field && document.getElementById(field.id);
      if (fresh) {
        settling = true;
        fresh.dispatchEvent(new Event("input", { bubbles: true }));
        settling = false;
      }
    }
    samling.post(form.getAttribute("action"), data, answered);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !window.fetch) return;
    if (form.matches("form.dot-form")) {
      event.preventDefault();
      var button = form.querySelector("button[data-dot]");
      if (button && !button.disabled) sendDot(form, button);
    } else if (form.matches("form[data-poster-edit]")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!form.classList.contains("sending")) sendEdit(form);
    }
  }, true);

  // An edit box stays open (and focused) when another phone's change re-renders the list.
  document.addEventListener("toggle", function (event) {
    var el = event.target;
    if (el.tagName !== "DETAILS" || !el.id || !el.closest("#poster-points")) return;
    if (el.open) open[el.id] = true;
    else delete open[el.id];
  }, true);
  document.addEventListener("input", function (event) {
    var field = event.target;
    var form = field.form;
    if (settling || field.tagName !== "TEXTAREA" || !form || !form.matches("form[data-poster-edit]")) return;
    var version = form.querySelector("input[name=version]");
    if (version && !(field.id in based)) based[field.id] = version.value;
  });
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.id && field.closest && field.closest("#poster-common") &&
        (field.tagName === "TEXTAREA" || field.tagName === "INPUT")) panel[field.id] = field.value;
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest("#poster-common")) return;
    form.querySelectorAll("textarea, input").forEach(function (field) { delete panel[field.id]; });
  }, true);
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.tagName === "SELECT" && el.id && el.closest("#compare-form")) picked[el.id] = el.value;
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("#poster-area, #poster-common")) {
      focused = event.target.id || null;
    }
  });

  samling.onContent(function () {
    Object.keys(panel).forEach(function (id) {
      var field = document.getElementById(id);
      if (field && field.value !== panel[id]) field.value = panel[id];
    });
    Object.keys(based).forEach(function (id) {
      var field = document.getElementById(id);
      var version = field && field.form && field.form.querySelector("input[name=version]");
      if (version) version.value = based[id];
      else if (!field) delete based[id];
    });
    Object.keys(picked).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && el.value !== picked[id] && el.querySelector('option[value="' + picked[id] + '"]')) {
        el.value = picked[id];
      }
    });
    Object.keys(open).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && !el.open) el.open = true;
    });
    if (focused && document.activeElement === document.body) {
      var field = document.getElementById(focused);
      if (field) field.focus();
    }
    markDots();
  });
})();
