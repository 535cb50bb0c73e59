// The search page /cari/: Pagefind's search API behind a plain HTML form.
// The URL holds the whole state (?q=, one parameter per filter value, urut=), so a search can
// be shared, reloaded, and walked back with the browser's Back button.
//
// Two rules keep the page usable on a phone and by keyboard:
// - Nothing moves once painted: style.css folds the filter panel (not this script), results
//   fill a space reserved for them, and the facets are filled while still hidden.
// - Controls are made once and updated in place (checkboxes, chips, buttons), so the element
//   a reader is on stays where it is; when one has to go away, focus moves to its neighbour.
const config = JSON.parse(document.getElementById("cari-config").textContent);
const S = config.strings;
const PAGE = 10;
// Values of a facet shown before its "show more" button.
const FOLD = 8;
// A count reached by typing is announced once the reader has paused this long.
const SETTLE_MS = 1000;
// Name fields outrank the text: an exact acronym or alias first, then expansions, then words.
const RANKING = {
  metaWeights: {
    title: 10, compact: 10, aliases: 7, former: 6, expansion: 5,
    agency: 2, agency_short: 2, awards: 1, year: 0.5,
  },
};

const $ = (id) => document.getElementById(id);
const form = $("cari");
const input = $("cari-q");
const sortSelect = $("cari-sort");
const facetsBox = $("cari-facets");
const status = $("cari-status");
const live = $("cari-live");
const chips = $("cari-chips");
const list = $("cari-results");
const more = $("cari-more");
const empty = $("cari-empty");
const active = $("cari-active");
const facetKeys = config.facets.map((f) => f.key);
const labelOf = Object.fromEntries(config.facets.map((f) => [f.key, f.label]));
// Counts over the whole catalogue, from the build: also the list of values that exist.
const totals = Object.fromEntries(config.facets.map((f) => [f.key, Object.fromEntries(f.values)]));

let pagefind;
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
const exists = (key, value) => Object.hasOwn(totals[key] || {}, value);
const holdsFocus = (node) => node.contains(document.activeElement);

// The state from the URL or from the form: both answer getAll().
function stateFrom(params) {
  const filters = {};
  for (const k of facetKeys) {
    const vals = [...new Set(params.getAll(k).filter(Boolean))];
    if (vals.length) filters[k] = vals;
  }
  return { q: (params.get("q") || "").trim(), sort: params.get("urut") || "", filters };
}
const readState = () => stateFrom(new URLSearchParams(location.search));
const formState = () => stateFrom(new FormData(form));
const hasFilters = (state) => Object.keys(state.filters).length > 0;

function stateUrl(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const k of facetKeys) for (const v of state.filters[k] || []) p.append(k, v);
  if (state.sort) p.set("urut", state.sort);
  const qs = p.toString();
  return location.pathname + (qs ? `?${qs}` : "");
}

