//! The build session behind `serve`: after each kind of edit, exactly the pages that show
//! the change are rendered again (the dependency table of the README).

mod common;

use common::Fixture;
use lontara::commands::BuildOptions;
use lontara::engine::{Outcome, Session, Update};
use std::path::PathBuf;

fn session(f: &Fixture) -> Session {
    let mut s = Session::new(BuildOptions {
        root: f.root().to_path_buf(),
        out: None,
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        this_year: 2026,
    });
    updated(s.rebuild(&[]));
    s
}

fn updated(o: Outcome) -> Update {
    match o {
        Outcome::Updated(u) => u,
        Outcome::Failed(d) => panic!("rebuild failed: {d:#?}"),
    }
}

fn edit(f: &Fixture, s: &mut Session, rel: &str, from: &str, to: &str) -> Vec<String> {
    let path = f.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    updated(s.rebuild(&[path])).changed
}

#[test]
fn a_body_edit_renders_only_its_page() {
    let f = Fixture::new();
    let mut s = session(&f);
    let changed = edit(
        &f,
        &mut s,
        "content/innovations/sipena.md",
        "Teks",
        "Teks baru",
    );
    assert_eq!(changed, ["inovasi/sipena/index.html"]);
}

#[test]
fn nothing_changed_renders_nothing() {
    let f = Fixture::new();
    let mut s = session(&f);
    let u = updated(s.rebuild(&[f.root().join("content/innovations/sipena.md")]));
    assert!(u.changed.is_empty(), "{:?}", u.changed);
    assert_eq!(u.rendered, 0);
}

#[test]
fn an_acronym_edit_reaches_every_list_showing_the_entry() {
    let f = Fixture::new();
    let mut s = session(&f);
    let changed = edit(
        &f,
        &mut s,
        "content/innovations/sipena.md",
        "acronym: SIPENA",
        "acronym: SIPENA Baru",
    );
    for page in [
        "index.html",
        "inovasi/index.html",
        "inovasi/sipena/index.html",
        "perangkat-daerah/dinkes/index.html",
        "penghargaan/kipp-provinsi-2020-top-30/index.html",
        "tahun/2019/index.html",
        "sektor/kesehatan/index.html",
    ] {
        assert!(
            changed.iter().any(|c| c == page),
            "{page} not in {changed:?}"
        );
    }
    assert!(
        !changed.iter().any(|c| c == "inovasi/hypnogreen/index.html"),
        "an unrelated entry is not rendered again: {changed:?}"
    );
}

#[test]
fn a_replication_follows_the_originals_acronym() {
    let f = Fixture::new();
    let mut s = session(&f);
    let changed = edit(
        &f,
        &mut s,
        "content/innovations/anc-hipnoterapi/index.md",
        "acronym: ANC Hipnoterapi",
        "acronym: ANC Hipno",
    );
    assert!(
        changed.iter().any(|c| c == "inovasi/hypnogreen/index.html"),
        "{changed:?}"
    );
}

#[test]
fn an_agency_registry_edit_reaches_every_page() {
    let f = Fixture::new();
    let mut s = session(&f);
    let before = s.current().unwrap().pages.len();
    let changed = edit(
        &f,
        &mut s,
        "content/agencies.yaml",
        "name: Dinas Kesehatan",
        "name: Dinas Kesehatan Daerah",
    );
    assert_eq!(
        changed.len(),
        before,
        "every page shows the registry's labels"
    );
}

#[test]
fn a_stylesheet_edit_renders_no_page() {
    let f = Fixture::new();
    f.write("themes/default/static/style.css", "body { color: black }\n");
    let mut s = session(&f);
    let path = f.root().join("themes/default/static/style.css");
    std::fs::write(&path, "body { color: navy }\n").unwrap();
    let u = updated(s.rebuild(&[path]));
    assert_eq!(u.changed, ["style.css"]);
    assert!(u.css_only);
    assert_eq!(u.rendered, 0);
}

#[test]
fn a_template_edit_renders_the_pages_using_it() {
    let f = Fixture::new();
    let mut s = session(&f);
    let all = s.current().unwrap().pages.len();
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}Tidak ada.{% endblock %}",
    );
    let u = updated(s.rebuild(&[PathBuf::from("themes/default/templates/404.html")]));
    // Fingerprints cover the whole template set, so every page is rendered again; only the
    // not-found page's bytes differ.
    assert_eq!(u.rendered, all);
}

#[test]
fn a_deleted_entry_leaves_no_route() {
    let f = Fixture::new();
    let mut s = session(&f);
    let path = f.root().join("content/innovations/si-mira.md");
    std::fs::remove_file(&path).unwrap();
    let u = updated(s.rebuild(&[path]));
    assert!(u.changed.iter().any(|c| c == "inovasi/si-mira/index.html"));
    assert!(!u.snapshot.routes.contains_key("inovasi/si-mira/index.html"));
    assert!(!u.snapshot.pages.contains_key("inovasi/si-mira/index.html"));
    assert_eq!(u.entries, ["si-mira"]);
}

#[test]
fn a_bad_edit_fails_and_keeps_the_last_snapshot() {
    let f = Fixture::new();
    let mut s = session(&f);
    let generation = s.current().unwrap().generation;
    let path = f.root().join("content/innovations/sipena.md");
    std::fs::write(&path, "---\nacronym: [\n---\n").unwrap();
    match s.rebuild(&[path]) {
        Outcome::Failed(d) => assert!(d.iter().all(|d| d.path == "content/innovations/sipena.md")),
        Outcome::Updated(_) => panic!("a bad edit must not give a new snapshot"),
    }
    assert_eq!(s.current().unwrap().generation, generation);
}

