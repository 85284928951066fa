// When an htmx request fails (the server answered with an error, or did not answer at
// all), say so where the user is looking: in the save status beside the field that sent
// it, or in the banner at the top of the page. htmx swaps nothing on an error, so what the
// user typed stays in the field, ready to be sent again.
(function () {
  "use strict";

  function describe(status) {
    if (status === 0) return "Not saved: no connection to the server. Your entry is still here; try again in a moment.";
    if (status === 429) return "Not saved: too many attempts. Wait a minute, then try again.";
    if (status === 403 || status === 404) return "Not saved: this is no longer yours to edit. Reload the page.";
    if (status >= 500) return "Not saved: the server could not complete this just now. Your entry is still here; try again in a few seconds.";
    return "Not saved (error " + status + "). Reload the page and try again.";
  }

  function statusFor(elt) {
    if (!elt) return null;
    var byName = elt.name && document.getElementById("status-" + elt.name);
    if (byName) return byName;
    var around = elt.closest("tr, fieldset, .field, form");
    return around ? around.querySelector(".save-state") : null;
  }

  function report(event, status) {
    var text = describe(status);
    var target = statusFor(event.detail.elt);
    if (target) {
      target.textContent = text;
      target.classList.remove("saved");
      target.classList.add("error");
      return;
    }
    var banner = document.getElementById("request-error");
    if (banner) {
      banner.textContent = text;
      banner.hidden = false;
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    report(event, event.detail.xhr.status);
  });
  document.addEventListener("htmx:sendError", function (event) {
    report(event, 0);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var banner = document.getElementById("request-error");
    if (banner && event.detail.successful) banner.hidden = true;
    var status = event.detail.successful && statusFor(event.detail.elt);
    if (status) status.classList.remove("error");
  });
})();

// On a phone, tables with a header row show one block per row (app.css, "stacks"): each
// cell carries its column's name in data-label. Explicit roles keep them tables to screen
// readers, which otherwise may drop table semantics once the CSS display changes.
(function () {
  "use strict";

  function label(table) {
    if (table.classList.contains("result-table") || !table.tHead) return;
    var heads = [];
    var headRow = table.tHead.rows[table.tHead.rows.length - 1];
    for (var i = 0; i < headRow.cells.length; i++) {
      var span = headRow.cells[i].colSpan || 1;
      for (var s = 0; s < span; s++) heads.push(headRow.cells[i].textContent.trim());
    }
    table.setAttribute("role", "table");
    var rows = table.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      row.setAttribute("role", "row");
      var column = 0;
      for (var c = 0; c < row.cells.length; c++) {
        var cell = row.cells[c];
        var inHead = row.parentNode === table.tHead;
        if (inHead) cell.setAttribute("role", "columnheader");
        else if (cell.tagName === "TH") cell.setAttribute("role", "rowheader");
        else cell.setAttribute("role", "cell");
        if (!inHead) cell.setAttribute("data-label", heads[column] || "");
        column += cell.colSpan || 1;
      }
    }
    table.classList.add("stacks");
  }

  function labelAll(root) {
    var tables = (root || document).querySelectorAll("table.scores");
    for (var i = 0; i < tables.length; i++) label(tables[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelAll(document); });
  } else {
    labelAll(document);
  }
  document.addEventListener("htmx:afterSettle", function () { labelAll(document); });
})();

// After a swap the user asked for (or a page answering a form), focus lands on what
// changed: the server names it in data-focus (the saved step's Edit link, the moved
// step's button, the first field with an error). Read once, then removed, so a later
// swap elsewhere (an autosave) never moves the focus.
(function () {
  "use strict";

  function inView(el) {
    var box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  function focusRequested() {
    var holder = document.querySelector("[data-focus]");
    if (!holder) return;
    var target = document.getElementById(holder.getAttribute("data-focus"));
    holder.removeAttribute("data-focus");
    if (!target) return;
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    if (!inView(target)) target.scrollIntoView({ block: "center" });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusRequested);
  } else {
    focusRequested();
  }
  document.addEventListener("htmx:afterSettle", focusRequested);
})();

// The plan's time zone box starts on the browser's zone while it holds the default.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  function fill() {
    var boxes = document.querySelectorAll("input[data-browser-zone]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var known = box.list && box.list.querySelector("option[value='" + zone.replace(/'/g, "") + "']");
      if (zone && known && box.value === box.getAttribute("data-browser-zone")) box.value = zone;
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();

// Copy-link buttons (hidden without JavaScript, where the link stays selectable in its box).
(function () {
  "use strict";

  function say(id, text) {
    var status = document.querySelector("[data-copy-status='" + id + "']");
    if (status) status.textContent = text;
  }

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var box = document.getElementById(id);
    if (!box) return;
    var done = function () { say(id, "Link copied."); };
    var fallback = function () {
      box.select();
      try { document.execCommand("copy"); done(); } catch (e) { say(id, "Select the link and copy it."); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(box.value).then(done, fallback);
    else fallback();
  }

  function wire() {
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      if (!buttons[i].dataset.wired) {
        buttons[i].dataset.wired = "1";
        buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
  document.addEventListener("htmx:afterSettle", wire);
})();
