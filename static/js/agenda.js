// The agenda builder: drag and drop for the mouse, and keyboard focus that
// follows a moved item. The move up/down buttons work without this script.
(function () {
  function sortable(root) {
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.sortable) return;
      list.sortable = Sortable.create(list, {
        draggable: "[data-move-url]",
        handle: ".portal-agenda__handle",
        animation: 150,
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          var item = event.item;
          htmx.ajax("POST", item.dataset.moveUrl, {
            source: item,
            target: "#agenda",
            swap: "outerHTML",
            values: {
              position: event.newIndex + 1,
              version: list.dataset.version,
              reason: (document.getElementById("id_change_reason") || {}).value || "",
            },
          });
        },
      });
    });
  }

  // After a move, focus returns to the same button of the moved item (or its
  // other one, at the top or bottom), so the next key press moves it again.
  // A change refused for want of a reason puts focus in the reason box, which
  // lies outside the agenda part and keeps what was typed.
  function refocus(root) {
    var agenda = root.id === "agenda" ? root : root.querySelector("#agenda");
    if (agenda && agenda.dataset.errorField && document.getElementById(agenda.dataset.errorField)) {
      document.getElementById(agenda.dataset.errorField).focus();
      return;
    }
    if (!agenda || !agenda.dataset.moved) return;
    var item = document.getElementById("item-" + agenda.dataset.moved);
    if (!item) return;
    var same = item.querySelector("button[name=direction][value=" + agenda.dataset.direction + "]:not([disabled])");
    var other = item.querySelector("button[name=direction]:not([disabled])");
    (same || other || item).focus();
  }

  htmx.onLoad(function (root) {
    sortable(root);
    // After htmx has settled the swap, which would otherwise keep focus where it was.
    window.setTimeout(function () { refocus(root); }, 0);
  });
})();
