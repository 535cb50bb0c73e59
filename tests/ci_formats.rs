//! `lontara check --format github` and `--format gitlab` as CI reads them: GitHub's
//! workflow-command escaping, GitLab's Code Quality schema, and paths from the repository's
//! root when the catalogue sits in a subfolder.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// A file name with a comma, a colon and a percent sign, and values that put `%`, `\r`, `\n`,
/// `:` and `,` into the messages.
const AWKWARD_FILE: &str = "content/innovations/50%,a:b.md";

fn awkward_catalogue() -> Fixture {
    let f = Fixture::with_registries();
    // The file name is refused (a file-level finding, no line).
    f.write(AWKWARD_FILE, "---\nacronym: X1\nagency: dinkes\n---\n");
    // An unknown agency is quoted in its message, line breaks and all.
    f.write(
        "content/innovations/baris.md",
        "---\nacronym: X2\nagency: \"50%, dua\\r\\nbaris: ::error::x\"\nstart_year: 2020\n---\n",
    );
    // A warning too (incomplete record), so both severities are present.
    f.write(
        "content/innovations/lengkap.md",
        "---\nacronym: X3\nagency: dinkes\n---\n",
    );
    f
}

fn run(root: &Path, format: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lontara"))
        .arg("--root")
        .arg(root)
        .args(["check", "--format", format])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// The diagnostics as `--format json` gives them (paths relative to the catalogue).
fn diagnostics(root: &Path) -> Vec<Value> {
    let (_, json) = run(root, "json");
    serde_json::from_str::<Value>(&json)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The runner's decoding of workflow-command values; `%25` last, so `%250A` stays `%0A`.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

struct Annotation {
    kind: String,
    props: Vec<(String, String)>,
    message: String,
}

/// One workflow command per line: `::kind key=value,key=value::message`.
fn parse_annotation(line: &str) -> Annotation {
    let rest = line.strip_prefix("::").expect(line);
    let (head, message) = rest.split_once("::").expect(line);
    let (kind, props) = head.split_once(' ').expect(line);
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect(line);
            (k.to_string(), v.to_string())
        })
        .collect();
    Annotation {
        kind: kind.to_string(),
        props,
        message: message.to_string(),
    }
}

#[test]
fn github_annotations_survive_commas_colons_percents_and_line_breaks() {
    let f = awkward_catalogue();
    let expected = diagnostics(f.root());
    assert!(
        expected
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains('\n')),
        "the fixture must produce a message with a line break: {expected:#?}"
    );
    let (code, out) = run(f.root(), "github");
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one line per finding:\n{out}");
    for (line, d) in lines.iter().zip(&expected) {
        assert!(!line.contains('\r'), "raw carriage return in {line:?}");
        let a = parse_annotation(line);
        assert_eq!(a.kind, d["severity"].as_str().unwrap());
        let file = &a.props.iter().find(|(k, _)| k == "file").expect(line).1;
        assert!(
            !file.contains([',', ':', '\n', '\r']),
            "unescaped property: {line}"
        );
        assert_eq!(unescape(file), d["path"].as_str().unwrap());
        for (k, v) in &a.props {
            assert!(["file", "line", "col"].contains(&k.as_str()), "{line}");
            if k == "line" {
                assert_eq!(v, &d["line"].to_string());
            }
        }
        let mut message = d["message"].as_str().unwrap().to_string();
        if let Some(h) = d["hint"].as_str() {
            message = format!("{message}\nhelp: {h}");
        }
        assert_eq!(unescape(&a.message), message, "{line}");
    }
    assert!(
        out.contains("::error file=content/innovations/50%25%2Ca%3Ab.md::"),
        "{out}"
    );
    assert!(
        out.contains("::error file=content/innovations/baris.md,line=3,col=9::unknown agency `50%25, dua%0D%0Abaris: ::error::x`%0Ahelp: known agencies: dinkes, disdikbud;"),
        "{out}"
    );
}

#[test]
fn gitlab_report_follows_the_code_quality_schema() {
    let f = awkward_catalogue();
    let expected = diagnostics(f.root());
    let (code, out) = run(f.root(), "gitlab");
    assert_eq!(code, Some(1), "content errors still fail the job");
    let issues: Vec<Value> = serde_json::from_str::<Value>(&out)
        .expect("the report is JSON")
        .as_array()
        .expect("the report is an array")
        .clone();
    assert_eq!(issues.len(), expected.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (i, d) in issues.iter().zip(&expected) {
        assert!(
            i["description"]
                .as_str()
                .unwrap()
                .starts_with(d["message"].as_str().unwrap())
        );
        assert!(!i["check_name"].as_str().unwrap().is_empty());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap())
        );
        assert_eq!(i["location"]["path"], d["path"]);
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        let fp = i["fingerprint"].as_str().unwrap();
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
    }
    let severities: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap())
        .collect();
    assert!(
        severities.contains(&"major") && severities.contains(&"minor"),
        "{severities:?}"
    );
    // GitLab compares findings between pipelines by fingerprint: the same input, the same report.
    assert_eq!(run(f.root(), "gitlab").1, out);
}

#[test]
fn a_clean_catalogue_gives_an_empty_gitlab_report() {
    let f = Fixture::new();
    let (code, out) = run(f.root(), "gitlab");
    assert_eq!(code, Some(0));
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn ci_formats_name_files_from_the_repository_root() {
    // A repository whose catalogue lives in katalog/; CI runs at the repository's root.
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let f = Fixture {
        dir: tempfile::Builder::new()
            .prefix("katalog")
            .tempdir_in(repo.path())
            .unwrap(),
    };
    let sub = f.root().file_name().unwrap().to_str().unwrap().to_string();
    f.write("content/agencies.yaml", AGENCIES);
    f.write("content/competitions.yaml", COMPETITIONS);
    f.write(
        "content/innovations/a.md",
        "---\nacronym: A\nagency: dinkse\n---\n",
    );
    let (_, github) = run(f.root(), "github");
    assert!(
        github.contains(&format!("file={sub}/content/innovations/a.md,line=3")),
        "{github}"
    );
    let (_, gitlab) = run(f.root(), "gitlab");
    let v: Value = serde_json::from_str(&gitlab).unwrap();
    assert_eq!(
        v[0]["location"]["path"],
        format!("{sub}/content/innovations/a.md")
    );
    // What an editor reads at the terminal stays relative to the catalogue.
    let (_, human) = run(f.root(), "human");
    assert!(human.starts_with("content/innovations/a.md:3:"), "{human}");
}
