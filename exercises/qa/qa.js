// qa on the phone: the list of questions is the same for every phone; each
// phone marks its own votes (#my-votes) and its own questions (#answers
// data-mine) itself. A vote on its way shows at once and wins over pushes
// that were rendered before it.
(function () {
  "use strict";
  var samling = window.Samling;
  if (!samling) return;
  var inFlight = {};

  function idsOf(id, attribute) {
    var el = document.getElementById(id);
    var text = el ? el.getAttribute(attribute) || "" : "";
    return text.split(" ").filter(function (s) { return s; });
  }

  function markVotes() {
    var voted = idsOf("my-votes", "data-voted");
    var mine = idsOf("answers", "data-mine");
    document.querySelectorAll("button[data-vote]").forEach(function (button) {
      var id = button.dataset.vote;
      var up = id in inFlight ? inFlight[id] : voted.indexOf(id) >= 0;
      var count = button.querySelector(".vote-count");
      if (count && !count.dataset.base) count.dataset.base = count.textContent;
      var base = count ? parseInt(count.dataset.base, 10) || 0 : 0;
      var wasUp = voted.indexOf(id) >= 0;
      if (count) count.textContent = String(base + (up && !wasUp ? 1 : 0) - (!up && wasUp ? 1 : 0));
      button.setAttribute("aria-pressed", up ? "true" : "false");
      button.value = up ? "0" : "1";
      if (mine.indexOf(id) >= 0) {
        button.disabled = true;
        button.classList.add("own");
      }
    });
  }

  function sendVote(form, button) {
    var id = button.dataset.vote;
    var up = button.getAttribute("aria-pressed") !== "true";
    var data = new FormData(form);
    data.set("csrf_token", samling.token());
    data.set("up", up ? "1" : "0");
    inFlight[id] = up;
    markVotes();
    samling.post(form.getAttribute("action"), data, function (html) {
      delete inFlight[id];
      // The answer holds this phone's votes as they are now.
      samling.replaceById(html);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.vote-form") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button[data-vote]");
    if (button && !button.disabled) sendVote(form, button);
  });
  samling.onContent(markVotes);
})();
