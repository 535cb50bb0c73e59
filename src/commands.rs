//! One function per command. Each returns an exit code's worth of outcome; `main` prints.

use crate::book;
use crate::config::Config;
use crate::content::entry::YearRange;
use crate::content::validate::Options;
use crate::content::{self, Catalogue};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, Severity};
use crate::emblem::{self, Emblem};
use crate::markdown::Markdown;
use crate::output::Staging;
use crate::site::views::ViewBuilder;
use crate::site::{self, DirSink, SearchPage, Sink, Site, reuse, search, theme::Theme};
use std::path::{Path, PathBuf};

/// Why a command did not succeed: content the editor can fix (exit 1) or anything else (exit 2).
#[derive(Debug)]
pub enum Failure {
    Content(Vec<Diagnostic>),
    Io(String),
}

pub struct Checked {
    pub config: Config,
    pub catalogue: Option<Catalogue>,
    pub emblem: Option<Emblem>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The current year, for "start_year ≤ next year"; passed in so builds stay reproducible.
    pub this_year: i32,
}

/// config → load → validate, writing nothing.
pub fn check(opts: &BuildOptions) -> Checked {
    let mut diags = Diagnostics::default();
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            Config::parse("").expect("defaults parse")
        }
    };
    if let Some(b) = &opts.base_url {
        config.site.base_url = if b.ends_with('/') {
            b.clone()
        } else {
            format!("{b}/")
        };
    }
    let vopts = Options {
        include_drafts: opts.drafts,
        years: YearRange {
            min: 1945,
            max: i64::from(opts.this_year) + 1,
        },
        previous_order: None,
    };
    let (emblem, d) = emblem::load(&config, &opts.root);
    diags.extend(d);
    // The theme as `build` reads it: a theme outside the catalogue fails both alike.
    if let Err(d) = Theme::load(&opts.root, &config.site.theme, config.site.language) {
        diags.push(d);
    }
    let loaded = content::load::load(&opts.root);
    let (catalogue, d) = content::validate::validate(loaded.clone(), &vopts);
    diags.extend(d);
    // Books are checked with the content: a wrong [[book]] is an editor's mistake too. They
    // print only published entries, so a selection is checked as `build` will see it even
    // when drafts are being checked.
    if let Some(cat) = &catalogue {
        if opts.drafts {
            let published = Options {
                include_drafts: false,
                ..vopts
            };
            if let (Some(published), _) = content::validate::validate(loaded, &published) {
                diags.extend(book::plan(&config, &published, &opts.root).1);
            }
        } else {
            diags.extend(book::plan(&config, cat, &opts.root).1);
        }
    }
    let has_errors = diags.has_errors();
    Checked {
        config,
        catalogue: if has_errors { None } else { catalogue },
        emblem,
        diagnostics: diags.into_sorted(),
    }
}

pub struct Built {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub entries: usize,
    /// The completeness report.
    pub warnings: Vec<Diagnostic>,
    /// Profiles longer than two pages.
    pub book_warnings: Vec<Diagnostic>,
}

