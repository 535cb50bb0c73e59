// The search page as a reader meets it (issue 13): it holds still while it loads on a phone
// and on a desktop, keyboard focus stays where the reader is, counts are announced once per
// settled query, filters that no longer exist say so, and without JavaScript the page says
// what to do instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openSearch, settled, siteAndBrowser } from "./site.mjs";

const env = siteAndBrowser();

async function withPage(viewport, body) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (e) => assert.fail(`script error on ${page.url()}: ${e}`));
  try {
    return await body(page);
  } finally {
    await context.close();
  }
}

// Layout shifts of a page load, as Chrome reports them to PerformanceObserver: only those
// without recent input count (Cumulative Layout Shift leaves the others out too). Network
// and CPU are slowed like a phone's, so that what arrives late arrives in frames of its own.
async function layoutShift(viewport, query) {
  return withPage(viewport, async (page) => {
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          const nodes = (e.sources || []).map((s) => s.node && (s.node.id || s.node.className || s.node.nodeName));
          window.__shifts.push({ value: e.value, nodes });
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await openSearch(page, env.site.base, query);
    // A few frames after the last change, so its shift (if any) is reported.
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => window.__shifts);
    return { total: shifts.reduce((a, s) => a + s.value, 0), shifts };
  });
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

for (const [name, viewport] of [["a 390 px phone", PHONE], ["a 1280 px desktop", DESKTOP]]) {
  for (const query of ["", "?q=sipena", "?q=inovasi&tingkat=Provinsi"]) {
    test(`/cari/${query} holds still while it loads on ${name}`, async () => {
      const { total, shifts } = await layoutShift(viewport, query);
      console.log(`layout shift ${viewport.width}px /cari/${query}: ${total.toFixed(4)}`);
      assert.ok(total <= 0.1, `layout shift ${total.toFixed(3)} > 0.1: ${JSON.stringify(shifts)}`);
    });
  }
}

test("typing a query moves nothing the reader did not move", async () => {
  await withPage(DESKTOP, async (page) => {
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: "layout-shift", buffered: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await openSearch(page, env.site.base);
    await page.focus("#cari-q");
    await page.keyboard.type("donor", { delay: 120 });
    await page.waitForFunction(() => /ditemukan untuk “donor”/.test(document.getElementById("cari-status").textContent));
    await page.waitForTimeout(1000);
    const total = (await page.evaluate(() => window.__shifts)).reduce((a, v) => a + v, 0);
    assert.ok(total < 0.01, `layout shift while typing: ${total}`);
    // The options that find nothing go once the reader leaves the box.
    const zero = () => page.$$eval(".facet li", (lis) => lis.filter((li) => li.checkVisibility() && /\(0\)/.test(li.textContent)).length);
    assert.ok((await zero()) > 0, "counts follow the typing in place");
    await page.keyboard.press("Tab");
    assert.equal(await zero(), 0);
  });
});

// Marks the element now focused; `stillFocused` then tells whether focus is on that very
// element, not on a copy made to replace it.
const markFocused = (page) => page.evaluate(() => { document.activeElement.dataset.mark = "1"; });
const stillFocused = (page) => page.evaluate(() => document.activeElement?.dataset.mark === "1");

test("ticking and unticking a filter by keyboard keeps focus on the checkbox", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base, "?q=inovasi");
    const box = page.locator('.facet input[name="tingkat"][value="Provinsi"]');
    await box.focus();
    await markFocused(page);
    await settled(page, () => page.keyboard.press("Space"));
    assert.ok(await box.isChecked());
    assert.match(page.url(), /tingkat=Provinsi/);
    assert.ok(await stillFocused(page), "focus stays on the checkbox that was ticked");
    await settled(page, () => page.keyboard.press("Space"));
    assert.ok(!(await box.isChecked()));
    assert.ok(await stillFocused(page), "and on the one unticked");
  });
});

