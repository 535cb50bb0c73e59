//! From records to pages: the catalogue's distinct words, and what each record adds to the
//! index (its words' positions, encoded) and to the bundle (its fragment).

use super::format::{self, Fragment};
use super::lexicon::{Lexicon, PLAIN};
use super::{Options, Record};
use hashbrown::{HashMap, HashSet};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The distinct words of the text and of the metadata, numbered in byte order.
pub struct Vocabulary<'a> {
    text: HashMap<&'a str, u32>,
    /// By number: the word as Pagefind keeps it (without zero-width spaces).
    pub text_words: Vec<Cow<'a, str>>,
    meta: HashMap<&'a str, u32>,
    pub meta_words: Vec<&'a str>,
}

/// Not a word: made only of zero-width spaces, which Pagefind skips.
const BLANK: u32 = u32::MAX;

impl<'a> Vocabulary<'a> {
    pub fn of(records: &[&'a Record]) -> Vocabulary<'a> {
        let (text, meta) = records
            .par_iter()
            .fold(
                || (HashSet::new(), HashSet::new()),
                |(mut text, mut meta), r| {
                    text.extend(r.content.split_whitespace());
                    meta.extend(r.meta.values().flat_map(|v| v.split_whitespace()));
                    (text, meta)
                },
            )
            .reduce(
                || (HashSet::new(), HashSet::new()),
                |(mut t1, mut m1), (t2, m2)| {
                    t1.extend(t2);
                    m1.extend(m2);
                    (t1, m1)
                },
            );
        let mut text: Vec<&str> = text.into_iter().collect();
        text.par_sort_unstable();
        let mut meta_words: Vec<&str> = meta.into_iter().collect();
        meta_words.par_sort_unstable();
        let mut v = Vocabulary {
            text: HashMap::with_capacity(text.len()),
            text_words: Vec::with_capacity(text.len()),
            meta: meta_words
                .iter()
                .enumerate()
                .map(|(i, w)| (*w, i as u32))
                .collect(),
            meta_words,
        };
        for w in text {
            let clean = clean(w);
            if clean.is_empty() {
                v.text.insert(w, BLANK);
            } else {
                v.text.insert(w, v.text_words.len() as u32);
                v.text_words.push(clean);
            }
        }
        v
    }

    /// The text's words with their numbers, as Pagefind counts them (blanks skipped).
    fn text_of<'r>(&'r self, r: &'r Record) -> impl Iterator<Item = (&'r str, u32)> + 'r {
        r.content
            .split_whitespace()
            .map(|w| self.text[w])
            .filter(|&id| id != BLANK)
            .map(|id| (self.text_words[id as usize].as_ref(), id))
    }

    /// Whether Pagefind indexes the record: it leaves out a page with no word in its text,
    /// whatever its metadata.
    pub fn indexed(&self, r: &Record, lex: &Lexicon) -> bool {
        self.text_of(r).any(|(_, id)| !lex.text(id).is_empty())
    }
}

/// A word as Pagefind keeps it: without zero-width spaces.
fn clean(w: &str) -> Cow<'_, str> {
    if w.contains('\u{200B}') {
        Cow::Owned(w.replace('\u{200B}', ""))
    } else {
        Cow::Borrowed(w)
    }
}

/// One word (or one of its variants) on one page.
pub struct PageEntry {
    pub word: u32,
    pub form: u32,
    /// Its positions and metadata positions, encoded, in `Page::arena`.
    pub start: u32,
    pub end: u32,
    /// Pagefind's chunk-size measure of this page.
    pub units: u32,
}

/// What one record adds to the index.
pub struct Page {
    pub entries: Vec<PageEntry>,
    pub arena: Vec<u8>,
    /// `<lang>_<hash of the fragment>`.
    pub hash: String,
    pub fragment: Vec<u8>,
    pub word_count: u32,
}

#[derive(Default)]
struct OnPage {
    text: Vec<(u32, u8)>,
    meta: Vec<(u16, u32)>,
}

static NO_FILTERS: BTreeMap<String, Vec<String>> = BTreeMap::new();

impl Page {
    /// `meta_fields`: every metadata field of the indexed records, sorted.
    pub fn read(
        r: &Record,
        vocab: &Vocabulary,
        lex: &Lexicon,
        meta_fields: &[&str],
        lang: &str,
        opts: &Options,
    ) -> Page {
        let mut content = String::with_capacity(r.content.len());
        // (word, form) → positions.
        let mut words: HashMap<(u32, u32), OnPage> = HashMap::new();
        let mut pos = 0u32;
        for (w, id) in vocab.text_of(r) {
            content.push_str(w);
            content.push(' ');
            for e in lex.text(id) {
                words
                    .entry((e.word, e.form))
                    .or_default()
                    .text
                    .push((pos, e.weight));
            }
            pos += 1;
        }
        content.pop();
        for (key, value) in &r.meta {
            let field = meta_fields.binary_search(&key.as_str()).unwrap_or(0) as u16;
            for (i, w) in value.split_whitespace().enumerate() {
                for e in lex.meta(vocab.meta[w]) {
                    words
                        .entry((e.word, e.form))
                        .or_default()
                        .meta
                        .push((field, i as u32));
                }
            }
        }
        let form = |f: u32| lex.forms.get(f as usize).map_or("", String::as_str);
        let mut keys: Vec<(u32, u32)> = words.keys().copied().collect();
        // Per word: the word itself, then variants found in the text, then those found only
        // in the metadata, each group by form, as Pagefind adds them.
        keys.sort_unstable_by(|a, b| {
            let group = |k: &(u32, u32)| {
                if k.1 == PLAIN {
                    0
                } else if words[k].text.is_empty() {
                    2
                } else {
                    1
                }
            };
            (a.0, group(a))
                .cmp(&(b.0, group(b)))
                .then_with(|| form(a.1).cmp(form(b.1)))
        });
        let mut arena = Vec::new();
        let mut entries = Vec::with_capacity(keys.len());
        for key in keys {
            let on = words.get_mut(&key).expect("listed");
            let locs = if on.text.is_empty() {
                Vec::new()
            } else {
                format::pack_locs(&mut on.text)
            };
            let meta_locs = if on.meta.is_empty() {
                Vec::new()
            } else {
                format::pack_meta_locs(&mut on.meta)
            };
            let start = arena.len() as u32;
            let mut enc = minicbor::Encoder::new(&mut arena);
            enc.encode(&locs)
                .and_then(|e| e.encode(&meta_locs))
                .expect("writing to memory");
            entries.push(PageEntry {
                word: key.0,
                form: key.1,
                start,
                end: arena.len() as u32,
                units: (locs.len() + meta_locs.len() + 1) as u32,
            });
        }
        let json = serde_json::to_vec(&Fragment {
            url: &r.url,
            content: &content,
            word_count: pos as usize,
            filters: if opts.fragment_filters {
                &r.filters
            } else {
                &NO_FILTERS
            },
            meta: &r.meta,
            anchors: [],
        })
        .expect("serialisable");
        Page {
            entries,
            arena,
            hash: format!("{lang}_{}", format::full_hash(&json)),
            fragment: format::compress(&json, opts.level),
            word_count: pos,
        }
    }
}
