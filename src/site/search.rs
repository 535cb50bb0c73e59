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
use crate::content::Catalogue;
use crate::content::catalogue::{Innovation, capitalize};
use crate::diagnostics::{Diagnostic, Pos};
use crate::text::compact_key;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path};

/// Where the index lives in the site; the search page's script loads it from here.
pub const BUNDLE_DIR: &str = "pagefind";

/// Filter keys, shared with `themes/default/static/cari.js` (the URL parameters of /cari/).
pub const F_AGENCY: &str = "perangkat";
pub const F_AWARD: &str = "penghargaan";
pub const F_LEVEL: &str = "tingkat";
pub const F_YEAR: &str = "tahun";
pub const F_SECTOR: &str = "sektor";
pub const F_STAGE: &str = "tahap";

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

/// One record, ready for `add_custom_record`.
#[derive(Clone)]
pub struct Record {
    pub url: String,
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
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

    let mut sort = BTreeMap::new();
    // Unknown years sort as 0000: last when newest come first.
    sort.insert(
        "tahun".to_string(),
        format!("{:04}", e.start_year.unwrap_or(0)),
    );
    sort.insert("akronim".to_string(), compact_key(&e.acronym));

    let mut text = String::new();
    if let Some(s) = &e.summary {
        text.push_str(s);
        text.push('\n');
    }
    text.push_str(&crate::markdown::to_plain_text(&e.body));
    Record {
        url: format!("/{}", super::urls::entry(&e.slug)),
        content: digest(&text),
        meta,
        filters,
        sort,
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
/// its private `___PAGEFIND_` markers should an entry ever contain one.
fn digest(text: &str) -> String {
    crate::markdown::escape(text).replace("___PAGEFIND_", "PAGEFIND_")
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
        for (k, vals) in &r.filters {
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
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Preload {
    /// Names this version of the index: a hash of its entry file ("" without an index).
    pub tag: String,
    /// The WebAssembly file of the index's language, when there is one (a catalogue with
    /// no indexable text has none).
    pub wasm: Option<String>,
}

impl Preload {
    pub fn of(files: &[(String, Vec<u8>)]) -> Preload {
        let file = |name: &str| {
            files
                .iter()
                .find(|(p, _)| p == &format!("{BUNDLE_DIR}/{name}"))
        };
        let Some((_, entry)) = file("pagefind-entry.json") else {
            return Preload::default();
        };
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
                .filter(|w| file(w).is_some()),
        }
    }
}

/// Catalogues at least this large get a list of common words (see `common_words`).
pub const COMMON_WORDS_FROM: usize = 1000;

/// Words found in more than half of the records of a large catalogue, lowercase, sorted.
/// The search page leaves them out of a query that has other words: they narrow nothing,
/// yet each one's part of the index is the largest there is (138 kB for "daerah" on the
/// 10,000-entry corpus, against 20–36 kB for an ordinary word). They stay in the index and
/// the excerpts; a query made only of them is searched as typed.
pub fn common_words(records: &[Record]) -> Vec<String> {
    if records.len() < COMMON_WORDS_FROM {
        return Vec::new();
    }
    let mut df: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in records {
        let words: std::collections::HashSet<String> = r
            .content
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        for w in words {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut out: Vec<String> = df
        .into_iter()
        .filter(|(_, n)| *n * 2 > records.len())
        .map(|(w, _)| w)
        .collect();
    out.sort();
    out
}

/// Builds the index. Returns (path in the site, bytes).
pub fn index(records: Vec<Record>, lang: &str) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let lang = lang.to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| fail(format!("cannot start the indexer: {e}")))?;
    let files = rt.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .force_language(lang.clone())
            .build();
        let mut index = PagefindIndex::new(Some(options))?;
        for r in records {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    lang.clone(),
                    Some(r.meta),
                    Some(r.filters),
                    Some(r.sort),
                )
                .await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| fail(format!("cannot build the search index: {e:#}")))?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let rel = bundle_relative(&f.filename)?;
            wanted(&rel).then(|| (format!("{BUNDLE_DIR}/{rel}"), f.contents))
        })
        .collect())
}

/// Pagefind names in-memory files relative to its bundle folder ("fragment/x.pf_fragment");
/// should a version name them under the folder instead, keep the part below `pagefind/`.
fn bundle_relative(path: &Path) -> Option<String> {
    let parts: Vec<Component> = path.components().collect();
    let at = match parts[..parts.len().saturating_sub(1)]
        .iter()
        .rposition(|c| c.as_os_str() == BUNDLE_DIR)
    {
        Some(i) => i + 1,
        None if path.is_relative() => 0,
        None => return None,
    };
    let rel: Vec<String> = parts[at..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(rel.join("/"))
}

fn fail(msg: String) -> Diagnostic {
    Diagnostic::error(BUNDLE_DIR, Pos::FILE, msg)
        .with_hint("this is a bug in Lontara or its search library; please report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_paths_keep_the_part_below_pagefind() {
        assert_eq!(
            bundle_relative(Path::new("/tmp/x/pagefind/index/en_1.pf_index")).as_deref(),
            Some("index/en_1.pf_index")
        );
        assert_eq!(
            bundle_relative(Path::new("/pagefind/pagefind.js")).as_deref(),
            Some("pagefind.js")
        );
        assert_eq!(
            bundle_relative(Path::new("fragment/id_1.pf_fragment")).as_deref(),
            Some("fragment/id_1.pf_fragment")
        );
        assert_eq!(bundle_relative(Path::new("/elsewhere/file.js")), None);
    }

    #[test]
    fn digest_escapes_html_and_pagefind_markers() {
        assert_eq!(
            digest("<b>x</b> ___PAGEFIND_WEIGHT___9"),
            "&lt;b&gt;x&lt;/b&gt; PAGEFIND_WEIGHT___9"
        );
    }

    fn rec(content: &str) -> Record {
        Record {
            url: String::new(),
            content: content.to_string(),
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
            sort: BTreeMap::new(),
        }
    }

    #[test]
    fn common_words_are_those_of_most_records_in_a_large_catalogue() {
        let mut records: Vec<Record> = (0..COMMON_WORDS_FROM)
            .map(|i| {
                rec(if i % 3 == 0 {
                    "Pajak daerah"
                } else {
                    "daerah, desa"
                })
            })
            .collect();
        // "daerah" is everywhere, "desa" in two thirds, "pajak" in a third.
        assert_eq!(common_words(&records), ["daerah", "desa"]);
        records.truncate(COMMON_WORDS_FROM - 1);
        assert!(
            common_words(&records).is_empty(),
            "small catalogues keep every word"
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
