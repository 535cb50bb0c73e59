//! The website of one catalogue: a `Site` holds everything pages are rendered from (settings,
//! Catalogue, theme, books, the search page's facets) and the plan of its pages (see `plan`).
//! Every file of the site has a route: a page of the plan, a theme asset, an entry's image,
//! a book's PDF, or a generated file (feed, sitemap, robots.txt, open data). `build` renders
//! every route into a `Sink` (the staging folder); `serve` renders them on demand, in memory.

pub mod chart;
pub mod data;
pub mod feed;
pub mod plan;
pub mod render;
pub mod reuse;
pub mod search;
pub mod stats;
pub mod theme;
pub mod urls;
pub mod views;

use crate::config::Config;
use crate::content::Catalogue;
use crate::diagnostics::{Diagnostic, Pos};
use crate::emblem::Emblem;
use crate::markdown::Markdown;
use plan::{Inputs, Planned, hash_of};
use rayon::prelude::*;
use render::Facets;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use tera::{Tera, Value};
use theme::Theme;
use views::{Link, ViewBuilder};

/// A book of book.toml, for /buku/<id>/ and /buku/<id>.pdf.
pub struct BookOut {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub year: Option<i32>,
    /// Indices into `Catalogue::entries`, in print order.
    pub entries: Vec<usize>,
    /// Known once typeset: always in `build`, in `serve` only after the PDF's first request.
    pub pages: Option<usize>,
    pub pdf: Option<Arc<Vec<u8>>>,
}

/// What the search page shows before a reader searches: facet counts over the whole
/// catalogue, and what it needs to know of the index (the words left out of multi-word
/// queries, the files of each order).
#[derive(Default, Clone)]
pub struct SearchPage {
    pub facets: Facets,
    pub common: Vec<String>,
    /// Order (`urut=`) → its file in the bundle folder.
    pub sorts: BTreeMap<String, String>,
    /// True while the index lags behind the pages (only in `serve`).
    pub stale: bool,
    /// What the page fetches of the index before its script asks (see `search::Preload`).
    pub preload: search::Preload,
}

impl SearchPage {
    /// Before the index is built: the facet counts, from the records.
    pub fn of(records: &[search::Record]) -> SearchPage {
        SearchPage {
            facets: search::facet_counts(records),
            ..SearchPage::default()
        }
    }

    /// With what the index built from the same records says.
    pub fn indexed(
        self,
        common: Vec<String>,
        sorts: BTreeMap<String, String>,
        preload: search::Preload,
    ) -> SearchPage {
        SearchPage {
            common,
            sorts,
            preload,
            ..self
        }
    }
}

/// A file of the site that is not a page of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Page(usize),
    Asset(String),
    Image {
        entry: usize,
        file: PathBuf,
    },
    /// The region's emblem of book.toml, at `lambang.<ext>`.
    Emblem,
    BookPdf(usize),
    Sitemap,
    Atom,
    Robots,
    DataJson,
    DataCsv,
}

pub struct Site {
    pub config: Config,
    pub cat: Catalogue,
    pub theme: Theme,
    pub books: Vec<BookOut>,
    pub search: SearchPage,
    pub emblem: Option<Emblem>,
    pub pages: Vec<Planned>,
    /// Per entry: a fingerprint of its file and of the entries it names.
    pub entry_fingerprints: Vec<u64>,
    /// Per entry: a fingerprint of the fields its card shows.
    pub card_fingerprints: Vec<u64>,
    /// Settings, theme, registries, menu and books: what every page reads.
    pub global_fingerprint: u64,
    tera: Tera,
    markdown: Markdown,
    cards: Vec<OnceLock<Value>>,
}

