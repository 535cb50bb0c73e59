//! The search index: one Pagefind record per innovation, built in-process from the
//! Catalogue (not by re-reading the rendered HTML), returned as files for the staging folder.
//!
//! What goes where, and why:
//! - Names (acronym, its compact form, expansion, aliases, former names, agency) are
//!   metadata. Pagefind 1.5+ indexes metadata words and ranks a match there above a match in
//!   the text (`metaWeights` in the theme's search script), which gives "exact name first".
//!   The compact form ("simira" for "Si Mira") lets "SiMira" and "simira" find "Si Mira".
//! - Summary and body are the content, in language `id`, so Pagefind's Indonesian stemmer
//!   lets "pemetaan" find "peta".
//! - Filters are the facets of /cari/; their keys are also the URL parameters there.

use super::views::ViewBuilder;
use crate::bundle::{self, Bundle};
use crate::content::Catalogue;
use crate::content::catalogue::{Innovation, capitalize};
use crate::text::compact_key;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// Where the index lives in the site; the search page's script loads it from here.
pub const BUNDLE_DIR: &str = "pagefind";

/// Filter keys, shared with `themes/default/static/cari.js` (the URL parameters of /cari/).
pub const F_AGENCY: &str = "perangkat";
pub const F_AWARD: &str = "penghargaan";
pub const F_LEVEL: &str = "tingkat";
pub const F_YEAR: &str = "tahun";
pub const F_SECTOR: &str = "sektor";
pub const F_STAGE: &str = "tahap";

/// The orders /cari/ offers besides relevance (`urut=` there), shared with `cari.js`.
pub const SORT_YEAR: &str = "tahun";
pub const SORT_ACRONYM: &str = "akronim";

/// Pagefind's files that the search page needs; its bundled UIs and playground are left out.
fn wanted(rel: &str) -> bool {
    !(rel.starts_with("pagefind-ui")
        || rel.starts_with("pagefind-modular-ui")
        || rel.starts_with("pagefind-component-ui")
        || rel.starts_with("pagefind-highlight")
        || rel.starts_with("playground")
        // The language is forced, so the fallback for unknown languages is never loaded.
        || rel == "wasm.unknown.pagefind")
}

/// One innovation for the index: its page, and its start year (for the order by year).
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Record {
    pub page: bundle::Record,
    pub year: Option<i32>,
}

impl Record {
    pub fn filters(&self) -> &BTreeMap<String, Vec<String>> {
        &self.page.filters
    }
}

pub fn record(vb: &ViewBuilder, e: &Innovation) -> Record {
    let agency = vb.agency(&e.agency);
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), e.acronym.clone());
    // Every spelling a reader may type, squeezed: "Si Mira" → "simira".
    let mut compact: Vec<String> = std::iter::once(&e.acronym)
        .chain(&e.aliases)
        .chain(&e.former_names)
        .map(|s| compact_key(s))
        .filter(|s| !s.is_empty())
        .collect();
    compact.dedup();
    meta.insert("compact".to_string(), compact.join(" "));
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            meta.insert(k.to_string(), v);
        }
    };
    put("expansion", e.expansion.clone());
    put("aliases", Some(e.aliases.join(", ")));
    put("former", Some(e.former_names.join(", ")));
    put("agency", Some(agency.name.clone()));
    put("agency_short", agency.short.clone());
    put(
        "awards",
        Some(
            e.awards
                .iter()
                .map(|a| vb.award_label(a))
                .collect::<Vec<_>>()
                .join(" | "),
        ),
    );
    put("year", e.start_year.map(|y| y.to_string()));

    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |k: &str, v: String| {
        let vals = filters.entry(k.to_string()).or_default();
        if !vals.contains(&v) {
            vals.push(v);
        }
    };
    add(
        F_AGENCY,
        agency_filter_value(&agency.name, agency.short.as_deref()),
    );
    for a in &e.awards {
        add(F_AWARD, vb.award_label(a));
        add(F_LEVEL, capitalize(a.level));
    }
    if let Some(y) = e.start_year {
        add(F_YEAR, y.to_string());
    }
    if let Some((_, label)) = &e.sector {
        add(F_SECTOR, label.clone());
    }
    if let Some(s) = e.stage {
        add(F_STAGE, vb.theme.t(&format!("stage_{s}")));
    }

    let mut text = String::new();
    if let Some(s) = &e.summary {
        text.push_str(s);
        text.push('\n');
    }
    text.push_str(&crate::markdown::to_plain_text(&e.body));
    // Pagefind's format leaves out a page with no word in its text, however named.
    if text.trim().is_empty() {
        text = e.acronym.clone();
    }
    Record {
        page: bundle::Record {
            url: format!("/{}", super::urls::entry(&e.slug)),
            content: digest(&text),
            meta,
            filters,
        },
        year: e.start_year,
    }
}

