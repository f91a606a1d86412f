// relay (a test-only kind): how many letters the word has, as it is typed.
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    if (event.target.id !== "relay-word") return;
    var out = document.getElementById("relay-letters");
    if (out) out.textContent = event.target.value.length + " " + (out.dataset.unit || "");
  });
})();
