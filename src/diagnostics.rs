//! Diagnostics: every problem an editor can cause, with its file, line, column and a hint,
//! and the four ways `lontara check` prints them (human, GitHub annotations, GitLab Code
//! Quality, JSON).
//!
//! Not for I/O or usage errors of the tool itself: those are `commands::Failure::Io`, a message
//! naming the path and the OS error, and exit with code 2.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based position in a file; `line == 0` means "the whole file".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const FILE: Pos = Pos { line: 0, column: 0 };

    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the catalogue root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, pos, message)
    }

    pub fn warning(path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, pos, message)
    }

    fn new(severity: Severity, path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.path.clone(),
            (l, 0) => format!("{}:{l}", self.path),
            (l, c) => format!("{}:{l}:{c}", self.path),
        }
    }
}

/// Where diagnostics are collected during one run. Passed by `&mut`, never global.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file, then position, so output is stable whatever order files were read in.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

/// A path relative to `root`, with forward slashes, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// Where the catalogue root lies inside its Git work tree, as a prefix for diagnostic paths:
/// "" at the top, "katalog/" for a catalogue in a subfolder, "" outside any repository.
/// CI annotations and reports name files from the repository's root.
pub fn repository_prefix(root: &Path) -> String {
    let Ok(abs) = root.canonicalize() else {
        return String::new();
    };
    let Some(top) = abs.ancestors().find(|d| d.join(".git").exists()) else {
        return String::new();
    };
    let rel = display_path(top, &abs);
    if rel.is_empty() {
        rel
    } else {
        format!("{rel}/")
    }
}

/// The same diagnostics with `prefix` put before every path.
pub fn with_path_prefix(diags: Vec<Diagnostic>, prefix: &str) -> Vec<Diagnostic> {
    if prefix.is_empty() {
        return diags;
    }
    diags
        .into_iter()
        .map(|mut d| {
            d.path = format!("{prefix}{}", d.path);
            d
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    /// GitLab's Code Quality report (gl-code-quality-report.json).
    Gitlab,
    Json,
}

impl Format {
    /// Formats read by CI tools, which expect paths from the repository's root.
    pub fn wants_repository_paths(self) -> bool {
        matches!(self, Format::Github | Format::Gitlab)
    }
}

pub fn render(diags: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human => render_human(diags),
        Format::Github => render_github(diags),
        Format::Gitlab => render_gitlab(diags),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(diags).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn render_human(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{}: {sev}: {}", d.location(), d.message);
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    out
}

/// GitHub workflow commands; message data is escaped as the runner requires.
fn render_github(diags: &[Diagnostic]) -> String {
    fn esc_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diags {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", esc_prop(&d.path));
        if d.line > 0 {
            let _ = write!(props, ",line={}", d.line);
        }
        if d.column > 0 {
            let _ = write!(props, ",col={}", d.column);
        }
        let mut msg = d.message.clone();
        if let Some(h) = &d.hint {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(out, "::{cmd} {props}::{}", esc_data(&msg));
    }
    out
}

/// GitLab Code Quality: a JSON array of issues, the subset of the Code Climate spec that
/// GitLab documents (description, check_name, fingerprint, severity, location). GitLab
/// matches findings across pipelines by fingerprint, so it is derived from the finding
/// itself (stable from run to run) and made unique within the report.
fn render_gitlab(diags: &[Diagnostic]) -> String {
    let mut seen = std::collections::HashSet::new();
    let issues: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (check_name, severity) = match d.severity {
                Severity::Error => ("lontara/error", "major"),
                Severity::Warning => ("lontara/warning", "minor"),
            };
            let description = match &d.hint {
                Some(h) => format!("{} (help: {h})", d.message),
                None => d.message.clone(),
            };
            let key = [
                d.path.as_str(),
                &d.line.to_string(),
                &d.column.to_string(),
                check_name,
                &d.message,
                d.hint.as_deref().unwrap_or(""),
            ]
            .join("\0");
            let mut fingerprint = fnv1a_128(&key);
            let mut n = 1;
            while !seen.insert(fingerprint.clone()) {
                n += 1;
                fingerprint = fnv1a_128(&format!("{key}\0{n}"));
            }
            serde_json::json!({
                "description": description,
                "check_name": check_name,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {
                    "path": d.path,
                    // GitLab counts lines from 1; a whole-file finding points at the first.
                    "lines": { "begin": d.line.max(1) },
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// FNV-1a, 128 bits, as 32 hex digits: fixed by its definition, so a fingerprint does not
/// change with the Rust version or the platform (std's hashers promise neither).
fn fnv1a_128(text: &str) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let hash = text
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u128::from(b)).wrapping_mul(PRIME));
    format!("{hash:032x}")
}

/// The closing line of a report, e.g. "2 errors, 5 warnings in 30 files".
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_format_has_location_and_help() {
        let d = Diagnostic::error(
            "content/innovations/a.md",
            Pos::new(3, 9),
            "unknown agency `dinkse`",
        )
        .with_hint("did you mean `dinkes`?");
        assert_eq!(
            render(&[d], Format::Human),
            "content/innovations/a.md:3:9: error: unknown agency `dinkse`\n  help: did you mean `dinkes`?\n"
        );
    }

    #[test]
    fn github_format_escapes_properties_and_newlines() {
        let d = Diagnostic::warning("content/a,b.md", Pos::new(2, 1), "50% done").with_hint("x");
        assert_eq!(
            render(&[d], Format::Github),
            "::warning file=content/a%2Cb.md,line=2,col=1::50%25 done%0Ahelp: x\n"
        );
    }

    #[test]
    fn fnv1a_128_matches_the_published_test_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a".
        assert_eq!(fnv1a_128(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fnv1a_128("a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn json_format_is_parseable() {
        let d = Diagnostic::error("book.toml", Pos::FILE, "bad");
        let v: serde_json::Value = serde_json::from_str(&render(&[d], Format::Json)).unwrap();
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["path"], "book.toml");
    }
}
