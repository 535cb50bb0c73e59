//! `approximate_year` on an award: the year is the sources' most likely year, not a stated
//! one. The entry page says so next to the year, open data carries it, and anything but a
//! boolean is a located error.

mod common;
use common::*;
use lontara::diagnostics::Severity;

const ENTRY: &str = "content/innovations/kesraku.md";

fn with_award(approximate: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        ENTRY,
        &format!(
            "---\nacronym: KESRAKU\nagency: disdikbud\nawards:\n  - competition: kipp\n    level: kabupaten\n    year: 2020\n    rank: Top 7\n    approximate_year: {approximate}\n---\nIsi.\n"
        ),
    );
    f
}

#[test]
fn an_approximate_year_is_marked_on_the_entry_page_and_in_open_data() {
    let f = with_award("true");
    f.build_ok();
    let html = f.read("inovasi/kesraku/index.html");
    assert!(
        html.contains("tingkat kabupaten 2020 (perkiraan)"),
        "the year is marked as approximate"
    );
    assert!(
        html.contains("href=\"/penghargaan/kipp-kabupaten-2020-top-7/\""),
        "the award's address does not change"
    );
    assert!(
        f.read("penghargaan/kipp-kabupaten-2020-top-7/index.html")
            .contains("Tahun penghargaan ini perkiraan"),
        "the award's page says its year is approximate"
    );
    assert!(
        !f.read("penghargaan/kipp-provinsi-2020-top-30/index.html")
            .contains("perkiraan"),
        "a stated year is not marked on its award page"
    );
    let sipena = f.read("inovasi/sipena/index.html");
    assert!(!sipena.contains("perkiraan"), "a stated year is not marked");
    let json: serde_json::Value = serde_json::from_str(&f.read("data/inovasi.json")).unwrap();
    let kesraku = json["innovations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == "kesraku")
        .unwrap();
    assert_eq!(kesraku["awards"][0]["approximate_year"], true);
    assert!(
        f.read("data/inovasi.csv")
            .contains("KIPP Kabupaten 2020 · Top 7 (perkiraan)")
    );
}

#[test]
fn a_non_boolean_approximate_year_is_a_located_error() {
    let f = with_award("mungkin");
    let c = f.check();
    let errs: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let d = errs[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.column, d.message.as_str()),
        (
            ENTRY,
            9,
            23,
            "`approximate_year` must be true or false, but it is text"
        )
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write `approximate_year: true` or `approximate_year: false`")
    );
}
