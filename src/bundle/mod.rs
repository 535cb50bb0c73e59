//! The search bundle (`pagefind/` in the site): Pagefind's files, written by Lontara.
//!
//! Pagefind's browser code (its script and wasm) searches the site; this module writes the
//! index it reads, in Pagefind's own format, from the records the site gives. Pagefind's
//! indexer did this before, but it holds every occurrence of every word as its own object,
//! copies them several times and compares each new record with all earlier ones: on 10,000
//! entries it took 85% of the build's time and 90% of its memory, and it grew worse than
//! linearly (issue 11). Here each distinct word is read once (by Pagefind itself, see
//! `lexicon`), a record's words are only looked up, and each word's pages are kept as the
//! bytes they are written as.
//!
//! `format` has the rules of the format; `tests/bundle.rs` checks that, with Pagefind's
//! settings (`Options::pagefind`), the bundle is file for file the one Pagefind's indexer
//! writes from the same records, so a Pagefind version that changes the format fails there.

pub mod format;
pub mod lexicon;

use format::{Fragment, MetaChunk, MetaFilter, MetaIndex, MetaPage, Names};
use hashbrown::HashMap;
use lexicon::{Lexicon, PLAIN};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

/// The Pagefind version whose format this module writes and whose browser files it ships.
/// `tests/bundle.rs` checks it against the Pagefind in use: a bump fails there until this is
/// updated (and the bundle test passes), so no build reuses a bundle of another version.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// One searchable page.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Record {
    /// Its address, as the search page links it.
    pub url: String,
    /// Plain text (escaped as HTML, as Pagefind shows it in excerpts).
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

impl AsRef<Record> for Record {
    fn as_ref(&self) -> &Record {
        self
    }
}

#[derive(Debug)]
pub struct Options {
    pub chunks: Chunks,
    /// gzip level of the compressed files.
    pub level: u32,
    /// Page lengths in the metadata file to two significant digits. Pagefind weighs a match
    /// by the page's length against the average, where 587 or 590 words make no difference
    /// (under 1%), while exact lengths cost every search 7 kB at 10,000 pages.
    pub rounded_lengths: bool,
    /// Each result's filter values in its fragment, for a search page that shows them.
    pub fragment_filters: bool,
}

impl Options {
    /// Pagefind's own settings (the bundle test compares with its indexer).
    pub fn pagefind() -> Options {
        Options {
            chunks: Chunks::Positions(20_000),
            level: 9,
            rounded_lengths: false,
            fragment_filters: true,
        }
    }
}

/// Where the index is cut into files (a search downloads the files holding its words).
#[derive(Debug)]
pub enum Chunks {
    /// Pagefind's rule: a chunk ends once its words hold this many positions (plus one per
    /// page and per variant), so a large word takes its smaller neighbours along.
    Positions(usize),
    /// A chunk holds words up to this many bytes (uncompressed); a larger word is alone.
    Bytes(usize),
}

pub struct Bundle {
    /// Pagefind's version, as its browser code reads it.
    pub version: String,
    /// Path below the bundle folder, bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Per record, the name Pagefind's script gives its result (`result.id`); None for a
    /// record without a word to index, which Pagefind leaves out too.
    pub pages: Vec<Option<String>>,
    /// Words of the text (lowercase, as a reader types them) each of whose indexed forms is
    /// on more than half of the pages, sorted. They narrow a search down by next to nothing,
    /// and their parts of the index are the largest there are.
    pub common: Vec<String>,
}