/// The whole site, into a staging folder swapped in only on success.
pub fn build(opts: &BuildOptions) -> Result<Built, Failure> {
    let checked = check(opts);
    let Some(cat) = checked.catalogue else {
        return Err(Failure::Content(checked.diagnostics));
    };
    let config = checked.config;
    let theme = Theme::load(&opts.root, &config.site.theme, config.site.language)
        .map_err(|d| Failure::Content(vec![d]))?;
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    let (books, book_warnings) = render_books(&config, &cat, &theme, &opts.root, None)?;
    let entries = cat.entries.len();
    let markdown = Markdown::new(&config.base_path());
    let records = search::records(
        &cat,
        &ViewBuilder::sharing(&config, &cat, &theme, &markdown),
    );
    let lang = config.site.language.code().to_string();
    let search_page = SearchPage::of(&records);
    let mut site = Site::new(
        config,
        cat,
        theme,
        books,
        search_page,
        markdown,
        checked.emblem,
    )
    .map_err(|d| Failure::Content(vec![d]))?;
    site.routes().map_err(Failure::Content)?;
    let staging = Staging::new(&out).map_err(|e| {
        Failure::Io(format!(
            "cannot create a staging folder beside {}: {e}",
            out.display()
        ))
    })?;
    let sink = DirSink::new(staging.path());
    // Nothing the index is made from changed since the previous build: take its bundle over.
    let key = reuse::key(&records, &lang);
    let previous = reuse::previous(&out, &key);
    // Otherwise the index is built on its own thread while the pages render (both in rayon's
    // pool); only /cari/ waits for it, as it shows what the index holds.
    let (written, bundle) = std::thread::scope(|s| {
        let indexer = s.spawn(|| match previous {
            Some(b) => Ok(b),
            None => search::index(&records, &lang, &|path, bytes| sink.put(path, &bytes))
                .map(|ix| reuse::Bundle::made(ix, key)),
        });
        let written = site::write_routes(&site, &sink, |r| !site.is_search_page(r));
        let bundle = indexer
            .join()
            .unwrap_or_else(|_| Err("the indexer stopped".into()));
        (written, bundle)
    });
    let site_failure = |f| match f {
        site::Failure::Content(d) => Failure::Content(vec![d]),
        site::Failure::Io(m) => Failure::Io(m),
    };
    let mut files = written.map_err(site_failure)?;
    let bundle = bundle.map_err(|e| Failure::Io(format!("cannot build the search index: {e}")))?;
    let page = site.search.clone().indexed(
        bundle.common.clone(),
        bundle.sorts.clone(),
        bundle.preload.clone(),
    );
    site.set_search(page);
    files += site::write_routes(&site, &sink, |r| site.is_search_page(r)).map_err(site_failure)?;
    site::link_files(&sink, &bundle.previous).map_err(site_failure)?;
    files += bundle.files;
    files += site::write_files(&sink, std::slice::from_ref(&bundle.stamp)).map_err(site_failure)?;
    staging.commit().map_err(|e| {
        Failure::Io(format!(
            "cannot move the new site into {}: {e}",
            out.display()
        ))
    })?;
    let warnings = checked
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    Ok(Built {
        out,
        pages: site.pages.len(),
        files,
        entries,
        warnings,
        book_warnings,
    })
}

/// Typesets the books of book.toml (or only `only`), in parallel.
pub fn render_books(
    config: &Config,
    cat: &Catalogue,
    theme: &Theme,
    root: &Path,
    only: Option<&str>,
) -> Result<(Vec<site::BookOut>, Vec<Diagnostic>), Failure> {
    let (plans, diags) = book::plan(config, cat, root);
    if !diags.is_empty() {
        return Err(Failure::Content(diags));
    }
    let plans: Vec<_> = plans
        .into_iter()
        .filter(|p| only.is_none_or(|id| p.spec.id.get_ref() == id))
        .collect();
    if let Some(id) = only
        && plans.is_empty()
    {
        let ids: Vec<&str> = config
            .books
            .iter()
            .map(|b| b.id.get_ref().as_str())
            .collect();
        return Err(Failure::Content(vec![
            Diagnostic::error(
                "book.toml",
                Pos::FILE,
                format!("no [[book]] has the id `{id}`"),
            )
            .with_hint(if ids.is_empty() {
                "declare one with [[book]] in book.toml (see README, \"Books\")".to_string()
            } else {
                format!("books declared: {}", ids.join(", "))
            }),
        ]));
    }
    if plans.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let fonts = book::world::Fonts::bundled();
    use rayon::prelude::*;
    let results: Vec<Result<(book::Book, &book::Plan), book::BookFailure>> = plans
        .par_iter()
        .map(|p| book::render(p, config, cat, theme, &fonts, None).map(|b| (b, p)))
        .collect();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((b, p)) => {
                warnings.extend(b.warnings);
                out.push(site::BookOut {
                    id: b.id,
                    title: p.spec.title.clone(),
                    subtitle: p.spec.subtitle.clone(),
                    year: p.spec.year,
                    entries: p.entries.clone(),
                    pages: Some(b.pages),
                    pdf: Some(std::sync::Arc::new(b.pdf)),
                });
            }
            Err(book::BookFailure::Content(d)) => errors.push(d),
            Err(book::BookFailure::Internal(m)) => return Err(Failure::Io(m)),
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Content(errors));
    }
    Ok((out, warnings))
}

pub struct Printed {
    pub files: Vec<(PathBuf, usize)>,
    pub warnings: Vec<Diagnostic>,
}

