//! A previous build's search bundle, taken over when nothing it is made from changed (a
//! template, a stylesheet or a book edit): the files are linked, not rebuilt, so they stay
//! byte for byte the same, and building the index costs nothing.
//!
//! The bundle carries `lontara.json`: a hash of everything the index is made from (every
//! record, the language, the writer's settings, Lontara's and Pagefind's versions) and what
//! the search page needs to know of the index. A build whose hash matches reuses the folder.

use super::search::{self, BUNDLE_DIR, Indexed, Record};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The bundle's own description, beside Pagefind's files.
pub const STAMP: &str = "lontara.json";

#[derive(Serialize, Deserialize)]
struct Stamp {
    key: String,
    files: usize,
    common: Vec<String>,
    sorts: BTreeMap<String, String>,
    preload: search::Preload,
}

/// The hash of everything the bundle is made from.
pub fn key(records: &[Record], lang: &str) -> String {
    let mut h = Sha1::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(env!("CARGO_PKG_VERSION"));
    put(crate::bundle::PAGEFIND_VERSION);
    put(&format!("{:?}", search::options()));
    put(lang);
    for r in records {
        let p = &r.page;
        put(&p.url);
        put(&p.content);
        put(&format!("{:?}{:?}{:?}", p.meta, p.filters, r.year));
    }
    crate::bundle::format::hex(&h.finalize())
}

/// The search bundle of this build and what the search page shows of it.
pub struct Bundle {
    /// Files to take over from the previous build (path in the site, file), none when the
    /// bundle was made by this build.
    pub previous: Vec<(String, PathBuf)>,
    /// How many files the bundle has (without the stamp).
    pub files: usize,
    pub common: Vec<String>,
    pub sorts: BTreeMap<String, String>,
    pub preload: search::Preload,
    /// `lontara.json`, path in the site and bytes.
    pub stamp: (String, Vec<u8>),
}

impl Bundle {
    /// A bundle this build wrote.
    pub fn made(indexed: Indexed, key: String) -> Bundle {
        let stamp = stamp(
            &key,
            indexed.files,
            &indexed.common,
            &indexed.sorts,
            &indexed.preload,
        );
        Bundle {
            previous: Vec::new(),
            files: indexed.files,
            common: indexed.common,
            sorts: indexed.sorts,
            preload: indexed.preload,
            stamp,
        }
    }
}

/// The bundle under `site` (a previous build's output) if it was made from `key`.
pub fn previous(site: &Path, key: &str) -> Option<Bundle> {
    let dir = site.join(BUNDLE_DIR);
    let stamp: Stamp = serde_json::from_slice(&std::fs::read(dir.join(STAMP)).ok()?).ok()?;
    if stamp.key != key {
        return None;
    }
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.ok()?;
        if e.file_type().is_dir() {
            continue;
        }
        // Anything but a plain file (a link someone put there) means it is not ours.
        if !e.file_type().is_file() {
            return None;
        }
        let rel = e
            .path()
            .strip_prefix(&dir)
            .ok()?
            .to_str()?
            .replace('\\', "/");
        if rel != STAMP {
            files.push((format!("{BUNDLE_DIR}/{rel}"), e.into_path()));
        }
    }
    // A folder with files missing or added since is built again.
    if files.len() != stamp.files {
        return None;
    }
    let made = self::stamp(
        key,
        files.len(),
        &stamp.common,
        &stamp.sorts,
        &stamp.preload,
    );
    Some(Bundle {
        files: files.len(),
        previous: files,
        common: stamp.common,
        sorts: stamp.sorts,
        preload: stamp.preload,
        stamp: made,
    })
}

fn stamp(
    key: &str,
    files: usize,
    common: &[String],
    sorts: &BTreeMap<String, String>,
    preload: &search::Preload,
) -> (String, Vec<u8>) {
    let s = Stamp {
        key: key.to_string(),
        files,
        common: common.to_vec(),
        sorts: sorts.clone(),
        preload: preload.clone(),
    };
    (
        format!("{BUNDLE_DIR}/{STAMP}"),
        serde_json::to_vec(&s).expect("serialisable"),
    )
}
