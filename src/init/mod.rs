//! `lontara init`: a new catalogue in a folder, ready to check, preview and publish: book.toml
//! with the region, the two registries, one example entry (a draft, so nothing invented is
//! published), the CI workflows, a `.gitignore`, and an editors' README and guide in
//! Indonesian.
//!
//! The files are fixed texts with a few values filled in: those in `files/`, and this
//! repository's own workflows and editors' guide, so a new catalogue is checked and published
//! exactly as this one is. Nothing is ever overwritten.

use crate::commands::Failure;
use crate::diagnostics::{Diagnostic, Pos};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// The GitHub repository (owner/name) whose releases hold Lontara's binaries. The release
/// workflow compiles it in, so the workflows `init` writes download from there; a build
/// without it leaves the choice to the repository variable `LONTARA_REPO`.
const RELEASES_REPO: Option<&str> = option_env!("LONTARA_REPOSITORY");

/// How this repository's workflows name the release repository; `init` pins it.
const GITHUB_REPO_EXPR: &str = "${{ vars.LONTARA_REPO || github.repository }}";
const GITLAB_REPO_LINE: &str = "LONTARA_REPO: \"\"";

const BOOK_TOML: &str = include_str!("files/book.toml");
const AGENCIES: &str = include_str!("files/agencies.yaml");
const COMPETITIONS: &str = include_str!("files/competitions.yaml");
const EXAMPLE_ENTRY: &str = include_str!("files/contoh-inovasi.md");
const GITIGNORE: &str = include_str!("files/gitignore");
const README: &str = include_str!("files/README.md");
const GUIDE: &str = include_str!("../../docs/PANDUAN-EDITOR.md");
const CHECK_WORKFLOW: &str = include_str!("../../.github/workflows/check.yml");
const PUBLISH_WORKFLOW: &str = include_str!("../../.github/workflows/publish.yml");
const SETUP_ACTION: &str = include_str!("../../.github/actions/lontara/action.yml");
const GITLAB_CI: &str = include_str!("../../.gitlab-ci.yml");

/// What `init` did, by path relative to the new catalogue's folder.
pub struct Initialised {
    pub written: Vec<String>,
    /// Files that were there already (a README made with the repository, say): left as they were.
    pub kept: Vec<String>,
    pub releases_repo: Option<String>,
}

impl Initialised {
    /// What `lontara init` prints: the files, and what to do next.
    pub fn report(&self, dir: &Path) -> String {
        let mut out = String::new();
        for f in &self.written {
            let _ = writeln!(out, "wrote {f}");
        }
        for f in &self.kept {
            let _ = writeln!(out, "kept {f} (it exists already; not overwritten)");
        }
        let root = if dir == Path::new(".") {
            String::new()
        } else {
            format!(" --root {}", dir.display())
        };
        let _ = writeln!(
            out,
            "\nA new catalogue is in {}. Next:\n  lontara{root} check\n  lontara{root} serve --drafts --open   (the example entry is a draft)",
            dir.display()
        );
        if self.releases_repo.is_none() {
            let _ = writeln!(
                out,
                "To publish from GitHub or GitLab, set the CI variable LONTARA_REPO to the GitHub repository that publishes Lontara's releases (owner/name); README.md says where."
            );
        }
        out
    }
}

/// Writes a new catalogue for `region` into `dir`, or refuses if `dir` holds one already.
pub fn init(dir: &Path, region: &str) -> Result<Initialised, Failure> {
    for marker in ["book.toml", "content"] {
        let path = dir.join(marker);
        if path.symlink_metadata().is_ok() {
            return Err(Failure::Content(vec![
                Diagnostic::error(
                    &crate::diagnostics::display_path(Path::new("."), &path),
                    Pos::FILE,
                    "this folder already holds a catalogue; nothing was written",
                )
                .with_hint(
                    "to start another catalogue, give a new folder: lontara init NEW-FOLDER --region \"...\"",
                ),
            ]));
        }
    }
    let releases_repo = RELEASES_REPO
        .filter(|r| is_repo_name(r))
        .map(str::to_string);
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    let mut done = Initialised {
        written: Vec::new(),
        kept: Vec::new(),
        releases_repo: releases_repo.clone(),
    };
    for (rel, text) in files(region, releases_repo.as_deref()) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::Io(format!("cannot create {}: {e}", parent.display())))?;
        }
        // create_new: a file that exists (or appears meanwhile) is kept, never overwritten.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())
                    .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
                done.written.push(rel.to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                done.kept.push(rel.to_string())
            }
            Err(e) => {
                return Err(Failure::Io(format!("cannot write {}: {e}", path.display())));
            }
        }
    }
    Ok(done)
}

