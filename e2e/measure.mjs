// Measures what a reader's browser pays for a search on a built site (issue figures):
// bytes on the wire from opening /cari/ to results for a query, and query-to-results time.
//   node measure.mjs <site-dir> "<query>" [runs]
// The site must have been built with base_url "/" (the default for a generated corpus).
import { serve } from "./serve.mjs";
import { launch } from "./browser.mjs";

const [dir, query = "laporan keuangan", runs = "3"] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node measure.mjs <site-dir> "<query>" [runs]');
  process.exit(2);
}
// Bytes are counted where they leave the server (compressed bodies), so the requests of
// Pagefind's web worker count too; 250 bytes of headers are added per response.
let sent = [];
const server = await serve(dir, "/", (path, bytes) => sent.push({ path, bytes: bytes + 250, at: Date.now() }));
const browser = await launch();
const rendered = () => Number(document.getElementById("cari")?.dataset.rendered || 0);
for (let i = 0; i < Number(runs); i++) {
  // A fresh context each run: an empty cache, as for a first visit.
  const context = await browser.newContext();
  const page = await context.newPage();
  sent = [];
  // The facet counts are fetched after the results are shown; on localhost both finish within
  // milliseconds, so hold the filter files back a little to tell the two phases apart.
  await context.route("**/pagefind/filter/**", (route) => setTimeout(() => route.continue(), 300));
  const t0 = Date.now();
  await page.goto(`${server.origin}/cari/`);
  await page.waitForFunction(rendered);
  const ready = Date.now() - t0;
  await page.fill("#cari-q", query);
  const q0 = Date.now();
  await page.press("#cari-q", "Enter");
  // Results on screen: the status names the query and the first results are listed.
  await page.waitForFunction((q) => document.getElementById("cari-status").textContent.includes(q)
    && document.querySelectorAll("#cari-results .result").length > 0, query);
  const resultsAt = Date.now();
  const queryMs = resultsAt - q0;
  const sum = (until = Infinity) => sent.filter((f) => f.at <= until).reduce((s, f) => s + f.bytes, 0);
  // Then the facet counts for this search.
  await page.waitForFunction((p) => Number(document.getElementById("cari").dataset.rendered) > p, 1);
  const facetsMs = Date.now() - q0;
  const status = await page.textContent("#cari-status");
  await new Promise((r) => setTimeout(r, 200));
  const total = sum();
  const toResults = sum(resultsAt);
  const byKind = {};
  for (const f of sent) {
    const path = f.path;
    const kind = path.includes("/pagefind/") ? path.split("/")[2].replace(/[._].*$/, "") : path.split("/").pop() || "cari/";
    byKind[kind] = (byKind[kind] || 0) + f.bytes;
  }
  console.log(JSON.stringify({ run: i + 1, query, status, page_ready_ms: ready, query_to_results_ms: queryMs, query_to_facets_ms: facetsMs, bytes_to_results: toResults, total_bytes: total, requests: sent.length, by_kind: byKind }));
  await context.close();
}
await browser.close();
server.close();
