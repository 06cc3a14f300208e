// The idle time-out, seen from the page (accounts/sessions.py).
//
// Two minutes before the session would time out, a dialog asks whether the
// person wants to stay logged in; focus moves into it and it is announced
// (an alertdialog with its title and text). "Stay logged in" asks the server
// to start the idle time again; activity in another tab of the portal counts
// too (the server is asked before warning, and tabs tell each other through
// a BroadcastChannel).
//
// No lost typing: when the session has timed out while a form on the page
// holds text that was not sent, the page stays where it is, with the text.
// The text is also kept in this tab (sessionStorage, gone when the tab
// closes) under the page and the form's address; after logging in again the
// person comes back to the page and the text is put back in the form, with a
// note to check it and send it again. The minutes keep their own text
// (static/js/minutes.js, localStorage), so their fields are left to it.
(function () {
  var script = document.currentScript;
  var data = script.dataset;
  var dialog = document.getElementById("session-dialog");
  if (!dialog) return;

  var KEPT = "portal-kept:";
  var KEEP_HOURS = 12;
  var idle = Number(data.idle) || 1800;
  var warnLead = Math.min(120, idle / 2) * 1000;
  var deadline = Date.now() + (data.remaining === "" ? idle : Number(data.remaining)) * 1000;
  var state = "active"; // "warning", "expired"
  var timer = null;
  var resubmitting = false;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("portal-session") : null;
  var title = dialog.querySelector("[data-session-title]");
  var text = dialog.querySelector("[data-session-text]");
  var warningActions = dialog.querySelector("[data-session-warning-actions]");
  var expiredActions = dialog.querySelector("[data-session-expired-actions]");
  var stayButton = dialog.querySelector("[data-session-stay]");
  var loginLink = dialog.querySelector("[data-session-login]");
  var logoutForm = dialog.querySelector("[data-session-logout-form]");
  var logoutPath = new URL(logoutForm.action, location.href).pathname;

  function csrf() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function here() { return location.pathname + location.search; }

  function loginUrl() { return data.loginUrl + "?next=" + encodeURIComponent(here()); }

  // --- Asking the server ---

  // Seconds the session has left; 0 when it has ended (the server answers 401).
  function ask(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    return fetch(url, options).then(function (response) {
      if (response.status === 401) return 0;
      if (!response.ok) throw new Error(String(response.status));
      return response.json().then(function (body) { return Math.max(Number(body.remaining) || 0, 0.001); });
    });
  }

  function status() { return ask(data.statusUrl); }

  function keepAlive() {
    return ask(data.keepAliveUrl, { method: "POST", headers: { "X-CSRFToken": csrf() } });
  }

  // --- Timing ---

  function setDeadline(secondsLeft, tell) {
    deadline = Date.now() + secondsLeft * 1000;
    if (tell && channel) channel.postMessage({ deadline: deadline });
  }

  function schedule() {
    window.clearTimeout(timer);
    if (state === "expired") return;
    // A second after the server's moment, so the server agrees when asked.
    var at = (state === "active" ? deadline - warnLead : deadline) + 1000;
    timer = window.setTimeout(check, Math.max(0, at - Date.now()));
  }

  function check() {
    status().then(function (left) {
      if (!left) { expire(); return; }
      setDeadline(left, false);
      if (deadline - Date.now() > warnLead) {
        if (state === "warning") closeDialog();
        state = "active";
      } else if (state !== "warning") {
        warn();
      }
      schedule();
    }, function () {
      // No connection: ask again shortly; the server decides in the end.
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 10000);
    });
  }

  // --- The dialog ---

  function open(focus) {
    if (!dialog.open) dialog.showModal();
    focus.focus();
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
  }

  function warn() {
    state = "warning";
    title.textContent = data.msgWarningTitle;
    text.textContent = data.msgWarning;
    dialog.setAttribute("role", "alertdialog");
    warningActions.hidden = false;
    expiredActions.hidden = true;
    open(stayButton);
  }

  function stay() {
    keepAlive().then(function (left) {
      if (!left) { expire(); return; }
      setDeadline(left, true);
      state = "active";
      closeDialog();
      schedule();
    }, function () { check(); });
  }

  function expire() {
    window.clearTimeout(timer);
    state = "expired";
    if (!keepForms()) {
      // Nothing typed would be lost: straight to the log-in, and back here after it.
      location.assign(loginUrl());
      return;
    }
    showExpired();
  }

  function showExpired() {
    title.textContent = data.msgExpiredTitle;
    text.textContent = data.msgExpired;
    dialog.setAttribute("role", "alertdialog");
    loginLink.href = loginUrl();
    warningActions.hidden = true;
    expiredActions.hidden = false;
    open(loginLink);
  }

  stayButton.addEventListener("click", stay);
  dialog.querySelector("[data-session-close]").addEventListener("click", closeDialog);
  // Escape while warned means the person is there: the same as "Stay logged in".
  dialog.addEventListener("cancel", function (event) {
    if (state === "warning") { event.preventDefault(); stay(); }
  });

  // --- Keeping and restoring typed text ---

  var TEXT_TYPES = /^(text|email|search|url|tel|number|date|time|datetime-local|month|week)$/;

  function keyFor(form) {
    return KEPT + location.pathname + "|" + new URL(form.getAttribute("action") || location.href, location.href).pathname;
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.readOnly) return false;
      if (field.closest("[data-autosave]")) return false; // the minutes keep their own text
      if (field.tagName === "TEXTAREA") return true;
      return field.tagName === "INPUT" && TEXT_TYPES.test(field.type);
    });
  }

  // Stores the text of every form with unsent typing; true when there was any (or when the minutes hold
  // text in this browser that the portal does not have yet).
  function keepForms() {
    var any = false;
    document.querySelectorAll("[data-autosave]").forEach(function (box) {
      try { if (localStorage.getItem(box.dataset.key) !== null) any = true; } catch (error) { /* no storage */ }
    });
    document.querySelectorAll("form").forEach(function (form) {
      if ((form.getAttribute("method") || "get").toLowerCase() !== "post" || form === logoutForm) return;
      var fields = keptFields(form);
      var typed = fields.some(function (field) { return field.value !== field.defaultValue; });
      if (!typed) return;
      var values = {};
      fields.forEach(function (field) { values[field.name] = field.value; });
      try {
        sessionStorage.setItem(keyFor(form), JSON.stringify({ at: Date.now(), values: values }));
      } catch (error) { /* no storage: the text is still on the page */ }
      any = true;
    });
    return any;
  }

  function restoreForms() {
    document.querySelectorAll("form").forEach(function (form) {
      var key = keyFor(form), kept;
      try {
        kept = JSON.parse(sessionStorage.getItem(key) || "null");
        sessionStorage.removeItem(key);
      } catch (error) { return; }
      if (!kept || Date.now() - kept.at > KEEP_HOURS * 3600 * 1000) return;
      var restored = false;
      keptFields(form).forEach(function (field) {
        var value = kept.values[field.name];
        if (value === undefined || value === field.value) return;
        if (field.value !== field.defaultValue) return; // never over what is already typed here
        field.value = value;
        restored = true;
      });
      if (!restored) return;
      var note = document.createElement("div");
      note.className = "utrecht-alert utrecht-alert--info";
      note.setAttribute("role", "status");
      note.setAttribute("data-session-restored", "");
      var content = document.createElement("div");
      content.className = "utrecht-alert__content";
      var p = document.createElement("p");
      p.className = "utrecht-alert__message utrecht-paragraph";
      p.textContent = data.msgRestored;
      content.appendChild(p);
      note.appendChild(content);
      form.parentNode.insertBefore(note, form);
    });
  }

  // A form sent after the time-out would land on the log-in page and lose its text: keep it here instead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (resubmitting || new URL(form.action, location.href).pathname === logoutPath) return;
    if (state === "expired") {
      event.preventDefault();
      keepForms();
      showExpired();
      return;
    }
    if (Date.now() < deadline) return;
    event.preventDefault();
    var submitter = event.submitter;
    status().then(function (left) {
      if (!left) { expire(); return; }
      setDeadline(left, false);
      resubmitting = true;
      try { form.requestSubmit(submitter || undefined); } finally { resubmitting = false; }
    }, function () { check(); });
  }, true);

  // An htmx request whose session has ended is sent to the log-in page: keep the typing first.
  document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
    var target = event.detail.xhr.getResponseHeader("HX-Redirect") || "";
    if (target.indexOf(data.loginUrl) === 0) keepForms();
  });

  // Activity in another tab of the portal moves the moment here as well.
  if (channel) {
    channel.addEventListener("message", function (event) {
      var other = event.data && Number(event.data.deadline);
      if (!other || other <= deadline || state === "expired") return;
      deadline = other;
      if (state === "warning" && deadline - Date.now() > warnLead) {
        state = "active";
        closeDialog();
      }
      schedule();
    });
    channel.postMessage({ deadline: deadline });
  }

  // A computer that slept did not run the timers: look again when the page is seen.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state !== "expired" && Date.now() > deadline - warnLead) check();
  });

  restoreForms();
  schedule();
})();
