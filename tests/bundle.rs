//! Lontara writes Pagefind's index itself (`src/bundle/`). These tests hold it to Pagefind's
//! own indexer: from the same records, with Pagefind's settings, every file must be the same
//! once decompressed (the gzip level differs). A Pagefind version that changes its format,
//! how it reads words or its browser files fails here, naming the first file that differs.

use lontara::bundle::{self, Record, format};
use lontara::commands::{self, BuildOptions};
use lontara::site::{search, theme::Theme, views::ViewBuilder};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The repository's own catalogue, as the site indexes it.
fn catalogue_records() -> Vec<Record> {
    let opts = BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        out: None,
        base_url: None,
        drafts: false,
        this_year: 2026,
    };
    let checked = commands::check(&opts);
    let cat = checked
        .catalogue
        .expect("the repository's catalogue is valid");
    let theme = Theme::load(&opts.root, "default", checked.config.site.language).unwrap();
    let vb = ViewBuilder::new(&checked.config, &cat, &theme);
    search::records(&cat, &vb)
        .into_iter()
        .map(|r| r.page)
        .collect()
}

fn record(url: &str, content: &str, meta: &[(&str, &str)], filters: &[(&str, &[&str])]) -> Record {
    Record {
        url: url.into(),
        content: content.into(),
        meta: meta
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect(),
    }
}

/// Words Pagefind splits, folds or skips in its own ways.
fn awkward_records() -> Vec<Record> {
    vec![
        record(
            "/a/",
            "Café kopi café CAFÉ Déjà-vu naïve e-KTP SiMira eKinerja v2.0 www.inovasi.go.id \
             sysconfig.is_python_build snake_case Rp1.000.000 2.500 (Dinkes) — &amp; &lt;b&gt; \
             Jum'at anak-anak SIPENA/SIMIRA 🙂 👍🏽 x\u{200B}y \u{200B} ___x___ 100% #tagar @akun",
            &[
                ("title", "Café Déjà Vu"),
                ("agency", "Dinas Pariwisata & Kebudayaan"),
            ],
            &[("tahun", &["2020"]), ("sektor", &["Ekonomi", "Pariwisata"])],
        ),
        record(
            "/b/",
            "pelayanan melayani layanan dilayani pelayanannya kesehatan sehat menyehatkan café",
            &[("title", "Pelayanan Sehat"), ("aliases", "café, kafe")],
            &[("tahun", &["2019"])],
        ),
        // No word in the text: Pagefind leaves the page out, metadata and all, and so lists
        // its metadata field nowhere.
        record(
            "/c/",
            "— & …",
            &[("title", "Kosong"), ("only_here", "x")],
            &[],
        ),
        record("/d/", "", &[("title", "Hampa")], &[("tahun", &["2018"])]),
        record(
            "/e/",
            "Ümlaut über straße İstanbul ǅemal ﬁnance Ωmega",
            &[("former", "Über Alles")],
            &[],
        ),
    ]
}

/// Pagefind's indexer on `records`: bundle path → bytes.
fn pagefind_files(records: &[Record]) -> BTreeMap<String, Vec<u8>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language("id".into())
            .build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        for r in records {
            index
                .add_custom_record(
                    r.url.clone(),
                    r.content.clone(),
                    "id".into(),
                    Some(r.meta.clone()),
                    Some(r.filters.clone()),
                    None,
                )
                .await
                .unwrap();
        }
        index
            .get_files()
            .await
            .unwrap()
            .into_iter()
            .map(|f| (bundle::bundle_relative(&f.filename).unwrap(), f.contents))
            .collect()
    })
}

/// This crate's bundle with Pagefind's settings, and its files.
fn ours(records: &[Record]) -> (bundle::Bundle, Vec<(String, Vec<u8>)>) {
    let files = bundle::InMemory::default();
    let b = bundle::write(records, "id", &bundle::Options::pagefind(), &|p, b| {
        files.put(p, b)
    })
    .unwrap();
    (b, files.into_files())
}

fn assert_same_bundle(records: &[Record]) {
    let theirs = pagefind_files(records);
    let ours: BTreeMap<String, Vec<u8>> = ours(records).1.into_iter().collect();
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs), "the same files");
    for (name, theirs) in &theirs {
        let ours = &ours[name];
        if name.ends_with(".pf_meta")
            || name.ends_with(".pf_index")
            || name.ends_with(".pf_filter")
            || name.ends_with(".pf_fragment")
        {
            let (ours, theirs) = (
                format::decompress(ours).unwrap(),
                format::decompress(theirs).unwrap(),
            );
            if ours != theirs && name.ends_with(".pf_index") {
                let o: format::WordIndex = format::decode(&ours).unwrap();
                let t: format::WordIndex = format::decode(&theirs).unwrap();
                for (o, t) in o.words.iter().zip(&t.words) {
                    assert_eq!(o, t, "{name}");
                }
            }
            assert!(
                ours == theirs,
                "{name} differs:\n ours   {}\n theirs {}",
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        } else {
            assert!(ours == theirs, "{name} differs");
        }
    }
}

#[test]
fn awkward_words_are_indexed_as_pagefind_indexes_them() {
    assert_same_bundle(&awkward_records());
}

#[test]
fn the_catalogue_is_indexed_as_pagefind_indexes_it() {
    // Eight copies of the catalogue under other addresses: enough words for several chunks.
    let base = catalogue_records();
    let mut records = Vec::new();
    for copy in 0..8 {
        for r in &base {
            let mut r = r.clone();
            r.url = format!("{}{copy}/", r.url);
            records.push(r);
        }
    }
    records.extend(awkward_records());
    let (_, files) = ours(&records);
    let chunks = files.iter().filter(|(n, _)| n.starts_with("index/"));
    assert!(chunks.count() > 1, "several chunks");
    assert_same_bundle(&records);
}

#[test]
fn the_pagefind_version_is_the_one_the_writer_knows() {
    let b = ours(&awkward_records()).0;
    assert_eq!(
        b.version,
        bundle::PAGEFIND_VERSION,
        "Pagefind was bumped: check that this file's tests pass, then update PAGEFIND_VERSION"
    );
}

#[test]
fn records_without_words_have_no_page() {
    let b = ours(&awkward_records()).0;
    let has_page: Vec<bool> = b.pages.iter().map(Option::is_some).collect();
    assert_eq!(has_page, [true, true, false, false, true]);
}
