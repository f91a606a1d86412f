// The presenter is one frame of the window's size: a projector cannot scroll. What CSS
// cannot decide is decided here, as a facilitator would (see "The presenter's frame" in
// workshop/kinds.py):
// - an element marked data-fit takes the largest font size, up to its own, at which
//   nothing in it overflows its box, never below its --fit-min (or data-fit-min px);
// - a list marked data-fit-list in it, when even that is too much, leaves out what does
//   not fit ("+ N more": the oldest with data-fit-keep="end", else the last), keeping
//   the highlighted items; with data-fit-page it pages through the items instead, one
//   page every PAGE_MS, unless the facilitator paused it (#present[data-paging=paused]);
//   under prefers-reduced-motion the page stays until the facilitator resumes paging
//   (Pause, then Resume paging on the control panel: their choice overrides the screen's).
//   The facilitator's Previous/Next page turns every such list by hand at once, paging,
//   paused or still: the frame carries their net count of turns on the item
//   (#present[data-page-turn], with data-page-item), applied once per change, wrapping
//   at the ends; a page turned by hand stays its full PAGE_MS before paging on.
// The texts come translated in the frame's data- attributes (#presenter).
(function () {
  "use strict";
  var PAGE_MS = 20000;
  var SMALLEST_PX = 8;
  // The page each list shows, by the list's id: kept across pushes of the same list.
  var shownPage = {};
  // Nothing moves by itself on a screen that asks for reduced motion, until the
  // facilitator resumes paging on it (a push that turns data-paging from paused to on).
  var stillScreen = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var resumedByHand = false;
  var lastPaging = null;
  function notePaging(present) {
    var paging = present.dataset.paging;
    if (lastPaging === "paused" && paging === "on") resumedByHand = true;
    lastPaging = paging;
  }
  function pagesByThemselves() {
    return !(stillScreen && stillScreen.matches) || resumedByHand;
  }
  // The facilitator's turns already applied here: on which item, and how many (null: none
  // yet, so a newly opened screen starts at the page they turned to).
  var turnsSeen = null;
  // Another item (also the one before again) starts at its first page.
  function noteItem(present) {
    var item = present.dataset.pageItem || "";
    if (turnsSeen && turnsSeen.item !== item) {
      shownPage = {};
      turnsSeen = { item: item, turns: 0 };
    }
  }
  function turnsToApply(present) {
    var turns = parseInt(present.dataset.pageTurn, 10) || 0;
    var by = turnsSeen ? turns - turnsSeen.turns : turns;
    turnsSeen = { item: present.dataset.pageItem || "", turns: turns };
    return by;
  }

  function wrapped(page, pages) {
    return ((page % pages) + pages) % pages;
  }

  function overflows(el) {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
  }

  function tooBig(root, lists) {
    if (overflows(root)) return true;
    for (var i = 0; i < lists.length; i++) if (overflows(lists[i])) return true;
    return false;
  }

  function px(el, property) {
    return parseFloat(window.getComputedStyle(el).getPropertyValue(property)) || 0;
  }

  function text(name, values) {
    var frame = document.getElementById("presenter");
    var found = (frame && frame.dataset[name]) || "";
    Object.keys(values).forEach(function (key) {
      found = found.split("{" + key + "}").join(String(values[key]));
    });
    return found;
  }

  // -- the text: the largest size that fits, down to the smallest allowed ---------------

  function fitText(root, lists) {
    root.style.fontSize = "";
    if (!tooBig(root, lists)) return;
    var high = px(root, "font-size");
    var low = Math.min(high, parseFloat(root.dataset.fitMin) || px(root, "--fit-min") || SMALLEST_PX);
    root.style.fontSize = low + "px";
    if (tooBig(root, lists)) return; // even the smallest is too much: the lists leave out
    while (high - low > 0.5) {
      var size = (high + low) / 2;
      root.style.fontSize = size + "px";
      if (tooBig(root, lists)) high = size; else low = size;
    }
    root.style.fontSize = low + "px";
  }

  // -- the lists: what fits, and "+ N more" or the pages --------------------------------

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.tagName === "LI";
    });
  }

  function markerOf(list, make) {
    var next = list.nextElementSibling;
    if (next && next.classList.contains("fit-more")) return next;
    if (!make) return null;
    var marker = document.createElement("p");
    marker.className = "fit-more";
    list.parentNode.insertBefore(marker, list.nextSibling);
    return marker;
  }

  // Show the kept items and order[from, to); say what the marker says; does it fit?
  function showing(fitting, from, to, say) {
    var shown = {};
    fitting.kept.forEach(function (el) { shown[el.dataset.fitKey] = true; });
    for (var i = from; i < to; i++) shown[fitting.order[i].dataset.fitKey] = true;
    fitting.all.forEach(function (el) { el.classList.toggle("fit-out", !shown[el.dataset.fitKey]); });
    var marker = markerOf(fitting.list, say !== "");
    if (marker) {
      marker.textContent = say;
      marker.hidden = say === "";
    }
    return !tooBig(fitting.root, [fitting.list]);
  }

  // The most items of the order from `from` on that fit (at least one).
  function pageFrom(fitting, from, say) {
    var left = fitting.order.length - from;
    var good = 1;
    if (!showing(fitting, from, from + 1, say)) return 1;
    var bad = 0;
    var n = 2;
    while (n <= left) { // gallop: few items are measured, never the whole list at once
      if (showing(fitting, from, from + n, say)) { good = n; n *= 2; } else { bad = n; break; }
    }
    if (!bad) {
      if (good === left || showing(fitting, from, from + left, say)) return left;
      bad = left;
    }
    while (bad - good > 1) {
      var mid = Math.floor((good + bad) / 2);
      if (showing(fitting, from, from + mid, say)) good = mid; else bad = mid;
    }
    return good;
  }

  // A list's page: by its id (kept when a push brings the list again), else on it.
  var pageOnElement = typeof WeakMap === "function" ? new WeakMap() : null;
  function pageOf(list) {
    if (list.id) return shownPage[list.id] || 0;
    return (pageOnElement && pageOnElement.get(list)) || 0;
  }
  function setPage(list, page) {
    if (list.id) shownPage[list.id] = page;
    else if (pageOnElement) pageOnElement.set(list, page);
  }

  function resetList(list) {
    itemsOf(list).forEach(function (el, i) {
      el.dataset.fitKey = String(i);
      el.classList.remove("fit-out");
      if (list.tagName === "OL") el.value = i + 1; // a page further on keeps the numbers
    });
    var marker = markerOf(list, false);
    if (marker) marker.hidden = true;
    delete list.dataset.fitPages;
  }

  function fitList(root, list) {
    if (!tooBig(root, [list])) return;
    var all = itemsOf(list);
    var keepEnd = list.dataset.fitKeep === "end";
    var kept = all.filter(function (el) { return el.classList.contains("highlighted"); });
    var others = all.filter(function (el) { return !el.classList.contains("highlighted"); });
    var fitting = { root: root, list: list, all: all, kept: kept, order: keepEnd ? others.reverse() : others };
    // Too many highlighted to fit beside anything: they are left out like the others.
    if (kept.length && !showing(fitting, 0, 0, text("more", { num: all.length }))) {
      fitting.kept = [];
      fitting.order = keepEnd ? all.slice().reverse() : all;
    }
    var total = fitting.order.length;
    if (list.hasAttribute("data-fit-page")) {
      var starts = [0];
      var probe = text("page", { page: 88, count: 88 });
      while (starts[starts.length - 1] < total) {
        var from = starts[starts.length - 1];
        starts.push(from + pageFrom(fitting, from, probe));
      }
      var pages = Math.max(1, starts.length - 1);
      var page = wrapped(pageOf(list), pages);
      setPage(list, page);
      list.dataset.fitPages = String(pages);
      showing(fitting, starts[page], starts[page + 1] || total, pages > 1 ? text("page", { page: page + 1, count: pages }) : "");
      return;
    }
    var count = pageFrom(fitting, 0, text("more", { num: total }));
    var left = total - count;
    showing(fitting, 0, count, left ? text("more", { num: left }) : "");
  }

  // -- every box of the frame, in order: the head's first, the result's after ------------

  function ownerOf(el) {
    return el.closest("[data-fit]") || document.getElementById("present-results");
  }

  function fitAll() {
    var present = document.getElementById("present");
    if (!present) return;
    notePaging(present);
    noteItem(present);
    var results = document.getElementById("present-results");
    var roots = Array.prototype.slice.call(document.querySelectorAll("[data-fit]"));
    // A result that marks nothing is fitted as a whole.
    if (results && !results.querySelector("[data-fit]") && results.children.length) roots.push(results);
    var lists = Array.prototype.slice.call(document.querySelectorAll("[data-fit-list]"));
    lists.forEach(resetList);
    roots.forEach(function (root) {
      var own = lists.filter(function (list) { return ownerOf(list) === root; });
      fitText(root, own);
      own.forEach(function (list) { fitList(root, list); });
    });
    present.dataset.fitted = window.innerWidth + "x" + window.innerHeight;
    var byHand = turnsToApply(present);
    if (byHand) {
      turnBy(byHand); // fits again: the turns are seen now, so once
      restartPaging();
    }
  }

  // Every list that has pages goes `by` pages on (back, when negative), wrapping.
  function turnBy(by) {
    var turned = false;
    document.querySelectorAll("[data-fit-page][data-fit-pages]").forEach(function (list) {
      var pages = Number(list.dataset.fitPages);
      if (pages > 1) {
        setPage(list, wrapped(pageOf(list) + by, pages));
        turned = true;
      }
    });
    if (turned) fitAll();
  }

  function turnPages() {
    var present = document.getElementById("present");
    if (!present) return;
    notePaging(present);
    if (present.dataset.paging === "paused" || !pagesByThemselves()) return;
    turnBy(1);
  }

  var paging = 0;
  function restartPaging() {
    if (paging) window.clearInterval(paging);
    paging = window.setInterval(turnPages, PAGE_MS);
  }

  var pending = 0;
  function soon() {
    if (!pending) pending = window.requestAnimationFrame(function () { pending = 0; fitAll(); });
  }

  window.SamlingPresenter = { fit: fitAll };
  // A push that brings only the clock and the counts leaves the frame as it was; fitting a
  // long wall again costs tens of milliseconds.
  document.addEventListener("htmx:wsAfterMessage", function (event) {
    var message = String((event.detail && event.detail.message) || "");
    var changes = message.replace(/<i id="server-now"[^>]*><\/i>/, "").replace(/<p class="present-counts"[\s\S]*?<\/p>/, "");
    if (/</.test(changes)) fitAll();
  });
  document.addEventListener("htmx:afterSettle", soon);
  window.addEventListener("resize", soon);
  if (document.fonts) document.fonts.addEventListener("loadingdone", soon);
  document.addEventListener("DOMContentLoaded", function () {
    restartPaging();
    fitAll();
  });
})();
