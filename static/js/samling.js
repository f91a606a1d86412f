// Tells the facilitator when an htmx change did not reach the server or was
// refused, instead of failing silently. The texts come translated from the page.
(function () {
  "use strict";
  function show(kind) {
    var box = document.getElementById("request-problem");
    if (!box) return;
    box.textContent = box.dataset[kind] || "";
    box.hidden = false;
  }
  document.addEventListener("htmx:sendError", function () { show("offline"); });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var type = (xhr && xhr.getResponseHeader("Content-Type")) || "";
    show("failed");
    // A refusal with a reason (422, plain text, translated by the server): say it.
    var box = document.getElementById("request-problem");
    if (box && xhr.status === 422 && type.indexOf("text/plain") === 0 && xhr.responseText) {
      box.textContent = xhr.responseText;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("request-problem");
    if (box && event.detail.successful) box.hidden = true;
  });
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
