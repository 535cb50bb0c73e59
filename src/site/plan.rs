//! The site as a plan: every page's address, what it shows (its job) and a fingerprint of
//! everything it reads. Two plans of the same catalogue compare page by page: a page whose
//! fingerprint did not change renders to the same bytes, so a long-lived session reuses it.
//! Fingerprints are computed from what each job reads (its entries, the theme, the
//! settings), never from hand-kept lists of which page depends on which file.

use super::BookOut;
use super::urls;
use crate::content::Catalogue;
use crate::content::catalogue::Group;
use std::hash::{DefaultHasher, Hash, Hasher};

/// One page to render.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    Entry(usize),
    List {
        title: String,
        intro: Option<String>,
        kind: &'static str,
        /// The listing's first page.
        path: String,
        members: Vec<usize>,
        page: usize,
        pages: usize,
        /// The browse group (kind, index in its Catalogue list); None for all innovations.
        group: Option<(&'static str, usize)>,
    },
    Terms {
        kind: &'static str,
    },
    Page(usize),
    Search,
    Stats,
    Book(usize),
    NotFound,
}

#[derive(Debug, Clone)]
pub struct Planned {
    /// Site path ("" for home, "inovasi/x/", "404.html").
    pub path: String,
    pub job: Job,
    pub fingerprint: u64,
}

/// What every page reads besides its own data: settings, theme, registries, menu, books.
pub struct Inputs<'a> {
    pub global: u64,
    /// One fingerprint per entry (catalogue order): its file, and the entries it names.
    pub entries: &'a [u64],
    /// One fingerprint per entry of what its card shows (lists, home, book pages): an edit
    /// of the body alone re-renders the entry's page and nothing else.
    pub cards: &'a [u64],
    pub search: u64,
}

/// A hasher with fixed keys: the same input hashes the same in every run.
pub fn hasher() -> DefaultHasher {
    DefaultHasher::new()
}

pub fn hash_of(v: impl Hash) -> u64 {
    let mut h = hasher();
    v.hash(&mut h);
    h.finish()
}

/// Every page of the site, in a fixed order.
pub fn plan(
    cat: &Catalogue,
    books: &[BookOut],
    all_title: String,
    per_page: usize,
    inputs: &Inputs,
) -> Vec<Planned> {
    let mut jobs: Vec<Job> = vec![Job::Home, Job::Search, Job::Stats, Job::NotFound];
    jobs.extend((0..cat.entries.len()).map(Job::Entry));
    jobs.extend((0..cat.pages.len()).map(Job::Page));
    jobs.extend((0..books.len()).map(Job::Book));
    let all: Vec<usize> = (0..cat.entries.len()).collect();
    push_list(
        &mut jobs,
        (all_title, None),
        urls::INNOVATIONS,
        urls::index(urls::INNOVATIONS),
        &all,
        None,
        per_page,
    );
    for (kind, groups) in groups(cat) {
        jobs.push(Job::Terms { kind });
        for (gi, grp) in groups.iter().enumerate() {
            let intro = if kind == urls::AGENCIES {
                cat.agency(&grp.key).and_then(|a| a.description.clone())
            } else {
                None
            };
            push_list(
                &mut jobs,
                (grp.label.clone(), intro),
                kind,
                urls::group(kind, &grp.key),
                &grp.members,
                Some((kind, gi)),
                per_page,
            );
        }
    }
    jobs.into_iter()
        .map(|job| Planned {
            path: path(&job, cat, books),
            fingerprint: fingerprint(&job, cat, books, inputs),
            job,
        })
        .collect()
}

/// The four browse dimensions, with their address segment.
pub fn groups(cat: &Catalogue) -> [(&'static str, &Vec<Group>); 4] {
    [
        (urls::AGENCIES, &cat.by_agency),
        (urls::AWARDS, &cat.by_award),
        (urls::YEARS, &cat.by_year),
        (urls::SECTORS, &cat.by_sector),
    ]
}

pub fn group<'c>(cat: &'c Catalogue, kind: &str, i: usize) -> Option<&'c Group> {
    groups(cat)
        .into_iter()
        .find(|(k, _)| *k == kind)
        .and_then(|(_, g)| g.get(i))
}

fn push_list(
    jobs: &mut Vec<Job>,
    (title, intro): (String, Option<String>),
    kind: &'static str,
    path: String,
    members: &[usize],
    group: Option<(&'static str, usize)>,
    per: usize,
) {
    let pages = members.len().div_ceil(per).max(1);
    for page in 1..=pages {
        let lo = ((page - 1) * per).min(members.len());
        let hi = (page * per).min(members.len());
        jobs.push(Job::List {
            title: title.clone(),
            intro: intro.clone(),
            kind,
            path: path.clone(),
            members: members[lo..hi].to_vec(),
            page,
            pages,
            group,
        });
    }
}

/// The site path of a page ("404.html" for the not-found page).
fn path(job: &Job, cat: &Catalogue, books: &[BookOut]) -> String {
    match job {
        Job::Home => String::new(),
        Job::NotFound => "404.html".to_string(),
        Job::Entry(i) => urls::entry(&cat.entries[*i].slug),
        Job::List { path, page, .. } => urls::paged(path, *page),
        Job::Terms { kind } => urls::index(kind),
        Job::Page(i) => format!("{}/", cat.pages[*i].slug),
        Job::Search => urls::index(urls::SEARCH),
        Job::Stats => urls::index(urls::STATS),
        Job::Book(i) => urls::book(&books[*i].id),
    }
}

pub fn fingerprint(job: &Job, cat: &Catalogue, books: &[BookOut], inputs: &Inputs) -> u64 {
    let mut h = hasher();
    inputs.global.hash(&mut h);
    std::mem::discriminant(job).hash(&mut h);
    match job {
        Job::Home => {
            // Counts, recent and awarded cards, the browse lists: all follow the entries.
            inputs.cards.hash(&mut h);
            for (_, g) in groups(cat) {
                for grp in g {
                    (&grp.key, &grp.label, grp.members.len()).hash(&mut h);
                }
            }
        }
        Job::Entry(i) => inputs.entries[*i].hash(&mut h),
        Job::List {
            title,
            intro,
            kind,
            members,
            page,
            pages,
            group,
            ..
        } => {
            (title, intro, kind, path(job, cat, books), page, pages).hash(&mut h);
            let g = group.and_then(|(k, gi)| self::group(cat, k, gi));
            g.map_or(cat.entries.len(), |g| g.members.len())
                .hash(&mut h);
            for m in members {
                inputs.cards[*m].hash(&mut h);
            }
        }
        Job::Terms { kind } => {
            if let Some((_, g)) = groups(cat).into_iter().find(|(k, _)| k == kind) {
                for grp in g {
                    (&grp.key, &grp.label, grp.members.len()).hash(&mut h);
                }
            }
        }
        Job::Page(i) => {
            let p = &cat.pages[*i];
            (&p.slug, &p.title, &p.description, &p.body).hash(&mut h);
        }
        Job::Search => inputs.search.hash(&mut h),
        // Every figure it shows (UI strings are in `global`).
        Job::Stats => super::stats::figures(cat, "").hash(&mut h),
        Job::Book(i) => {
            let b = &books[*i];
            (
                &b.id,
                &b.title,
                &b.subtitle,
                b.year,
                b.pages,
                b.pdf.as_ref().map(|p| p.len()),
            )
                .hash(&mut h);
            for e in &b.entries {
                inputs.cards[*e].hash(&mut h);
            }
        }
        Job::NotFound => {}
    }
    h.finish()
}
