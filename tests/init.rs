//! `lontara init`: a new region's catalogue that checks, builds and publishes straight away,
//! and never lands on top of an existing one.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn lontara(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lontara"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_new_catalogue_checks_and_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let init = lontara(
        &["init", "katalog-baru", "--region", "Kabupaten Contoh"],
        tmp.path(),
    );
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let dir = tmp.path().join("katalog-baru");
    for file in [
        "book.toml",
        "content/agencies.yaml",
        "content/competitions.yaml",
        "content/innovations/contoh-inovasi.md",
        ".gitignore",
        "README.md",
        "docs/PANDUAN-EDITOR.md",
        ".github/workflows/check.yml",
        ".github/workflows/publish.yml",
        ".github/actions/lontara/action.yml",
        ".gitlab-ci.yml",
    ] {
        assert!(dir.join(file).is_file(), "init did not write {file}");
    }
    let book = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    assert!(book.contains("region = \"Kabupaten Contoh\""), "{book}");
    assert!(book.contains("title = \"Katalog Inovasi Kabupaten Contoh\""));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.starts_with("# Katalog Inovasi Kabupaten Contoh\n"));
    assert!(!readme.contains("{{"), "a placeholder was left: {readme}");
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/public/"));
    let check = std::fs::read_to_string(dir.join(".github/workflows/check.yml")).unwrap();
    assert!(check.contains("lontara check --format github"));
    let gitlab = std::fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains("lontara check --format gitlab > gl-code-quality-report.json"));

    // Every file passes check: no error and no warning, drafts included.
    let out = lontara(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).trim().is_empty(),
        "{}",
        text(&out)
    );

    let out = lontara(&["build"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(home.contains("Katalog Inovasi Kabupaten Contoh"));
    assert_links_ok(&dir.join("public"), "/");
    // The example is a draft: shown by the preview with --drafts, never published.
    assert!(!dir.join("public/inovasi/contoh-inovasi").exists());
    let out = lontara(&["build", "--drafts", "--out", "pratinjau"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        dir.join("pratinjau/inovasi/contoh-inovasi/index.html")
            .is_file()
    );
}

#[test]
fn init_refuses_a_folder_that_holds_a_catalogue_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let first = lontara(&["init", "k", "--region", "Kota Contoh"], tmp.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let dir = tmp.path().join("k");
    // An editor's change that a second init must not undo.
    std::fs::write(dir.join("content/agencies.yaml"), AGENCIES).unwrap();
    let before = snapshot(&dir);

    let again = lontara(&["init", "k", "--region", "Kabupaten Lain"], tmp.path());
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    let err = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(err.contains("book.toml"), "names the file: {err}");
    assert!(err.contains("already holds a catalogue"), "{err}");
    assert!(err.contains("help: "), "with a hint: {err}");
    assert_eq!(snapshot(&dir), before, "the second init changed files");

    // A catalogue without book.toml is a catalogue too.
    let bare = Fixture::with_registries();
    let before = snapshot(bare.root());
    let out = lontara(&["init", "--region", "Kota Contoh"], bare.root());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(snapshot(bare.root()), before);
}

#[test]
fn init_in_a_fresh_repository_keeps_its_readme() {
    // A repository created on GitHub with a README, cloned: init in the current folder.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    std::fs::write(tmp.path().join("README.md"), "# Repositori kami\n").unwrap();
    let out = lontara(&["init", "--region", "Kabupaten Contoh"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("kept README.md"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("README.md")).unwrap(),
        "# Repositori kami\n"
    );
    assert!(tmp.path().join("book.toml").is_file());
    let out = lontara(&["check"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_region_with_quotes_is_written_as_valid_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let region = r#"Kabupaten "Contoh" \ Baru"#;
    let out = lontara(&["init", "k", "--region", region], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let dir = tmp.path().join("k");
    let out = lontara(&["build"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains("Katalog Inovasi Kabupaten &quot;Contoh&quot; \\ Baru"),
        "the region reaches the site as written"
    );
}

#[test]
fn init_without_a_usable_region_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["init", "k"][..],
        &["init", "k", "--region", "  "],
        &["init", "k", "--region", "Kota\nContoh"],
    ] {
        let out = lontara(args, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    assert!(!tmp.path().join("k").exists(), "nothing written");
}
