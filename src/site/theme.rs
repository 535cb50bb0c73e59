//! A theme: Tera templates, static assets, UI strings and the book's Typst template.
//!
//! The built-in default theme (the files of `themes/default/`, embedded at compile time) is
//! the bottom layer; a catalogue's `themes/<name>/` is laid over it file by file, and its UI
//! strings key by key. A theme may override a single template or a single string.

use crate::config::Language;
use crate::diagnostics::{Diagnostic, Pos};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use walkdir::WalkDir;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

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
    /// Where templates came from, for error messages ("themes/default").
    pub origin: String,
    /// Path in the theme ("templates/base.html") → the file it was read from, for messages.
    files: BTreeMap<String, String>,
}

/// The built-in theme's files: (path inside the theme, bytes).
pub fn builtin_files() -> Vec<(String, &'static [u8])> {
    fn walk(d: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for f in d.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        for sub in d.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&DEFAULT_THEME, &mut out);
    out.sort();
    out
}

impl Theme {
    pub fn load(root: &Path, name: &str, lang: Language) -> Result<Theme, Diagnostic> {
        if !crate::text::is_slug(name) {
            return Err(Diagnostic::error(
                "book.toml",
                Pos::FILE,
                format!("`theme = \"{name}\"` is not a theme name"),
            )
            .with_hint(
                "a theme is a folder in themes/: write its name only, e.g. `theme = \"default\"`",
            ));
        }
        let origin = format!("themes/{name}");
        // (path in theme, bytes, the file it came from)
        let mut files: BTreeMap<String, (Vec<u8>, String)> = builtin_files()
            .into_iter()
            .map(|(p, b)| {
                let from = format!("built-in theme: themes/default/{p}");
                (p, (b.to_vec(), from))
            })
            .collect();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for (rel, bytes) in read_dir(root, &dir, &origin)? {
                let from = format!("{origin}/{rel}");
                files.insert(rel, (bytes, from));
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                "book.toml",
                Pos::FILE,
                format!("theme `{name}` not found"),
            )
            .with_hint(format!(
                "create themes/{name}/ or set `theme = \"default\"` in [site]"
            )));
        }
        let mut theme = Theme {
            templates: BTreeMap::new(),
            assets: BTreeMap::new(),
            book: BTreeMap::new(),
            strings: toml::Table::new(),
            origin,
            files: BTreeMap::new(),
        };
        let wanted = format!("i18n/{}.toml", lang.code());
        // The built-in strings first, the theme's on top, key by key.
        let builtin_strings = builtin_files()
            .into_iter()
            .find(|(p, _)| *p == wanted)
            .map(|(_, b)| b);
        if let Some(b) = builtin_strings {
            theme.strings = parse_strings(b, &format!("themes/default/{wanted}"))?;
        }
        for (rel, (bytes, from)) in files {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::error(&from, Pos::FILE, "this template is not valid UTF-8")
                })?;
                theme.templates.insert(t.to_string(), text);
            } else if let Some(s) = rel.strip_prefix("static/") {
                theme.assets.insert(s.to_string(), bytes);
            } else if let Some(s) = rel.strip_prefix("book/") {
                theme.book.insert(s.to_string(), bytes);
            } else if rel == wanted && !from.starts_with("built-in") {
                for (k, v) in parse_strings(&bytes, &from)? {
                    theme.strings.insert(k, v);
                }
            }
            theme.files.insert(rel, from);
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

    /// The file a template was read from ("themes/x/templates/base.html").
    pub fn template_file(&self, name: &str) -> Option<String> {
        self.files.get(&format!("templates/{name}")).cloned()
    }

    pub fn asset_file(&self, rel: &str) -> Option<String> {
        self.files.get(&format!("static/{rel}")).cloned()
    }

    /// What every page reads of the theme: templates and strings (not the assets, which
    /// only are themselves, nor the book template).
    pub fn fingerprint(&self) -> u64 {
        let mut h = super::plan::hasher();
        self.templates.hash(&mut h);
        self.strings.to_string().hash(&mut h);
        self.assets.keys().collect::<Vec<_>>().hash(&mut h);
        h.finish()
    }
}

fn parse_strings(bytes: &[u8], from: &str) -> Result<toml::Table, Diagnostic> {
    let text = String::from_utf8_lossy(bytes);
    toml::from_str(&text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos::FILE, |s| crate::config::line_col(&text, s.start));
        Diagnostic::error(from, pos, format!("invalid UI strings: {}", e.message()))
    })
}

/// The theme folder's files. Symbolic links are refused: a theme must not read outside the
/// catalogue.
fn read_dir(root: &Path, dir: &Path, origin: &str) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut v = Vec::new();
    for item in WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(|e| {
            Diagnostic::error(origin, Pos::FILE, format!("cannot read the theme: {e}"))
        })?;
        let shown = crate::diagnostics::display_path(root, item.path());
        if item.path_is_symlink() {
            return Err(Diagnostic::error(
                &shown,
                Pos::FILE,
                "this is a symbolic link; themes may only hold real files",
            )
            .with_hint("copy the file into the theme instead of linking to it"));
        }
        if item.file_type().is_file() {
            let rel = item
                .path()
                .strip_prefix(dir)
                .unwrap_or(item.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(item.path())
                .map_err(|e| Diagnostic::error(&shown, Pos::FILE, format!("cannot read: {e}")))?;
            v.push((rel, bytes));
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_has_every_file_of_themes_default() {
        let on_disk: Vec<String> =
            WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"))
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
        let builtin: Vec<String> = builtin_files().into_iter().map(|(p, _)| p).collect();
        for f in &on_disk {
            assert!(builtin.contains(f), "{f} is not built in");
        }
    }

    #[test]
    fn a_theme_overrides_one_template_and_one_string() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path().join("themes/mine");
        std::fs::create_dir_all(t.join("templates")).unwrap();
        std::fs::create_dir_all(t.join("i18n")).unwrap();
        std::fs::write(t.join("templates/404.html"), "hilang").unwrap();
        std::fs::write(t.join("i18n/id.toml"), "search_title = \"Telusuri\"\n").unwrap();
        let theme = Theme::load(tmp.path(), "mine", Language::Id).unwrap();
        assert_eq!(theme.templates["404.html"], "hilang");
        assert!(
            theme.templates.contains_key("base.html"),
            "the rest is built in"
        );
        assert_eq!(theme.t("search_title"), "Telusuri");
        assert_ne!(theme.t("all_innovations"), "all_innovations");
        assert_eq!(
            theme.template_file("404.html").as_deref(),
            Some("themes/mine/templates/404.html")
        );
    }

    #[test]
    fn a_theme_name_cannot_leave_themes() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["/", "../x", "a/b", ""] {
            let d = Theme::load(tmp.path(), name, Language::Id).err().unwrap();
            assert!(d.message.contains("is not a theme name"), "{name}: {d:?}");
        }
    }
}
