// Draws the charts whose data the server put in <script type="application/json"> blocks.
// No inline script anywhere (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function drawHistory() {
    var el = document.getElementById("history");
    var data = readJSON("history-data");
    if (!el || !data || typeof Plotly === "undefined") return;
    var palette = ["#0f766e", "#1d4ed8", "#b54708", "#7c3aed", "#be185d", "#4d7c0f"];
    var traces = data.traces.map(function (t, i) {
      return {
        type: "scatter", mode: "lines+markers", name: t.name, x: t.x, y: t.y,
        line: { color: palette[i % palette.length], width: 2 }, marker: { size: 7 },
        hovertemplate: "%{x|%d %b %Y}: %{y:.1f}<extra></extra>"
      };
    });
    var bands = [[0, 40, "#fde8e7"], [40, 60, "#fdf1e4"], [60, 80, "#e6edfd"], [80, 100, "#e3f4ea"]];
    Plotly.newPlot(el, traces, {
      yaxis: { range: [0, 100], title: { text: "Overall score" }, tickvals: [0, 40, 60, 80, 100] },
      xaxis: { type: "date" },
      shapes: bands.map(function (b) {
        return { type: "rect", xref: "paper", x0: 0, x1: 1, y0: b[0], y1: b[1], fillcolor: b[2], line: { width: 0 }, layer: "below" };
      }),
      legend: { orientation: "h", y: -0.2 },
      margin: { l: 50, r: 10, t: 10, b: 40 },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", color: "#1f2937" }
    }, { displayModeBar: false, responsive: true }).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  }

  // Figures built server-side (workflows/charts.py, benchmark/charts.py) are drawn as they
  // are. An element with data-phone-figure draws that figure instead on a narrow screen
  // (the result's radar becomes bars, whose labels fit a phone).
  var PHONE_PX = 600;

  function drawFigure(elementId, dataId) {
    var el = document.getElementById(elementId);
    if (!el || typeof Plotly === "undefined") return;
    var phoneId = el.getAttribute("data-phone-figure");
    var figure = readJSON(phoneId && el.clientWidth < PHONE_PX ? phoneId : dataId);
    if (!figure) return;
    var layout = figure.layout || {};
    // Fit the card when the figure is at most a little wider (boxes shrink a bit); much
    // wider maps keep their size and scroll sideways, in a region that says so and that
    // the keyboard can reach to scroll.
    var wide = layout.width && el.clientWidth && layout.width >= el.clientWidth * 1.4;
    if (layout.width && !wide) layout.width = el.clientWidth;
    // The card is as tall as the figure (the phone's bars are taller than the radar).
    el.style.height = layout.height ? layout.height + "px" : "";
    if (wide) el.setAttribute("tabindex", "0"); else el.removeAttribute("tabindex");
    var hint = document.querySelector("[data-scroll-hint='" + elementId + "']");
    if (hint) hint.hidden = !wide;
    Plotly.react(el, figure.data || [], layout, { displayModeBar: false, staticPlot: false, responsive: !layout.width })
      .then(function () { el.setAttribute("data-rendered", "true"); });
  }

  function drawFigures() {
    var nodes = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < nodes.length; i++) {
      if (!nodes[i].id) nodes[i].id = "figure-" + i;
      drawFigure(nodes[i].id, nodes[i].getAttribute("data-figure"));
    }
  }

  function drawAll() { drawFigure("radar", "radar-data"); drawHistory(); drawFigure("swimlane", "swimlane-data"); drawFigures(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // htmx swaps fragments that carry new chart data: draw them again.
  document.addEventListener("htmx:afterSettle", drawAll);
  // A phone turned sideways, a window resized: fit the figures again (after it settles).
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      drawFigure("radar", "radar-data"); drawFigure("swimlane", "swimlane-data"); drawFigures();
    }, 120);
  });
})();
