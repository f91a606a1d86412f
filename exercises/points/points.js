// points on the phone: show what is left of the budget, and say so when too
// many are given (the server refuses an overspent answer in any case).
(function () {
  "use strict";
  var samling = window.Samling;
  if (!samling) return;

  function pointsLeft(fieldset) {
    var budget = parseInt(fieldset.dataset.budget, 10) || 0;
    var spent = 0;
    fieldset.querySelectorAll("input[type=number]").forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) spent += n;
    });
    var left = budget - spent;
    var status = fieldset.querySelector(".points-left");
    if (status) {
      var text = left >= 0 ? status.dataset.left : status.dataset.over;
      status.textContent = (text || "").replace("{n}", String(Math.abs(left)));
      status.classList.toggle("over", left < 0);
    }
    var button = fieldset.form && fieldset.form.querySelector("button[type=submit]");
    if (button) button.disabled = left < 0 || spent === 0;
  }

  document.addEventListener("input", function (event) {
    var fieldset = event.target.closest && event.target.closest("fieldset[data-budget]");
    if (fieldset) pointsLeft(fieldset);
  });
  samling.onContent(function (root) {
    root.querySelectorAll("fieldset[data-budget]").forEach(pointsLeft);
  });
})();