#[test]
fn the_search_page_follows_the_index() {
    let f = Fixture::new();
    let mut s = session(&f);
    let page = |s: &Session| {
        String::from_utf8(s.current().unwrap().pages["cari/index.html"].to_vec()).unwrap()
    };
    assert!(
        page(&s).contains("id=\"cari-stale\""),
        "stale before the first index"
    );
    let (fp, records, lang) = s.index_job().expect("an index is due");
    let (_, search_page) = lontara::engine::index(records, &lang).unwrap();
    s.indexed(fp, search_page);
    let u = updated(s.rebuild(&[]));
    assert_eq!(u.changed, ["cari/index.html"]);
    assert!(!page(&s).contains("id=\"cari-stale\""));
    assert!(s.index_job().is_none(), "nothing to index again");
}

#[test]
fn the_statistics_page_follows_what_it_counts_and_nothing_else() {
    let f = Fixture::new();
    let mut s = session(&f);
    let stats = "statistik/index.html";
    // A start year moves a bar from one year to another.
    let changed = edit(
        &f,
        &mut s,
        "content/innovations/sipena.md",
        "start_year: 2019",
        "start_year: 2018",
    );
    assert!(changed.iter().any(|c| c == stats), "{changed:?}");
    // So does a new entry, which has no start year: it is counted under "not recorded".
    f.write(
        "content/innovations/baru.md",
        "---\nacronym: Baru\nagency: disdikbud\n---\n",
    );
    let u = updated(s.rebuild(&[f.root().join("content/innovations/baru.md")]));
    assert!(u.changed.iter().any(|c| c == stats), "{:?}", u.changed);
    assert!(
        u.changed
            .iter()
            .any(|c| c == "tahun/belum-tercatat/index.html")
    );
    let page = String::from_utf8(u.snapshot.pages[stats].to_vec()).unwrap();
    assert!(
        page.contains(
            "<a href=\"/tahun/belum-tercatat/\">Tahun mulai belum tercatat</a></th><td>1</td>"
        ),
        "{page}"
    );
    // A summary is not counted: the page is not rendered again.
    let changed = edit(
        &f,
        &mut s,
        "content/innovations/sipena.md",
        "summary: Peta bencana desa.",
        "summary: Peta bencana seluruh desa.",
    );
    assert!(!changed.iter().any(|c| c == stats), "{changed:?}");
}

#[test]
fn an_emblem_edit_changes_only_the_emblem() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[site]\ntitle = \"Katalog Uji\"\nemblem = \"content/lambang.svg\"\n",
    );
    f.write(
        "content/lambang.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut s = session(&f);
    let path = f.root().join("content/lambang.svg");
    std::fs::write(
        &path,
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
    )
    .unwrap();
    let u = updated(s.rebuild(&[path]));
    assert_eq!(u.changed, ["lambang.svg"]);
    assert_eq!(u.rendered, 0);
}

/// `serve`'s session trusts its watcher: a file the watcher does not name is not read again
/// (no walk, no `stat` of 10,000 files per edit), and a path it does not know as a file (a
/// new entry, a deleted one) makes it look at the folders again.
#[test]
fn a_watched_session_reads_what_the_watcher_names() {
    let f = Fixture::new();
    let mut s = session(&f).watched();
    updated(s.rebuild(&[]));
    let sipena = f.root().join("content/innovations/sipena.md");
    let text = std::fs::read_to_string(&sipena).unwrap();
    std::fs::write(&sipena, text.replacen("Teks", "Teks tanpa kabar", 1)).unwrap();
    let u = updated(s.rebuild(&[]));
    assert!(u.changed.is_empty(), "not named, not read: {:?}", u.changed);
    let u = updated(s.rebuild(std::slice::from_ref(&sipena)));
    assert_eq!(u.changed, ["inovasi/sipena/index.html"]);

    let new = f.root().join("content/innovations/baru.md");
    std::fs::write(&new, "---\nacronym: BARU\nagency: dinkes\n---\nIsi.\n").unwrap();
    let u = updated(s.rebuild(std::slice::from_ref(&new)));
    assert!(
        u.changed.iter().any(|p| p == "inovasi/baru/index.html"),
        "{:?}",
        u.changed
    );
    std::fs::remove_file(&new).unwrap();
    let u = updated(s.rebuild(std::slice::from_ref(&new)));
    assert!(
        u.snapshot
            .routes
            .keys()
            .all(|p| !p.starts_with("inovasi/baru/")),
        "a deleted entry leaves no page"
    );
}

/// What the session keeps of an entry between rebuilds never hides a change outside its file:
/// an image listed by an unchanged entry that disappears is an error at once.
#[test]
fn a_watched_session_sees_an_entrys_image_go() {
    let f = Fixture::new();
    let mut s = session(&f).watched();
    updated(s.rebuild(&[]));
    let image = f
        .root()
        .join("content/innovations/anc-hipnoterapi/foto.png");
    std::fs::remove_file(&image).unwrap();
    match s.rebuild(std::slice::from_ref(&image)) {
        Outcome::Failed(d) => assert!(
            d.iter()
                .any(|d| d.message.contains("image `foto.png` not found")),
            "{d:#?}"
        ),
        Outcome::Updated(u) => panic!("the missing image went unnoticed: {:?}", u.changed),
    }
}
