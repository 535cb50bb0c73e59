//! One test per rule of CONTENT.md "Bad input": the exact file, line, column and message an
//! editor sees, and never a panic.

mod common;
use common::*;
use lontara::diagnostics::{Diagnostic, Severity};

fn errors(f: &Fixture) -> Vec<Diagnostic> {
    let c = f.check();
    assert!(c.catalogue.is_none() || c.diagnostics.iter().all(|d| d.severity != Severity::Error));
    c.diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The single error for `rel`, as (line, column, message).
fn one_error(f: &Fixture, rel: &str) -> (usize, usize, String, Option<String>) {
    let errs: Vec<_> = errors(f).into_iter().filter(|d| d.path == rel).collect();
    assert_eq!(
        errs.len(),
        1,
        "expected one error in {rel}, got {errs:#?} of {:#?}",
        errors(f)
    );
    let d = errs.into_iter().next().unwrap();
    (d.line, d.column, d.message, d.hint)
}

fn entry(body: &str) -> Fixture {
    let f = Fixture::with_registries();
    f.write("content/innovations/e.md", body);
    f
}

const E: &str = "content/innovations/e.md";

#[test]
fn missing_required_field() {
    let f = entry("---\nacronym: A\n---\n");
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (1, 1, "missing required field `agency`")
    );
    assert!(h.unwrap().contains("content/agencies.yaml"));
}

#[test]
fn wrong_type() {
    let f = entry("---\nacronym: A\nagency: dinkes\nstart_year: [2020]\n---\n");
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (
            4,
            13,
            "`start_year` must be a whole number, but it is a list"
        )
    );
}

#[test]
fn unknown_field_suggests_the_closest() {
    let f = entry("---\nacronym: A\nagency: dinkes\nagensi: dinkes\n---\n");
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (4, 1, "unknown field `agensi` in the front matter")
    );
    assert!(h.unwrap().starts_with("did you mean `agency`?"));
}

#[test]
fn unknown_agency_suggests_the_closest_key() {
    let f = entry("---\nacronym: A\nagency: dinkse\n---\n");
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (3, 9, "unknown agency `dinkse`"));
    assert!(h.unwrap().starts_with("did you mean `dinkes`?"));
}

#[test]
fn unknown_competition() {
    let f = entry(
        "---\nacronym: A\nagency: dinkes\nawards:\n  - { competition: kip, level: provinsi, year: 2020, rank: Top 30 }\n---\n",
    );
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (5, 20, "unknown competition `kip`"));
    assert!(h.unwrap().starts_with("did you mean `kipp`?"));
}

#[test]
fn invalid_level_lists_the_allowed_values() {
    let f = entry(
        "---\nacronym: A\nagency: dinkes\nawards:\n  - competition: kipp\n    level: propinsi\n    year: 2020\n    rank: Top 30\n---\n",
    );
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (6, 12, "`propinsi` is not a valid `level`")
    );
    assert!(h.unwrap().contains("did you mean `provinsi`? allowed: desa, kecamatan, kabupaten, kota, provinsi, nasional, internasional"));
}

#[test]
fn award_missing_rank() {
    let f = entry(
        "---\nacronym: A\nagency: dinkes\nawards:\n  - { competition: kipp, level: provinsi, year: 2020 }\n---\n",
    );
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (5, 5, "this award is missing `rank`"));
}

#[test]
fn duplicate_acronym_compared_without_case_and_spaces() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/a.md",
        "---\nacronym: SIMIRA\nagency: dinkes\n---\n",
    );
    f.write(
        "content/innovations/b.md",
        "---\nacronym: Si Mira\nagency: dinkes\n---\n",
    );
    let (l, c, m, _) = one_error(&f, "content/innovations/b.md");
    assert_eq!((l, c), (2, 10));
    assert_eq!(
        m,
        "the acronym `Si Mira` is already used by content/innovations/a.md (`SIMIRA`)"
    );
}

