//! Cross-file rules: registry references, unique acronyms and slugs, replication links,
//! images, reserved addresses, and the completeness report. Turns what `load` read into a
//! `Catalogue`, or into diagnostics only.

use super::catalogue::{Award, Catalogue, Innovation, sector_label};
use super::entry::{EntryFront, YearRange, read_entry};
use super::load::SourceFile;
use super::load::{Kind, Loaded};
use super::page::read_page;
use super::registry::{self, Registry};
use crate::diagnostics::{Diagnostic, Pos};
use crate::text::{compact_key, is_slug, slugify};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Addresses the site itself uses at its root; a free page may not take them.
pub const RESERVED_ROOT: &[&str] = &[
    "inovasi",
    "perangkat-daerah",
    "penghargaan",
    "tahun",
    "sektor",
    "cari",
    "data",
    "buku",
    "statistik",
    "pagefind",
    "static",
    "404",
    "halaman",
];
/// Used for pagination under /inovasi/.
pub const RESERVED_ENTRY: &[&str] = &["halaman"];

pub struct Options {
    pub include_drafts: bool,
    pub years: YearRange,
    /// The previous catalogue order (slug → position), when there is one: entries are laid
    /// out in it before sorting, so the (adaptive) sort does little more than check it.
    pub previous_order: Option<std::sync::Arc<HashMap<String, usize>>>,
}

pub fn validate(loaded: Loaded, opts: &Options) -> (Option<Catalogue>, Vec<Diagnostic>) {
    validate_with(loaded, opts, &mut EntryMemo::default())
}

/// What a long-lived session keeps of each entry it validated, by slug: the file it read
/// and what reading it gave, and the entry as resolved against the registries. An entry
/// whose file (the same parsed file, by identity) and context are unchanged is not read
/// or resolved again; at 10,000 entries that was most of a rebuild in `serve`.
#[derive(Default)]
pub struct EntryMemo {
    items: HashMap<String, Memo>,
    /// Counts updates; each memo carries the update that last saw its entry.
    generation: u64,
}

struct Memo {
    file: Arc<SourceFile>,
    read: Arc<Read>,
    /// The context it was resolved in (see `context`), and the result.
    resolved: Option<(u64, Arc<Resolved>)>,
    generation: u64,
}

/// An entry file's front matter, read.
struct Read {
    front: Option<EntryFront>,
    /// The acronym's compact key (`compact_key`), for the uniqueness check.
    key: String,
    diags: Vec<Diagnostic>,
}

/// An entry resolved against the registries: the innovation, unless it has errors or is a
/// draft left out.
struct Resolved {
    innovation: Option<Innovation>,
    diags: Vec<Diagnostic>,
}

impl EntryMemo {
    /// Keeps `fresh` (slug, memo) and forgets the entries that are gone.
    fn update(&mut self, fresh: Vec<(String, Memo)>) {
        self.generation += 1;
        let before = self.items.len();
        let mut kept = 0;
        for (slug, mut m) in fresh {
            m.generation = self.generation;
            kept += usize::from(self.items.insert(slug, m).is_some());
        }
        if kept < before {
            self.items.retain(|_, m| m.generation == self.generation);
        }
    }
}

/// An entry file on its way through validation.
struct Slot<'a> {
    file: &'a Arc<SourceFile>,
    read: Arc<Read>,
    /// The memo's resolution of the same file, if any.
    before: Option<&'a (u64, Arc<Resolved>)>,
    resolved: Option<(u64, Arc<Resolved>)>,
}

