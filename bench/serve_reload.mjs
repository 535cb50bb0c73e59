// Edit-to-reload latency of `lontara serve` (and, for comparison, of `hugo server`) in
// Debian's Chromium: one entry page is open; its Markdown body is changed on disk; the time is
// taken from just before the file write to the `load` event of the page that reloaded itself.
//
//   cd e2e && npm ci                  # once: playwright-core (loaded through e2e/browser.mjs)
//   node bench/serve_reload.mjs [options] [CORPUS]     # from the repository root (or any folder)
//
// CORPUS is a folder written by examples/corpus.rs (content/innovations/*.md, agencies.yaml);
// when it does not exist it is generated there (--n entries, --seed). It is never edited: each
// server gets a fresh copy in a temporary folder. Default: /tmp/lontara-corpus-<n>.
//
// Options:
//   --bin PATH     the lontara binary (default $LONTARA_BIN or target/release/lontara, else
//                  target/debug/lontara); numbers worth quoting come from a release build
//   --runs N       edits measured (10)
//   --n N          entries when generating the corpus (1000); --seed S (42)
//   --slug SLUG    the entry opened and edited (default: the first file in alphabetical order)
//   --no-settle    do not wait, between edits, for the server to finish its background work
//                  (lontara: the search index; the default waits for "search index updated",
//                  so each edit meets an idle server); wait --pause ms (1000) instead
//   --hugo         also measure `hugo server` on the same corpus (converted with
//                  bench/to_hugo.py; Debian's package: apt-get install hugo), in its default
//                  Fast Render mode; --hugo-only measures only Hugo
//   --json         end with one JSON line holding every figure
//
// Printed per server: each edit's time (and the server's own rebuild time from its log), the
// median, and the server process's resident memory (VmRSS from /proc/PID/status) after the
// edits. A reload that does not show the edit (seen with Hugo 0.111: it reloads the page
// before the fast render has the new text, now and then) is marked STALE and left out of the
// median.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { launch } from "../e2e/browser.mjs";
import { REPO, rssKiB, startServe, startServer } from "../e2e/lontara-serve.mjs";

const opts = parseArgs(process.argv.slice(2));
const corpus = opts.corpus || `/tmp/lontara-corpus-${opts.n}`;
if (!existsSync(join(corpus, "content", "innovations"))) {
  console.log(`generating ${opts.n} entries (seed ${opts.seed}) into ${corpus}`);
  execFileSync("cargo", ["run", "--quiet", "--release", "--example", "corpus", "--", "--n", String(opts.n), "--seed", String(opts.seed), "--out", corpus], { cwd: REPO, stdio: "inherit" });
}
const slug = opts.slug || readdirSync(join(corpus, "content", "innovations")).filter((f) => f.endsWith(".md")).sort()[0].replace(/\.md$/, "");
const entries = readdirSync(join(corpus, "content", "innovations")).filter((f) => f.endsWith(".md")).length;
console.log(`corpus ${corpus}: ${entries} entries; editing ${slug}; ${opts.runs} edits; ${opts.settle ? "idle server before each edit" : `${opts.pause} ms between edits`}`);

// Marks the page once its reload channel is connected (lontara: the first server message on
// the EventSource; Hugo: the livereload WebSocket's handshake): only then can it hear of an edit.
function watchLiveChannel() {
  const ES = window.EventSource;
  window.EventSource = class extends ES {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__live = true; }, { once: true });
    }
  };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__live = true; }, { once: true });
    }
  };
}

const browser = await launch();
const summary = { corpus, entries, slug, runs: opts.runs, settle: opts.settle, servers: {} };
try {
  if (!opts.hugoOnly) summary.servers.lontara = await measure(lontaraTarget());
  if (opts.hugo || opts.hugoOnly) {
    if (!hasHugo()) console.log("\nhugo: not installed (apt-get install hugo); skipped");
    else summary.servers.hugo = await measure(hugoTarget());
  }
} finally {
  await browser.close();
}
if (opts.json) console.log(JSON.stringify(summary));

function lontaraTarget() {
  const bin = opts.bin;
  return {
    name: `lontara serve (${bin})`,
    async start() {
      const dir = mkdtempSync(join(tmpdir(), "bench-serve-"));
      for (const name of ["content", "themes", "book.toml"]) {
        if (existsSync(join(corpus, name))) cpSync(join(corpus, name), join(dir, name), { recursive: true });
      }
      const t0 = performance.now();
      const server = await startServe(dir, { bin, timeoutMs: 600_000 });
      const startMs = performance.now() - t0;
      // The search index is built in the background once the server is quiet.
      if (opts.settle) await server.sawLine(/search index updated/, 600_000);
      return { server, dir, startMs, file: join(dir, "content/innovations", `${slug}.md`), url: `${server.origin}/inovasi/${slug}/` };
    },
    rebuiltRe: /rebuilt in (\d+) ms/,
    idleRe: opts.settle ? /search index updated/ : null,
  };
}

