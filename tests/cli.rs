//! The `lontara` binary as editors and CI run it: exit codes, output formats, `new`.

mod common;
use assert_cmd::Command;
use common::*;

fn lontara(f: &Fixture) -> Command {
    let mut c = Command::cargo_bin("lontara").unwrap();
    c.arg("--root").arg(f.root());
    c
}

/// Twenty different mistakes, one per file.
const MISTAKES: [&str; 20] = [
    "acronym: A1\n",
    "acronym: A2\nagency: dinkse\n",
    "acronym: A3\nagency: dinkes\nagensi: x\n",
    "acronym: A4\nagency: dinkes\nstart_year: 1900\n",
    "acronym: A5\nagency: dinkes\nsdgs: [0]\n",
    "acronym: A6\nagency: dinkes\nstage: selesai\n",
    "acronym: A7\nagency: dinkes\nawards:\n  - { competition: iga, level: nasional, year: 2020, rank: Top 99 }\n",
    "acronym: A8\nagency: dinkes\nawards:\n  - { competition: kipp, level: dunia, year: 2020, rank: Top 99 }\n",
    "acronym: A9\nagency: dinkes\nreplication_of: tidak-ada\n",
    "acronym: A 2\nagency: dinkes\n",
    "acronym: A11\nagency: dinkes\ndigital: mungkin\n",
    "acronym: A12\nagency: dinkes\ninnovator: { nama: X }\n",
    "acronym: A13\nagency: [dinkes\n",
    "acronym: A14\nagency: dinkes\nsources:\n  - { title: T, date: kemarin }\n",
    "acronym: A15\nagency: dinkes\nsources:\n  - { title: T, url: www.contoh.id }\n",
    "acronym: A16\nagency: dinkes\nimages: [a.jpg]\n",
    "acronym: A17\nagency: dinkes\nawards:\n  - { competition: kipp, level: nasional, year: 2020 }\n",
    "acronym: A18\nagency: dinkes\nsources:\n  - { publisher: P }\n",
    "- acronym: A19\n",
    "acronym: A20\nagency: dinkes\nacronym: A20b\n",
];

fn twenty_mistakes() -> Fixture {
    let f = Fixture::with_registries();
    for (i, m) in MISTAKES.iter().enumerate() {
        f.write(
            &format!("content/innovations/salah-{:02}.md", i + 1),
            &format!("---\n{m}---\n"),
        );
    }
    f
}

#[test]
fn check_reports_twenty_mistakes_in_twenty_files_and_exits_1() {
    let f = twenty_mistakes();
    let out = lontara(&f)
        .args(["check", "--errors-only"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let located: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("content/innovations/salah-") && l.contains(": error: "))
        .collect();
    assert!(located.len() >= 20, "{stdout}");
    for i in 1..=20 {
        assert!(
            located
                .iter()
                .any(|l| l.starts_with(&format!("content/innovations/salah-{i:02}.md:"))),
            "no error for file {i}:\n{stdout}"
        );
    }
    assert!(
        String::from_utf8(out.stderr).unwrap().contains("errors"),
        "summary line on stderr"
    );
}

#[test]
fn github_format_prints_workflow_annotations() {
    let f = twenty_mistakes();
    let out = lontara(&f)
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("::error file=content/innovations/salah-02.md,line=3,col=9::unknown agency `dinkse`%0Ahelp: did you mean `dinkes`?"), "{stdout}");
}

#[test]
fn json_format_is_machine_readable() {
    let f = twenty_mistakes();
    let out = lontara(&f)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 20);
}

#[test]
fn check_passes_on_a_valid_catalogue() {
    let f = Fixture::new();
    lontara(&f).arg("check").assert().code(0);
}

#[test]
fn build_with_errors_exits_1_and_writes_nothing() {
    let f = twenty_mistakes();
    lontara(&f).arg("build").assert().code(1);
    assert!(!f.out().exists());
}

#[test]
fn build_into_out_dir() {
    let f = Fixture::new();
    let out = f.root().join("situs");
    lontara(&f)
        .args(["build", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    assert!(out.join("inovasi/sipena/index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let f = Fixture::new();
    lontara(&f).arg("bangun").assert().code(2);
}

#[test]
fn new_writes_a_complete_entry_that_passes_check_and_refuses_to_overwrite() {
    let f = Fixture::new();
    lontara(&f)
        .args(["new", "Kampung Donor Darah", "--agency", "Dinas Kesehatan"])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(f.root().join("content/innovations/kampung-donor-darah.md"))
        .unwrap();
    assert!(text.starts_with("---\nacronym: \"Kampung Donor Darah\"\n"));
    assert!(
        text.contains("agency: dinkes\n"),
        "the alias is written as the canonical key"
    );
    for field in lontara::content::entry::FIELDS {
        assert!(
            text.contains(&format!("{field}:")),
            "the template lacks `{field}`"
        );
    }
    lontara(&f).arg("check").assert().code(0);
    lontara(&f)
        .args(["new", "Kampung Donor Darah", "--agency", "dinkes"])
        .assert()
        .code(1);
}

#[test]
fn new_refuses_an_unknown_agency() {
    let f = Fixture::new();
    let out = lontara(&f)
        .args(["new", "X", "--agency", "dinkse"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("did you mean `dinkes`?")
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let f = Fixture::with_registries();
    // Enough warnings to fill any pipe buffer.
    for i in 0..800 {
        f.write(
            &format!("content/innovations/e{i}.md"),
            &format!("---\nacronym: E{i}\nagency: dinkes\n---\n"),
        );
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lontara"))
        .arg("--root")
        .arg(f.root())
        .arg("check")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away at once, as `head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn check_fails_like_build_on_a_book_of_drafts() {
    let f = Fixture::new();
    f.write(
        "content/innovations/konsep.md",
        "---\nacronym: KONSEP\nagency: dinkes\ndraft: true\n---\n",
    );
    f.write(
        "book.toml",
        "[site]\ntitle = \"K\"\n\n[[book]]\nid = \"draf\"\ntitle = \"Buku\"\nselect = { slugs = [\"konsep\"] }\n",
    );
    let check = lontara(&f).arg("check").assert().code(1);
    let text = String::from_utf8_lossy(&check.get_output().stdout).to_string();
    assert!(text.contains("book.toml"), "{text}");
    lontara(&f).arg("build").assert().code(1);
}

#[test]
fn an_output_folder_that_cannot_be_made_exits_2_with_its_cause() {
    let f = Fixture::new();
    // A file where the output's parent folder should be: no permission trick needed as root.
    f.write("bukan-folder", "x");
    let out = lontara(&f)
        .arg("build")
        .arg("--out")
        .arg(f.root().join("bukan-folder/public"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bukan-folder"), "{err}");
    assert!(
        !err.contains("nothing was written"),
        "not a content error: {err}"
    );
}
