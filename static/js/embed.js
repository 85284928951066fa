// The embedded self-score is finished: tell the page that frames it. The message (score,
// tier, widest gap; never an email) goes to the firm's listed origins only, never "*": the
// browser delivers it only if the parent's origin is the one named, so a page that framed
// us without being listed hears nothing (and the CSP's frame-ancestors refuses it anyway).
(function () {
  "use strict";
  if (window.parent === window) return;
  var message = JSON.parse(document.getElementById("completed-message").textContent);
  var origins = JSON.parse(document.getElementById("parent-origins").textContent);
  origins.forEach(function (origin) {
    try {
      window.parent.postMessage(message, origin);
    } catch (error) {
      // An origin the browser cannot parse: skip it.
    }
  });
})();
