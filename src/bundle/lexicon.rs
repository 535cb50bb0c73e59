//! What Pagefind indexes for each distinct word of the catalogue, learnt from Pagefind itself.
//!
//! Pagefind turns a word of text into the entries it indexes (lowercased, split at
//! punctuation and case changes, stripped of diacritics, stemmed) in code it does not export.
//! Rather than copy that code, every distinct word is given once to Pagefind's own indexer,
//! as one record whose n-th word is the n-th distinct word (and whose one metadata field holds
//! the distinct metadata words the same way). The positions in the index it writes say which
//! entries each word became, with their weights. The per-record work then only looks words up.
//! This holds because Pagefind reads each whitespace-separated word on its own (no word's
//! entries depend on its neighbours, for the languages it does not segment); the bundle test
//! checks it against Pagefind's indexer on the same records.
//! The same run provides Pagefind's browser files (its script and the language's wasm).

use super::format::{self, MetaIndex, WordIndex};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::{BTreeMap, HashMap};

/// No form: the entry is the word itself, not a variant with diacritics.
pub const PLAIN: u32 = u32::MAX;

/// One entry a word of text becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub word: u32,
    pub weight: u8,
    pub form: u32,
}

/// One entry a word of metadata becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MetaEntry {
    pub word: u32,
    pub form: u32,
}

/// The browser side of the bundle and what describes it.
pub struct Runtime {
    /// pagefind.js, the wasm of the language and the rest of Pagefind's static files.
    pub files: Vec<(String, Vec<u8>)>,
    /// pagefind-entry.json as Pagefind writes it (this run's index named in it).
    pub entry: EntryFile,
    /// Pagefind's version, which the browser code checks in the metadata file.
    pub version: String,
}

/// pagefind-entry.json. Read into a type, so a version that changes it fails loudly.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntryFile {
    pub version: String,
    pub languages: BTreeMap<String, EntryLanguage>,
    pub include_characters: Vec<char>,
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntryLanguage {
    pub hash: String,
    pub wasm: Option<String>,
    pub page_count: usize,
}

pub struct Lexicon {
    /// Indexed words (stemmed), by id.
    pub words: Vec<String>,
    /// Variant forms (with diacritics), by id.
    pub forms: Vec<String>,
    text: Vec<Vec<Entry>>,
    meta: Vec<Vec<MetaEntry>>,
    pub runtime: Runtime,
}

/// The metadata field the distinct metadata words go in.
const META_FIELD: &str = "w";
/// Ends the list of words, so the index is never empty (Pagefind writes no wasm then).
const SENTINEL: &str = "lontara";

impl Lexicon {
    /// `text` and `meta`: the distinct words, each free of whitespace and of the zero-width
    /// space, none empty.
    pub fn learn(text: &[&str], meta: &[&str], lang: &str) -> Result<Lexicon, String> {
        let files = run_pagefind(text, meta, lang)?;
        let mut lex = Lexicon {
            words: Vec::new(),
            forms: Vec::new(),
            text: vec![Vec::new(); text.len()],
            meta: vec![Vec::new(); meta.len()],
            runtime: Runtime {
                files: Vec::new(),
                entry: EntryFile {
                    version: String::new(),
                    languages: BTreeMap::new(),
                    include_characters: Vec::new(),
                },
                version: String::new(),
            },
        };
        let mut metadata = None;
        let mut chunks = Vec::new();
        for (name, bytes) in files {
            if name.starts_with("pagefind.") && name.ends_with(".pf_meta") {
                metadata = Some(bytes);
            } else if name.starts_with("index/") {
                chunks.push(bytes);
            } else if name == "pagefind-entry.json" {
                lex.runtime.entry = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("Pagefind's pagefind-entry.json changed: {e}"))?;
            } else if !(name.starts_with("fragment/") || name.starts_with("filter/")) {
                lex.runtime.files.push((name, bytes));
            }
        }
        let metadata = metadata.ok_or("Pagefind wrote no metadata file")?;
        let metadata: MetaIndex = format::decode(&format::decompress(&metadata)?)?;
        lex.runtime.version = metadata.version;
        let field = metadata
            .meta_fields
            .iter()
            .position(|f| f == META_FIELD)
            .map(|f| f as u16);
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut form_ids: HashMap<String, u32> = HashMap::new();
        for chunk in chunks {
            let index: WordIndex = format::decode(&format::decompress(&chunk)?)?;
            for w in index.words {
                let word = intern(&mut lex.words, &mut word_ids, w.word);
                let variants = w
                    .additional_variants
                    .into_iter()
                    .map(|v| (intern(&mut lex.forms, &mut form_ids, v.form), v.pages));
                for (form, pages) in std::iter::once((PLAIN, w.pages)).chain(variants) {
                    for page in pages {
                        for (pos, weight) in format::unpack_locs(&page.locs) {
                            if let Some(list) = lex.text.get_mut(pos as usize) {
                                list.push(Entry { word, weight, form });
                            }
                        }
                        for (f, pos) in format::unpack_meta_locs(&page.meta_locs) {
                            if Some(f) != field {
                                return Err("Pagefind indexed an unknown metadata field".into());
                            }
                            if let Some(list) = lex.meta.get_mut(pos as usize) {
                                list.push(MetaEntry { word, form });
                            }
                        }
                    }
                }
            }
        }
        Ok(lex)
    }

    /// The entries the distinct text word `id` becomes (none for punctuation alone).
    pub fn text(&self, id: u32) -> &[Entry] {
        &self.text[id as usize]
    }

    pub fn meta(&self, id: u32) -> &[MetaEntry] {
        &self.meta[id as usize]
    }
}

fn intern(list: &mut Vec<String>, ids: &mut HashMap<String, u32>, s: String) -> u32 {
    if let Some(&id) = ids.get(&s) {
        return id;
    }
    let id = list.len() as u32;
    list.push(s.clone());
    ids.insert(s, id);
    id
}

/// Pagefind's files for one record holding every distinct word, by path in the bundle.
fn run_pagefind(
    text: &[&str],
    meta: &[&str],
    lang: &str,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut content = text.join(" ");
    if !content.is_empty() {
        content.push(' ');
    }
    content.push_str(SENTINEL);
    let meta = BTreeMap::from([(META_FIELD.to_string(), meta.join(" "))]);
    let lang = lang.to_string();
    let expected = text.len() + 1;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start Pagefind: {e}"))?;
    let (count, files) = rt.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .force_language(lang.clone())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(fail)?;
        let added = index
            .add_custom_record("/".into(), content, lang, Some(meta), None, None)
            .await
            .map_err(fail)?;
        let files = index.get_files().await.map_err(fail)?;
        Ok::<_, String>((added.page_word_count as usize, files))
    })?;
    // One position per word given, or the positions would not name the words.
    if count != expected {
        return Err(format!(
            "Pagefind read {count} words where {expected} were given"
        ));
    }
    Ok(files
        .into_iter()
        .filter_map(|f| Some((super::bundle_relative(&f.filename)?, f.contents)))
        .collect())
}

fn fail(e: impl std::fmt::Display) -> String {
    format!("Pagefind failed on the catalogue's words: {e:#}")
}