/// The label a reader sees in the agency facet: "Dinas Kesehatan (Dinkes)".
pub fn agency_filter_value(name: &str, short: Option<&str>) -> String {
    match short {
        Some(s) if s != name => format!("{name} ({s})"),
        _ => name.to_string(),
    }
}

/// Pagefind keeps content as HTML text and shows excerpts as HTML: escape it, and defuse
/// the private markers (`___PAGEFIND_…`, `___END_PAGEFIND_…`) its reader of text obeys.
fn digest(text: &str) -> String {
    crate::markdown::escape(text)
        .replace("___PAGEFIND_", "PAGEFIND_")
        .replace("___END_PAGEFIND_", "END_PAGEFIND_")
}

/// One record per innovation, in catalogue order.
pub fn records(cat: &Catalogue, vb: &ViewBuilder) -> Vec<Record> {
    cat.entries.iter().map(|e| record(vb, e)).collect()
}

/// Filter key → value → number of records: the facet counts before any search, rendered
/// into /cari/ so the page needs no index data until a reader searches.
pub fn facet_counts(records: &[Record]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in records {
        for (k, vals) in &r.page.filters {
            for v in vals {
                *out.entry(k.clone())
                    .or_default()
                    .entry(v.clone())
                    .or_default() += 1;
            }
        }
    }
    out
}

/// The first two files Pagefind fetches, which the search page asks for while the scripts
/// load. Pagefind adds `?ts=` to its entry file; given a tag (its `metaCacheTag`) instead of
/// the time, that address is fixed, so the page can preload it and a browser can keep it.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preload {
    /// Names this version of the index: a hash of its entry file ("" without an index).
    pub tag: String,
    /// The WebAssembly file of the index's language, when there is one (a catalogue with
    /// no indexable text has none).
    pub wasm: Option<String>,
}

impl Preload {
    /// From the bundle's entry file; `has` tells whether the bundle has a file (its name
    /// below the bundle folder).
    pub fn of(entry: &[u8], has: impl Fn(&str) -> bool) -> Preload {
        let mut h = super::plan::hasher();
        entry.hash(&mut h);
        // Only the language's own file: the entry names it ("wasm": "id").
        let lang = serde_json::from_slice::<serde_json::Value>(entry)
            .ok()
            .and_then(|v| {
                let langs = v.get("languages")?.as_object()?.clone();
                langs
                    .values()
                    .next()?
                    .get("wasm")?
                    .as_str()
                    .map(String::from)
            });
        Preload {
            tag: format!("{:016x}", h.finish()),
            wasm: lang
                .map(|l| format!("wasm.{l}.pagefind"))
                .filter(|w| has(w)),
        }
    }
}

/// Catalogues at least this large get a list of common words (see `bundle::Bundle::common`):
/// the search page leaves them out of a query that has other words. They narrow nothing, yet
/// each one's part of the index is the largest there is (on the 10,000-entry corpus, 112 kB
/// for "pelayanan", whose stem is on every page, against about 10 kB for an ordinary word).
/// They stay in the index and the excerpts; a query made only of them is searched as typed.
pub const COMMON_WORDS_FROM: usize = 1000;

/// What the search page needs to know of the bundle.
pub struct Indexed {
    /// How many files were written.
    pub files: usize,
    pub common: Vec<String>,
    /// Order (`urut=` value) → the file below the bundle folder listing the results' ids in
    /// that order.
    pub sorts: BTreeMap<String, String>,
    pub preload: Preload,
}

