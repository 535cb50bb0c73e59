//! The built website: pages exist, link correctly, list and sort what they should, escape
//! what editors write, and builds are atomic and deterministic.

mod common;
use common::*;

#[test]
fn builds_every_kind_of_page() {
    let f = Fixture::new();
    let b = f.build_ok();
    assert_eq!(b.entries, 4);
    for rel in [
        "index.html",
        "404.html",
        "style.css",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "data/inovasi.json",
        "data/inovasi.csv",
        "inovasi/index.html",
        "inovasi/sipena/index.html",
        "inovasi/anc-hipnoterapi/foto.png",
        "perangkat-daerah/index.html",
        "perangkat-daerah/dinkes/index.html",
        "penghargaan/index.html",
        "penghargaan/kipp-provinsi-2020-top-30/index.html",
        "tahun/index.html",
        "tahun/2019/index.html",
        "sektor/index.html",
        "sektor/kesehatan/index.html",
        "tentang/index.html",
    ] {
        assert!(f.out().join(rel).is_file(), "missing {rel}");
    }
}

#[test]
fn innovation_page_shows_its_record() {
    let f = Fixture::new();
    f.build_ok();
    let html = f.read("inovasi/sipena/index.html");
    assert!(html.contains("<h1>SIPENA</h1>"));
    assert!(html.contains("Sistem Informasi Pemetaan Bencana"));
    assert!(html.contains("href=\"/perangkat-daerah/dinkes/\">Dinas Kesehatan</a> (Dinkes)"));
    assert!(html.contains("href=\"/penghargaan/kipp-provinsi-2020-top-30/\""));
    assert!(html.contains("Mujahid"));
    assert!(
        html.contains("9 Februari 2021"),
        "source dates are written out in Indonesian"
    );
    assert!(html.contains("<h2 id=\"bagian-latar-belakang\">Latar Belakang</h2>"));
    assert!(html.contains("\"@type\":\"GovernmentService\""));
    assert!(html.contains(
        "<meta property=\"og:title\" content=\"SIPENA: Sistem Informasi Pemetaan Bencana\">"
    ));
}

#[test]
fn missing_fields_show_as_not_recorded() {
    let f = Fixture::new();
    f.write(
        "content/innovations/kelas-buby.md",
        "---\nacronym: Kelas Buby\nagency: dinkes\n---\n",
    );
    f.build_ok();
    let html = f.read("inovasi/kelas-buby/index.html");
    assert_eq!(
        html.matches("belum tercatat").count(),
        4,
        "expansion, innovator, start year, summary"
    );
}