#[test]
fn duplicate_slug_from_file_and_folder() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/a.md",
        "---\nacronym: A\nagency: dinkes\n---\n",
    );
    f.write(
        "content/innovations/a/index.md",
        "---\nacronym: B\nagency: dinkes\n---\n",
    );
    // Paths are compared component by component, so the folder form comes first.
    let (l, c, m, _) = one_error(&f, "content/innovations/a.md");
    assert_eq!(
        (l, c, m.as_str()),
        (
            0,
            0,
            "the address /inovasi/a/ is already taken by content/innovations/a/index.md"
        )
    );
}

#[test]
fn dangling_replication_of() {
    let f = entry("---\nacronym: A\nagency: dinkes\nreplication_of: anc-hipnoterapy\n---\n");
    f.write(
        "content/innovations/anc-hipnoterapi.md",
        "---\nacronym: ANC\nagency: dinkes\n---\n",
    );
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (
            4,
            17,
            "`replication_of` names `anc-hipnoterapy`, but there is no such entry"
        )
    );
    assert!(h.unwrap().starts_with("did you mean `anc-hipnoterapi`?"));
}

#[test]
fn out_of_range_year() {
    let f = entry("---\nacronym: A\nagency: dinkes\nstart_year: 2031\n---\n");
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (4, 13, "`start_year` 2031 is out of range")
    );
    assert_eq!(h.unwrap(), "a year from 1945 to 2027");
}

#[test]
fn out_of_range_sdg() {
    let f = entry("---\nacronym: A\nagency: dinkes\nsdgs: [3, 18]\n---\n");
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (4, 11, "SDG 18 does not exist"));
}

#[test]
fn malformed_yaml() {
    let f = entry("---\nacronym: A\nagency: [dinkes\n---\n");
    let (l, _, m, _) = one_error(&f, E);
    assert!(l >= 3, "located at or after the open bracket, got line {l}");
    assert!(m.starts_with("this is not valid YAML: "), "{m}");
}

#[test]
fn duplicate_key() {
    let f = entry("---\nacronym: A\nagency: dinkes\nacronym: B\n---\n");
    let (l, _, m, _) = one_error(&f, E);
    assert_eq!(l, 4);
    assert!(m.starts_with("this is not valid YAML: "), "{m}");
}

#[test]
fn missing_closing_marker() {
    let f = entry("---\nacronym: A\nagency: dinkes\n\nTeks tanpa penutup.\n");
    let (l, c, m, h) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (1, 1, "the front matter opened here is never closed")
    );
    assert!(h.unwrap().contains("`---`"));
}

#[test]
fn missing_opening_marker() {
    let f = entry("acronym: A\nagency: dinkes\n");
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (1, 1, "the file does not start with front matter")
    );
}

#[test]
fn invalid_utf8() {
    let f = Fixture::with_registries();
    f.write_bytes(
        "content/innovations/e.md",
        b"---\nacronym: A\nagency: dinkes\nsummary: caf\xe9\n---\n",
    );
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (4, 13, "this file is not valid UTF-8 text")
    );
}

#[test]
fn empty_file() {
    let f = entry("");
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (1, 1, "this file is empty"));
}