/// Like `validate`, reusing and updating `memo`.
pub fn validate_with(
    loaded: Loaded,
    opts: &Options,
    memo: &mut EntryMemo,
) -> (Option<Catalogue>, Vec<Diagnostic>) {
    let mut diags = loaded.diagnostics;
    let agencies = Registry::parse(
        "agency",
        "content/agencies.yaml",
        loaded.agencies.as_ref(),
        &mut diags,
    );
    let competitions = Registry::parse(
        "competition",
        "content/competitions.yaml",
        loaded.competitions.as_ref(),
        &mut diags,
    );

    let mut entry_sources: Vec<&Arc<SourceFile>> = Vec::new();
    let mut pages = Vec::new();
    let mut book_pages = Vec::new();
    let mut entry_files: HashMap<String, String> = HashMap::new();
    for f in &loaded.files {
        if !is_slug(&f.slug) {
            let what = if f.asset_dir.is_some() {
                "folder"
            } else {
                "file"
            };
            diags.push(
                Diagnostic::error(
                    &f.rel,
                    Pos::FILE,
                    format!("the {what} name `{}` cannot be an address", f.slug),
                )
                .with_hint(format!(
                    "rename it to `{}`: lowercase letters, digits and hyphens only",
                    slugify(&f.slug)
                )),
            );
            continue;
        }
        match f.kind {
            Kind::Innovation => {
                if RESERVED_ENTRY.contains(&f.slug.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            &f.rel,
                            Pos::FILE,
                            format!("`{}` is reserved for the site's own pages", f.slug),
                        )
                        .with_hint("choose another file name"),
                    );
                    continue;
                }
                if let Some(first) = entry_files.get(&f.slug) {
                    diags.push(
                        Diagnostic::error(&f.rel, Pos::FILE, format!("the address /inovasi/{}/ is already taken by {first}", f.slug))
                            .with_hint("keep one of the two files: `<slug>.md` and `<slug>/index.md` are the same address"),
                    );
                    continue;
                }
                entry_files.insert(f.slug.clone(), f.rel.clone());
                entry_sources.push(f);
            }
            Kind::Page => {
                if RESERVED_ROOT.contains(&f.slug.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            &f.rel,
                            Pos::FILE,
                            format!("the address /{}/ is used by the site itself", f.slug),
                        )
                        .with_hint("rename the page"),
                    );
                    continue;
                }
                if let Some(p) = read_page(f, &mut diags) {
                    pages.push(p);
                }
            }
            Kind::Book => book_pages.extend(read_page(f, &mut diags)),
        }
    }

    // One slot per entry file, in file order: its front matter, read in parallel or taken
    // from the memo when the file is the same, then (when it has front matter) its resolution.
    // In a block: what the slots borrow of the memo must end before the memo is updated.
    let (entries, fresh) = {
        let mut slots: Vec<Slot> = entry_sources
            .par_iter()
            .map(|f| match memo.items.get(&f.slug) {
                Some(m) if Arc::ptr_eq(&m.file, f) => Slot {
                    file: f,
                    read: m.read.clone(),
                    before: m.resolved.as_ref(),
                    resolved: None,
                },
                _ => {
                    let mut diags = Vec::new();
                    let front = read_entry(f, opts.years, &mut diags);
                    let key = front
                        .as_ref()
                        .map(|e| compact_key(&e.acronym.value))
                        .unwrap_or_default();
                    Slot {
                        file: f,
                        read: Arc::new(Read { front, key, diags }),
                        before: None,
                        resolved: None,
                    }
                }
            })
            .collect();
        for s in &slots {
            diags.extend(s.read.diags.iter().cloned());
        }
        let reads: Vec<Arc<Read>> = slots.iter().map(|s| s.read.clone()).collect();
        let fronts = || reads.iter().filter_map(|r| Some((r, r.front.as_ref()?)));

        // Unique acronyms, compared without case, spaces and punctuation.
        let mut acronyms: HashMap<&str, &EntryFront> = HashMap::with_capacity(reads.len());
        for (r, e) in fronts() {
            if r.key.is_empty() {
                diags.push(
                    Diagnostic::error(
                        &e.rel,
                        e.acronym.pos,
                        "the acronym has no letters or digits",
                    )
                    .with_hint("write the name the innovation is known by"),
                );
            } else if let Some(first) = acronyms.get(r.key.as_str()) {
                diags.push(
                Diagnostic::error(&e.rel, e.acronym.pos, format!("the acronym `{}` is already used by {} (`{}`)", e.acronym.value, first.rel, first.acronym.value))
                    .with_hint("acronyms must be unique (compared without case, spaces and punctuation); if they are two innovations, tell them apart in the acronym"),
            );
            } else {
                acronyms.insert(&r.key, e);
            }
        }

        let slugs: HashMap<&str, &EntryFront> =
            fronts().map(|(_, e)| (e.slug.as_str(), e)).collect();
        let base = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            format!("{:?}{:?}", agencies.items, competitions.items).hash(&mut h);
            opts.include_drafts.hash(&mut h);
            h.finish()
        };
        let ctx = Resolve {
            agencies: &agencies,
            competitions: &competitions,
            slugs: &slugs,
            opts,
        };
        // Resolved in parallel, or taken from the memo when file and context are the same.
        slots.par_iter_mut().for_each(|s| {
            let Some(e) = s.read.front.as_ref() else {
                return;
            };
            let c = context(base, e, &slugs);
            s.resolved = Some(match s.before {
                Some((was, r)) if *was == c => (c, r.clone()),
                _ => (c, Arc::new(ctx.resolve(e, s.file.hash))),
            });
        });
        let resolved = || slots.iter().filter_map(|s| s.resolved.as_ref());
        for (_, r) in resolved() {
            diags.extend(r.diags.iter().cloned());
        }
        let mut entries: Vec<Innovation> = Vec::with_capacity(slots.len());
        entries.par_extend(
            slots
                .par_iter()
                .filter_map(|s| s.resolved.as_ref()?.1.innovation.clone()),
        );

        // What the next rebuild may reuse: results with errors are made again (their hints
        // name other entries), and so are entries that list images (files the watcher
        // reports apart from the entry; a draft's images are checked too).
        let fresh: Vec<(String, Memo)> = slots
            .into_iter()
            .map(|s| {
                let keep = s.resolved.filter(|(_, r)| {
                    s.read.front.as_ref().is_some_and(|e| e.images.is_empty())
                        && !r
                            .diags
                            .iter()
                            .any(|d| d.severity == crate::diagnostics::Severity::Error)
                });
                (
                    s.file.slug.clone(),
                    Memo {
                        file: s.file.clone(),
                        read: s.read,
                        resolved: keep,
                        generation: 0,
                    },
                )
            })
            .collect();
        (entries, fresh)
    };
    memo.update(fresh);
    let mut entries = entries;
    if diags
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        return (None, diags);
    }
    if let Some(order) = &opts.previous_order {
        entries.sort_by_cached_key(|e| order.get(&e.slug).copied().unwrap_or(usize::MAX));
    }
    let cat = Catalogue::build(
        entries,
        agencies.items,
        competitions.items,
        pages
            .into_iter()
            .filter(|p| opts.include_drafts || !p.draft)
            .collect(),
        book_pages,
    );
    (Some(cat), diags)
}

