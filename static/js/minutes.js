// Autosave for the minutes that never loses typing. Every change is kept in
// this browser first (localStorage), then sent with the version it was based
// on. The server refuses a save based on an older version (another tab, a
// reconnect), so newer text is never overwritten; the typed text stays on the
// screen and in this browser until it is safely stored.
(function () {
  var DELAY = 1200;
  var csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;

  function setup(box) {
    var url = box.dataset.autosave;
    var key = box.dataset.key;
    var status = box.querySelector(".portal-save-status");
    var fields = box.querySelectorAll("textarea");
    var timer = null;
    var saving = false;

    function values() {
      var data = {};
      fields.forEach(function (field) { data[field.name] = field.value; });
      return data;
    }
    function say(text) { status.textContent = text; }

    // Text typed earlier on this version but never saved comes back.
    try {
      var kept = JSON.parse(localStorage.getItem(key) || "null");
      if (kept && String(kept.version) === box.dataset.version) {
        fields.forEach(function (field) { if (kept.values[field.name] !== undefined) field.value = kept.values[field.name]; });
        say(box.dataset.msgRestored);
        schedule();
      }
    } catch (error) { /* no storage: autosave still works */ }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    }
    function save() {
      if (saving) { schedule(); return; }
      saving = true;
      var body = new URLSearchParams(values());
      body.append("version", box.dataset.version);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (data) { return [response.status, data]; }); })
        .then(function (result) {
          var code = result[0], data = result[1];
          if (code === 200) {
            box.dataset.version = data.version;
            localStorage.removeItem(key);
            say(box.dataset.msgSaved.replace("%(time)s", data.saved_at));
          } else {
            say(data.error);
            box.classList.add("portal-conflict");
          }
        })
        .catch(function () {
          say(box.dataset.msgOffline);
          window.setTimeout(save, 5000);
        })
        .finally(function () { saving = false; });
    }

    fields.forEach(function (field) {
      if (field.readOnly) return;
      field.addEventListener("input", function () {
        try { localStorage.setItem(key, JSON.stringify({ version: box.dataset.version, values: values() })); } catch (error) {}
        say(box.dataset.msgSaving);
        schedule();
      });
    });
  }

  document.querySelectorAll("[data-autosave]").forEach(setup);
})();
