// The main menu's groups are <details> elements: they open and close by keyboard and screen reader
// without this script. It only keeps one group open at a time, and closes it on Escape or a click elsewhere.
(function () {
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-menu-group]"));
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) {
        groups.forEach(function (other) { if (other !== group) other.open = false; });
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups.forEach(function (group) {
      if (group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    groups.forEach(function (group) {
      if (group.open && !group.contains(event.target)) group.open = false;
    });
  });
})();
