// Drag and drop for the agenda builder. The move up/down buttons do the same
// with the keyboard; this only adds the mouse. Each drop posts the new
// position with htmx and the server answers with the renumbered agenda.
(function () {
  function init(root) {
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
  htmx.onLoad(init);
})();