impl AsRef<bundle::Record> for Record {
    fn as_ref(&self) -> &bundle::Record {
        &self.page
    }
}

/// How the site's bundle is written (issue 11: what a phone downloads for a two-word search
/// at 10,000 entries): chunks cut by size, so a common word does not take its neighbours
/// along; page lengths rounded; no filter values in the fragments, which `cari.js` does not
/// show; gzip level 6 (1% larger than 9, in half the time).
pub fn options() -> bundle::Options {
    bundle::Options {
        chunks: bundle::Chunks::Bytes(16_000),
        level: 6,
        rounded_lengths: true,
        fragment_filters: false,
    }
}

/// Builds the index of `records` (in catalogue order) in the language `lang`, handing each
/// file (its path in the site) to `emit` as soon as it is made.
pub fn index(records: &[Record], lang: &str, emit: bundle::Emit) -> Result<Indexed, String> {
    let files = std::sync::atomic::AtomicUsize::new(0);
    // The names written and the entry file, for what the search page preloads.
    let names = std::sync::Mutex::new(std::collections::HashSet::new());
    let entry = std::sync::Mutex::new(None);
    let put = |rel: &str, bytes: Vec<u8>| {
        if !wanted(rel) {
            return Ok(());
        }
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if rel == "pagefind-entry.json" {
            *entry.lock().map_err(|_| "the indexer stopped")? = Some(bytes.clone());
        }
        names
            .lock()
            .map_err(|_| "the indexer stopped")?
            .insert(rel.to_string());
        emit(&format!("{BUNDLE_DIR}/{rel}"), bytes)
    };
    let b = bundle::write(records, lang, &options(), &put)?;
    let mut sorts = BTreeMap::new();
    for (key, name, bytes) in sort_files(records, &b) {
        put(&name, bytes)?;
        sorts.insert(key.to_string(), name);
    }
    Ok(Indexed {
        files: files.into_inner(),
        common: if records.len() >= COMMON_WORDS_FROM {
            b.common
        } else {
            Vec::new()
        },
        sorts,
        preload: match entry.into_inner().ok().flatten() {
            Some(e) => {
                let names = names.into_inner().unwrap_or_default();
                Preload::of(&e, |n| names.contains(n))
            }
            None => Preload::default(),
        },
    })
}

/// Pagefind can sort results itself, but every search would then download each order (two
/// lists of every page: 40 kB of the 107 kB metadata file at 10,000 entries). Instead each
/// order is a file of result ids that the search page loads when a reader picks it.
/// Acronyms: the catalogue's order (Indonesian collation). Years: newest first, unknown last.
fn sort_files(records: &[Record], b: &Bundle) -> Vec<(&'static str, String, Vec<u8>)> {
    let mut by_year: Vec<usize> = (0..records.len()).collect();
    by_year.sort_by_key(|&i| std::cmp::Reverse(records[i].year.unwrap_or(i32::MIN)));
    [
        (SORT_ACRONYM, (0..records.len()).collect()),
        (SORT_YEAR, by_year),
    ]
    .into_iter()
    .map(|(key, order): (&str, Vec<usize>)| {
        let ids: Vec<&str> = order
            .iter()
            .filter_map(|&i| b.pages[i].as_deref())
            .collect();
        let json = serde_json::to_vec(&ids).expect("serialisable");
        let hash = crate::bundle::format::full_hash(&json);
        (
            key,
            format!("lontara-urut-{key}.{}.json", &hash[..10]),
            json,
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_escapes_html_and_pagefind_markers() {
        assert_eq!(
            digest("<b>x</b> ___PAGEFIND_WEIGHT___9 ___END_PAGEFIND_WEIGHT___"),
            "&lt;b&gt;x&lt;/b&gt; PAGEFIND_WEIGHT___9 END_PAGEFIND_WEIGHT___"
        );
    }

    #[test]
    fn agency_label_carries_the_short_form_once() {
        assert_eq!(
            agency_filter_value("Dinas Kesehatan", Some("Dinkes")),
            "Dinas Kesehatan (Dinkes)"
        );
        assert_eq!(agency_filter_value("BPBD", Some("BPBD")), "BPBD");
        assert_eq!(agency_filter_value("Inspektorat", None), "Inspektorat");
    }
}
