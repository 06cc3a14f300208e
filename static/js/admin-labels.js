"use strict";
// The autocomplete widgets of the management site (select2) replace a labelled
// <select> by a combobox of their own that carries no name; give it the label
// of the select it stands for. Rows added to an inline later are named too.
(function () {
  function labelOf(select) {
    return select.id ? document.querySelector('label[for="' + CSS.escape(select.id) + '"]') : null;
  }

  function nameWidgets() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const label = labelOf(select);
      if (!label || !container || !container.classList.contains("select2")) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      const text = label.textContent.trim().replace(/:$/, "");
      const selection = container.querySelector(".select2-selection");
      const rendered = container.querySelector(".select2-selection__rendered");
      if (selection) {
        const ids = [label.id];
        if (rendered && rendered.id && selection.classList.contains("select2-selection--single")) {
          ids.push(rendered.id);
        }
        selection.setAttribute("aria-labelledby", ids.join(" "));
      }
      if (rendered && rendered.getAttribute("role") === "textbox") {
        rendered.setAttribute("aria-labelledby", label.id);
      }
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", text);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameWidgets();
    new MutationObserver(nameWidgets).observe(document.body, { childList: true, subtree: true });
  });
})();
