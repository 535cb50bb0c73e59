// The search page /cari/: Pagefind's search API behind a plain HTML form.
// The URL holds the whole state (?q=, one parameter per filter value, urut=), so a search can
// be shared, reloaded, and walked back with the browser's Back button.
const config = JSON.parse(document.getElementById("cari-config").textContent);
const S = config.strings;
const PAGE = 10;
// Name fields outrank the text: an exact acronym or alias first, then expansions, then words.
const RANKING = {
  metaWeights: {
    title: 10, compact: 10, aliases: 7, former: 6, expansion: 5,
    agency: 2, agency_short: 2, awards: 1, year: 0.5,
  },
};

const form = document.getElementById("cari");
const input = document.getElementById("cari-q");
const sortSelect = document.getElementById("cari-sort");
const facetsBox = document.getElementById("cari-facets");
const status = document.getElementById("cari-status");
const list = document.getElementById("cari-results");
const more = document.getElementById("cari-more");
const empty = document.getElementById("cari-empty");
const facetKeys = config.facets.map((f) => f.key);
const panel = document.getElementById("cari-panel");

let pagefind;
// Totals over the whole catalogue, in display order, as the server counted them.
// The order is kept apart: an object would put numeric keys (years) in ascending order.
const allFilters = {};
const facetOrder = {};
for (const f of config.facets) {
  allFilters[f.key] = Object.fromEntries(f.values);
  facetOrder[f.key] = f.values.map(([value]) => value);
}
let filtersLoaded = false;
let current = { results: [], shown: 0 };
let generation = 0;

const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
// "Si Mira", "SiMira", "si-mira" → "simira": the form records carry in meta.compact.
const compact = (s) => s.normalize("NFD").replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
const el = (tag, attrs = {}, ...kids) => {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") n.textContent = v;
    else if (v !== undefined && v !== null && v !== false) n.setAttribute(k, v === true ? "" : v);
  }
  n.append(...kids);
  return n;
};

// The state from the URL or from the form: both answer get() and getAll().
function stateFrom(params) {
  const filters = {};
  for (const k of facetKeys) {
    const vals = params.getAll(k).filter(Boolean);
    if (vals.length) filters[k] = vals;
  }
  return { q: (params.get("q") || "").trim(), sort: params.get("urut") || "", filters };
}
const readState = () => stateFrom(new URLSearchParams(location.search));
const formState = () => stateFrom(new FormData(form));

function stateUrl(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const k of facetKeys) for (const v of state.filters[k] || []) p.append(k, v);
  if (state.sort) p.set("urut", state.sort);
  const qs = p.toString();
  return location.pathname + (qs ? `?${qs}` : "");
}

function pagefindOptions(state) {
  const filters = {};
  for (const [k, vals] of Object.entries(state.filters)) filters[k] = { any: vals };
  return { filters };
}

// Each order (by acronym, by year) is a list of result ids in the bundle, loaded the first
// time a reader picks it: Pagefind's own sorting would make every search download them all.
const orders = {};
function order(key) {
  const url = config.sorts[key];
  if (!url) return Promise.resolve(null);
  orders[key] ??= fetch(url).then((r) => r.json()).then((ids) => new Map(ids.map((id, i) => [id, i])));
  return orders[key];
}

// Words in most entries of a large catalogue (computed at build time) narrow nothing but cost
// the most to download: a query leaves them out unless it has nothing else.
const common = new Set(config.common);
function essential(q) {
  const words = q.split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !common.has(w.toLowerCase()));
  return kept.length ? kept.join(" ") : q;
}

async function search(state) {
  const opts = pagefindOptions(state);
  const main = await pagefind.search(state.q ? essential(state.q) : null, opts);
  let results = main.results.slice();
  const cq = compact(state.q);
  // "si pena" is also tried as "sipena", so spaced spellings of an acronym find it. Only
  // for short queries: acronyms are short, and each extra word costs an index download.
  if (cq && cq.length <= 12 && cq !== state.q.toLowerCase()) {
    const alt = await pagefind.search(cq, opts);
    const seen = new Set(results.map((r) => r.id));
    results = alt.results.filter((r) => !seen.has(r.id)).concat(results);
  }
  const rank = state.sort && (await order(state.sort));
  if (rank) {
    const at = (r) => rank.get(r.id) ?? rank.size;
    results.sort((a, b) => at(a) - at(b));
  }
  const loaded = new Map();
  if (cq && !state.sort) {
    // An exact name match goes first, whatever the text scores say.
    const head = results.slice(0, PAGE);
    const data = await Promise.all(head.map((r) => r.data()));
    head.forEach((r, i) => loaded.set(r.id, data[i]));
    const exact = (r) => (loaded.get(r.id)?.meta.compact || "").split(" ").includes(cq);
    results = head.filter(exact).concat(head.filter((r) => !exact(r)), results.slice(PAGE));
  }
  return { results, counts: main.filters, loaded };
}