/// What resolving an entry reads besides the entry.
struct Resolve<'a> {
    agencies: &'a Registry,
    competitions: &'a Registry,
    slugs: &'a HashMap<&'a str, &'a EntryFront>,
    opts: &'a Options,
}

/// What an entry's resolution depends on besides its own file: the registries, whether
/// drafts are shown, and whether the entry it replicates exists.
fn context(base: u64, e: &EntryFront, slugs: &HashMap<&str, &EntryFront>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    base.hash(&mut h);
    e.replication_of
        .as_ref()
        .map(|r| slugs.contains_key(r.value.as_str()))
        .hash(&mut h);
    h.finish()
}

impl Resolve<'_> {
    /// `e` resolved; `hash` is its file's.
    fn resolve(&self, e: &EntryFront, hash: u64) -> Resolved {
        let mut diags = Vec::new();
        let mut ok = true;
        let agency = match self.agencies.resolve(&e.agency.value, &e.rel, e.agency.pos) {
            registry::Resolved::Found(a) => a.key.clone(),
            registry::Resolved::Unknown(d) => {
                diags.push(d);
                ok = false;
                String::new()
            }
        };
        let mut awards = Vec::new();
        for a in &e.awards {
            match self
                .competitions
                .resolve(&a.competition.value, &e.rel, a.competition.pos)
            {
                registry::Resolved::Found(c) => awards.push(Award {
                    key: slugify(&format!("{}-{}-{}-{}", c.key, a.level, a.year, a.rank)),
                    competition: c.key.clone(),
                    level: a.level,
                    year: a.year,
                    rank: a.rank.clone(),
                    organizer: a.organizer.clone(),
                    category: a.category.clone(),
                    approximate_year: a.approximate_year,
                }),
                registry::Resolved::Unknown(d) => {
                    diags.push(d);
                    ok = false;
                }
            }
        }
        if let Some(r) = &e.replication_of {
            if r.value == e.slug {
                diags.push(
                    Diagnostic::error(
                        &e.rel,
                        r.pos,
                        "an innovation cannot be a replication of itself",
                    )
                    .with_hint("remove `replication_of`, or name the original's file"),
                );
                ok = false;
            } else if !self.slugs.contains_key(r.value.as_str()) {
                let hint = match crate::text::closest(&r.value, self.slugs.keys().copied()) {
                    Some(c) => format!("did you mean `{c}`? `replication_of` takes the original's file name without .md"),
                    None => "`replication_of` takes the file name (without .md) of an entry in content/innovations/".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        &e.rel,
                        r.pos,
                        format!(
                            "`replication_of` names `{}`, but there is no such entry",
                            r.value
                        ),
                    )
                    .with_hint(hint),
                );
                ok = false;
            }
        }
        for img in &e.images {
            let name = &img.value;
            let unsafe_name = name.contains('/') || name.contains('\\') || name.starts_with('.');
            match &e.asset_dir {
                _ if unsafe_name => {
                    diags.push(Diagnostic::error(&e.rel, img.pos, format!("`{name}` is not a plain file name")).with_hint("images are files beside index.md: write only the file name, e.g. `foto.jpg`"));
                    ok = false;
                }
                _ if !is_image(name) => {
                    diags.push(Diagnostic::error(&e.rel, img.pos, format!("`{name}` is not an image file")).with_hint("images end in .jpg, .jpeg, .png, .webp, .avif, .gif or .svg; any other file beside index.md could overwrite a page of the site"));
                    ok = false;
                }
                None => {
                    diags.push(
                        Diagnostic::error(&e.rel, img.pos, format!("image `{name}`: single-file entries cannot have images"))
                            .with_hint(format!("move the entry to content/innovations/{}/index.md and put `{name}` beside it", e.slug)),
                    );
                    ok = false;
                }
                Some(dir) if dir.join(name).is_symlink() => {
                    diags.push(
                        Diagnostic::error(
                            &e.rel,
                            img.pos,
                            format!("image `{name}` is a symbolic link"),
                        )
                        .with_hint(
                            "copy the image into the entry's folder instead of linking to it",
                        ),
                    );
                    ok = false;
                }
                Some(dir) if !dir.join(name).is_file() => {
                    let hint = format!(
                        "put `{name}` in content/innovations/{}/ or correct the file name (names are case-sensitive)",
                        e.slug
                    );
                    diags.push(
                        Diagnostic::error(&e.rel, img.pos, format!("image `{name}` not found"))
                            .with_hint(hint),
                    );
                    ok = false;
                }
                Some(_) => {}
            }
        }
        if !ok || (e.draft && !self.opts.include_drafts) {
            return Resolved {
                innovation: None,
                diags,
            };
        }
        let innovation = Innovation {
            slug: e.slug.clone(),
            file: e.rel.clone(),
            acronym: e.acronym.value.clone(),
            expansion: e.expansion.clone(),
            agency,
            innovators: e.innovators.clone(),
            start_year: e.start_year,
            awards,
            summary: e.summary.clone(),
            sector: e
                .sector
                .as_ref()
                .map(|s| (slugify(s), sector_label(s)))
                .filter(|(k, _)| !k.is_empty()),
            stage: e.stage,
            digital: e.digital,
            district: e.district.clone(),
            villages: e.villages.clone(),
            sdgs: e.sdgs.clone(),
            aliases: e.aliases.clone(),
            former_names: e.former_names.clone(),
            tags: e.tags.clone(),
            replication_of: e.replication_of.as_ref().map(|r| r.value.clone()),
            replicated_by: Vec::new(),
            sources: e.sources.clone(),
            images: e.images.iter().map(|i| i.value.clone()).collect(),
            draft: e.draft,
            extra: e.extra.clone(),
            body: e.body.clone(),
            source_hash: hash,
            asset_dir: e.asset_dir.clone(),
        };
        let missing = innovation.missing_fields();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            diags.push(
                Diagnostic::warning(&e.rel, Pos::FILE, format!("incomplete record: no {list}"))
                    .with_hint(
                        "add what the sources give; the page shows the rest as not yet recorded",
                    ),
            );
        }
        Resolved {
            innovation: Some(innovation),
            diags,
        }
    }
}

/// Images are served beside the entry's page; only image types, so that no file named
/// `index.html` (or a script) can be published through an entry.
fn is_image(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "webp" | "avif" | "gif" | "svg")
    )
}
