// Buttons and links that act on the page, without inline handlers (the Content
// Security Policy allows no onclick or javascript: address):
// [data-print] prints the page; [data-history-back] goes back one page, and
// without script follows its own address.
(function () {
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print], [data-history-back]");
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      window.print();
    } else if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
