//! A long-lived build session, for `serve`: it keeps what it read and rendered, and after
//! a change redoes only what the change reaches.
//!
//! Each rebuild runs the whole pipeline in logic (settings → content → Catalogue → plan), but
//! files whose size, time and watcher report are unchanged are not read again (the parse
//! cache of `content::load`), and a page whose fingerprint is unchanged is not rendered
//! again: its bytes are taken from the previous snapshot. A rebuild either yields a complete
//! new `Snapshot` or fails with diagnostics and leaves the previous one in place, so readers
//! never see half of an edit.

pub mod books;

use crate::commands::BuildOptions;
use crate::config::Config;
use crate::content::entry::YearRange;
use crate::content::load::{SourceCache, load_cached};
use crate::content::validate::{self, Options};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::markdown::Markdown;
use crate::site::plan::hash_of;
use crate::site::search::{self, Record};
use crate::site::theme::Theme;
use crate::site::{self, Route, SearchPage, Site, urls};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One consistent version of the site.
pub struct Snapshot {
    pub site: Site,
    /// Every file of the site by path (`inovasi/x/index.html`), and where it comes from.
    pub routes: BTreeMap<String, Route>,
    /// Rendered pages by route path.
    pub pages: HashMap<String, Arc<Vec<u8>>>,
    /// Files made on first request (feed, data, images, PDFs), kept for this snapshot.
    lazy: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// A fingerprint of everything the search index reads.
    pub content_fingerprint: u64,
    pub generation: u64,
}

impl Snapshot {
    /// The bytes at a route path, rendering or reading them if needed.
    pub fn get(
        &self,
        path: &str,
        books: &books::BookCache,
        root: &std::path::Path,
    ) -> Option<Result<Arc<Vec<u8>>, String>> {
        if let Some(b) = self.pages.get(path) {
            return Some(Ok(b.clone()));
        }
        let route = self.routes.get(path)?;
        if let Some(b) = self.lazy.lock().ok()?.get(path) {
            return Some(Ok(b.clone()));
        }
        let made = match route {
            Route::BookPdf(i) => books.pdf(&self.site, *i, root),
            r => self.site.produce(r).map_err(|f| match f {
                site::Failure::Content(d) => d.message,
                site::Failure::Io(m) => m,
            }),
        };
        Some(made.map(|bytes| {
            let bytes = Arc::new(bytes);
            if let Ok(mut lazy) = self.lazy.lock() {
                lazy.insert(path.to_string(), bytes.clone());
            }
            bytes
        }))
    }
}

/// What a rebuild did.
pub enum Outcome {
    Updated(Update),
    Failed(Vec<Diagnostic>),
}

pub struct Update {
    pub snapshot: Arc<Snapshot>,
    /// Site paths ("inovasi/x/", "style.css") whose bytes changed, appeared or went away.
    pub changed: Vec<String>,
    /// Entries whose page changed, appeared or went away, by slug.
    pub entries: Vec<String>,
    /// Only stylesheets changed: pages can swap them without reloading.
    pub css_only: bool,
    pub rendered: usize,
    pub took: Duration,
    /// Time spent in each step, for `LONTARA_TRACE`.
    pub phases: Vec<(&'static str, Duration)>,
}

/// The steps of a rebuild, timed.
struct Phases {
    last: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn new(started: Instant) -> Phases {
        Phases {
            last: started,
            done: Vec::new(),
        }
    }

    /// `step` ended now.
    fn mark(&mut self, step: &'static str) {
        let now = Instant::now();
        self.done.push((step, now - self.last));
        self.last = now;
    }