/// Writes the bundle for `records`, in the language `lang` (its stemmer and wasm).
pub fn write<R: AsRef<Record> + Sync>(
    records: &[R],
    lang: &str,
    opts: &Options,
) -> Result<Bundle, String> {
    let records: Vec<&Record> = records.iter().map(AsRef::as_ref).collect();
    let records = &records[..];
    let vocab = Vocabulary::of(records);
    let lex = Lexicon::learn(&vocab.text_words, &vocab.meta_words, lang)?;
    let meta_fields: Vec<&str> = records
        .iter()
        .flat_map(|r| r.meta.keys().map(String::as_str))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut postings: Vec<Option<Postings>> = Vec::new();
    postings.resize_with(lex.words.len(), || None);
    let mut kept: Vec<usize> = Vec::new();
    let mut fragments: Vec<(usize, String, Vec<u8>, u32)> = Vec::new();
    // In batches, so a large catalogue never holds every page's words at once.
    for (b, batch) in records.chunks(1024).enumerate() {
        let pages: Vec<Option<Page>> = batch
            .par_iter()
            .map(|r| Page::read(r, &vocab, &lex, &meta_fields, lang, opts))
            .collect();
        for (i, page) in pages.into_iter().enumerate() {
            let Some(page) = page else { continue };
            let number = kept.len() as u64;
            kept.push(b * 1024 + i);
            for e in &page.entries {
                postings[e.word as usize]
                    .get_or_insert_with(Postings::default)
                    .add(e, number, &page.arena[e.start as usize..e.end as usize]);
            }
            fragments.push((b * 1024 + i, page.hash, page.fragment, page.word_count));
        }
    }
    // Pagefind lists only the metadata fields of the pages it keeps.
    let kept_fields: BTreeSet<&str> = kept
        .iter()
        .flat_map(|&i| records[i].meta.keys().map(String::as_str))
        .collect();
    if kept_fields.len() != meta_fields.len() {
        let kept_records: Vec<&Record> = kept.iter().map(|&i| records[i]).collect();
        let mut again = write(&kept_records, lang, opts)?;
        let mut pages = vec![None; records.len()];
        for (&i, p) in kept.iter().zip(again.pages) {
            pages[i] = p;
        }
        again.pages = pages;
        return Ok(again);
    }

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut page_names = vec![None; records.len()];
    let mut names = Names::for_fragments();
    let mut meta_pages = Vec::with_capacity(fragments.len());
    for (record, hash, bytes, word_count) in fragments {
        let name = names.take(lang, &hash);
        files.push((format!("fragment/{name}.pf_fragment"), bytes));
        meta_pages.push(MetaPage {
            hash: name.clone(),
            word_count: if opts.rounded_lengths {
                two_digits(word_count)
            } else {
                word_count
            },
            group_hash: String::new(),
        });
        page_names[record] = Some(name);
    }

    let common = common_words(&vocab, &lex, &postings, kept.len());
    let (index_chunks, chunk_files) = chunks(&lex, postings, lang, opts);
    files.extend(chunk_files);
    let (meta_filters, filter_files) = filters(records, &kept, lang, opts.level);
    files.extend(filter_files);

    let meta = format::encode(&MetaIndex {
        version: lex.runtime.version.clone(),
        pages: meta_pages,
        index_chunks,
        filters: meta_filters,
        sorts: Vec::new(),
        meta_fields: meta_fields.iter().map(|f| f.to_string()).collect(),
    });
    let meta_name = format!("{lang}_{}", &format::full_hash(&meta)[..lang.len() + 8]);
    files.push((
        format!("pagefind.{meta_name}.pf_meta"),
        format::compress(&meta, opts.level),
    ));
    let mut entry = lex.runtime.entry.clone();
    let language = entry
        .languages
        .get_mut(lang)
        .ok_or("Pagefind's entry file does not name the language")?;
    language.hash = meta_name;
    language.page_count = kept.len();
    files.push((
        "pagefind-entry.json".into(),
        serde_json::to_vec(&entry).expect("serialisable"),
    ));
    files.extend(lex.runtime.files.iter().cloned());
    Ok(Bundle {
        version: lex.runtime.version.clone(),
        files,
        pages: page_names,
        common,
    })
}

static NO_FILTERS: BTreeMap<String, Vec<String>> = BTreeMap::new();

/// `n` to two significant digits: 587 → 590, 1234 → 1200.
fn two_digits(n: u32) -> u32 {
    let mut unit = 1;
    while n / unit >= 100 {
        unit *= 10;
    }
    (n + unit / 2) / unit * unit
}

