//! The index proper: each word's pages as they will be written, then cut into chunks (the
//! files a search downloads, one for the words it looks up), and the words too common to be
//! worth downloading.

use super::format::{self, MetaChunk, Names};
use super::lexicon::{Lexicon, PLAIN};
use super::pages::{PageEntry, Vocabulary};
use super::{Chunks, Options};
use rayon::prelude::*;
use std::collections::BTreeSet;

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
pub struct Postings {
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

    pub fn add(&mut self, e: &PageEntry, page: u64, encoded: &[u8]) {
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
pub fn chunks(
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

/// See `Bundle::common`.
pub fn common_words(
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
    let text = vocab.text_words.iter().enumerate().map(|(id, w)| {
        (
            w.as_ref(),
            lex.text(id as u32).iter().map(|e| e.word).collect(),
        )
    });
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
