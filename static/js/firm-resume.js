// A firm's self-score keeps its run in a signed token in the form (firms/tokens.py), so a
// visitor who closes the tab or follows a link away would lose their answers. This keeps
// the latest token in the browser's localStorage, under the firm and path (link or embed),
// and offers it back on the first page: "Continue where you left off" posts it with
// `resume`, and the server shows the step it was at (or the result, if it was finished).
// Nothing is sent anywhere else; where storage is blocked (some third-party iframes),
// the page works as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-selfscore-key]");
  if (!form) return;
  var key = form.getAttribute("data-selfscore-key");
  var store;
  try {
    store = window.localStorage;
    store.getItem(key);
  } catch (error) {
    return;
  }
  if (form.hasAttribute("data-selfscore-forget")) store.removeItem(key);

  var state = form.querySelector("input[name=state]");
  if (state && state.value) {
    store.setItem(
      key,
      JSON.stringify({
        token: state.value,
        step: Number(form.getAttribute("data-step")),
        total: Number(form.getAttribute("data-total")),
      })
    );
    if (form.hasAttribute("data-selfscore-finish")) {
      // Submitting the last step files the result: nothing is left to resume. A page
      // drawn again (an error on the form) keeps the token anew.
      form.addEventListener("submit", function (event) {
        if (!event.submitter || event.submitter.name !== "back") store.removeItem(key);
      });
    }
    return;
  }

  var panel = document.getElementById("selfscore-resume");
  if (!panel) return;
  var saved = null;
  try {
    saved = JSON.parse(store.getItem(key) || "null");
  } catch (error) {
    saved = null;
  }
  if (!saved || typeof saved.token !== "string" || !saved.token) return;
  panel.querySelector("input[name=state]").value = saved.token;
  var where = "Your company profile is next.";
  if (saved.step > saved.total) where = "Every question is answered: one step to your result.";
  else if (saved.step > 0) where = "Next: question " + saved.step + " of " + saved.total + ".";
  panel.querySelector("[data-resume-where]").textContent =
    "Your answers so far are kept in this browser. " + where;
  panel.hidden = false;
  panel.querySelector("[data-resume-discard]").addEventListener("click", function () {
    store.removeItem(key);
    panel.hidden = true;
    var first = form.querySelector("input, button");
    if (first) first.focus();
  });
})();