    fn done(mut self) -> Vec<(&'static str, Duration)> {
        self.mark("snapshot");
        self.done
    }
}

pub struct Session {
    opts: BuildOptions,
    sources: SourceCache,
    entries: validate::EntryMemo,
    markdown: Option<Markdown>,
    current: Option<Arc<Snapshot>>,
    /// Search records by entry fingerprint, and what the index was last built from.
    records: HashMap<u64, Arc<Record>>,
    search: SearchPage,
    indexed: Option<u64>,
    /// The last catalogue order, for the next sort.
    order: Option<Arc<HashMap<String, usize>>>,
    pub books: Arc<books::BookCache>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            sources: SourceCache::default(),
            entries: validate::EntryMemo::default(),
            markdown: None,
            current: None,
            records: HashMap::new(),
            search: SearchPage::default(),
            indexed: None,
            order: None,
            books: Arc::new(books::BookCache::default()),
        }
    }

    /// A session kept informed by a file watcher: files the watcher does not name are not
    /// looked at again (see `SourceCache::watched`).
    pub fn watched(mut self) -> Session {
        self.sources = SourceCache::watched();
        self
    }

    /// Drops the parse cache: after the watcher lost track, every file is read again.
    pub fn forget_all(mut self) -> Session {
        self.sources.clear();
        self
    }

    pub fn root(&self) -> &std::path::Path {
        &self.opts.root
    }

    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.clone()
    }

    /// Rebuilds after `dirty` changed on disk (empty: re-plan only, e.g. after indexing).
    pub fn rebuild(&mut self, dirty: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let mut phases = Phases::new(started);
        self.sources.forget(dirty);
        let mut diags = Diagnostics::default();
        let mut config = match Config::load(&self.opts.root) {
            Ok(c) => c,
            Err(d) => return Outcome::Failed(vec![d]),
        };
        if let Some(b) = &self.opts.base_url {
            config.site.base_url = b.clone();
        }
        let vopts = Options {
            include_drafts: self.opts.drafts,
            years: YearRange {
                min: 1945,
                max: i64::from(self.opts.this_year) + 1,
            },
            previous_order: self.order.clone(),
        };
        phases.mark("config");
        let loaded = load_cached(&self.opts.root, &mut self.sources);
        phases.mark("load");
        let (cat, d) = validate::validate_with(loaded, &vopts, &mut self.entries);
        diags.extend(d);
        let Some(cat) = cat else {
            return Outcome::Failed(errors(diags));
        };
        self.order = Some(Arc::new(
            cat.entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.slug.clone(), i))
                .collect(),
        ));
        phases.mark("validate");
        diags.extend(crate::book::plan(&config, &cat, &self.opts.root).1);
        let (emblem, d) = crate::emblem::load(&config, &self.opts.root);
        diags.extend(d);
        if diags.has_errors() {
            return Outcome::Failed(errors(diags));
        }
        phases.mark("books+emblem");
        let theme = match Theme::load(&self.opts.root, &config.site.theme, config.site.language) {
            Ok(t) => t,
            Err(d) => return Outcome::Failed(vec![d]),
        };
        let base = config.base_path();
        let markdown = match &self.markdown {
            Some(m) if m.base_path() == base => m.clone(),
            _ => Markdown::new(&base),
        };
        self.markdown = Some(markdown.clone());
        phases.mark("theme");
        let books = self.books.outs(&config, &cat, &theme, &self.opts.root);
        phases.mark("book outs");
        let mut site = match Site::new(
            config,
            cat,
            theme,
            books,
            SearchPage::default(),
            markdown,
            emblem,
        ) {
            Ok(s) => s,
            Err(d) => return Outcome::Failed(vec![d]),
        };
        let content_fingerprint = hash_of((&site.entry_fingerprints, site.global_fingerprint));
        let mut search_page = self.search.clone();
        search_page.stale = self.indexed != Some(content_fingerprint);
        site.set_search(search_page);
        phases.mark("site");
        let routes = match site.routes() {
            Ok(r) => r,
            Err(d) => return Outcome::Failed(d),
        };

        phases.mark("routes");
        // Render what changed; reuse the rest.
        let old = self.current.clone();
        let old_fp: HashMap<&str, u64> = old
            .as_ref()
            .map(|o| {
                o.site
                    .pages
                    .iter()
                    .map(|p| (p.path.as_str(), p.fingerprint))
                    .collect()
            })
            .unwrap_or_default();
        // (file, bytes, rendered now?)
        type Rendered = Result<(String, Arc<Vec<u8>>, bool), Diagnostic>;
        let rendered: Vec<Rendered> = site
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let file = urls::file_for(&p.path);
                if old_fp.get(p.path.as_str()) == Some(&p.fingerprint)
                    && let Some(bytes) = old.as_ref().and_then(|o| o.pages.get(&file))
                {
                    return Ok((file, bytes.clone(), false));
                }
                let html = site.render_page(i)?;
                Ok((file, Arc::new(html.into_bytes()), true))
            })
            .collect();
        phases.mark("render");
        let mut pages = HashMap::with_capacity(rendered.len());
        let mut changed = Vec::new();
        let mut failures = Vec::new();
        let mut count = 0;
        for r in rendered {
            match r {
                Ok((file, bytes, fresh)) => {
                    if fresh {
                        count += 1;
                        changed.push(file.clone());
                    }
                    pages.insert(file, bytes);
                }
                Err(d) => failures.push(d),
            }
        }
        if !failures.is_empty() {
            failures
                .sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
            failures.dedup();
            return Outcome::Failed(failures);
        }

        // Files: theme assets and images that changed, and every path that went away.
        let pages_changed = !changed.is_empty();
        let mut css_only = false;
        if let Some(o) = &old {
            for (rel, bytes) in &site.theme.assets {
                if o.site.theme.assets.get(rel) != Some(bytes) {
                    changed.push(rel.clone());
                }
            }
            for path in o.routes.keys() {
                if !routes.contains_key(path) {
                    changed.push(path.clone());
                }
            }
            let dirty_images: HashSet<&PathBuf> = dirty.iter().collect();
            for (path, route) in &routes {
                let file = match route {
                    Route::Image { file, .. } => Some(file.clone()),
                    Route::Emblem => site.emblem.as_ref().map(|e| self.opts.root.join(&e.rel)),
                    _ => None,
                };
                if file.is_some_and(|f| dirty_images.contains(&f)) {
                    changed.push(path.clone());
                }
            }
            css_only = !pages_changed
                && !changed.is_empty()
                && changed.iter().all(|p| p.ends_with(".css"));
        }
        changed.sort();
        changed.dedup();
        phases.mark("compare");
        let entries = changed_entries(old.as_deref(), &site);
        let generation = old.as_ref().map_or(1, |o| o.generation + 1);
        let snapshot = Arc::new(Snapshot {
            site,
            routes,
            pages,
            lazy: Mutex::new(HashMap::new()),
            content_fingerprint,
            generation,
        });
        self.current = Some(snapshot.clone());
        Outcome::Updated(Update {
            snapshot,
            changed,
            entries,
            css_only,
            rendered: count,
            took: started.elapsed(),
            phases: phases.done(),
        })
    }

    /// The records the search index needs now, made only for entries that changed since
    /// they were last made; None when the index is already up to date.
    pub fn index_job(&mut self) -> Option<(u64, Vec<Record>, String)> {
        let snap = self.current.clone()?;
        if self.indexed == Some(snap.content_fingerprint) {
            return None;
        }
        let site = &snap.site;
        let vb = site.views();
        let mut fresh: HashMap<u64, Arc<Record>> = HashMap::new();
        let records: Vec<Record> = site
            .cat
            .entries
            .iter()
            .zip(&site.entry_fingerprints)
            .map(|(e, fp)| {
                let key = hash_of((fp, site.global_fingerprint));
                let r = self
                    .records
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| Arc::new(search::record(&vb, e)));
                fresh.insert(key, r.clone());
                (*r).clone()
            })
            .collect();
        self.records = fresh;
        Some((
            snap.content_fingerprint,
            records,
            site.config.site.language.code().to_string(),
        ))
    }

    /// Records what an index built from `fingerprint` shows on the search page.
    pub fn indexed(&mut self, fingerprint: u64, page: SearchPage) {
        self.indexed = Some(fingerprint);
        self.search = page;
    }
}

