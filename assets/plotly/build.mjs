// Builds static/vendor/plotly/plotly-partial.min.js: plotly.js core (scatter, cartesian
// and polar subplots, shapes, annotations, legend, hover) with only the traces the app
// draws. `make plotly-bundle` installs package-lock.json into a cache outside the repo and
// runs: node assets/plotly/build.mjs <node_modules> <outfile>
//
// Keep TRACES in step with tests/browser/test_plotly_bundle.py (which checks every trace
// type the app's charts use is registered) and the plotly.js version in package.json with
// the one the Python plotly package ships (plotly/package_data/plotly.min.js).
import { createRequire } from "node:module";
import path from "node:path";

export const TRACES = ["bar", "scatterpolar"]; // scatter is part of plotly.js core

const [nodeModules, outfile] = process.argv.slice(2);
if (!nodeModules || !outfile) {
  console.error("usage: node build.mjs <node_modules> <outfile>");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(nodeModules), "noop.js"));
const esbuild = require("esbuild");
const version = require("plotly.js/package.json").version;
const contents = [
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${TRACES.map((t) => `require('plotly.js/lib/${t}')`).join(", ")}]);`,
  "module.exports = Plotly;",
].join("\n");

await esbuild.build({
  stdin: { contents, resolveDir: path.resolve(nodeModules), loader: "js" },
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  // As plotly.js's own esbuild-config.js; its only CSS is maplibre's, for map traces.
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },
  legalComments: "none",
  banner: {
    js:
      `/*! plotly.js v${version} (MIT, Plotly, Inc.), partial bundle: ` +
      `traces scatter,${TRACES.join(",")}. Built by assets/plotly/build.mjs. */`,
  },
  logLevel: "warning",
});
console.log(`${outfile}: plotly.js v${version} with scatter,${TRACES.join(",")}`);