impl Site {
    /// Plans the site. Fails only on a template that does not compile.
    pub fn new(
        config: Config,
        cat: Catalogue,
        theme: Theme,
        books: Vec<BookOut>,
        search: SearchPage,
        markdown: Markdown,
        emblem: Option<Emblem>,
    ) -> Result<Site, Diagnostic> {
        let mut tera = render::build_tera(&theme)?;
        let mut cat = cat;
        add_unknown_year(&mut cat, &theme);
        let urls = urls::Urls {
            base: config.base_path(),
        };
        let menu: Vec<Link> = cat
            .pages
            .iter()
            .filter(|p| p.order.is_some())
            .map(|p| Link {
                label: p.title.clone(),
                url: urls.link(&format!("{}/", p.slug)),
            })
            .collect();
        let globals = render::SiteGlobals {
            site: serde_json::json!({
                "title": config.site.title,
                "description": config.site.description,
                "base": urls.base,
                "base_url": config.site.base_url,
                "lang": config.site.language.code(),
                "publisher": config.site.publisher,
                "region": config.site.region,
                "menu": menu,
                "extra": config.extra,
                "nav": render::nav(&urls, &theme),
                "emblem": emblem.as_ref().map(|e| urls.link(&e.site_path())),
            }),
            strings: theme.strings.clone(),
        };
        render::set_globals(&mut tera, &globals);

        let global_fingerprint = {
            let mut h = plan::hasher();
            globals.site.to_string().hash(&mut h);
            theme.fingerprint().hash(&mut h);
            format!("{:?}{:?}", cat.agencies, cat.competitions).hash(&mut h);
            config.site.per_page.hash(&mut h);
            for b in &books {
                (&b.id, &b.title, &b.subtitle, b.year, b.pages).hash(&mut h);
            }
            h.finish()
        };
        let entry_fingerprints = entry_fingerprints(&cat);
        let card_fingerprints: Vec<u64> = cat.entries.par_iter().map(card_fingerprint).collect();
        let search_fp = search_fingerprint(&search);
        let pages = plan::plan(
            &cat,
            &books,
            theme.t("all_innovations"),
            config.site.per_page,
            &Inputs {
                global: global_fingerprint,
                entries: &entry_fingerprints,
                cards: &card_fingerprints,
                search: search_fp,
            },
        );
        let cards = (0..cat.entries.len()).map(|_| OnceLock::new()).collect();
        Ok(Site {
            config,
            cat,
            theme,
            books,
            search,
            emblem,
            pages,
            entry_fingerprints,
            card_fingerprints,
            global_fingerprint,
            tera,
            markdown,
            cards,
        })
    }

    /// Shows another state of the search index on /cari/ (only that page's fingerprint moves).
    pub fn set_search(&mut self, search: SearchPage) {
        self.search = search;
        let inputs = Inputs {
            global: self.global_fingerprint,
            entries: &self.entry_fingerprints,
            cards: &self.card_fingerprints,
            search: search_fingerprint(&self.search),
        };
        for p in &mut self.pages {
            if matches!(p.job, plan::Job::Search) {
                p.fingerprint = plan::fingerprint(&p.job, &self.cat, &self.books, &inputs);
            }
        }
    }

    /// Whether `route` is /cari/, the one page that shows what the search index holds.
    pub fn is_search_page(&self, route: &Route) -> bool {
        matches!(route, Route::Page(i) if matches!(self.pages[*i].job, plan::Job::Search))
    }