fn errors(d: Diagnostics) -> Vec<Diagnostic> {
    d.into_sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// Slugs of the entries added, removed or changed between two snapshots.
fn changed_entries(old: Option<&Snapshot>, new: &Site) -> Vec<String> {
    let Some(old) = old else {
        return Vec::new();
    };
    let (a, b) = (&old.site.cat.entries, &new.cat.entries);
    // Usually the same entries in the same order: compared side by side.
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.slug == y.slug) {
        let mut out: Vec<String> = b
            .iter()
            .zip(
                old.site
                    .entry_fingerprints
                    .iter()
                    .zip(&new.entry_fingerprints),
            )
            .filter(|(_, (x, y))| x != y)
            .map(|(e, _)| e.slug.clone())
            .collect();
        out.sort();
        return out;
    }
    let before: HashMap<&str, u64> = a
        .iter()
        .zip(&old.site.entry_fingerprints)
        .map(|(e, fp)| (e.slug.as_str(), *fp))
        .collect();
    let mut out: Vec<String> = b
        .iter()
        .zip(&new.entry_fingerprints)
        .filter(|(e, fp)| before.get(e.slug.as_str()) != Some(*fp))
        .map(|(e, _)| e.slug.clone())
        .collect();
    let now: HashSet<&str> = b.iter().map(|e| e.slug.as_str()).collect();
    out.extend(
        before
            .keys()
            .filter(|s| !now.contains(*s))
            .map(|s| s.to_string()),
    );
    out.sort();
    out
}

/// A search bundle's files (path in the site, bytes) and what the search page shows of it.
pub type Indexed = (Vec<(String, Vec<u8>)>, SearchPage);

/// Index records into bundle files and the search page's state; runs off the serve loop.
pub fn index(records: Vec<Record>, lang: &str) -> Result<Indexed, String> {
    let page = SearchPage::of(&records);
    let files = crate::bundle::InMemory::default();
    let ix = search::index(&records, lang, &|path, bytes| files.put(path, bytes))?;
    Ok((
        files.into_files(),
        page.indexed(ix.common, ix.sorts, ix.preload),
    ))
}
