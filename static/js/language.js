// A page whose socket now speaks another language (the facilitator changed the
// participants' language): the pushed regions come in it, and the push swaps in
// #page-language with the language and the words the page's scripts say. The page's lang
// follows, with the language menu's current link, the connection's words (said again in
// the new language), the item said on a change, the bar of a failed change, the
// presenter's "+ N more" and pages (fitted again), and the static words outside the pushed
// regions: an element's text (data-say="x", the marker's data-say-x; "{name}" in it is the
// element's data-name) or its label (data-say-label="x").
(() => {
  "use strict";
  const words = (el, marker, pairs) => {
    if (!el) return;
    for (const [mine, theirs] of pairs) {
      // An empty word stays empty (the presenter says nothing once connected).
      if (el.dataset[mine] && marker.dataset[theirs]) el.dataset[mine] = marker.dataset[theirs];
    }
  };
  const follow = () => {
    const marker = document.getElementById("page-language");
    const lang = marker && marker.dataset.language;
    if (!lang || document.documentElement.lang === lang) return;
    document.documentElement.lang = lang;
    for (const link of document.querySelectorAll("a[data-language]")) {
      if (link.dataset.language === lang) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    const box = document.getElementById("connection");
    words(box, marker, [["connected", "connected"], ["connecting", "connecting"], ["offline", "offline"]]);
    if (box && box.dataset.state) box.textContent = box.dataset[box.dataset.state] || "";
    words(document.getElementById("phone-said"), marker, [["item", "item"]]);
    words(document.getElementById("request-problem"), marker, [
      ["offline", "problemOffline"],
      ["failed", "problemFailed"],
    ]);
    const said = (name) => marker.dataset["say" + name.charAt(0).toUpperCase() + name.slice(1)];
    for (const el of document.querySelectorAll("[data-say]")) {
      const text = said(el.dataset.say);
      if (text) el.textContent = text.replace("{name}", () => el.dataset.name || "");
    }
    for (const el of document.querySelectorAll("[data-say-label]")) {
      const text = said(el.dataset.sayLabel);
      if (text) el.setAttribute("aria-label", text);
    }
    words(document.getElementById("presenter"), marker, [["more", "more"], ["page", "page"]]);
    if (window.SamlingPresenter) window.SamlingPresenter.fit();
  };
  const start = () => new MutationObserver(follow).observe(document.body, {childList: true});
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
