// Draws the charts whose data the server put in <script type="application/json"> blocks.
// No inline script anywhere (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function drawRadar() {
    var el = document.getElementById("radar");
    var data = readJSON("radar-data");
    if (!el || !data || typeof Plotly === "undefined") return;
    var close = function (values) { return values.concat(values.slice(0, 1)); };
    var theta = close(data.labels);
    var traces = [];
    if (data.peers && data.peers.length) {
      traces.push({
        type: "scatterpolar", mode: "lines", name: data.peerName,
        r: close(data.peers), theta: theta,
        line: { color: "#8a94a6", dash: "dot", width: 2 },
        hovertemplate: "%{theta}: %{r:.0f}<extra>" + data.peerName + "</extra>"
      });
    }
    traces.push({
      type: "scatterpolar", mode: "lines+markers", name: "Your team", fill: "toself",
      r: close(data.you), theta: theta,
      line: { color: "#0f766e", width: 3 }, fillcolor: "rgba(15,118,110,0.18)",
      marker: { size: 6 },
      hovertemplate: "%{theta}: %{r:.0f}<extra>Your team</extra>"
    });
    Plotly.newPlot(el, traces, {
      polar: {
        radialaxis: { range: [0, 100], tickvals: [25, 50, 75, 100], angle: 90, tickfont: { size: 10 } },
        angularaxis: { tickfont: { size: 12 }, direction: "clockwise", rotation: 90 }
      },
      legend: { orientation: "h", y: -0.08, x: 0.5, xanchor: "center" },
      margin: { l: 90, r: 90, t: 30, b: 30 },
      paper_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", color: "#1f2937" }
    }, { displayModeBar: false, responsive: true }).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawRadar);
  } else {
    drawRadar();
  }
})();
