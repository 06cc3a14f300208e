// Forms and their errors.
//
// A form that comes back with errors starts with a summary of them, linked to
// the fields; focus goes to that summary, so it is read out first.
//
// Error responses to htmx requests are shown where the request was made.
//
// htmx 2 does not swap 4xx/5xx responses by default, so a refused change
// would go by without a word. The portal's views answer a refused htmx
// request (400, 403, 404, 409, 422) with a fragment that carries its own
// message, so those are swapped like any other answer. A response that is a
// whole page (the 403 and 404 pages, the conflict page) is not put inside the
// target: its message is shown in an alert just before the target. A server
// error or a lost connection gets a short message in the same place.
(function () {
  var script = document.currentScript;
  var SHOWN = "(400|403|404|409|422)";

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: SHOWN, swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  function isShown(status) {
    return new RegExp("^" + SHOWN + "$").test(String(status));
  }

  function regionFor(target) {
    var region = target.previousElementSibling;
    if (region && region.classList.contains("portal-htmx-error")) return region;
    region = document.createElement("div");
    region.className = "portal-htmx-error";
    region.setAttribute("role", "alert");
    target.parentNode.insertBefore(region, target);
    return region;
  }

  function clearRegion(target) {
    var region = target && target.previousElementSibling;
    if (region && region.classList.contains("portal-htmx-error")) region.remove();
  }

  function alertBox(nodes) {
    var box = document.createElement("div");
    box.className = "utrecht-alert utrecht-alert--error";
    var content = document.createElement("div");
    content.className = "utrecht-alert__content";
    nodes.forEach(function (node) { content.appendChild(node); });
    box.appendChild(content);
    return box;
  }

  function paragraph(text, strong) {
    var p = document.createElement("p");
    p.className = "utrecht-alert__message utrecht-paragraph";
    if (strong) {
      var b = document.createElement("strong");
      b.textContent = text;
      p.appendChild(b);
    } else {
      p.textContent = text;
    }
    return p;
  }

  function show(target, nodes) {
    var region = regionFor(target);
    region.replaceChildren(alertBox(nodes));
  }

  // The message of a whole error page: its heading, its alerts and paragraphs (links kept).
  function messageOf(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.querySelector("#main .portal-container") || page.querySelector("main") || page.body;
    var nodes = [];
    var heading = main.querySelector("h1") || page.querySelector("h1");
    if (heading) nodes.push(paragraph(heading.textContent.trim(), true));
    main.querySelectorAll(".utrecht-alert__message, :scope > .utrecht-paragraph").forEach(function (source) {
      var p = document.importNode(source, true);
      p.querySelectorAll("script").forEach(function (s) { s.remove(); });
      p.className = "utrecht-alert__message utrecht-paragraph";
      nodes.push(p);
    });
    if (!nodes.length) nodes.push(paragraph(page.title || script.dataset.serverError));
    return nodes;
  }

  // Registered on the root element, so it runs before listeners on the document:
  // a designed error response is handled here and goes no further.
  document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
    if (isShown(event.detail.xhr.status)) event.stopPropagation();
  });

  document.documentElement.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr.status;
    if (status < 400 || !isShown(status)) {
      clearRegion(detail.target);
      return;
    }
    var html = detail.serverResponse || "";
    if (/<html[\s>]/i.test(html)) {
      detail.shouldSwap = false;
      show(detail.target, messageOf(html));
    } else {
      clearRegion(detail.target);
    }
  });

  document.documentElement.addEventListener("htmx:responseError", function (event) {
    show(event.detail.target, [paragraph(script.dataset.serverError)]);
  });

  htmx.onLoad(function (root) {
    var summary = root.querySelector && root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  document.documentElement.addEventListener("htmx:sendError", function (event) {
    show(event.detail.target || event.detail.elt, [paragraph(script.dataset.offline)]);
  });
})();