#[test]
fn agency_alias_resolves_and_agency_page_lists_in_collation_order() {
    let f = Fixture::new();
    f.write(
        "content/innovations/simira-b.md",
        "---\nacronym: SIMIRA B\nagency: dinkes\n---\n",
    );
    f.write(
        "content/innovations/sidora.md",
        "---\nacronym: sidora emang\nagency: dinkes\n---\n",
    );
    f.build_ok();
    let html = f.read("perangkat-daerah/dinkes/index.html");
    assert!(
        html.contains("<strong>5</strong> inovasi"),
        "count on the agency page"
    );
    let order: Vec<usize> = [
        "ANC Hipnoterapi",
        "sidora emang",
        "Si Mira",
        "SIMIRA B",
        "SIPENA",
    ]
    .iter()
    .map(|a| {
        html.find(&format!(">{a}</a></h2>"))
            .unwrap_or_else(|| panic!("{a} not listed"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "collation order: {order:?}"
    );
    assert!(
        !html.contains(">Hypnogreen<"),
        "another agency's entry is not listed"
    );
}

#[test]
fn replication_links_go_both_ways() {
    let f = Fixture::new();
    f.build_ok();
    assert!(f.read("inovasi/hypnogreen/index.html").contains(
        "Replikasi dari</dt><dd><a href=\"/inovasi/anc-hipnoterapi/\">ANC Hipnoterapi</a>"
    ));
    assert!(
        f.read("inovasi/anc-hipnoterapi/index.html")
            .contains("Direplikasi oleh</dt><dd><a href=\"/inovasi/hypnogreen/\">Hypnogreen</a>")
    );
}

#[test]
fn award_page_lists_exactly_its_winners() {
    let f = Fixture::new();
    f.build_ok();
    let html = f.read("penghargaan/kipp-provinsi-2020-top-30/index.html");
    assert!(html.contains("KIPP Provinsi 2020 · Top 30"));
    assert!(html.contains(">SIPENA</a></h2>"));
    assert!(!html.contains(">ANC Hipnoterapi</a></h2>"));
}

#[test]
fn sub_path_base_url_prefixes_every_link() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[site]\ntitle = \"K\"\nbase_url = \"https://contoh.go.id/katalog/\"\n",
    );
    let b = f.build().unwrap_or_else(|_| panic!("build failed"));
    assert_links_ok(&b.out, "/katalog/");
    let html = f.read("inovasi/sipena/index.html");
    assert!(html.contains("href=\"/katalog/style.css\""));
    assert!(
        html.contains("href=\"/katalog/inovasi/si-mira/\""),
        "root links in Markdown get the base path"
    );
    assert!(
        html.contains("action=\"/katalog/cari/\""),
        "the header form too"
    );
    assert!(
        f.read("cari/index.html")
            .contains("\"bundle\":\"/katalog/pagefind/\""),
        "and the search index"
    );
    assert!(
        f.read("sitemap.xml")
            .contains("<loc>https://contoh.go.id/katalog/inovasi/sipena/</loc>")
    );
}

#[test]
fn long_lists_are_paginated() {
    let f = Fixture::new();
    f.write("book.toml", "[site]\ntitle = \"K\"\nper_page = 2\n");
    f.build_ok();
    assert!(f.out().join("inovasi/halaman/2/index.html").is_file());
    assert!(!f.out().join("inovasi/halaman/3/index.html").exists());
    assert!(
        f.read("inovasi/index.html")
            .contains("href=\"/inovasi/halaman/2/\"")
    );
}

#[test]
fn english_ui_is_chosen_in_book_toml() {
    let f = Fixture::new();
    f.write("book.toml", "[site]\ntitle = \"K\"\nlanguage = \"en\"\n");
    f.build_ok();
    let html = f.read("inovasi/sipena/index.html");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Agency"));
    assert!(html.contains("9 February 2021"));
    assert!(html.contains("placeholder=\"Search innovations…\""));
    let search = f.read("cari/index.html");
    assert!(search.contains("<h1>Search innovations</h1>"), "{search}");
    assert!(search.contains("\"search_empty\":\"No innovation matches “{q}”.\""));
}

#[test]
fn search_page_index_and_header_form() {
    let f = Fixture::new();
    f.build_ok();
    // Every page has the header form, leading to /cari/ with ?q=.
    for page in [
        "index.html",
        "inovasi/sipena/index.html",
        "tentang/index.html",
        "404.html",
    ] {
        let html = f.read(page);
        assert!(
            html.contains(
                "<form class=\"header-search needs-js\" role=\"search\" action=\"/cari/\" method=\"get\">"
            ) && html.contains("name=\"q\""),
            "{page}"
        );
    }
    // The search page's script gets the facets with catalogue-wide counts, the same numbers
    // as the browsing pages, before any index data is loaded; a filter without values (no
    // entry has a stage) is left out.
    let search = f.read("cari/index.html");
    let config = search
        .split("<script type=\"application/json\" id=\"cari-config\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let config: serde_json::Value = serde_json::from_str(config).unwrap();
    let facet = |key: &str| {
        config["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .map(|f| f["values"].clone())
    };
    assert_eq!(
        facet("perangkat").unwrap(),
        serde_json::json!([
            ["Dinas Kesehatan (Dinkes)", 3],
            ["Dinas Pendidikan dan Kebudayaan (Disdikbud)", 1]
        ])
    );
    let agency = f.read("perangkat-daerah/dinkes/index.html");
    assert!(agency.contains("<strong>3</strong>"), "{agency}");
    assert_eq!(
        facet("penghargaan").unwrap(),
        serde_json::json!([
            ["KIPP Nasional 2018 · Top 40", 1],
            ["KIPP Provinsi 2020 · Top 30", 1]
        ])
    );
    assert_eq!(
        facet("tahun").unwrap()[0],
        serde_json::json!(["2021", 1]),
        "newest first"
    );
    assert_eq!(facet("tahap"), None);
    assert_eq!(config["bundle"], "/pagefind/");
    // The index's first two files are fetched with the page: the tag fixes the entry file's
    // address, and changes with the index.
    let tag = config["tag"].as_str().unwrap().to_string();
    assert_eq!(tag.len(), 16);
    assert!(search.contains(&format!(
        "<link rel=\"preload\" href=\"/pagefind/pagefind-entry.json?ts={tag}\" as=\"fetch\" crossorigin>"
    )));
    assert!(search.contains(
        "<link rel=\"preload\" href=\"/pagefind/wasm.id.pagefind\" as=\"fetch\" crossorigin>"
    ));
    // Without JavaScript: a notice and the browse pages, and no control that cannot work.
    assert!(search.contains("<noscript><style>.needs-js { display: none; }</style></noscript>"));
    assert!(search.contains("<form id=\"cari\" class=\"search needs-js\""));
    assert!(
        !search.contains("type=\"checkbox\""),
        "checkboxes are made by the script"
    );
    // The index is in the output, in Indonesian, one record per innovation.
    let entry: serde_json::Value =
        serde_json::from_str(&f.read("pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["id"]["page_count"], 4, "{entry}");
    assert!(f.out().join("pagefind/pagefind.js").is_file());
    assert!(f.out().join("pagefind/wasm.id.pagefind").is_file());
    assert!(
        !f.out().join("pagefind/pagefind-ui.js").exists(),
        "Pagefind's own UI is not used"
    );
    // Not for search engines.
    assert!(search.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!f.read("sitemap.xml").contains("/cari/"));
    // Another index, another tag.
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkes\nsummary: Lain.\n---\nIsi lain.\n",
    );
    f.build_ok();
    assert!(!f.read("cari/index.html").contains(&format!("?ts={tag}")));
}

#[test]
fn search_records_come_from_the_catalogue() {
    use lontara::site::{search, theme::Theme, views::ViewBuilder};
    let f = Fixture::new();
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkes\naliases: [SIMIRA]\nformer_names: [Si-Mira Lama]\nstart_year: 2020\nsector: kesehatan\nstage: uji-coba\nsummary: Ringkas <b>tebal</b>.\nexpansion: Sistem Mira\n---\nIsi **penting** di [sini](/x/).\n",
    );
    let checked = f.check();
    let cat = checked.catalogue.expect("valid fixture");
    let theme = Theme::load(f.root(), "default", checked.config.site.language).unwrap();
    let vb = ViewBuilder::new(&checked.config, &cat, &theme);
    let records = search::records(&cat, &vb);
    let r = records
        .iter()
        .find(|r| r.page.url == "/inovasi/si-mira/")
        .unwrap();
    assert_eq!(r.year, Some(2020), "the order by year");
    let r = &r.page;
    assert_eq!(r.meta["title"], "Si Mira");
    assert_eq!(
        r.meta["compact"], "simira simiralama",
        "every spelling, squeezed"
    );
    assert_eq!(r.meta["expansion"], "Sistem Mira");
    assert_eq!(r.meta["agency"], "Dinas Kesehatan");
    assert_eq!(r.filters["perangkat"], ["Dinas Kesehatan (Dinkes)"]);
    assert_eq!(r.filters["tahun"], ["2020"]);
    assert_eq!(r.filters["sektor"], ["Kesehatan"]);
    assert_eq!(r.filters["tahap"], ["Uji coba"]);
    assert!(
        !r.filters.contains_key("penghargaan"),
        "no award, no award filter"
    );
    // Summary and body as escaped plain text: no Markdown, no live HTML.
    assert!(
        r.content.contains("Ringkas &lt;b&gt;tebal&lt;/b&gt;."),
        "{}",
        r.content
    );
    assert!(r.content.contains("Isi penting di sini."), "{}", r.content);
    let sipena = &records
        .iter()
        .find(|r| r.page.url == "/inovasi/sipena/")
        .unwrap()
        .page;
    assert_eq!(
        sipena.filters["penghargaan"],
        ["KIPP Provinsi 2020 · Top 30"]
    );
    assert_eq!(sipena.filters["tingkat"], ["Provinsi"]);
    // The facet counts of /cari/ are counted from the same records.
    let counts = search::facet_counts(&records);
    assert_eq!(counts["perangkat"]["Dinas Kesehatan (Dinkes)"], 3);
}

#[test]
fn drafts_are_not_built() {
    let f = Fixture::new();
    f.write(
        "content/innovations/rahasia.md",
        "---\nacronym: Rahasia\nagency: dinkes\ndraft: true\n---\n",
    );
    f.build_ok();
    assert!(!f.out().join("inovasi/rahasia").exists());
    assert!(!f.read("data/inovasi.json").contains("Rahasia"));
}

#[test]
fn everything_an_editor_writes_is_escaped() {
    let f = Fixture::new();
    let evil = "<script>alert(1)</script>";
    f.write(
        "content/innovations/jahat.md",
        &format!("---\nacronym: \"X{evil}\"\nexpansion: \"\\\"><img src=x onerror=alert(2)>\"\nagency: dinkes\nsummary: \"</script><script>alert(3)</script>\"\ninnovator: \"=HYPERLINK(\\\"http://x\\\")\"\nsector: \"<b>s</b>\"\n---\n{evil}\n<iframe src=\"http://x\"></iframe>\n\n[k](javascript:alert(4))\n"),
    );
    f.build_ok();
    // HTML and XML must hold no live markup; JSON and CSV keep the exact text (they are data).
    for (rel, bytes) in snapshot(&f.out())
        .into_iter()
        .filter(|(r, _)| r.ends_with(".html") || r.ends_with(".xml"))
    {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{rel} contains a live script"
        );
        assert!(!text.contains("<img src=x"), "{rel} contains a live img");
        assert!(!text.contains("<iframe"), "{rel} contains a live iframe");
        assert!(
            !text.to_lowercase().contains("href=\"javascript:"),
            "{rel} contains a javascript: link"
        );
    }
    let csv = f.read("data/inovasi.csv");
    assert!(
        csv.contains("'=HYPERLINK"),
        "formulas are neutralised in the CSV"
    );
    let json: serde_json::Value = serde_json::from_str(&f.read("data/inovasi.json")).unwrap();
    assert!(
        json["innovations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["summary"] == "</script><script>alert(3)</script>"),
        "JSON keeps the exact text"
    );
}

#[test]
fn open_data_has_every_innovation_and_field() {
    let f = Fixture::new();
    f.build_ok();
    let json: serde_json::Value = serde_json::from_str(&f.read("data/inovasi.json")).unwrap();
    assert_eq!(json["count"], 4);
    let sipena = json["innovations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == "sipena")
        .unwrap();
    assert_eq!(sipena["agency_name"], "Dinas Kesehatan");
    assert_eq!(sipena["awards"][0]["rank"], "Top 30");
    assert_eq!(sipena["url"], "https://contoh.go.id/inovasi/sipena/");
    let csv = f.read("data/inovasi.csv");
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(r.records().count(), 4);
    assert!(csv.contains("KIPP Provinsi 2020 · Top 30"));
}

#[test]
fn feed_and_sitemap_are_well_formed() {
    let f = Fixture::new();
    f.build_ok();
    let feed = f.read("atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 4);
    assert!(
        feed.contains("<updated>2021-02-09T00:00:00Z</updated>"),
        "latest source date"
    );
    let sitemap = f.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://contoh.go.id/inovasi/hypnogreen/</loc>"));
    assert!(!sitemap.contains("404"));
    assert!(
        f.read("robots.txt")
            .contains("Sitemap: https://contoh.go.id/sitemap.xml")
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let f = Fixture::new();
    f.build_ok();
    let first = snapshot(&f.out());
    f.build_ok();
    assert_eq!(first, snapshot(&f.out()));
    // Into a fresh folder, so the search index is built again rather than taken over.
    let other = f.root().join("again");
    lontara::commands::build(&lontara::commands::BuildOptions {
        out: Some(other.clone()),
        ..f.opts()
    })
    .unwrap();
    assert_eq!(first, snapshot(&other));
}

#[cfg(unix)]
#[test]
fn a_rebuild_that_changes_nothing_indexed_takes_the_search_bundle_over() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new();
    f.build_ok();
    let bundle = |f: &Fixture| snapshot(&f.out().join("pagefind"));
    // Pagefind's files (not the folders, nor Lontara's own stamp, written each time).
    let inodes = |f: &Fixture| -> Vec<u64> {
        walkdir::WalkDir::new(f.out().join("pagefind"))
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file() && e.file_name() != "lontara.json")
            .map(|e| e.metadata().unwrap().ino())
            .collect()
    };
    let (before, files) = (bundle(&f), inodes(&f));
    let search = search_config(&f.read("cari/index.html"));
    // The site's description is on pages, not in the index.
    let toml = std::fs::read_to_string(f.root().join("book.toml")).unwrap();
    f.write(
        "book.toml",
        &toml.replace("Katalog untuk pengujian", "Katalog lain"),
    );
    f.build_ok();
    assert!(f.read("index.html").contains("Katalog lain"));
    assert_eq!(bundle(&f), before, "the same bytes");
    assert_eq!(inodes(&f), files, "the same files, not rebuilt");
    assert_eq!(search_config(&f.read("cari/index.html")), search);
    // A word of an entry changes: the index is built again.
    let sipena = f.root().join("content/innovations/sipena.md");
    let text = std::fs::read_to_string(&sipena).unwrap();
    f.write(
        "content/innovations/sipena.md",
        &text.replace("Peta bencana desa.", "Peta banjir desa."),
    );
    f.build_ok();
    let after = bundle(&f);
    assert_ne!(after["lontara.json"], before["lontara.json"]);
    assert!(
        after
            .keys()
            .any(|k| k.starts_with("fragment/") && !before.contains_key(k)),
        "a new fragment for the changed entry"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let f = Fixture::new();
    f.build_ok();
    let before = snapshot(&f.out());
    f.write(
        "content/innovations/rusak.md",
        "---\nacronym: Rusak\nagency: tidak-ada\n---\n",
    );
    assert!(f.build().is_err());
    assert_eq!(before, snapshot(&f.out()));
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lontara"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_catalogue_without_book_toml_or_theme_builds_with_the_built_in_theme() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/a.md",
        "---\nacronym: A\nagency: dinkes\n---\n",
    );
    f.build_ok();
    assert!(
        f.read("index.html")
            .contains("Katalog Inovasi Pelayanan Publik")
    );
}

#[test]
fn code_blocks_tables_and_footnotes_render() {
    let f = Fixture::new();
    f.write("content/innovations/kode.md", "---\nacronym: Kode\nagency: dinkes\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTeks[^1].\n\n[^1]: Catatan.\n\n```python\nprint('halo')\n```\n");
    f.build_ok();
    let html = f.read("inovasi/kode/index.html");
    assert!(html.contains("<table>"));
    assert!(html.contains("footnote-definition"));
    assert!(html.contains("class=\"language-python\""));
}

/// The repository's own catalogue (content/, book.toml, themes/default) builds with no
/// broken internal link.
#[test]
fn the_repository_catalogue_builds_without_broken_links() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let opts = lontara::commands::BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.path().join("public")),
        base_url: None,
        drafts: false,
        this_year: 2026,
    };
    let built = lontara::commands::build(&opts).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(built.entries >= 30, "{} entries", built.entries);
    assert_links_ok(&built.out, "/");
}

#[test]
fn body_headings_never_take_an_id_of_the_theme() {
    let f = Fixture::new();
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkes\n---\n## Isi\n\n## Cari\n\n## H Awards\n\n## Isi\n\n[lompat](#bagian-isi-2)\n",
    );
    // build_ok runs the link checker, which also checks that every id is unique per page.
    f.build_ok();
    let html = f.read("inovasi/si-mira/index.html");
    assert!(html.contains("id=\"bagian-isi\""), "{html}");
    assert_eq!(ids(&html).iter().filter(|i| *i == "isi").count(), 1);
}

/// The JSON the search page hands its script.
fn search_config(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=\"cari-config\">")
        .expect("a search config");
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}