    pub fn views(&self) -> ViewBuilder<'_> {
        ViewBuilder::sharing(&self.config, &self.cat, &self.theme, &self.markdown)
    }

    /// An entry's card, made once per Site and shared by every list showing it.
    pub fn card(&self, i: usize) -> Value {
        self.cards[i]
            .get_or_init(|| Value::from_serializable(&self.views().card(&self.cat.entries[i])))
            .clone()
    }

    pub fn render_page(&self, i: usize) -> Result<String, Diagnostic> {
        render::page(self, &self.pages[i])
    }

    /// Every file of the site by its path. Two sources claiming one path (an image named
    /// `index.html`, a theme file named like a page) are an error, not a silent overwrite.
    pub fn routes(&self) -> Result<BTreeMap<String, Route>, Vec<Diagnostic>> {
        let mut routes = BTreeMap::new();
        let mut diags = Vec::new();
        let mut add = |path: String, route: Route, owner: &str, diags: &mut Vec<Diagnostic>| {
            if let Some(first) = routes.get(&path) {
                if *first != route {
                    diags.push(
                        Diagnostic::error(
                            owner,
                            Pos::FILE,
                            format!("`/{path}` is already a page of the site"),
                        )
                        .with_hint("rename the file: it would overwrite a generated page"),
                    );
                }
                return;
            }
            routes.insert(path, route);
        };
        for (i, p) in self.pages.iter().enumerate() {
            add(urls::file_for(&p.path), Route::Page(i), "", &mut diags);
        }
        for g in [
            ("sitemap.xml", Route::Sitemap),
            ("atom.xml", Route::Atom),
            ("robots.txt", Route::Robots),
            ("data/inovasi.json", Route::DataJson),
            ("data/inovasi.csv", Route::DataCsv),
        ] {
            add(g.0.to_string(), g.1, "", &mut diags);
        }
        if let Some(e) = &self.emblem {
            add(e.site_path(), Route::Emblem, "book.toml", &mut diags);
        }
        for (i, b) in self.books.iter().enumerate() {
            add(
                urls::book_pdf(&b.id),
                Route::BookPdf(i),
                "book.toml",
                &mut diags,
            );
        }
        for (i, e) in self.cat.entries.iter().enumerate() {
            if let Some(dir) = &e.asset_dir {
                for img in &e.images {
                    add(
                        format!("{}{img}", urls::entry(&e.slug)),
                        Route::Image {
                            entry: i,
                            file: dir.join(img),
                        },
                        &e.file,
                        &mut diags,
                    );
                }
            }
        }
        for rel in self.theme.assets.keys() {
            let owner = self
                .theme
                .asset_file(rel)
                .unwrap_or_else(|| format!("{}/static/{rel}", self.theme.origin));
            add(rel.clone(), Route::Asset(rel.clone()), &owner, &mut diags);
        }
        if diags.is_empty() {
            Ok(routes)
        } else {
            Err(diags)
        }
    }

    /// The bytes of a route. Pages render; files are read or generated.
    pub fn produce(&self, route: &Route) -> Result<Vec<u8>, Failure> {
        let vb = self.views();
        Ok(match route {
            Route::Page(i) => self.render_page(*i).map_err(Failure::Content)?.into_bytes(),
            Route::Asset(rel) => self.theme.assets.get(rel).cloned().unwrap_or_default(),
            Route::Emblem => self
                .emblem
                .as_ref()
                .map(|e| e.bytes.clone())
                .unwrap_or_default(),
            Route::Image { file, .. } => std::fs::read(file).map_err(|e| {
                Failure::Io(format!("cannot read the image {}: {e}", file.display()))
            })?,
            Route::BookPdf(i) => self.books[*i]
                .pdf
                .as_ref()
                .map(|p| p.as_ref().clone())
                .unwrap_or_default(),
            Route::Sitemap => {
                // The search page is for readers, not for search engines (it carries noindex).
                let paths: Vec<String> = self
                    .pages
                    .iter()
                    .filter(|p| !matches!(p.job, plan::Job::Search | plan::Job::NotFound))
                    .map(|p| p.path.clone())
                    .collect();
                feed::sitemap(&self.config, &paths).into_bytes()
            }
            Route::Atom => feed::atom(&self.config, &self.cat, &vb).into_bytes(),
            Route::Robots => format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                self.config.absolute("sitemap.xml")
            )
            .into_bytes(),
            Route::DataJson => data::json(&self.cat, &vb),
            Route::DataCsv => data::csv(&self.cat, &vb),
        })
    }
}

/// Why a route could not be produced: the editor's content or theme (a located diagnostic),
/// or the machine (an unreadable file).
#[derive(Debug)]
pub enum Failure {
    Content(Diagnostic),
    Io(String),
}

/// /tahun/ lists every entry: those whose start year is not recorded form a group of their
/// own, listed last and named in the UI language (so it is added here, not in the Catalogue,
/// which knows no UI strings). Year keys are digits, so its key takes no year's address.
fn add_unknown_year(cat: &mut Catalogue, theme: &Theme) {
    let members: Vec<usize> = (0..cat.entries.len())
        .filter(|i| cat.entries[*i].start_year.is_none())
        .collect();
    if !members.is_empty() {
        cat.by_year.push(crate::content::catalogue::Group {
            key: urls::UNKNOWN_YEAR.to_string(),
            label: theme.t("year_not_recorded"),
            members,
        });
    }
}

fn search_fingerprint(s: &SearchPage) -> u64 {
    hash_of((
        format!("{:?}", s.facets),
        &s.common,
        &s.sorts,
        s.stale,
        &s.preload,
    ))
}

