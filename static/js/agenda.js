// Drag and drop for the agenda editor. The order travels in hidden inputs
// (form="agenda-order") inside the list items: moving an item moves its input,
// and the form posts the ids in their new order. The arrow buttons do the
// same job from the keyboard and without JavaScript.
(function () {
  "use strict";
  var dragged = null;

  function itemOf(target) {
    return target && target.closest ? target.closest("#agenda-list > li") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var item = itemOf(event.target);
    if (!item || item.getAttribute("draggable") !== "true") return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.itemId);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = itemOf(event.target);
    if (!over) return;
    event.preventDefault();
    if (over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    var form = document.getElementById("agenda-order");
    if (form && window.htmx) window.htmx.trigger(form, "reorder");
  });
})();