/// `lontara book [ID]`: only the PDF(s), written to `out` (default `<root>/buku/`).
pub fn books(opts: &BuildOptions, only: Option<&str>) -> Result<Printed, Failure> {
    let checked = check(opts);
    let Some(cat) = checked.catalogue else {
        return Err(Failure::Content(checked.diagnostics));
    };
    let config = checked.config;
    if config.books.is_empty() {
        return Err(Failure::Content(vec![
            Diagnostic::error("book.toml", Pos::FILE, "no book is declared")
                .with_hint("add a [[book]] table to book.toml (see README, \"Books\")"),
        ]));
    }
    let theme = Theme::load(&opts.root, &config.site.theme, config.site.language)
        .map_err(|d| Failure::Content(vec![d]))?;
    let (books, warnings) = render_books(&config, &cat, &theme, &opts.root, only)?;
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("buku"));
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", out.display())))?;
    let mut files = Vec::new();
    for b in books {
        let path = out.join(format!("{}.pdf", b.id));
        // Written beside, then renamed: a reader never opens half a PDF.
        let tmp = out.join(format!(".{}.pdf.tmp", b.id));
        std::fs::write(&tmp, b.pdf.as_deref().map_or(&[][..], |p| p.as_slice()))
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
        files.push((path, b.pages.unwrap_or(0)));
    }
    Ok(Printed { files, warnings })
}

/// `lontara new`: a new entry with every field of the contract in place.
pub fn new_entry(root: &Path, name: &str, agency: &str) -> Result<PathBuf, Failure> {
    let slug = crate::text::slugify(name);
    if slug.is_empty() {
        return Err(Failure::Content(vec![
            Diagnostic::error("", Pos::FILE, format!("`{name}` gives an empty file name"))
                .with_hint("use letters or digits in the name"),
        ]));
    }
    // The agency must exist, so the new file passes `check` from the start.
    let mut diags = Vec::new();
    let loaded = content::load::load(root);
    let reg = content::registry::Registry::parse(
        "agency",
        "content/agencies.yaml",
        loaded.agencies.as_ref(),
        &mut diags,
    );
    let agency_key = match reg.resolve(agency, "--agency", Pos::FILE) {
        content::registry::Resolved::Found(a) => a.key.clone(),
        content::registry::Resolved::Unknown(d) => return Err(Failure::Content(vec![d])),
    };
    let dir = root.join("content").join("innovations");
    let path = dir.join(format!("{slug}.md"));
    for existing in [path.clone(), dir.join(&slug).join("index.md")] {
        if existing.exists() {
            let rel = crate::diagnostics::display_path(root, &existing);
            return Err(Failure::Content(vec![
                Diagnostic::error(
                    &rel,
                    Pos::FILE,
                    "this entry already exists; nothing was written",
                )
                .with_hint("edit the existing file, or choose another name"),
            ]));
        }
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    std::fs::write(&path, template(name, &agency_key))
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

fn template(name: &str, agency: &str) -> String {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    format!(
        r#"---
acronym: {quoted}
# expansion: Kepanjangan akronim
agency: {agency}
# innovator: Nama Inovator            # atau daftar: [Nama A, Nama B]
# start_year: 2024
# awards:
#   - competition: kipp                # kunci dari content/competitions.yaml
#     level: kabupaten                 # desa | kecamatan | kabupaten | kota | provinsi | nasional | internasional
#     year: 2024
#     approximate_year: false          # true bila sumber tidak menyebut tahunnya; tahun di atas perkiraan terbaik
#     rank: Top 7
#     organizer: Pemerintah Kabupaten
#     category: null
# summary: >
#   Ringkasan inovasi, paling banyak 200 kata.
# sector: kesehatan
# stage: penerapan                     # inisiatif | uji-coba | penerapan
# digital: false
# district: Nama Kecamatan
# villages: [Nama Desa]
# sdgs: [3]                            # nomor 1 sampai 17
# aliases: []
# former_names: []
# tags: []
# replication_of: nama-berkas-inovasi-asal
# sources:
#   - {{ title: "Judul berita", publisher: "Nama media", date: 2024-01-31, url: "https://..." }}
# images: []                           # hanya untuk bentuk folder: content/innovations/<slug>/index.md
# draft: false
# extra: {{}}
---

## Latar Belakang

## Keunikan

## Dampak

## Keberlanjutan
"#
    )
}

/// The current calendar year from the system clock (UTC).
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant), year part only.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

#[cfg(test)]
mod tests {
    #[test]
    fn current_year_is_plausible() {
        let y = super::current_year();
        assert!((2024..2200).contains(&y), "{y}");
    }
}
