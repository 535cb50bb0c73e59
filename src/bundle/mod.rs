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

mod filters;
pub mod format;
pub mod lexicon;
mod pages;
mod words;

use format::{MetaIndex, MetaPage, Names};
use lexicon::Lexicon;
use pages::{Page, Vocabulary};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use words::Postings;

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

/// Takes each file of the bundle as soon as it is made: its path below the bundle folder
/// and its bytes. Called from several threads.
pub type Emit<'a> = &'a (dyn Fn(&str, Vec<u8>) -> Result<(), String> + Sync);

pub struct Bundle {
    /// Pagefind's version, as its browser code reads it.
    pub version: String,
    /// How many files were emitted.
    pub files: usize,
    /// Per record, the name Pagefind's script gives its result (`result.id`); None for a
    /// record without a word to index, which Pagefind leaves out too.
    pub pages: Vec<Option<String>>,
    /// Words of the text (lowercase, as a reader types them) each of whose indexed forms is
    /// on more than half of the pages, sorted. They narrow a search down by next to nothing,
    /// and their parts of the index are the largest there are.
    pub common: Vec<String>,
}

/// Writes the bundle for `records`, in the language `lang` (its stemmer and wasm), handing
/// each file to `emit` as soon as it is made (fragments while later pages are still read).
pub fn write<R: AsRef<Record> + Sync>(
    records: &[R],
    lang: &str,
    opts: &Options,
    emit: Emit,
) -> Result<Bundle, String> {
    let records: Vec<&Record> = records.iter().map(AsRef::as_ref).collect();
    let vocab = Vocabulary::of(&records);
    let text: Vec<&str> = vocab.text_words.iter().map(AsRef::as_ref).collect();
    let lex = Lexicon::learn(&text, &vocab.meta_words, lang)?;
    // Pagefind numbers only the pages it keeps, and lists only their metadata fields.
    let kept: Vec<usize> = (0..records.len())
        .into_par_iter()
        .filter(|&i| vocab.indexed(records[i], &lex))
        .collect();
    let meta_fields: Vec<&str> = kept
        .iter()
        .flat_map(|&i| records[i].meta.keys().map(String::as_str))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let count = std::sync::atomic::AtomicUsize::new(0);
    let emit = |path: &str, bytes: Vec<u8>| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        emit(path, bytes)
    };

    let mut postings: Vec<Option<Postings>> = Vec::new();
    postings.resize_with(lex.words.len(), || None);
    let mut page_names = vec![None; records.len()];
    let mut meta_pages = Vec::with_capacity(kept.len());
    let mut names = Names::for_fragments();
    // In batches, so a large catalogue never holds every page's words at once.
    for (b, batch) in kept.chunks(1024).enumerate() {
        let pages: Vec<Page> = batch
            .par_iter()
            .map(|&i| Page::read(records[i], &vocab, &lex, &meta_fields, lang, opts))
            .collect();
        let mut fragments = Vec::with_capacity(pages.len());
        for (i, page) in pages.into_iter().enumerate() {
            let number = (b * 1024 + i) as u64;
            for e in &page.entries {
                postings[e.word as usize]
                    .get_or_insert_with(Postings::default)
                    .add(e, number, &page.arena[e.start as usize..e.end as usize]);
            }
            let name = names.take(lang, &page.hash);
            meta_pages.push(MetaPage {
                hash: name.clone(),
                word_count: if opts.rounded_lengths {
                    two_digits(page.word_count)
                } else {
                    page.word_count
                },
                group_hash: String::new(),
            });
            fragments.push((format!("fragment/{name}.pf_fragment"), page.fragment));
            page_names[batch[i]] = Some(name);
        }
        fragments
            .into_par_iter()
            .try_for_each(|(path, bytes)| emit(&path, bytes))?;
    }

    let common = words::common_words(&vocab, &lex, &postings, kept.len());
    let (index_chunks, chunk_files) = words::chunks(&lex, postings, lang, opts);
    chunk_files
        .into_par_iter()
        .try_for_each(|(path, bytes)| emit(&path, bytes))?;
    let (meta_filters, filter_files) = filters::filters(&records, &kept, lang, opts.level);
    for (path, bytes) in filter_files {
        emit(&path, bytes)?;
    }
    let meta = format::encode(&MetaIndex {
        version: lex.runtime.version.clone(),
        pages: meta_pages,
        index_chunks,
        filters: meta_filters,
        sorts: Vec::new(),
        meta_fields: meta_fields.iter().map(|f| f.to_string()).collect(),
    });
    let meta_name = format!("{lang}_{}", &format::full_hash(&meta)[..lang.len() + 8]);
    // Every search loads this one: compressed as well as gzip can.
    emit(
        &format!("pagefind.{meta_name}.pf_meta"),
        format::compress(&meta, 9),
    )?;
    let mut entry = lex.runtime.entry.clone();
    let language = entry
        .languages
        .get_mut(lang)
        .ok_or("Pagefind's entry file does not name the language")?;
    language.hash = meta_name;
    language.page_count = kept.len();
    emit(
        "pagefind-entry.json",
        serde_json::to_vec(&entry).expect("serialisable"),
    )?;
    for (path, bytes) in &lex.runtime.files {
        emit(path, bytes.clone())?;
    }
    Ok(Bundle {
        version: lex.runtime.version.clone(),
        files: count.into_inner(),
        pages: page_names,
        common,
    })
}

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

/// Files kept in memory as they are emitted (tests, `serve`).
#[derive(Default)]
pub struct InMemory(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl InMemory {
    pub fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.0
            .lock()
            .map_err(|_| "a writer failed".to_string())?
            .push((path.to_string(), bytes));
        Ok(())
    }

    /// The files, by path.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
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