/// Every file of a new catalogue: its path (with `/`) and its text.
fn files(region: &str, releases_repo: Option<&str>) -> Vec<(&'static str, String)> {
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    let book = BOOK_TOML
        .replace("{{title}}", &toml_str(&format!("Katalog Inovasi {region}")))
        .replace(
            "{{description}}",
            &toml_str(&format!(
                "Inovasi pelayanan publik {region}: apa yang diubahnya, siapa yang membuatnya, dan penghargaan yang diraihnya."
            )),
        )
        .replace("{{region}}", &toml_str(region))
        .replace("{{region_name}}", region);
    let readme = README
        .replace("{{region}}", region)
        .replace("{{lontara_repo_step}}", &github_repo_step(releases_repo))
        .replace(
            "{{lontara_repo_step_gitlab}}",
            &gitlab_repo_step(releases_repo),
        );
    vec![
        ("book.toml", book),
        (
            "content/agencies.yaml",
            AGENCIES.replace("{{region}}", region),
        ),
        ("content/competitions.yaml", COMPETITIONS.to_string()),
        (
            "content/innovations/contoh-inovasi.md",
            EXAMPLE_ENTRY.to_string(),
        ),
        (".gitignore", GITIGNORE.to_string()),
        ("README.md", readme),
        ("docs/PANDUAN-EDITOR.md", GUIDE.to_string()),
        (
            ".github/workflows/check.yml",
            pin_github(CHECK_WORKFLOW, releases_repo),
        ),
        (
            ".github/workflows/publish.yml",
            pin_github(PUBLISH_WORKFLOW, releases_repo),
        ),
        (
            ".github/actions/lontara/action.yml",
            SETUP_ACTION.to_string(),
        ),
        (".gitlab-ci.yml", pin_gitlab(GITLAB_CI, releases_repo)),
    ]
}

/// In this repository the workflows download its own releases; a catalogue's repository has
/// none, so its workflows name the repository that does.
fn pin_github(workflow: &str, releases_repo: Option<&str>) -> String {
    match releases_repo {
        Some(repo) => workflow.replace(
            GITHUB_REPO_EXPR,
            &format!("${{{{ vars.LONTARA_REPO || '{repo}' }}}}"),
        ),
        None => workflow.to_string(),
    }
}

fn pin_gitlab(ci: &str, releases_repo: Option<&str>) -> String {
    match releases_repo {
        Some(repo) => ci.replace(GITLAB_REPO_LINE, &format!("LONTARA_REPO: \"{repo}\"")),
        None => ci.to_string(),
    }
}

fn github_repo_step(releases_repo: Option<&str>) -> String {
    match releases_repo {
        Some(repo) => format!(
            "Alur kerja mengunduh Lontara dari rilis repositori GitHub `{repo}`. Untuk memakai \
             repositori lain, isi variabel `LONTARA_REPO` di *Settings → Secrets and variables → \
             Actions → Variables*."
        ),
        None => "*Settings → Secrets and variables → Actions → Variables → New repository \
                 variable*: nama `LONTARA_REPO`, nilainya repositori GitHub yang menerbitkan \
                 rilis Lontara, dalam bentuk `pemilik/nama`."
            .to_string(),
    }
}

fn gitlab_repo_step(releases_repo: Option<&str>) -> String {
    match releases_repo {
        Some(repo) => format!(
            "Pipeline mengunduh Lontara dari rilis repositori GitHub `{repo}` (variabel \
             `LONTARA_REPO` di `.gitlab-ci.yml`)."
        ),
        None => "*Settings → CI/CD → Variables → Add variable*: nama `LONTARA_REPO`, nilainya \
                 repositori GitHub yang menerbitkan rilis Lontara, dalam bentuk `pemilik/nama`."
            .to_string(),
    }
}

/// `owner/name` as GitHub spells repositories; anything else is not written into a workflow.
fn is_repo_name(s: &str) -> bool {
    let mut parts = s.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflows_still_name_the_release_repository_where_init_pins_it() {
        for w in [CHECK_WORKFLOW, PUBLISH_WORKFLOW] {
            assert!(
                w.contains(GITHUB_REPO_EXPR),
                "workflow changed: update init"
            );
        }
        assert!(
            GITLAB_CI.contains(GITLAB_REPO_LINE),
            "GitLab CI changed: update init"
        );
        let files = files("Kabupaten Contoh", Some("contoh/lontara"));
        let text = |name: &str| &files.iter().find(|(p, _)| *p == name).unwrap().1;
        assert!(text(".github/workflows/check.yml").contains("|| 'contoh/lontara' }}"));
        assert!(text(".gitlab-ci.yml").contains("LONTARA_REPO: \"contoh/lontara\""));
        assert!(text("README.md").contains("`contoh/lontara`"));
    }

    #[test]
    fn only_owner_slash_name_is_a_repository() {
        assert!(is_repo_name("kabupaten-contoh/lontara.rs"));
        for bad in ["", "a", "a/", "/b", "a/b/c", "a/b' }}", "a b/c"] {
            assert!(!is_repo_name(bad), "{bad}");
        }
    }
}
