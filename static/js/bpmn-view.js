// Draws the map's BPMN export with the vendored bpmn-js viewer (static/vendor/bpmn-js).
// No inline script (the Content-Security-Policy forbids it); the export URL is in data-src.
(function () {
  "use strict";

  function show() {
    var canvas = document.getElementById("bpmn-canvas");
    var status = document.getElementById("bpmn-status");
    if (!canvas || !status) return;
    if (typeof window.BpmnJS === "undefined") {
      status.textContent = "The diagram viewer did not load; download the file instead.";
      return;
    }
    var viewer = new window.BpmnJS({ container: canvas });
    window.bpmnViewer = viewer; // the browser tests read its element registry
    fetch(canvas.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        viewer.get("canvas").zoom("fit-viewport");
        status.textContent = "Drawn from the BPMN export. Drag to move the diagram.";
        canvas.setAttribute("data-state", "shown");
      })
      .catch(function () {
        status.textContent = "The diagram could not be drawn; download the file instead.";
        canvas.setAttribute("data-state", "failed");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
