//! Pagefind's file format (version 1.x), as its indexer writes it and its browser code reads
//! it: the CBOR structures, how word positions are packed, how files are named and
//! compressed. Pagefind does not document this format; every rule here mirrors its indexer
//! (`pagefind/src/index/`, `src/output/`) and `tests/bundle.rs` checks, file by file, that
//! this crate's bundle equals the one Pagefind's own indexer writes from the same records.

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use minicbor::{Decode, Encode};
use sha1::{Digest, Sha1};
use std::io::{Read, Write};

/// Every compressed file starts with this, once decompressed; the browser checks it.
const SIGNATURE: &[u8] = b"pagefind_dcd";

/// `pagefind.<hash>.pf_meta`: loaded first by every search.
#[derive(Encode, Decode, Debug, PartialEq)]
pub struct MetaIndex {
    #[n(0)]
    pub version: String,
    #[n(1)]
    pub pages: Vec<MetaPage>,
    #[n(2)]
    pub index_chunks: Vec<MetaChunk>,
    #[n(3)]
    pub filters: Vec<MetaFilter>,
    #[n(4)]
    pub sorts: Vec<MetaSort>,
    #[n(5)]
    pub meta_fields: Vec<String>,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct MetaPage {
    #[n(0)]
    pub hash: String,
    #[n(1)]
    pub word_count: u32,
    #[n(2)]
    pub group_hash: String,
}

/// The index chunk holding the words that sort between `from` and `to`.
#[derive(Encode, Decode, Debug, PartialEq)]
pub struct MetaChunk {
    #[n(0)]
    pub from: String,
    #[n(1)]
    pub to: String,
    #[n(2)]
    pub hash: String,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct MetaFilter {
    #[n(0)]
    pub filter: String,
    #[n(1)]
    pub hash: String,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct MetaSort {
    #[n(0)]
    pub sort: String,
    #[n(1)]
    pub pages: Vec<u64>,
}

/// `index/<hash>.pf_index`. Page numbers in `pages` are deltas from the previous page.
#[derive(Encode, Decode, Debug, PartialEq)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A form of a word with diacritics ("café" of "cafe"), with its own pages.
#[derive(Encode, Decode, Debug, PartialEq)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct PackedPage {
    #[n(0)]
    pub page_number: u64,
    #[n(1)]
    pub locs: Vec<i32>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}

/// `filter/<hash>.pf_filter`: one filter, its values (sorted) and their pages.
#[derive(Encode, Decode, Debug, PartialEq)]
pub struct FilterIndex {
    #[n(0)]
    pub filter: String,
    #[n(1)]
    pub values: Vec<PackedValue>,
}

#[derive(Encode, Decode, Debug, PartialEq)]
pub struct PackedValue {
    #[n(0)]
    pub value: String,
    #[n(1)]
    pub pages: Vec<u64>,
}

/// `fragment/<hash>.pf_fragment`: what a result shows, as JSON. Field order matters: the
/// page's hash is taken over these bytes.
#[derive(serde::Serialize)]
pub struct Fragment<'a> {
    pub url: &'a str,
    pub content: &'a str,
    pub word_count: usize,
    pub filters: &'a std::collections::BTreeMap<String, Vec<String>>,
    pub meta: &'a std::collections::BTreeMap<String, String>,
    pub anchors: [(); 0],
}

/// Weights are stored ×24: a plain word weighs 24.
pub const PLAIN_WEIGHT: u8 = 24;

/// A word's positions on a page, with their weights: grouped by weight (the weight Pagefind
/// treats as most common first), delta-encoded, a change of weight written as `-(w+1)`
/// followed by an absolute position.
pub fn pack_locs(positions: &mut [(u32, u8)]) -> Vec<i32> {
    // Pagefind's comment says weight 1 is "encoded as 25"; it is 24, so every word starts
    // with a weight marker. Kept as is: this must match what its indexer writes.
    positions.sort_unstable_by_key(|&(pos, w)| (if w == 25 { 0 } else { w }, pos));
    let mut out = Vec::with_capacity(positions.len() + 2);
    let (mut current, mut last) = (25u8, 0u32);
    for &(pos, w) in positions.iter() {
        if w != current {
            out.push(-i32::from(w) - 1);
            out.push(pos as i32);
            current = w;
        } else {
            out.push((pos - last) as i32);
        }
        last = pos;
    }
    out
}

/// The inverse of `pack_locs`: (position, weight) pairs.
pub fn unpack_locs(locs: &[i32]) -> Vec<(u32, u8)> {
    let mut out = Vec::with_capacity(locs.len());
    let (mut weight, mut last) = (25u8, 0u32);
    let mut it = locs.iter();
    while let Some(&v) = it.next() {
        if v < 0 {
            weight = (-v - 1) as u8;
            last = it.next().map_or(0, |&p| p as u32);
        } else {
            last += v as u32;
        }
        out.push((last, weight));
    }
    out
}

/// Positions of a word in the metadata: `-(field+1)` starts a field's positions, which are
/// delta-encoded from 0.
pub fn pack_meta_locs(positions: &mut [(u16, u32)]) -> Vec<i32> {
    positions.sort_unstable();
    let mut out = Vec::with_capacity(positions.len() + 2);
    let (mut field, mut last) = (None, 0u32);
    for &(f, pos) in positions.iter() {
        if field != Some(f) {
            out.push(-i32::from(f) - 1);
            field = Some(f);
            last = 0;
        }
        out.push((pos - last) as i32);
        last = pos;
    }
    out
}

/// The inverse of `pack_meta_locs`: (field, position) pairs.
pub fn unpack_meta_locs(locs: &[i32]) -> Vec<(u16, u32)> {
    let (mut field, mut last) = (0u16, 0u32);
    let mut out = Vec::with_capacity(locs.len());
    for &v in locs {
        if v < 0 {
            field = (-v - 1) as u16;
            last = 0;
        } else {
            last += v as u32;
            out.push((field, last));
        }
    }
    out
}

/// SHA-1 in hexadecimal as Pagefind writes it: each byte without its leading zero.
pub fn full_hash(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(40);
    for b in Sha1::digest(bytes) {
        let _ = write!(out, "{b:x}");
    }
    out
}

/// Lowercase hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Picks unique short names the way Pagefind does for each kind of file: the name starts as
/// `<lang>_` and seven hexadecimal digits, and grows on a collision (by one character for
/// fragments, by two for chunks and filters: an off-by-one in Pagefind, kept because it
/// decides names).
pub struct Names {
    taken: std::collections::HashSet<String>,
    step: usize,
}

impl Names {
    pub fn for_fragments() -> Names {
        Names::new(1)
    }
    pub fn for_chunks_and_filters() -> Names {
        Names::new(2)
    }
    fn new(step: usize) -> Names {
        Names {
            taken: Default::default(),
            step,
        }
    }
    /// `hash` is `<lang>_<full hash>`.
    pub fn take(&mut self, lang: &str, hash: &str) -> String {
        let mut len = (lang.len() + 8).min(hash.len());
        while self.taken.contains(&hash[..len]) && len < hash.len() {
            len = (len + self.step).min(hash.len());
        }
        let name = hash[..len].to_string();
        self.taken.insert(name.clone());
        name
    }
}

/// Compressed as Pagefind's browser code expects. `level` 6 makes files about 1% larger than
/// Pagefind's 9, in about half the time.
pub fn compress(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut gz = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        Compression::new(level),
    );
    gz.write_all(SIGNATURE)
        .and_then(|_| gz.write_all(bytes))
        .expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// The bytes of a compressed bundle file, without its signature.
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| format!("not a compressed Pagefind file: {e}"))?;
    match out.strip_prefix(SIGNATURE) {
        Some(rest) => Ok(rest.to_vec()),
        None => Err("a Pagefind file without its signature".into()),
    }
}

