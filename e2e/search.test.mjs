// End-to-end tests of /cari/ on the repository's own catalogue, in a real Chromium.
// The site is built under a sub-path (/katalog/) so that base_url handling is covered too.
// Run by .ci/run (which installs Chromium); `cargo test` does not need a browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./serve.mjs";
import { launch } from "./browser.mjs";

const PREFIX = "/katalog/";
let server, browser, page, base;

before(async () => {
  const out = join(mkdtempSync(join(tmpdir(), "lontara-e2e-")), "site");
  // The server's port is only known once it listens, and the site only needs its path.
  server = await serve(out, PREFIX);
  base = server.origin + PREFIX;
  const bin = process.env.LONTARA_BIN || "../target/debug/lontara";
  execFileSync(bin, ["--root", "..", "build", "--out", out, "--base-url", base], { stdio: "inherit" });
  browser = await launch();
  page = await browser.newPage();
  page.on("pageerror", (e) => assert.fail(`script error on ${page.url()}: ${e}`));
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Each search ends by stamping the form with a new number; wait for the next one.
async function settled(action) {
  const prev = await page.evaluate(() => Number(document.getElementById("cari")?.dataset.rendered || 0));
  await action();
  await page.waitForFunction((p) => Number(document.getElementById("cari")?.dataset.rendered || 0) > p, prev);
}

async function open(query = "") {
  await page.goto(`${base}cari/${query}`);
  await page.waitForFunction(() => Number(document.getElementById("cari")?.dataset.rendered || 0) > 0);
}

async function typeSearch(q) {
  await settled(async () => {
    await page.fill("#cari-q", q);
    await page.press("#cari-q", "Enter");
  });
}

const titles = () => page.$$eval(".result-title a", (as) => as.map((a) => a.textContent.trim()));
const status = () => page.textContent("#cari-status");

test("an acronym in any spelling puts its innovation first", async () => {
  await open();
  for (const q of ["sipena", "si pena", "Sipena", "SIPENA"]) {
    await typeSearch(q);
    assert.equal((await titles())[0], "SIPENA", `query "${q}"`);
  }
  for (const [q, first] of [["kesraku", "KESRAKU"], ["simira", "Si Mira Bersantai"], ["Si Mira", "Si Mira Bersantai"]]) {
    await typeSearch(q);
    assert.equal((await titles())[0], first, `query "${q}"`);
  }
});

test("words of the story find their innovation, stemmed in Indonesian", async () => {
  await open();
  await typeSearch("donor darah");
  assert.ok((await titles()).includes("Kampung Donor Darah Penyelamat Jiwa"));
  await typeSearch("pemetaan");
  const found = await titles();
  assert.ok(found.includes("SIPENA"), `pemetaan: ${found}`);
  assert.ok(found.includes("Peta Baper"), `pemetaan: ${found}`);
  // Matched words are marked in the excerpt.
  assert.ok((await page.$$("#cari-results .excerpt mark")).length > 0);
});

test("a result links to its innovation page under the base path", async () => {
  await open("?q=sipena");
  await Promise.all([page.waitForURL(`${base}inovasi/sipena/`), page.click(".result-title a >> nth=0")]);
  assert.equal(await page.textContent("h1"), "SIPENA");
});

test("the Dinas Kesehatan filter counts what the agency page lists", async () => {
  await page.goto(`${base}perangkat-daerah/dinkes/`);
  const listed = Number(await page.textContent(".total strong"));
  assert.ok(listed > 0);
  await open();
  const label = page.locator(".facet label", { hasText: "Dinas Kesehatan (Dinkes)" });
  const count = Number((await label.locator(".facet-count").textContent()).replace(/\D/g, ""));
  assert.equal(count, listed);
  // Facets work without a query: checking it lists exactly those innovations.
  await settled(() => label.click());
  assert.equal((await titles()).length, Math.min(listed, 10));
  assert.match(await status(), new RegExp(`^${listed} `));
  // Once the search has run, the count comes from the index: still the same number.
  const after = page.locator(".facet label", { hasText: "Dinas Kesehatan (Dinkes)" }).locator(".facet-count");
  assert.equal(Number((await after.textContent()).replace(/\D/g, "")), listed);
  assert.ok(page.url().includes("perangkat=Dinas+Kesehatan+%28Dinkes%29"), page.url());
  // Two facets together, still without a query: the Dinas Kesehatan innovations in the Top 30.
  await settled(() => page.check('.facet input[name="penghargaan"][value="KIPP Provinsi 2020 · Top 30"]'));
  assert.deepEqual(await titles(), ["Kampung Donor Darah Penyelamat Jiwa"]);
});

test("results can be sorted by acronym and by start year", async () => {
  await open("?q=inovasi");
  await settled(() => page.selectOption("#cari-sort", "akronim"));
  assert.match(page.url(), /urut=akronim/);
  const shown = await titles();
  const sorted = [...shown].sort((a, b) => a.localeCompare(b, "id", { sensitivity: "base", ignorePunctuation: true }));
  assert.deepEqual(shown, sorted);
  await settled(() => page.selectOption("#cari-sort", "tahun"));
  const years = await page.$$eval(".result .meta", (ps) => ps.map((p) => Number((p.textContent.match(/\b(19|20)\d\d\b/) || [0])[0])));
  const known = years.filter(Boolean);
  assert.ok(known.length > 0, "some results have a start year");
  assert.deepEqual(known, [...known].sort((a, b) => b - a), `newest first: ${years}`);
});

test("a query with no result explains what to try next", async () => {
  await open();
  await typeSearch("xylofonzzq");
  assert.equal((await titles()).length, 0);
  const empty = page.locator("#cari-empty");
  assert.ok(await empty.isVisible());
  const text = await empty.textContent();
  assert.match(text, /Tidak ada inovasi yang cocok dengan “xylofonzzq”/);
  assert.ok((await empty.locator("a").count()) >= 3, "links to browse instead");
});

test("the URL holds query and filters: reload and Back restore them", async () => {
  await open();
  await typeSearch("inovasi");
  const unfiltered = (await status()).match(/^\d+/)[0];
  await settled(() => page.check('.facet input[name="tingkat"][value="Provinsi"]'));
  const url = page.url();
  assert.match(url, /q=inovasi/);
  assert.match(url, /tingkat=Provinsi/);
  const filtered = await titles();
  // A reload starts a new document, whose counter starts again.
  await page.reload();
  await page.waitForFunction(() => Number(document.getElementById("cari")?.dataset.rendered || 0) > 0);
  assert.equal(await page.inputValue("#cari-q"), "inovasi");
  assert.ok(await page.isChecked('.facet input[name="tingkat"][value="Provinsi"]'));
  assert.deepEqual(await titles(), filtered);
  await settled(() => page.goBack());
  assert.equal(await page.inputValue("#cari-q"), "inovasi");
  assert.ok(!(await page.isChecked('.facet input[name="tingkat"][value="Provinsi"]')));
  assert.equal((await status()).match(/^\d+/)[0], unfiltered);
});

test("every page's header form searches, by keyboard alone", async () => {
  await page.goto(`${base}inovasi/`);
  await page.focus("#q-header");
  await page.keyboard.type("donor darah");
  await Promise.all([page.waitForURL(/\/katalog\/cari\/\?q=donor\+darah$/), page.keyboard.press("Enter")]);
  await page.waitForFunction(() => Number(document.getElementById("cari")?.dataset.rendered || 0) > 0);
  assert.ok((await titles()).includes("Kampung Donor Darah Penyelamat Jiwa"));
  // Tab from the search box reaches a filter, and Space checks it.
  await page.focus("#cari-q");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.type);
  assert.equal(focused, "checkbox");
  await settled(() => page.keyboard.press("Space"));
  assert.match(page.url(), /&\w+=/);
});
