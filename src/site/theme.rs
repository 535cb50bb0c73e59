//! A theme: Tera templates, static assets and UI strings. Read from `themes/<name>/` in the
//! catalogue; the default theme is also built into the binary, so a catalogue without a
//! themes/ folder (such as a generated corpus) still builds.

use crate::config::Language;
use crate::diagnostics::{Diagnostic, Pos};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

pub struct Theme {
    /// Template name (path under templates/) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under static/ → bytes, copied to the site's root.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// UI strings of the chosen language.
    pub strings: toml::Table,
    /// Path under book/ → bytes: the Typst template of the printed book (`book.typ`) and
    /// whatever it imports.
    pub book: BTreeMap<String, Vec<u8>>,
    /// Where templates came from, for error messages ("themes/default/templates").
    pub origin: String,
}

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/index.html",
    "templates/innovation.html",
    "templates/list.html",
    "templates/terms.html",
    "templates/page.html",
    "templates/404.html",
    "templates/card.html",
    "templates/search.html",
    "templates/book.html",
    "static/style.css",
    "static/cari.js",
    "book/book.typ",
    "i18n/id.toml",
    "i18n/en.toml",
];

impl Theme {
    pub fn load(root: &Path, name: &str, lang: Language) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        let files: Vec<(String, Vec<u8>)> = if dir.is_dir() {
            let mut v = Vec::new();
            for item in WalkDir::new(&dir).sort_by_file_name() {
                let item = item.map_err(|e| {
                    Diagnostic::error(
                        &format!("themes/{name}"),
                        Pos::FILE,
                        format!("cannot read the theme: {e}"),
                    )
                })?;
                if item.file_type().is_file() {
                    let rel = item
                        .path()
                        .strip_prefix(&dir)
                        .unwrap_or(item.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    let bytes = std::fs::read(item.path()).map_err(|e| {
                        Diagnostic::error(
                            &format!("themes/{name}/{rel}"),
                            Pos::FILE,
                            format!("cannot read: {e}"),
                        )
                    })?;
                    v.push((rel, bytes));
                }
            }
            v
        } else if name == "default" {
            DEFAULT_THEME
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec()))
                .collect()
        } else {
            return Err(Diagnostic::error(
                "book.toml",
                Pos::FILE,
                format!("theme `{name}` not found"),
            )
            .with_hint(format!(
                "create themes/{name}/ or set `theme = \"default\"` in [site]"
            )));
        };
        let mut theme = Theme {
            templates: BTreeMap::new(),
            assets: BTreeMap::new(),
            book: BTreeMap::new(),
            strings: toml::Table::new(),
            origin: format!("themes/{name}"),
        };
        let wanted = format!("i18n/{}.toml", lang.code());
        for (rel, bytes) in files {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::error(
                        &format!("themes/{name}/{rel}"),
                        Pos::FILE,
                        "this template is not valid UTF-8",
                    )
                })?;
                theme.templates.insert(t.to_string(), text);
            } else if let Some(s) = rel.strip_prefix("static/") {
                theme.assets.insert(s.to_string(), bytes);
            } else if let Some(s) = rel.strip_prefix("book/") {
                theme.book.insert(s.to_string(), bytes);
            } else if rel == wanted {
                let text = String::from_utf8_lossy(&bytes);
                theme.strings = toml::from_str(&text).map_err(|e| {
                    Diagnostic::error(
                        &format!("themes/{name}/{rel}"),
                        Pos::FILE,
                        format!("invalid UI strings: {}", e.message()),
                    )
                })?;
            }
        }
        if theme.strings.is_empty() {
            return Err(Diagnostic::error(
                &format!("themes/{name}"),
                Pos::FILE,
                format!("the theme has no {wanted}"),
            )
            .with_hint("copy themes/default/i18n/ into the theme"));
        }
        Ok(theme)
    }

    /// A UI string, or its key when the theme lacks it (visible, never a crash).
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }
}