pub fn encode<T: Encode<()>>(value: &T) -> Vec<u8> {
    minicbor::to_vec(value).expect("writing to memory")
}

pub fn decode<'b, T: Decode<'b, ()>>(bytes: &'b [u8]) -> Result<T, String> {
    minicbor::decode(bytes).map_err(|e| format!("unexpected Pagefind data: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locs_round_trip_with_weight_changes() {
        let mut p = vec![(7, 24), (2, 24), (5, 12), (9, 0)];
        let packed = pack_locs(&mut p);
        assert_eq!(packed, [-1, 9, -13, 5, -25, 2, 5]);
        let mut back = unpack_locs(&packed);
        back.sort();
        assert_eq!(back, [(2, 24), (5, 12), (7, 24), (9, 0)]);
    }

    #[test]
    fn meta_locs_round_trip() {
        let mut p = vec![(3, 4), (0, 1), (0, 0)];
        let packed = pack_meta_locs(&mut p);
        assert_eq!(packed, [-1, 0, 1, -4, 4]);
        assert_eq!(unpack_meta_locs(&packed), [(0, 0), (0, 1), (3, 4)]);
    }

    #[test]
    fn hashes_drop_leading_zeros_of_each_byte() {
        // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d
        assert_eq!(full_hash(b"abc"), "a9993e36476816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn names_grow_on_collision() {
        let mut n = Names::for_fragments();
        assert_eq!(n.take("id", "id_1234567890"), "id_1234567");
        assert_eq!(n.take("id", "id_1234567abc"), "id_1234567a");
        let mut f = Names::for_chunks_and_filters();
        f.take("id", "id_1234567890");
        assert_eq!(f.take("id", "id_1234567abc"), "id_1234567ab");
    }

    #[test]
    fn compressed_files_round_trip() {
        assert_eq!(decompress(&compress(b"xyz", 6)).unwrap(), b"xyz");
    }
}
