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
  document.addEventListener("htmx:responseError", function () { show("failed"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("request-problem");
    if (box && event.detail.successful) box.hidden = true;
  });
})();