test("on a phone the folded filters open by keyboard, and ticking one keeps focus", async () => {
  await withPage(PHONE, async (page) => {
    await openSearch(page, env.site.base, "?q=inovasi");
    const box = page.locator('.facet input[name="tingkat"][value="Provinsi"]');
    assert.ok(!(await box.isVisible()), "folded on a phone");
    await page.focus("#cari-panel > summary");
    await page.keyboard.press("Enter");
    assert.ok(await box.isVisible(), "unfolded by Enter");
    await box.focus();
    await markFocused(page);
    await settled(page, () => page.keyboard.press("Space"));
    assert.ok(await stillFocused(page));
    // The filter in use shows above the results, where the folded panel cannot.
    assert.match(await page.textContent("#cari-chips"), /Provinsi/);
  });
});

test("clearing the filters moves focus to the first filter, not to the page", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base, "?q=inovasi&tingkat=Provinsi&tingkat=Nasional");
    await page.focus(".facet-clear");
    await settled(page, () => page.keyboard.press("Enter"));
    assert.doesNotMatch(page.url(), /tingkat=/);
    const focused = await page.evaluate(() => ({
      type: document.activeElement?.type,
      inFacets: !!document.activeElement?.closest("#cari-facets"),
    }));
    assert.deepEqual(focused, { type: "checkbox", inFacets: true });
    assert.ok(await page.isHidden(".facet-clear"));
  });
});

test("removing a filter chip moves focus to the next chip, then to the count", async () => {
  await withPage(PHONE, async (page) => {
    await openSearch(page, env.site.base, "?tingkat=Provinsi&tingkat=Nasional");
    const chips = page.locator("#cari-chips .chip");
    assert.equal(await chips.count(), 2);
    await chips.first().focus();
    await settled(page, () => page.keyboard.press("Enter"));
    assert.equal(await chips.count(), 1);
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Nasional/);
    await settled(page, () => page.keyboard.press("Enter"));
    assert.equal(await page.evaluate(() => document.activeElement.id), "cari-status");
    assert.doesNotMatch(page.url(), /tingkat=/);
  });
});

test("\"Tampilkan lebih banyak\" moves focus to the first new result", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base, "?q=inovasi");
    assert.equal(await page.locator(".result").count(), 10);
    await page.focus("#cari-more");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll(".result").length > 10);
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      return [...document.querySelectorAll(".result-title a")].indexOf(a);
    });
    assert.equal(focused, 10, "the 11th result's link");
  });
});

test("a filter's \"Tampilkan lebih banyak\" unfolds its options and keeps focus", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base);
    const agencies = page.locator(".facet").filter({ hasText: "Perangkat daerah" });
    const visible = () => agencies.locator("li").evaluateAll((lis) => lis.filter((li) => li.checkVisibility()).length);
    assert.equal(await visible(), 8);
    const toggle = agencies.locator(".facet-more");
    assert.match(await toggle.textContent(), /^Tampilkan lebih banyak \(\d+\)$/);
    await toggle.focus();
    await markFocused(page);
    await page.keyboard.press("Enter");
    assert.ok((await visible()) > 8);
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await toggle.textContent(), "Tampilkan lebih sedikit");
    assert.ok(await stillFocused(page));
    await page.keyboard.press("Enter");
    assert.equal(await visible(), 8);
    assert.ok(await stillFocused(page));
  });
});

test("a count is announced once the query has settled, not on every key", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base);
    await page.evaluate(() => {
      window.__said = [];
      const live = document.getElementById("cari-live");
      new MutationObserver(() => live.textContent && window.__said.push(live.textContent))
        .observe(live, { childList: true, characterData: true, subtree: true });
    });
    const before = await page.evaluate(() => Number(document.getElementById("cari").dataset.rendered));
    await page.focus("#cari-q");
    // Slower than the search runs: each key brings its own results.
    for (const key of "donor") {
      await page.keyboard.type(key);
      await page.waitForTimeout(450);
    }
    const runs = (await page.evaluate(() => Number(document.getElementById("cari").dataset.rendered))) - before;
    assert.ok(runs >= 3, `a search per key (${runs})`);
    await page.waitForTimeout(1500);
    const said = await page.evaluate(() => window.__said);
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(said[0], /ditemukan untuk “donor”/);
    // A submitted query is announced at once.
    await settled(page, () => page.keyboard.press("Enter"));
    await page.waitForTimeout(100);
    assert.equal((await page.evaluate(() => window.__said)).length, 2);
  });
});