// Values no longer in the catalogue (an old link, a renamed agency) are left out of the
// search, where they would match nothing, and shown as chips that say so.
function pagefindOptions(state) {
  const filters = {};
  for (const [k, vals] of Object.entries(state.filters)) {
    const known = vals.filter((v) => exists(k, v));
    if (known.length) filters[k] = { any: known };
  }
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
const searches = (state) => state.q || Object.keys(pagefindOptions(state).filters).length > 0;

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
  const cq = compact(state.q);
  // "si pena" is also tried as "sipena", so spaced spellings of an acronym find it. Only
  // for short queries: acronyms are short, and each extra word costs an index download.
  // Both searches fetch their parts of the index at the same time.
  const alsoCompact = cq && cq.length <= 12 && cq !== state.q.toLowerCase();
  const [main, alt] = await Promise.all([
    pagefind.search(state.q ? essential(state.q) : null, opts),
    alsoCompact ? pagefind.search(cq, opts) : null,
  ]);
  let results = main.results.slice();
  if (alt) {
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

// ---- Facets: one fieldset per filter, every value made once, then only updated. ----
const facets = config.facets.map((f) => {
  const ul = el("ul", { id: `f-${f.key}` });
  const items = new Map();
  f.values.forEach(([value], i) => {
    const id = `f-${f.key}-${i}`;
    const box = el("input", { type: "checkbox", id, name: f.key, value });
    const count = el("span", { class: "facet-count" });
    const li = el("li", {}, box, el("label", { for: id }, el("span", { class: "facet-value", text: value }), " ", count));
    ul.append(li);
    items.set(value, { li, box, count });
  });
  const toggle = el("button", { type: "button", class: "facet-more", "aria-controls": ul.id, "aria-expanded": "false", hidden: true });
  const set = el("fieldset", { class: "facet" }, el("legend", { text: f.label }), ul, toggle);
  const facet = { key: f.key, set, items, toggle, open: false };
  toggle.addEventListener("click", () => {
    facet.open = !facet.open;
    layoutFacet(facet, shownState);
  });
  return facet;
});
const clearAll = el("button", { type: "button", class: "facet-clear", text: S.search_clear, hidden: true });
facetsBox.append(clearAll, ...facets.map((f) => f.set));
// What the facets show now: the state and its counts (null until known).
let shownState = { state: readState(), counts: null };

function layoutFacet(facet, { state, counts }) {
  const chosen = new Set(state.filters[facet.key] || []);
  const c = (counts || {})[facet.key] || {};
  let shown = 0;
  let folded = 0;
  for (const [value, it] of facet.items) {
    const n = c[value] || 0;
    it.count.textContent = `(${n})`;
    it.box.checked = chosen.has(value);
    const keep = chosen.has(value) || holdsFocus(it.li);
    if (!n && !keep) {
      it.li.hidden = true;
      continue;
    }
    shown++;
    const fold = shown > FOLD && !facet.open && !keep;
    if (fold) folded++;
    it.li.hidden = fold;
  }
  const toggle = facet.toggle;
  toggle.hidden = !(folded || (facet.open && shown > FOLD)) && !holdsFocus(toggle);
  toggle.textContent = facet.open ? S.search_less : `${S.search_more} (${folded})`;
  toggle.setAttribute("aria-expanded", String(facet.open));
  // A filter with nothing to choose from is not shown at all.
  facet.set.hidden = shown === 0 && !holdsFocus(facet.set);
}

// While the reader types, the facets beside the results only change their counts: hiding
// and showing options would move the list long after the last key (a layout shift the
// reader did not cause). They are laid out again when the search box loses focus or the
// query is submitted, which are the reader's own doing.
let layoutPending = false;

function renderFacets(state, counts, { still = false } = {}) {
  shownState = { state, counts };
  if (still && !facetsBox.hidden) {
    for (const facet of facets) {
      const c = (counts || {})[facet.key] || {};
      for (const [value, it] of facet.items) it.count.textContent = `(${c[value] || 0})`;
    }
    layoutPending = true;
    return;
  }
  layoutPending = false;
  for (const facet of facets) layoutFacet(facet, shownState);
  clearAll.hidden = !hasFilters(state) && !holdsFocus(clearAll);
  const n = Object.values(state.filters).reduce((a, v) => a + v.length, 0);
  active.textContent = n ? ` (${n})` : "";
  facetsBox.hidden = false;
}

clearAll.addEventListener("click", () => {
  for (const facet of facets) for (const it of facet.items.values()) it.box.checked = false;
  chips.querySelectorAll("input[type=hidden]").forEach((h) => h.remove());
  // The button goes away with the filters: the reader continues at the first filter.
  facets.flatMap((f) => [...f.items.values()]).find((it) => !it.li.closest("[hidden]"))?.box.focus();
  apply(true);
});

// ---- Chips: the filters in use, above the results (the panel may be folded). ----
const chipKey = (k, v) => `${k}\u0000${v}`;
const chipItems = new Map();

function renderChips(state) {
  const wanted = [];
  for (const k of facetKeys) for (const v of state.filters[k] || []) wanted.push([k, v]);
  const keys = new Set(wanted.map(([k, v]) => chipKey(k, v)));
  for (const [key, li] of chipItems) {
    if (!keys.has(key)) {
      li.remove();
      chipItems.delete(key);
    }
  }
  let before = null;
  for (const [k, v] of wanted) {
    const key = chipKey(k, v);
    let li = chipItems.get(key);
    if (!li) li = makeChip(k, v, key);
    // In URL order; a chip that is already in place is not moved (it may hold focus).
    const at = before ? before.nextSibling : chips.firstChild;
    if (at !== li) chips.insertBefore(li, at);
    before = li;
  }
  chips.hidden = wanted.length === 0;
}

function makeChip(k, v, key) {
  const stale = !exists(k, v);
  const text = `${labelOf[k]}: ${v}`;
  const button = el("button", { type: "button", class: "chip" },
    el("span", { class: "visually-hidden", text: `${S.search_remove} ` }), text,
    el("span", { "aria-hidden": "true", text: " ×" }));
  const li = el("li", { class: stale ? "stale" : null }, button);
  if (stale) {
    // Kept in the form, so other changes keep it in the URL until the reader removes it.
    li.append(el("span", { class: "chip-note", text: S.search_stale_filter }),
      el("input", { type: "hidden", name: k, value: v }));
  }
  button.addEventListener("click", () => {
    const box = facets.find((f) => f.key === k)?.items.get(v)?.box;
    if (box) box.checked = false;
    li.querySelector("input[type=hidden]")?.remove();
    const buttons = [...chips.querySelectorAll("button.chip")];
    const i = buttons.indexOf(button);
    (buttons[i + 1] || buttons[i - 1] || status).focus();
    apply(true);
  });
  chipItems.set(key, li);
  return li;
}

// ---- Results. ----
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
  if (gen !== generation) return [];
  const items = data.map(resultItem);
  list.append(...items);
  current.shown += next.length;
  more.hidden = current.shown >= current.results.length;
  return items;
}

function showEmpty(state) {
  const msg = state.q ? fill(S.search_empty, { q: state.q }) : S.search_empty_filters;
  const browse = el("ul", { class: "browse" }, ...config.browse.map((b) => el("li", {}, el("a", { href: b.url, text: b.label }))));
  empty.replaceChildren(el("p", { class: "empty-title", text: msg }), el("p", { text: S.search_empty_hint }),
    el("p", { text: S.search_browse }), browse);
  empty.hidden = false;
}

// ---- Announcements: the count, once per settled query. ----
let settle;
function announce(text, later) {
  clearTimeout(settle);
  const say = () => {
    // Emptied first, so the same count after another query is announced again.
    live.textContent = "";
    requestAnimationFrame(() => (live.textContent = text));
  };
  if (later) settle = setTimeout(say, SETTLE_MS);
  else say();
}

// A run that follows typing, while the reader is still in the search box.
const stillTyping = (how) => how === "typed" && document.activeElement === input;

// how: "load" (the page opened), "typed" (announce after a pause) or "now" (a submit, a
// click, Back).
async function run(state, how = "now") {
  const gen = ++generation;
  if (input.value.trim() !== state.q) input.value = state.q;
  sortSelect.value = state.sort;
  for (const facet of facets) {
    for (const [value, it] of facet.items) it.box.checked = (state.filters[facet.key] || []).includes(value);
  }
  if (!searches(state)) {
    list.replaceChildren();
    empty.hidden = true;
    more.hidden = true;
    renderChips(state);
    renderFacets(state, totals, { still: stillTyping(how) });
    status.textContent = S.search_prompt;
    current = { results: [], shown: 0 };
    if (how !== "load") announce(S.search_prompt, how === "typed");
    return done(gen);
  }
  const { results, counts, loaded } = await search(state);
  if (gen !== generation) return;
  // Everything below lands in one frame: count, chips and the first results together.
  current = { results, shown: 0 };
  const n = results.length;
  const text = state.q ? fill(S.search_count_query, { n, q: state.q }) : fill(S.search_count, { n });
  const first = results.slice(0, PAGE);
  const data = await Promise.all(first.map((r) => loaded.get(r.id) || r.data()));
  if (gen !== generation) return;
  data.forEach((d, i) => loaded.set(first[i].id, d));
  status.textContent = text;
  renderChips(state);
  list.replaceChildren();
  empty.hidden = true;
  if (!n) {
    more.hidden = true;
    showEmpty(state);
  } else await showMore(loaded, gen);
  if (gen !== generation) return;
  announce(text, how === "typed");
  // The facet counts for a search need every filter's data (the largest part of the index a
  // reader downloads), so the first ones follow the results; the facets stay hidden till then.
  if (!filtersLoaded) {
    await pagefind.filters();
    filtersLoaded = true;
    if (gen !== generation) return;
    renderFacets(state, (await pagefind.search(state.q ? essential(state.q) : null, pagefindOptions(state))).filters, { still: stillTyping(how) });
  } else {
    renderFacets(state, counts, { still: stillTyping(how) });
  }
  done(gen);
}

// Marks the page as settled (tests wait for this number to grow).
function done(gen) {
  if (gen === generation) form.dataset.rendered = String(gen);
}

// push: a new history entry (a submitted search, a filter); typing only replaces the entry.
function apply(push, how = "now") {
  const state = formState();
  const url = stateUrl(state);
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  return run(state, how).catch(fail);
}

function fail(err) {
  console.error(err);
  status.textContent = S.search_error;
  announce(S.search_error);
}

let typing;
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(typing);
  apply(true);
});
input.addEventListener("blur", () => {
  if (layoutPending) renderFacets(shownState.state, shownState.counts);
});
input.addEventListener("input", () => {
  clearTimeout(typing);
  clearTimeout(settle);
  typing = setTimeout(() => apply(false, "typed"), 300);
});
form.addEventListener("change", (e) => {
  if (e.target !== input) apply(true);
});
more.addEventListener("click", async () => {
  try {
    const added = await showMore(null, generation);
    // The button may now be gone: the reader continues at the first new result.
    added[0]?.querySelector("a").focus();
  } catch (err) {
    fail(err);
  }
});
window.addEventListener("popstate", () => run(readState()).catch(fail));

// The facets of an empty page are the catalogue's totals, known now; for a search they
// wait, hidden, for its counts.
const initial = readState();
renderChips(initial);
if (!searches(initial)) renderFacets(initial, totals);
else facetsBox.hidden = true;

try {
  pagefind = await import(`${config.bundle}pagefind.js`);
  // No web worker: searching this index takes milliseconds, and the worker's own script
  // would add 13 kB to every first search on a slow link.
  // The tag names this index, so its entry file has a fixed address (preloaded by the page).
  await pagefind.options({
    baseUrl: config.base, excerptLength: 24, ranking: RANKING, noWorker: true,
    ...(config.tag && { metaCacheTag: config.tag }),
  });
  await pagefind.init();
  await run(initial, "load");
} catch (err) {
  fail(err);
}