#[test]
fn front_matter_that_is_a_list() {
    let f = entry("---\n- acronym: A\n- agency: dinkes\n---\n");
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!(
        (l, c, m.as_str()),
        (
            2,
            1,
            "the front matter must be fields (`name: value`), but it is a list"
        )
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let f = Fixture::with_registries();
    f.write_bytes(
        "content/innovations/e.md",
        b"\xEF\xBB\xBF---\r\nacronym: A\r\nagency: dinkes\r\n---\r\nTeks.\r\n",
    );
    assert!(errors(&f).is_empty());
}

#[test]
fn alias_bomb_is_an_error_not_a_hang() {
    let mut doc = String::from(
        "---\nacronym: A\nagency: dinkes\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..40 {
        let p = i - 1;
        doc.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    doc.push_str("---\n");
    let f = entry(&doc);
    let (_, _, m, _) = one_error(&f, E);
    assert!(m.starts_with("this is not valid YAML: "), "{m}");
}

#[test]
fn ten_megabyte_body_builds() {
    let body = "Kalimat panjang tentang inovasi daerah. ".repeat(10 * 1024 * 1024 / 40);
    let f = entry(&format!("---\nacronym: A\nagency: dinkes\n---\n{body}"));
    assert!(errors(&f).is_empty());
    f.build_ok();
}

#[test]
fn file_name_that_is_not_an_address() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/Kampung Donor.md",
        "---\nacronym: A\nagency: dinkes\n---\n",
    );
    let (_, _, m, h) = one_error(&f, "content/innovations/Kampung Donor.md");
    assert_eq!(m, "the file name `Kampung Donor` cannot be an address");
    assert!(h.unwrap().contains("`kampung-donor`"));
}

#[test]
fn missing_image() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/e/index.md",
        "---\nacronym: A\nagency: dinkes\nimages: [foto.jpg]\n---\n",
    );
    let (l, c, m, _) = one_error(&f, "content/innovations/e/index.md");
    assert_eq!((l, c, m.as_str()), (4, 10, "image `foto.jpg` not found"));
}

#[test]
fn invalid_source_date() {
    let f = entry(
        "---\nacronym: A\nagency: dinkes\nsources:\n  - { title: T, date: 9 Feb 2021 }\n---\n",
    );
    let (l, c, m, _) = one_error(&f, E);
    assert_eq!((l, c, m.as_str()), (5, 23, "`9 Feb 2021` is not a date"));
}

#[test]
fn unknown_registry_field() {
    let f = Fixture::with_registries();
    f.write(
        "content/agencies.yaml",
        "dinkes:\n  name: Dinas Kesehatan\n  singkatan: Dinkes\n",
    );
    let (l, c, m, _) = one_error(&f, "content/agencies.yaml");
    assert_eq!(
        (l, c, m.as_str()),
        (3, 3, "unknown field `singkatan` in agency `dinkes`")
    );
}

#[test]
fn missing_registry_file() {
    let f = Fixture::empty();
    f.write(
        "content/innovations/e.md",
        "---\nacronym: A\nagency: dinkes\n---\n",
    );
    let errs = errors(&f);
    assert!(
        errs.iter().any(|d| d.path == "content/agencies.yaml"
            && d.message == "content/agencies.yaml is missing"),
        "{errs:#?}"
    );
}

#[test]
fn bad_book_toml_is_located() {
    let f = Fixture::new();
    f.write("book.toml", "[site]\ntitle = \"K\"\nbahasa = \"id\"\n");
    let (l, _, m, _) = one_error(&f, "book.toml");
    assert_eq!(l, 3);
    assert!(m.contains("bahasa"), "{m}");
}

#[test]
fn incomplete_records_are_warnings_not_errors() {
    let f = entry("---\nacronym: A\nagency: dinkes\n---\n");
    let c = f.check();
    assert!(c.catalogue.is_some());
    let w: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].message,
        "incomplete record: no `expansion`, `innovator`, `start_year`, `summary`"
    );
}

#[test]
fn every_problem_in_every_file_in_one_run() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/a.md",
        "---\nacronym: A\nagency: x\nstart_year: 1900\nstage: selesai\n---\n",
    );
    f.write("content/innovations/b.md", "---\nacronym: B\n---\n");
    let errs = errors(&f);
    assert_eq!(
        errs.iter().filter(|d| d.path.ends_with("a.md")).count(),
        3,
        "{errs:#?}"
    );
    assert_eq!(errs.iter().filter(|d| d.path.ends_with("b.md")).count(), 1);
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_catalogue_are_refused() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("rahasia.md"),
        "---\nacronym: X\nagency: dinkes\n---\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("rahasia.png"), "secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("rahasia.md"),
        f.root().join("content/innovations/rahasia.md"),
    )
    .unwrap();
    let img = f
        .root()
        .join("content/innovations/anc-hipnoterapi/foto.png");
    std::fs::remove_file(&img).unwrap();
    std::os::unix::fs::symlink(outside.path().join("rahasia.png"), &img).unwrap();
    let d = f.check().diagnostics;
    let link = d
        .iter()
        .find(|d| d.path == "content/innovations/rahasia.md")
        .expect("the linked entry is reported");
    assert!(link.message.contains("symbolic link"), "{link:?}");
    let image = d
        .iter()
        .find(|d| d.path == "content/innovations/anc-hipnoterapi/index.md")
        .expect("the linked image is reported");
    assert!(
        image.message.contains("symbolic link") && image.line > 1,
        "{image:?}"
    );
}

