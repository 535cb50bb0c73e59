// The repository's catalogue, built once per test file under a sub-path (/katalog/) and
// served as a static host would. Needs target/debug/lontara (or LONTARA_BIN).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { launch } from "./browser.mjs";
import { serve } from "./serve.mjs";

export const PREFIX = "/katalog/";

// { base, out, close }: base is the site's address ("http://127.0.0.1:port/katalog/").
export async function builtSite() {
  const out = join(mkdtempSync(join(tmpdir(), "lontara-e2e-")), "site");
  // The server's port is only known once it listens, and the site only needs its path.
  const server = await serve(out, PREFIX);
  const base = server.origin + PREFIX;
  const bin = process.env.LONTARA_BIN || "../target/debug/lontara";
  execFileSync(bin, ["--root", process.env.LONTARA_ROOT || "..", "build", "--out", out, "--base-url", base], { stdio: "inherit" });
  return { base, out, close: () => server.close() };
}

// For the tests of one file: { site, browser }, the built site and a browser, made before the
// first test and closed after the last.
export function siteAndBrowser() {
  const env = {};
  before(async () => {
    env.site = await builtSite();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.site?.close();
  });
  return env;
}

// Each search ends by stamping the form with a new number.
export const rendered = () => Number(document.getElementById("cari")?.dataset.rendered || 0);

// Runs `action` and waits until the search page has settled once more.
export async function settled(page, action) {
  const prev = await page.evaluate(rendered);
  await action();
  await page.waitForFunction((p) => Number(document.getElementById("cari")?.dataset.rendered || 0) > p, prev);
}

export async function openSearch(page, base, query = "") {
  await page.goto(`${base}cari/${query}`);
  await page.waitForFunction(rendered);
}