function hugoTarget() {
  return {
    name: "hugo server (Fast Render mode)",
    async start() {
      const dir = mkdtempSync(join(tmpdir(), "bench-hugo-"));
      const site = join(dir, "site");
      execFileSync("python3", [join(REPO, "bench/to_hugo.py"), corpus, site], { stdio: "ignore" });
      const port = await freePort();
      const t0 = performance.now();
      const server = await startServer("hugo", ["server", "--bind", "127.0.0.1", "--port", String(port), "--source", site], {
        ready: /Web Server is available at (http:\/\/[^/\s]+)\//,
        timeoutMs: 600_000,
      });
      const startMs = performance.now() - t0;
      return { server, dir, startMs, file: join(site, "content/innovations", `${slug}.md`), url: `${server.origin}/innovations/${slug}/` };
    },
    rebuiltRe: /Total in (\d+) ms/,
    idleRe: null,
  };
}

async function measure(target) {
  console.log(`\n== ${target.name}`);
  const { server, dir, startMs, file, url } = await target.start();
  const context = await browser.newContext();
  try {
    console.log(`listening after ${Math.round(startMs)} ms (pid ${server.pid}); RSS ${mib(rssKiB(server.pid))} before the edits`);
    await context.addInitScript(watchLiveChannel);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__live === true, null, { timeout: 60_000 });
    const times = [];
    const serverTimes = [];
    const stale = []; // edits whose reload showed the old page: left out of the median
    for (let i = 1; i <= opts.runs; i++) {
      const sentence = `Kalimat ukur nomor ${i} (${Date.now()}).`;
      const loaded = page.waitForEvent("load", { timeout: 300_000 });
      const rebuilt = server.waitLine(target.rebuiltRe, 300_000);
      const idle = target.idleRe ? server.waitLine(target.idleRe, 600_000) : null;
      idle?.catch(() => {});
      const t0 = performance.now();
      appendFileSync(file, `\n${sentence}\n`);
      await loaded;
      const ms = performance.now() - t0;
      // The reloaded page must show the edit; a reload of the old version would not count.
      const fresh = await page.waitForFunction((s) => document.body.innerText.includes(s), sentence, { timeout: 10_000 })
        .then(() => true, () => false);
      const serverMs = Number((await rebuilt.catch(() => "")).match(target.rebuiltRe)?.[1] ?? NaN);
      if (fresh) times.push(ms);
      serverTimes.push(serverMs);
      console.log(`edit ${String(i).padStart(2)}: ${ms.toFixed(0).padStart(6)} ms to load` +
        `   (server log: ${Number.isNaN(serverMs) ? "?" : serverMs} ms; RSS ${mib(rssKiB(server.pid))})` +
        `${fresh ? "" : "   STALE: the edit is not on the reloaded page"}`);
      if (!fresh) stale.push(i);
      await page.waitForFunction(() => window.__live === true, null, { timeout: 60_000 });
      if (idle) await idle;
      else await new Promise((r) => setTimeout(r, opts.pause));
    }
    const rss = rssKiB(server.pid);
    if (stale.length) console.log(`${stale.length} of ${opts.runs} reloads showed the page without the edit (edits ${stale.join(", ")}); left out below`);
    if (!times.length) throw new Error("no reload showed the edit");
    const med = median(times);
    console.log(`median ${med.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ` +
      `server's own median ${median(serverTimes.filter((x) => !Number.isNaN(x)))} ms; RSS after the edits ${mib(rss)}`);
    return { start_ms: Math.round(startMs), times_ms: times.map((t) => Math.round(t)), median_ms: Math.round(med), stale_edits: stale, server_ms: serverTimes, rss_kib: rss };
  } catch (e) {
    e.message += `\n--- ${target.name} (${server.status()}) said:\n${server.lines.slice(-40).join("\n")}`;
    throw e;
  } finally {
    await context.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mib(kib) {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

function hasHugo() {
  try {
    execFileSync("hugo", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function parseArgs(argv) {
  const release = join(REPO, "target/release/lontara");
  const o = {
    bin: process.env.LONTARA_BIN || (existsSync(release) ? release : join(REPO, "target/debug/lontara")),
    runs: 10, n: 1000, seed: 42, slug: "", settle: true, pause: 1000,
    hugo: false, hugoOnly: false, json: false, corpus: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--bin") o.bin = val();
    else if (a === "--runs") o.runs = Number(val());
    else if (a === "--n") o.n = Number(val());
    else if (a === "--seed") o.seed = Number(val());
    else if (a === "--slug") o.slug = val();
    else if (a === "--pause") o.pause = Number(val());
    else if (a === "--no-settle") o.settle = false;
    else if (a === "--hugo") o.hugo = true;
    else if (a === "--hugo-only") o.hugoOnly = true;
    else if (a === "--json") o.json = true;
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else o.corpus = a;
  }
  if (!(o.runs > 0)) usage("--runs must be a positive number");
  return o;
}

function usage(problem) {
  if (problem) console.error(problem);
  console.error("usage: node bench/serve_reload.mjs [--bin PATH] [--runs N] [--n N] [--seed S] [--slug SLUG] [--no-settle] [--pause MS] [--hugo | --hugo-only] [--json] [CORPUS]");
  process.exit(problem ? 2 : 0);
}