#[test]
fn an_image_named_like_a_page_is_refused_where_it_is_named() {
    let f = Fixture::with_registries();
    f.write(
        "content/innovations/e/index.md",
        "---\nacronym: A\nagency: dinkes\nimages: [foto.png, index.html]\n---\n",
    );
    f.write("content/innovations/e/foto.png", "png");
    f.write(
        "content/innovations/e/index.html",
        "<script>alert(1)</script>",
    );
    let (l, c, m, h) = one_error(&f, "content/innovations/e/index.md");
    assert_eq!(
        (l, c, m.as_str()),
        (4, 20, "`index.html` is not an image file")
    );
    assert!(h.unwrap().contains(".png"));
}

#[test]
fn a_theme_file_named_like_a_page_is_an_error_not_an_overwrite() {
    let f = Fixture::new();
    let toml = std::fs::read_to_string(f.root().join("book.toml")).unwrap();
    f.write(
        "book.toml",
        &toml.replace("[site]\n", "[site]\ntheme = \"lokal\"\n"),
    );
    f.write("themes/lokal/static/inovasi/index.html", "<p>palsu</p>");
    let Err(lontara::commands::Failure::Content(errs)) = f.build() else {
        panic!("the build must stop before writing over the page");
    };
    assert!(
        errs.iter()
            .any(|d| d.path == "themes/lokal/static/inovasi/index.html"
                && d.message.contains("already a page")),
        "{errs:#?}"
    );
    assert!(!f.out().exists(), "nothing is written");
}

#[test]
fn a_theme_outside_the_catalogue_is_a_located_error() {
    for name in ["/", "../x"] {
        let f = Fixture::new();
        let toml = std::fs::read_to_string(f.root().join("book.toml")).unwrap();
        f.write(
            "book.toml",
            &toml.replace("[site]\n", &format!("[site]\ntheme = \"{name}\"\n")),
        );
        let (l, _, m, h) = one_error(&f, "book.toml");
        assert_eq!(l, 2, "{m}");
        assert!(h.is_some(), "{m}");
    }
}

#[test]
fn a_cover_image_outside_the_catalogue_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("rahasia.png");
    std::fs::write(&secret, "secret").unwrap();
    let mut cases = vec![
        "../rahasia.png".to_string(),
        secret.display().to_string(),
        "content/../../rahasia.png".to_string(),
    ];
    if cfg!(unix) {
        cases.push("sampul.png".to_string());
    }
    for cover in cases {
        let f = Fixture::new();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&secret, f.root().join("sampul.png")).unwrap();
        let toml = std::fs::read_to_string(f.root().join("book.toml")).unwrap();
        f.write(
            "book.toml",
            &format!(
                "{toml}\n[[book]]\nid = \"uji\"\ntitle = \"Buku Uji\"\nselect = {{ awarded = true }}\ncover_image = \"{cover}\"\n"
            ),
        );
        let (l, _, m, h) = one_error(&f, "book.toml");
        assert_eq!(l, 10, "{cover}: {m}");
        assert!(
            m.contains("outside the catalogue") || m.contains("symbolic link"),
            "{cover}: {m}"
        );
        assert!(h.unwrap().contains("inside the catalogue"), "{cover}");
    }
}