function renderFacets(state, counts) {
  const active = state.q || Object.keys(state.filters).length;
  facetsBox.replaceChildren();
  for (const facet of config.facets) {
    const values = facetOrder[facet.key] || [];
    if (!values.length) continue;
    const chosen = new Set(state.filters[facet.key] || []);
    const set = el("fieldset", { class: "facet" }, el("legend", { text: facet.label }));
    const box = el("ul");
    let hidden = 0;
    for (const v of values) {
      // Until the counts for this search arrive, show the totals rather than nothing.
      const n = active && counts ? (counts[facet.key] || {})[v] || 0 : allFilters[facet.key][v];
      if (!n && !chosen.has(v)) continue;
      const id = `f-${facet.key}-${box.children.length}`;
      const li = el("li", {},
        el("input", { type: "checkbox", id, name: facet.key, value: v, checked: chosen.has(v) }),
        el("label", { for: id }, el("span", { class: "facet-value", text: v }), " ",
          el("span", { class: "facet-count", text: `(${n})` })));
      if (box.children.length >= 8 && !chosen.has(v)) {
        li.hidden = true;
        hidden++;
      }
      box.append(li);
    }
    set.append(box);
    if (hidden) {
      const btn = el("button", { type: "button", class: "facet-more", "aria-expanded": "false", text: `${S.search_more} (${hidden})` });
      btn.addEventListener("click", () => {
        box.querySelectorAll("li[hidden]").forEach((li) => (li.hidden = false));
        btn.remove();
      });
      set.append(btn);
    }
    facetsBox.append(set);
  }
  if (Object.keys(state.filters).length) {
    const clear = el("button", { type: "button", class: "facet-clear", text: S.search_clear });
    clear.addEventListener("click", () => {
      facetsBox.querySelectorAll("input:checked").forEach((c) => (c.checked = false));
      apply(true);
    });
    facetsBox.append(clear);
  }
}

function resultItem(d) {
  const m = d.meta;
  const li = el("li", { class: "result" },
    el("h2", { class: "result-title" }, el("a", { href: d.url, text: m.title })));
  if (m.expansion) li.append(el("p", { class: "expansion", text: m.expansion }));
  li.append(el("p", { class: "meta", text: [m.agency_short ? `${m.agency} (${m.agency_short})` : m.agency, m.year].filter(Boolean).join(" · ") }));
  if (m.awards) {
    li.append(el("ul", { class: "badges" }, ...m.awards.split(" | ").map((a) => el("li", {}, el("span", { class: "badge", text: a })))));
  }
  // Pagefind builds the excerpt from escaped text and adds only <mark> around matched words.
  const ex = el("p", { class: "excerpt" });
  ex.innerHTML = d.excerpt;
  li.append(ex);
  return li;
}

async function showMore(loaded, gen) {
  const next = current.results.slice(current.shown, current.shown + PAGE);
  const data = await Promise.all(next.map((r) => loaded?.get(r.id) || r.data()));
  if (gen !== generation) return;
  list.append(...data.map(resultItem));
  current.shown += next.length;
  more.hidden = current.shown >= current.results.length;
}

function showEmpty(state) {
  const msg = state.q ? fill(S.search_empty, { q: state.q }) : S.search_empty_filters;
  const browse = el("ul", { class: "browse" }, ...config.browse.map((b) => el("li", {}, el("a", { href: b.url, text: b.label }))));
  empty.replaceChildren(el("p", { class: "empty-title", text: msg }), el("p", { text: S.search_empty_hint }),
    el("p", { text: S.search_browse }), browse);
  empty.hidden = false;
}

async function run(state) {
  const gen = ++generation;
  input.value = state.q;
  sortSelect.value = state.sort;
  list.replaceChildren();
  empty.hidden = true;
  more.hidden = true;
  const hasFilters = Object.keys(state.filters).length > 0;
  if (!state.q && !hasFilters) {
    renderFacets(state, {});
    status.textContent = S.search_prompt;
    current = { results: [], shown: 0 };
    return done(gen);
  }
  const { results, counts, loaded } = await search(state);
  if (gen !== generation) return;
  current = { results, shown: 0 };
  const n = results.length;
  status.textContent = state.q ? fill(S.search_count_query, { n, q: state.q }) : fill(S.search_count, { n });
  if (!n) showEmpty(state);
  else await showMore(loaded, gen);
  if (gen !== generation) return;
  // Results first; the facet counts for this search need every filter's data (the largest
  // part of the index a reader downloads), so they follow once the results are on screen.
  if (!filtersLoaded) {
    renderFacets(state, null);
    await pagefind.filters();
    filtersLoaded = true;
    if (gen !== generation) return;
    renderFacets(state, (await pagefind.search(state.q ? essential(state.q) : null, pagefindOptions(state))).filters);
  } else {
    renderFacets(state, counts);
  }
  done(gen);
}

// Marks the page as settled (tests wait for this number to grow).
function done(gen) {
  if (gen === generation) form.dataset.rendered = String(gen);
}

// push: a new history entry (a submitted search, a filter); typing only replaces the entry.
function apply(push) {
  const state = formState();
  const url = stateUrl(state);
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  return run(state).catch(fail);
}

function fail(err) {
  console.error(err);
  status.textContent = S.search_error;
}

let typing;
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(typing);
  apply(true);
});
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => apply(false), 300);
});
form.addEventListener("change", (e) => {
  if (e.target !== input) apply(true);
});
more.addEventListener("click", () => showMore(null, generation).catch(fail));
window.addEventListener("popstate", () => run(readState()).catch(fail));

// On a narrow screen the filters fold away unless some are in use: results first.
if (matchMedia("(max-width: 47.99rem)").matches && !Object.keys(readState().filters).length) {
  panel.open = false;
}

try {
  pagefind = await import(`${config.bundle}pagefind.js`);
  // No web worker: searching this index takes milliseconds, and the worker's own script
  // would add 13 kB to every first search on a slow link.
  await pagefind.options({ baseUrl: config.base, excerptLength: 24, ranking: RANKING, noWorker: true });
  await pagefind.init();
  await run(readState());
} catch (err) {
  fail(err);
}
