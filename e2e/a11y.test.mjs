// Accessibility of every kind of page, checked by axe-core in Chromium on a phone and a
// desktop: no violation at all. The search page is checked after its script has filled it,
// and the statistics page with its tables unfolded. Optionally (VNU_JAR=path/to/vnu.jar,
// and Java), the W3C Nu checker validates the same pages as built: no error, no warning.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { rendered, siteAndBrowser } from "./site.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// One page of each kind, as paths under the site's base.
const PAGES = [
  "",
  "inovasi/",
  "inovasi/sipena/",
  "inovasi/kampung-donor-darah-penyelamat-jiwa/",
  "perangkat-daerah/",
  "perangkat-daerah/dinkes/",
  "penghargaan/",
  "penghargaan/kipp-provinsi-2020-top-30/",
  "tahun/",
  "tahun/belum-tercatat/",
  "sektor/",
  "sektor/kesehatan/",
  "statistik/",
  "tentang/",
  "buku/inovasi-berprestasi/",
  "cari/",
  "cari/?q=sipena",
  "cari/?q=inovasi&tingkat=Provinsi&perangkat=Dinas+Lama",
  "404.html",
];

const env = siteAndBrowser();

for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
  test(`axe finds nothing on any kind of page at ${viewport.width} px`, async () => {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    const found = [];
    try {
      for (const path of PAGES) {
        const response = await page.goto(env.site.base + path);
        if (!path.startsWith("404")) assert.equal(response.status(), 200, path);
        if (path.startsWith("cari/")) await page.waitForFunction(rendered);
        // Folded parts are checked unfolded too (tables of figures, the phone's filters).
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        await page.addScriptTag({ path: AXE });
        const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
        for (const v of violations) {
          found.push(`${path}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(found, [], found.join("\n"));
  });
}

test("the W3C Nu checker finds nothing in any kind of page", { skip: !process.env.VNU_JAR && "set VNU_JAR to run it" }, () => {
  const files = [...new Set(PAGES.map((p) => p.split("?")[0]))].map((p) =>
    join(env.site.out, p.endsWith(".html") ? p : `${p}index.html`));
  let report = "";
  try {
    execFileSync("java", ["-jar", process.env.VNU_JAR, "--also-check-svg", "--Werror", ...files], { stdio: "pipe" });
  } catch (e) {
    report = `${e.stdout}${e.stderr}`;
  }
  assert.equal(report, "");
});