/// Pagefind names in-memory files relative to its bundle folder ("fragment/x.pf_fragment");
/// should a version name them under the folder instead, keep the part below `pagefind/`.
pub fn bundle_relative(path: &Path) -> Option<String> {
    let parts: Vec<Component> = path.components().collect();
    let at = match parts[..parts.len().saturating_sub(1)]
        .iter()
        .rposition(|c| c.as_os_str() == "pagefind")
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

/// The distinct words of the text and of the metadata, numbered.
struct Vocabulary<'a> {
    text: HashMap<&'a str, u32>,
    text_words: Vec<&'a str>,
    meta: HashMap<&'a str, u32>,
    meta_words: Vec<&'a str>,
    /// Words made only of zero-width spaces, which Pagefind skips.
    blank: u32,
}

impl<'a> Vocabulary<'a> {
    fn of(records: &[&'a Record]) -> Vocabulary<'a> {
        let mut v = Vocabulary {
            text: HashMap::new(),
            text_words: Vec::new(),
            meta: HashMap::new(),
            meta_words: Vec::new(),
            blank: u32::MAX,
        };
        let mut cleaned: Vec<(u32, String)> = Vec::new();
        for r in records {
            for w in r.content.split_whitespace() {
                if !v.text.contains_key(w) {
                    let id = v.text_words.len() as u32;
                    let clean = clean(w);
                    if clean.is_empty() {
                        v.text.insert(w, v.blank);
                        continue;
                    }
                    if let Cow::Owned(c) = clean {
                        cleaned.push((id, c));
                    }
                    v.text.insert(w, id);
                    v.text_words.push(w);
                }
            }
            for value in r.meta.values() {
                for w in value.split_whitespace() {
                    if !v.meta.contains_key(w) {
                        v.meta.insert(w, v.meta_words.len() as u32);
                        v.meta_words.push(w);
                    }
                }
            }
        }
        // Zero-width spaces inside a word are dropped by Pagefind: rare, so leaked rather than
        // threaded through every borrow.
        for (id, c) in cleaned {
            v.text_words[id as usize] = Box::leak(c.into_boxed_str());
        }
        v
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
struct PageEntry {
    word: u32,
    form: u32,
    /// Its positions and metadata positions, encoded, in `Page::arena`.
    start: u32,
    end: u32,
    /// Pagefind's chunk-size measure of this page.
    units: u32,
}

/// What one record adds to the index.
struct Page {
    entries: Vec<PageEntry>,
    arena: Vec<u8>,
    /// `<lang>_<hash of the fragment>`.
    hash: String,
    fragment: Vec<u8>,
    word_count: u32,
}

#[cfg(test)]
mod tests {
    #[test]
    fn lengths_keep_two_digits() {
        let r: Vec<u32> = [7, 99, 587, 595, 1234, 15_051]
            .map(super::two_digits)
            .into();
        assert_eq!(r, [7, 99, 590, 600, 1200, 15_000]);
    }
}

#[derive(Default)]
struct OnPage {
    text: Vec<(u32, u8)>,
    meta: Vec<(u16, u32)>,
}

impl Page {
    fn read(
        r: &Record,
        vocab: &Vocabulary,
        lex: &Lexicon,
        meta_fields: &[&str],
        lang: &str,
        opts: &Options,
    ) -> Option<Page> {
        let mut content = String::with_capacity(r.content.len());
        // (word, form) → positions; the forms of each word in the order Pagefind adds them.
        let mut words: HashMap<(u32, u32), OnPage> = HashMap::new();
        let mut pos = 0u32;
        for w in r.content.split_whitespace() {
            let id = vocab.text[w];
            if id == vocab.blank {
                continue;
            }
            content.push_str(vocab.text_words[id as usize]);
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
        // Pagefind leaves out a page without a word in its text, whatever its metadata.
        if words.is_empty() {
            return None;
        }
        for (key, value) in &r.meta {
            let field = meta_fields.binary_search(&key.as_str()).ok()? as u16;
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
        Some(Page {
            entries,
            arena,
            hash: format!("{lang}_{}", format::full_hash(&json)),
            fragment: format::compress(&json, opts.level),
            word_count: pos,
        })
    }
}

/// A word's pages as written in the index, page numbers as deltas.
#[derive(Default)]
struct Stream {
    pages: u32,
    last: u64,
    bytes: Vec<u8>,
}

impl Stream {
    fn add(&mut self, page: u64, encoded: &[u8]) {
        let mut enc = minicbor::Encoder::new(&mut self.bytes);
        enc.array(3)
            .and_then(|e| e.u64(page - self.last))
            .expect("writing to memory");
        self.bytes.extend_from_slice(encoded);
        self.pages += 1;
        self.last = page;
    }
}

/// One word of the index: its pages, and those of each variant in the order Pagefind found
/// them.
#[derive(Default)]
struct Postings {
    main: Stream,
    variants: Vec<(u32, Stream)>,
    units: u64,
}

impl Postings {
    /// About what the word takes in its chunk, uncompressed.
    fn bytes(&self, word: &str) -> u64 {
        let variants: usize = self.variants.iter().map(|(_, s)| s.bytes.len() + 16).sum();
        (word.len() + 8 + self.main.bytes.len() + variants) as u64
    }

    fn add(&mut self, e: &PageEntry, page: u64, encoded: &[u8]) {
        self.units += u64::from(e.units);
        if e.form == PLAIN {
            return self.main.add(page, encoded);
        }
        let at = match self.variants.iter().position(|(f, _)| *f == e.form) {
            Some(at) => at,
            None => {
                self.units += 1;
                self.variants.push((e.form, Stream::default()));
                self.variants.len() - 1
            }
        };
        self.variants[at].1.add(page, encoded);
    }
}

/// The index chunks: words in byte order, cut as `opts.chunks` says.
fn chunks(
    lex: &Lexicon,
    postings: Vec<Option<Postings>>,
    lang: &str,
    opts: &Options,
) -> (Vec<MetaChunk>, Vec<(String, Vec<u8>)>) {
    let mut words: Vec<(u32, Postings)> = postings
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i as u32, p?)))
        .collect();
    let word = |id: u32| lex.words[id as usize].as_str();
    words.sort_unstable_by(|a, b| word(a.0).cmp(word(b.0)));
    let mut groups: Vec<Vec<(u32, Postings)>> = Vec::new();
    let (mut group, mut size) = (Vec::new(), 0u64);
    for w in words {
        match opts.chunks {
            Chunks::Positions(max) => {
                size += w.1.units;
                group.push(w);
                if size >= max as u64 {
                    groups.push(std::mem::take(&mut group));
                    size = 0;
                }
            }
            Chunks::Bytes(max) => {
                let bytes = w.1.bytes(word(w.0));
                if !group.is_empty() && size + bytes > max as u64 {
                    groups.push(std::mem::take(&mut group));
                    size = 0;
                }
                size += bytes;
                group.push(w);
            }
        }
    }
    if !group.is_empty() {
        groups.push(group);
    }
    let mut meta: Vec<MetaChunk> = groups
        .iter()
        .map(|g| MetaChunk {
            from: word(g[0].0).to_string(),
            to: word(g[g.len() - 1].0).to_string(),
            hash: String::new(),
        })
        .collect();
    // The shortest prefixes that still tell neighbouring chunks apart, as Pagefind trims them
    // (each `from` trimmed before it is compared with again).
    for i in 1..meta.len() {
        let (a, b) = prefixes(&meta[i - 1].to, &meta[i].from);
        if a >= meta[i - 1].from {
            meta[i - 1].to = a;
        }
        meta[i].from = b;
    }
    let encoded: Vec<(String, Vec<u8>)> = groups
        .par_iter()
        .map(|g| {
            let mut bytes = Vec::new();
            let mut enc = minicbor::Encoder::new(&mut bytes);
            enc.array(1)
                .and_then(|e| e.array(g.len() as u64))
                .expect("writing to memory");
            for (id, p) in g {
                enc.array(3)
                    .and_then(|e| e.str(word(*id)))
                    .and_then(|e| e.array(u64::from(p.main.pages)))
                    .expect("writing to memory");
                enc.writer_mut().extend_from_slice(&p.main.bytes);
                enc.array(p.variants.len() as u64)
                    .expect("writing to memory");
                for (form, s) in &p.variants {
                    enc.array(2)
                        .and_then(|e| e.str(&lex.forms[*form as usize]))
                        .and_then(|e| e.array(u64::from(s.pages)))
                        .expect("writing to memory");
                    enc.writer_mut().extend_from_slice(&s.bytes);
                }
            }
            (
                format!("{lang}_{}", format::full_hash(&bytes)),
                format::compress(&bytes, opts.level),
            )
        })
        .collect();
    let mut names = Names::for_chunks_and_filters();
    let files = encoded
        .into_iter()
        .zip(&mut meta)
        .map(|((hash, bytes), m)| {
            m.hash = names.take(lang, &hash);
            (format!("index/{}.pf_index", m.hash), bytes)
        })
        .collect();
    (meta, files)
}

/// The first characters of `a` and of `b` up to and including the first that differ.
fn prefixes(a: &str, b: &str) -> (String, String) {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (
        a.chars().take(common + 1).collect(),
        b.chars().take(common + 1).collect(),
    )
}

/// One file per filter: its values in byte order, each with its pages.
fn filters(
    records: &[&Record],
    kept: &[usize],
    lang: &str,
    level: u32,
) -> (Vec<MetaFilter>, Vec<(String, Vec<u8>)>) {
    let mut map: BTreeMap<&str, BTreeMap<&str, Vec<u64>>> = BTreeMap::new();
    for (page, &i) in kept.iter().enumerate() {
        for (filter, values) in &records[i].filters {
            for v in values {
                map.entry(filter)
                    .or_default()
                    .entry(v)
                    .or_default()
                    .push(page as u64);
            }
        }
    }
    let mut names = Names::for_chunks_and_filters();
    map.into_iter()
        .map(|(filter, values)| {
            let bytes = format::encode(&format::FilterIndex {
                filter: filter.to_string(),
                values: values
                    .into_iter()
                    .map(|(value, pages)| format::PackedValue {
                        value: value.to_string(),
                        pages,
                    })
                    .collect(),
            });
            let hash = names.take(lang, &format!("{lang}_{}", format::full_hash(&bytes)));
            (
                MetaFilter {
                    filter: filter.to_string(),
                    hash: hash.clone(),
                },
                (
                    format!("filter/{hash}.pf_filter"),
                    format::compress(&bytes, level),
                ),
            )
        })
        .unzip()
}

/// See `Bundle::common`.
fn common_words(
    vocab: &Vocabulary,
    lex: &Lexicon,
    postings: &[Option<Postings>],
    pages: usize,
) -> Vec<String> {
    let common = |word: u32| {
        postings[word as usize]
            .as_ref()
            .is_some_and(|p| p.main.pages as usize * 2 > pages)
    };
    // Words of the metadata count too: a reader may type "pelayanan" whose stem is on every
    // page while the texts only say "layanan".
    let text = vocab
        .text_words
        .iter()
        .enumerate()
        .map(|(id, w)| (*w, lex.text(id as u32).iter().map(|e| e.word).collect()));
    let meta = vocab
        .meta_words
        .iter()
        .enumerate()
        .map(|(id, w)| (*w, lex.meta(id as u32).iter().map(|e| e.word).collect()));
    let mut out = BTreeSet::new();
    for (w, words) in text.chain(meta) {
        let words: Vec<u32> = words;
        if !words.is_empty() && words.iter().all(|&w| common(w)) {
            let typed = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if !typed.is_empty() {
                out.insert(typed);
            }
        }
    }
    out.into_iter().collect()
}
