//! `book.toml`: the site's settings (`[site]`), free data for the theme (`[extra]`), and the
//! printed books (`[[book]]`, read by the book module). A catalogue without book.toml gets
//! defaults, so a bare `content/` folder builds.

use crate::diagnostics::{Diagnostic, Pos};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    site: Option<Site>,
    #[serde(default)]
    extra: toml::Table,
    /// `[[book]]` tables; their schema belongs to the book module.
    #[serde(default)]
    book: Vec<BookSpec>,
}

/// One `[[book]]`: a printed selection of the catalogue (see README, "Books").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookSpec {
    /// Address form; the PDF is `<id>.pdf`.
    pub id: toml::Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    /// Defaults to `[site] publisher`.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The editorial team, printed on the colophon page.
    #[serde(default)]
    pub editors: Vec<String>,
    pub select: toml::Spanned<Selection>,
    #[serde(default)]
    pub order: Order,
    #[serde(default)]
    pub paper: Paper,
    /// Names of files in content/book/ (without `.md`), printed before the table of contents.
    #[serde(default)]
    pub front_matter: Vec<toml::Spanned<String>>,
    /// An image file, relative to the catalogue root.
    #[serde(default)]
    pub cover_image: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub isbn: Option<String>,
    #[serde(default = "default_colophon")]
    pub colophon: String,
}

/// Which entries a book holds. Every key given must match (they combine with "and");
/// `slugs` alone also fixes the order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// An award's address key, as in /penghargaan/<key>/ ("kipp-provinsi-2020-top-30").
    #[serde(default)]
    pub award: Option<String>,
    /// `true`: every entry with at least one award.
    #[serde(default)]
    pub awarded: bool,
    /// An agency key from content/agencies.yaml.
    #[serde(default)]
    pub agency: Option<String>,
    /// Start year.
    #[serde(default)]
    pub year: Option<i32>,
    /// Entry slugs, printed in this order.
    #[serde(default)]
    pub slugs: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    #[default]
    Acronym,
    Agency,
    Region,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Paper {
    #[default]
    #[serde(rename = "a4", alias = "A4")]
    A4,
    #[serde(rename = "b5", alias = "B5")]
    B5,
    /// 18 × 25 cm, the common size of Indonesian government books.
    #[serde(rename = "18x25")]
    Cm18x25,
}

fn default_colophon() -> String {
    "Boleh diperbanyak, tidak diperjualbelikan".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Where the site is served, e.g. `https://inovasi.luwuutarakab.go.id/` or
    /// `https://example.go.id/katalog/`. Defaults to `/` (links work from any host).
    #[serde(default = "default_base")]
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Who publishes the catalogue (feed author, JSON-LD, footer).
    #[serde(default)]
    pub publisher: String,
    /// The region the catalogue covers, e.g. "Kabupaten Luwu Utara".
    #[serde(default)]
    pub region: String,
    /// Entries per listing page; long lists are split for readers on slow links.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// The region's emblem: an image inside content/, relative to book.toml (see `emblem`).
    #[serde(default)]
    pub emblem: Option<toml::Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }
}