test("a filter that no longer exists is a chip that says so, and can be removed", async () => {
  await withPage(PHONE, async (page) => {
    await openSearch(page, env.site.base, "?tingkat=Provinsi&perangkat=Dinas+Lama");
    const stale = page.locator("#cari-chips .stale");
    assert.equal(await stale.count(), 1);
    assert.match(await stale.textContent(), /Dinas Lama.*tidak cocok dengan inovasi mana pun/s);
    // It is left out of the search: the results are those of the other filter.
    assert.match(await page.textContent("#cari-status"), /^[1-9]\d* inovasi ditemukan/);
    // Another change keeps it in the address until the reader removes it.
    await settled(page, () => page.selectOption("#cari-sort", "akronim"));
    assert.match(page.url(), /perangkat=Dinas\+Lama/);
    await stale.locator(".chip").focus();
    await settled(page, () => page.keyboard.press("Enter"));
    assert.doesNotMatch(page.url(), /perangkat=/);
    assert.match(page.url(), /tingkat=Provinsi/);
  });
});

test("filters with nothing to choose from are not shown", async () => {
  await withPage(DESKTOP, async (page) => {
    await openSearch(page, env.site.base, "?q=sipena");
    const shown = await page.$$eval("#cari-facets fieldset", (sets) => sets.map((s) => ({
      legend: s.querySelector("legend").textContent,
      visible: s.checkVisibility(),
      options: [...s.querySelectorAll("li")].filter((li) => li.checkVisibility()).length,
      zero: [...s.querySelectorAll("li")].filter((li) => li.checkVisibility() && /\(0\)/.test(li.textContent)).length,
    })));
    // SIPENA has no recorded start year and no stage.
    for (const legend of ["Tahun mulai", "Tahap"]) {
      assert.equal(shown.find((s) => s.legend === legend)?.visible, false, legend);
    }
    for (const s of shown.filter((s) => s.visible)) {
      assert.ok(s.options > 0, s.legend);
      assert.equal(s.zero, 0, `${s.legend}: no option that finds nothing`);
    }
    assert.ok(shown.some((s) => s.visible));
  });
});

test("without JavaScript the search page says so first and offers the browse pages", async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(`${env.site.base}cari/?q=sipena`);
    const notice = page.locator("main .notice").first();
    assert.match(await notice.textContent(), /memerlukan JavaScript/);
    // At the top: right under the heading.
    const [h1, box] = await Promise.all([page.locator("h1").boundingBox(), notice.boundingBox()]);
    assert.ok(box.y - (h1.y + h1.height) < 40, `notice at ${box.y}`);
    const links = await notice.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const path of ["inovasi/", "perangkat-daerah/", "penghargaan/", "tahun/", "sektor/"]) {
      assert.ok(links.includes(`/katalog/${path}`), `${path} in ${links}`);
    }
    // No control that needs the script: no checkbox, no search box that cannot search.
    const visible = await page.$$eval("input, select, button", (els) => els.filter((e) => e.checkVisibility()).length);
    assert.equal(visible, 0);
    // Nor the header form on other pages, whose query this page could not read.
    await page.goto(`${env.site.base}inovasi/`);
    assert.ok(await page.isHidden(".header-search"));
  } finally {
    await context.close();
  }
});

test("the query from the header form is in the box before the script runs", async () => {
  await withPage(PHONE, async (page) => {
    // The module script never arrives: what shows is the page's own doing.
    await page.route("**/cari.js", (route) => route.abort());
    await page.goto(`${env.site.base}cari/?q=donor+darah`);
    assert.equal(await page.inputValue("#cari-q"), "donor darah");
  });
});
