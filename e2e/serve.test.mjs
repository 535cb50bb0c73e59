// End-to-end tests of `lontara serve` in a real Chromium: an editor changes files on disk and
// the open page follows by itself (reload keeping the scroll position, error overlay,
// stylesheet swapped in place). Each test serves its own copy of the repository's catalogue,
// so the edits never touch the repository. Needs target/debug/lontara (or LONTARA_BIN).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./browser.mjs";
import { copyCatalogue, startServe } from "./lontara-serve.mjs";

// A long entry, so that there is room to scroll.
const SLUG = "kampung-donor-darah-penyelamat-jiwa";
const ENTRY = `content/innovations/${SLUG}.md`;
const PAGE = `/inovasi/${SLUG}/`;

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

// Marks the page once its live-reload channel has delivered its first message (the server's
// greeting): from then on the server's broadcasts reach it. Passive: it only listens.
function watchLiveChannel() {
  const Original = window.EventSource;
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__lontaraLive = true; }, { once: true });
    }
  };
}

// Runs `body({ root, server, page, errors })` with a fresh catalogue copy, server and page;
// the server is stopped and the copy removed whatever happens.
async function withServe(body) {
  const root = copyCatalogue();
  let server, context;
  try {
    server = await startServe(root);
    // The first search index is built in the background just after the start, and that
    // rebuild also picks up any theme file edited meanwhile (see the CSS test): let it finish
    // so that each test's edit is seen on its own.
    await server.sawLine(/search index updated/);
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(watchLiveChannel);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
    await openPage(page, server.origin + PAGE);
    await body({ root, server, page, errors });
    assert.deepEqual(errors, [], "no script error in the page");
  } catch (e) {
    if (server) e.message += `\n--- lontara serve (${server.status()}) said:\n${server.lines.join("\n")}`;
    throw e;
  } finally {
    await context?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function openPage(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__lontaraLive === true, null, { timeout: 15_000 });
}

test("an edited entry reloads its open page by itself, keeping the scroll position", async () => {
  await withServe(async ({ root, server, page }) => {
    const maxScroll = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    const target = Math.min(600, Math.floor(maxScroll / 2));
    assert.ok(target >= 200, `the page is long enough to scroll (${maxScroll} px)`);
    await page.evaluate((y) => window.scrollTo(0, y), target);
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, target);
    const before = await page.evaluate(() => window.scrollY);
    // Set in this document only: gone once the page has reloaded. With the browser's own
    // scroll restoration off, only live.js can bring the position back.
    await page.evaluate(() => {
      window.__sameDocument = true;
      history.scrollRestoration = "manual";
    });

    const sentence = `Kalimat uji muat ulang ${Date.now()}.`;
    const loaded = page.waitForEvent("load", { timeout: 30_000 });
    const rebuilt = server.waitLine(new RegExp(`rebuilt in \\d+ ms: .*${SLUG}`));
    appendFileSync(join(root, ENTRY), `\n${sentence}\n`);
    await rebuilt;
    await loaded;
    await page.waitForFunction((s) => document.body.innerText.includes(s), sentence, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), undefined, "the page was reloaded");
    // live.js puts the scroll position back on load.
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 40, before, { timeout: 5_000 })
      .catch(() => {});
    const afterY = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(afterY - before) < 40, `scroll position kept: ${before} before, ${afterY} after`);
  });
});

test("a bad edit shows the overlay with file and line; fixing it removes the overlay", async () => {
  await withServe(async ({ root, server, page }) => {
    const file = join(root, ENTRY);
    const good = readFileSync(file, "utf8");
    const lines = good.split("\n");
    const at = lines.findIndex((l) => /^agency:/.test(l));
    assert.ok(at > 0, "the entry names its agency");
    lines[at] = "agency: dinas-yang-tidak-ada";
    const heading = await page.textContent("h1");

    const failed = server.waitLine(/still serving the last good version/);
    writeFileSync(file, lines.join("\n"));
    await failed;
    const overlay = page.locator("#lontara-overlay");
    await overlay.waitFor({ state: "visible", timeout: 10_000 });
    const text = await overlay.textContent();
    assert.ok(text.includes(`${ENTRY}:${at + 1}:`), `file and line in the overlay: ${text}`);
    assert.match(text, /dinas-yang-tidak-ada/);
    // Under the overlay, the last good version of the page.
    assert.equal(await page.textContent("h1"), heading);

    // A page opened while the catalogue is broken is told at once.
    await page.reload();
    await overlay.waitFor({ state: "visible", timeout: 10_000 });
    assert.ok((await overlay.textContent()).includes(`${ENTRY}:${at + 1}:`));

    const fixed = server.waitLine(/rebuilt in \d+ ms/);
    writeFileSync(file, good);
    await fixed;
    await overlay.waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await page.textContent("h1"), heading);
  });
});

test("a stylesheet edit applies in place, without reloading the page", async () => {
  await withServe(async ({ root, server, page }) => {
    const color = () => page.evaluate(() => getComputedStyle(document.querySelector("h1")).color);
    assert.notEqual(await color(), "rgb(1, 2, 3)");
    await page.evaluate(() => window.scrollTo(0, 300));
    await page.evaluate(() => { window.__sameDocument = "kept"; });
    let loads = 0;
    page.on("load", () => loads++);

    const rebuilt = server.waitLine(/rebuilt in \d+ ms/);
    appendFileSync(join(root, "themes/default/static/style.css"), "\nh1 { color: rgb(1, 2, 3) !important; }\n");
    await rebuilt;
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)", null, { timeout: 10_000 });
    // Give a stray reload time to show up before concluding there was none.
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.__sameDocument), "kept", "same document: not reloaded");
    assert.equal(loads, 0, "no load event");
    assert.match(await page.getAttribute('link[rel="stylesheet"]', "href"), /[?&]lontara=\d+/);
  });
});