/// The fields `ViewBuilder::card` reads.
fn card_fingerprint(e: &crate::content::Innovation) -> u64 {
    let mut h = plan::hasher();
    (
        &e.slug,
        &e.acronym,
        &e.expansion,
        &e.agency,
        e.start_year,
        &e.summary,
    )
        .hash(&mut h);
    for a in &e.awards {
        (
            &a.key,
            &a.competition,
            a.level,
            a.year,
            &a.rank,
            &a.organizer,
            &a.category,
        )
            .hash(&mut h);
        a.approximate_year.hash(&mut h);
    }
    h.finish()
}

/// What an entry page reads of the catalogue: its own file, and the acronyms of the
/// entries it names (replication links).
fn entry_fingerprints(cat: &Catalogue) -> Vec<u64> {
    let own: Vec<u64> = cat
        .entries
        .iter()
        .map(|e| {
            hash_of((
                (&e.slug, &e.file, e.source_hash),
                &e.replicated_by,
                &e.replication_of,
            ))
        })
        .collect();
    let at: std::collections::HashMap<&str, usize> = cat
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.slug.as_str(), i))
        .collect();
    cat.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut h = plan::hasher();
            own[i].hash(&mut h);
            for slug in e.replication_of.iter().chain(&e.replicated_by) {
                if let Some(j) = at.get(slug.as_str()) {
                    own[*j].hash(&mut h);
                }
            }
            h.finish()
        })
        .collect()
}

/// Where a build's files go: the staging folder (`build`) or memory (tests, `serve`).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;

    /// The file `from`, as it is, at `path`.
    fn link(&self, path: &str, from: &std::path::Path) -> Result<(), String> {
        let bytes =
            std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        self.put(path, &bytes)
    }
}

/// A folder on disk.
pub struct DirSink<'a> {
    root: &'a std::path::Path,
    /// Folders already made: asking the file system again costs two system calls a file.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl<'a> DirSink<'a> {
    pub fn new(root: &'a std::path::Path) -> DirSink<'a> {
        DirSink {
            root,
            made: Default::default(),
        }
    }

    /// The path of `rel`, its folder made.
    fn prepare(&self, rel: &str) -> Result<PathBuf, String> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            let known = self.made.lock().is_ok_and(|m| m.contains(parent));
            if !known {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        Ok(path)
    }
}

impl Sink for DirSink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.prepare(rel)?;
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// A hard link where the file system allows one (the staging folder is beside the
    /// previous output), a copy otherwise.
    fn link(&self, rel: &str, from: &std::path::Path) -> Result<(), String> {
        let path = self.prepare(rel)?;
        std::fs::hard_link(from, &path)
            .or_else(|_| std::fs::copy(from, &path).map(|_| ()))
            .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), path.display()))
    }
}

/// What a build produced, for the summary line.
#[derive(Debug, Default)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
}

/// The routes of the site that `which` accepts, into `sink`, in parallel. Returns how many.
pub fn write_routes(
    site: &Site,
    sink: &dyn Sink,
    which: impl Fn(&Route) -> bool + Sync,
) -> Result<usize, Failure> {
    let routes = site
        .routes()
        .map_err(|mut d| Failure::Content(d.remove(0)))?;
    let routes: Vec<(&String, &Route)> = routes.iter().filter(|(_, r)| which(r)).collect();
    routes
        .par_iter()
        .map(|(path, route)| {
            let bytes = site.produce(route)?;
            sink.put(path, &bytes).map_err(Failure::Io)
        })
        .collect::<Result<Vec<()>, Failure>>()?;
    Ok(routes.len())
}

/// Files made elsewhere (the search bundle), into `sink`, in parallel.
pub fn write_files(sink: &dyn Sink, files: &[(String, Vec<u8>)]) -> Result<usize, Failure> {
    files
        .par_iter()
        .map(|(rel, bytes)| sink.put(rel, bytes).map_err(Failure::Io))
        .collect::<Result<Vec<()>, Failure>>()?;
    Ok(files.len())
}

/// Files on disk (a previous build's search bundle), into `sink` as they are.
pub fn link_files(sink: &dyn Sink, files: &[(String, PathBuf)]) -> Result<usize, Failure> {
    files
        .par_iter()
        .map(|(rel, from)| sink.link(rel, from).map_err(Failure::Io))
        .collect::<Result<Vec<()>, Failure>>()?;
    Ok(files.len())
}