fn default_title() -> String {
    "Katalog Inovasi Pelayanan Publik".into()
}
fn default_base() -> String {
    "/".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_per_page() -> usize {
    60
}

impl Default for Site {
    fn default() -> Self {
        toml::from_str::<Site>("").expect("all fields have defaults")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub site: Site,
    pub extra: toml::Table,
    pub books: Vec<BookSpec>,
    /// book.toml as read, to turn the spans of `books` into lines.
    pub source: String,
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("book.toml");
        if !path.is_file() {
            return Ok(Config {
                site: Site::default(),
                extra: Default::default(),
                books: Vec::new(),
                source: String::new(),
            });
        }
        let text = crate::content::load::read_text(&path, "book.toml")?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let file: File = toml::from_str(text).map_err(|e| {
            let pos = e.span().map_or(Pos::FILE, |s| line_col(text, s.start));
            let msg = e.message().trim().to_string();
            Diagnostic::error("book.toml", pos, format!("book.toml: {msg}"))
                .with_hint(if pos.line > 0 && in_book_section(text, pos.line) {
                    "known [[book]] keys: id, title, subtitle, year, publisher, editors, select, order (acronym|agency|region), paper (a4|b5|18x25), front_matter, cover_image, isbn, colophon; select takes award, awarded, agency, year, slugs"
                } else {
                    "known [site] keys: title, description, base_url, language, theme, publisher, region, per_page, emblem; free data for the theme goes under [extra]"
                })
        })?;
        let mut site = file.site.unwrap_or_default();
        if !site.base_url.ends_with('/') {
            site.base_url.push('/');
        }
        if site.per_page == 0 {
            return Err(
                Diagnostic::error("book.toml", Pos::FILE, "`per_page` must be at least 1")
                    .with_hint("e.g. `per_page = 60`"),
            );
        }
        if !crate::text::is_slug(&site.theme) {
            // The key's line: the value is a plain string, without a span of its own.
            let line = text
                .lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with("theme") && l[5..].trim_start().starts_with('=')
                })
                .map_or(Pos::FILE, |i| Pos::new(i + 1, 1));
            return Err(Diagnostic::error(
                "book.toml",
                line,
                format!("`theme = \"{}\"` is not a theme name", site.theme),
            )
            .with_hint(
                "a theme is a folder in themes/: write its name only, e.g. `theme = \"default\"`",
            ));
        }
        Ok(Config {
            site,
            extra: file.extra,
            books: file.book,
            source: text.to_string(),
        })
    }

    /// The path part of base_url, always starting and ending with `/`: "/" or "/katalog/".
    pub fn base_path(&self) -> String {
        let url = &self.site.base_url;
        let after_scheme = url.find("://").map_or(url.as_str(), |i| &url[i + 3..]);
        let path = if url.contains("://") {
            after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
        } else {
            url.as_str()
        };
        let mut p = path.to_string();
        if !p.starts_with('/') {
            p.insert(0, '/');
        }
        p
    }

    /// Absolute URL for a site path ("inovasi/x/"), for feeds, sitemaps and canonical links.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.site.base_url, path.trim_start_matches('/'))
    }

    /// The position in book.toml of a span from `books`.
    pub fn pos(&self, span: std::ops::Range<usize>) -> Pos {
        line_col(&self.source, span.start)
    }
}

/// True when `line` (1-based) lies in a `[[book]]` table.
fn in_book_section(text: &str, line: usize) -> bool {
    text.lines()
        .take(line)
        .filter(|l| l.trim_start().starts_with('['))
        .last()
        .is_some_and(|l| {
            l.trim_start().starts_with("[[book]]") || l.trim_start().starts_with("[book.")
        })
}

pub fn line_col(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_base_url() {
        let c = Config::parse("[site]\nbase_url = \"https://example.go.id/katalog\"\n").unwrap();
        assert_eq!(c.base_path(), "/katalog/");
        assert_eq!(
            c.absolute("/inovasi/a/"),
            "https://example.go.id/katalog/inovasi/a/"
        );
        let c = Config::parse("[site]\nbase_url = \"https://example.go.id\"\n").unwrap();
        assert_eq!(c.base_path(), "/");
        assert_eq!(Config::parse("").unwrap().base_path(), "/");
    }

    #[test]
    fn unknown_key_is_located() {
        let d = Config::parse("[site]\ntitle = \"A\"\ntitel = \"B\"\n").unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.message.contains("titel"), "{}", d.message);
    }

    #[test]
    fn language_is_checked() {
        assert!(Config::parse("[site]\nlanguage = \"en\"\n").is_ok());
        assert!(Config::parse("[site]\nlanguage = \"fr\"\n").is_err());
    }
}
