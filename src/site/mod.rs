//! The website: which pages exist, rendered with the theme's Tera templates, plus the feed,
//! sitemap, robots.txt and open data. A pure function of (Config, Catalogue, Theme) that
//! writes into a folder it is given (the staging folder; see `output`).

pub mod data;
pub mod feed;
pub mod search;
pub mod theme;
pub mod urls;
pub mod views;

use crate::config::Config;
use crate::content::Catalogue;
use crate::content::catalogue::Group;
use crate::diagnostics::{Diagnostic, Pos};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use tera::{Context, Tera, Value};
use theme::Theme;
use urls::Urls;
use views::{Link, ViewBuilder};

/// What a build produced, for the summary line.
#[derive(Debug, Default)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
}

/// A typeset book, for /buku/<id>.pdf and its page /buku/<id>/.
pub struct BookOut {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub year: Option<i32>,
    /// Indices into `Catalogue::entries`, in print order.
    pub entries: Vec<usize>,
    pub pages: usize,
    pub pdf: Vec<u8>,
}

#[derive(Serialize)]
struct BookView {
    id: String,
    title: String,
    subtitle: Option<String>,
    year: Option<i32>,
    url: String,
    pdf_url: String,
    pages: usize,
    size_kb: usize,
    count: usize,
}

fn book_view(urls: &Urls, b: &BookOut) -> BookView {
    BookView {
        id: b.id.clone(),
        title: b.title.clone(),
        subtitle: b.subtitle.clone(),
        year: b.year,
        url: urls.link(&urls::book(&b.id)),
        pdf_url: urls.link(&urls::book_pdf(&b.id)),
        pages: b.pages,
        size_kb: b.pdf.len().div_ceil(1024),
        count: b.entries.len(),
    }
}

/// One page to render.
enum Job<'a> {
    Home,
    Entry(usize),
    List {
        title: String,
        intro: Option<String>,
        kind: &'static str,
        path: String,
        members: &'a [usize],
        page: usize,
        pages: usize,
        group: Option<&'a Group>,
    },
    Terms {
        kind: &'static str,
    },
    Page(usize),
    Search,
    Book(usize),
    NotFound,
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<Link>,
}

#[derive(Serialize)]
struct TermView {
    key: String,
    label: String,
    url: String,
    count: usize,
    short: Option<String>,
}

pub fn build_tera(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    // All at once: templates extend and include each other.
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| template_error(theme, "", &e))?;
    Ok(tera)
}

fn template_error(theme: &Theme, name: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        &format!("{}/templates/{name}", theme.origin),
        Pos::FILE,
        format!("template error: {msg}"),
    )
    .with_hint("fix the template; Tera's syntax is described at keats.github.io/tera")
}

pub fn render(
    config: &Config,
    cat: &Catalogue,
    theme: &Theme,
    books: &[BookOut],
    out: &Path,
) -> Result<Stats, Diagnostic> {
    let mut tera = build_tera(theme)?;
    let vb = ViewBuilder::new(config, cat, theme);
    let urls = vb.urls.clone();

    // Shared by every page: site settings, UI strings, menu.
    let menu: Vec<Link> = cat
        .pages
        .iter()
        .filter(|p| p.order.is_some())
        .map(|p| Link {
            label: p.title.clone(),
            url: urls.link(&format!("{}/", p.slug)),
        })
        .collect();
    let g = tera.global_context();
    g.insert(
        "site",
        &serde_json::json!({
            "title": config.site.title,
            "description": config.site.description,
            "base": urls.base,
            "base_url": config.site.base_url,
            "lang": config.site.language.code(),
            "publisher": config.site.publisher,
            "region": config.site.region,
            "menu": menu,
            "extra": config.extra,
            "nav": nav(&urls, theme),
        }),
    );
    g.insert("t", &theme.strings);

    let cards: Vec<Value> = cat
        .entries
        .iter()
        .map(|e| Value::from_serializable(&vb.card(e)))
        .collect();

    let records = search::records(cat, &vb);
    let facets = search::facet_counts(&records);
    let common = search::common_words(&records);
    let per = config.site.per_page;
    let mut jobs: Vec<Job> = vec![Job::Home, Job::Search, Job::NotFound];
    jobs.extend((0..cat.entries.len()).map(Job::Entry));
    jobs.extend((0..cat.pages.len()).map(Job::Page));
    jobs.extend((0..books.len()).map(Job::Book));
    let all: Vec<usize> = (0..cat.entries.len()).collect();
    push_list(
        &mut jobs,
        theme.t("all_innovations"),
        None,
        urls::INNOVATIONS,
        urls::index(urls::INNOVATIONS),
        &all,
        None,
        per,
    );
    for (kind, groups) in [
        (urls::AGENCIES, &cat.by_agency),
        (urls::AWARDS, &cat.by_award),
        (urls::YEARS, &cat.by_year),
        (urls::SECTORS, &cat.by_sector),
    ] {
        jobs.push(Job::Terms { kind });
        for grp in groups {
            let intro = if kind == urls::AGENCIES {
                cat.agency(&grp.key).and_then(|a| a.description.clone())
            } else {
                None
            };
            push_list(
                &mut jobs,
                grp.label.clone(),
                intro,
                kind,
                urls::group(kind, &grp.key),
                &grp.members,
                Some(grp),
                per,
            );
        }
    }

    let env = Env {
        tera: &tera,
        vb: &vb,
        cat,
        cards: &cards,
        theme,
        books,
        facets: &facets,
        common: &common,
    };
    let results: Vec<Result<(), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let (path, html) = render_job(job, &env)?;
            write(out, &urls::file_for(&path), html.as_bytes())
        })
        .collect();
    results.into_iter().collect::<Result<Vec<()>, _>>()?;

    let mut files = jobs.len();
    // Theme assets and co-located images.
    for (rel, bytes) in &theme.assets {
        write(out, rel, bytes)?;
        files += 1;
    }
    for e in &cat.entries {
        if let Some(dir) = &e.asset_dir {
            for img in &e.images {
                let bytes = std::fs::read(dir.join(img)).map_err(|err| {
                    Diagnostic::error(
                        &e.file,
                        Pos::FILE,
                        format!("cannot read image `{img}`: {err}"),
                    )
                })?;
                write(out, &format!("{}{img}", urls::entry(&e.slug)), &bytes)?;
                files += 1;
            }
        }
    }
    for b in books {
        write(out, &urls::book_pdf(&b.id), &b.pdf)?;
        files += 1;
    }
    // The search page is for readers, not for search engines (it carries noindex).
    let page_paths: Vec<String> = jobs
        .iter()
        .filter(|j| !matches!(j, Job::Search))
        .filter_map(|j| job_path(j, cat, books))
        .collect();
    write(
        out,
        "sitemap.xml",
        feed::sitemap(config, &page_paths).as_bytes(),
    )?;
    write(out, "atom.xml", feed::atom(config, cat, &vb).as_bytes())?;
    write(
        out,
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            config.absolute("sitemap.xml")
        )
        .as_bytes(),
    )?;
    write(out, "data/inovasi.json", &data::json(cat, &vb))?;
    write(out, "data/inovasi.csv", &data::csv(cat, &vb))?;
    files += 5;
    for (rel, bytes) in search::index(records, config.site.language.code())? {
        write(out, &rel, &bytes)?;
        files += 1;
    }
    Ok(Stats {
        pages: jobs.len(),
        files,
    })
}

#[allow(clippy::too_many_arguments)]
fn push_list<'a>(
    jobs: &mut Vec<Job<'a>>,
    title: String,
    intro: Option<String>,
    kind: &'static str,
    path: String,
    members: &'a [usize],
    group: Option<&'a Group>,
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
            members: &members[lo..hi],
            page,
            pages,
            group,
        });
    }
}

fn nav(urls: &Urls, theme: &Theme) -> Vec<Link> {
    [
        ("innovations", urls::INNOVATIONS),
        ("agencies", urls::AGENCIES),
        ("awards", urls::AWARDS),
        ("years", urls::YEARS),
        ("sectors", urls::SECTORS),
    ]
    .iter()
    .map(|(k, p)| Link {
        label: theme.t(k),
        url: urls.link(&urls::index(p)),
    })
    .collect()
}

/// The site path of a page, for the sitemap (None for the 404 page).
fn job_path(job: &Job, cat: &Catalogue, books: &[BookOut]) -> Option<String> {
    Some(match job {
        Job::Home => String::new(),
        Job::NotFound => return None,
        Job::Entry(i) => urls::entry(&cat.entries[*i].slug),
        Job::List { path, page, .. } => urls::paged(path, *page),
        Job::Terms { kind } => urls::index(kind),
        Job::Page(i) => format!("{}/", cat.pages[*i].slug),
        Job::Search => urls::index(urls::SEARCH),
        Job::Book(i) => urls::book(&books[*i].id),
    })
}

/// What every page job reads.
struct Env<'a> {
    tera: &'a Tera,
    vb: &'a ViewBuilder<'a>,
    cat: &'a Catalogue,
    cards: &'a [Value],
    theme: &'a Theme,
    books: &'a [BookOut],
    facets: &'a Facets,
    common: &'a [String],
}

fn render_job(job: &Job, env: &Env) -> Result<(String, String), Diagnostic> {
    let Env {
        tera,
        vb,
        cat,
        cards,
        theme,
        books,
        facets,
        common,
    } = *env;
    let urls = &vb.urls;
    let mut ctx = Context::new();
    let path = job_path(job, cat, books).unwrap_or_else(|| "404.html".to_string());
    ctx.insert("path", &path);
    ctx.insert("canonical", &vb.config.absolute(&path));
    let template = match job {
        Job::Home => {
            let mut awarded: Vec<usize> = (0..cat.entries.len())
                .filter(|i| !cat.entries[*i].awards.is_empty())
                .collect();
            awarded.sort_by_key(|i| {
                (
                    std::cmp::Reverse(cat.entries[*i].awards.iter().map(|a| a.year).max()),
                    *i,
                )
            });
            let mut recent: Vec<usize> = (0..cat.entries.len()).collect();
            recent.sort_by_key(|i| (std::cmp::Reverse(cat.entries[*i].start_year), *i));
            let pick = |v: &[usize]| {
                v.iter()
                    .take(6)
                    .map(|i| cards[*i].clone())
                    .collect::<Vec<_>>()
            };
            ctx.insert_value("recent_awards", Value::from(pick(&awarded)));
            ctx.insert_value("recent", Value::from(pick(&recent)));
            ctx.insert(
                "counts",
                &serde_json::json!({
                    "innovations": cat.entries.len(),
                    "agencies": cat.by_agency.iter().filter(|g| !g.members.is_empty()).count(),
                    "awards": cat.by_award.len(),
                    "years": cat.by_year.len(),
                }),
            );
            let top_agencies: Vec<TermView> = terms(vb, urls::AGENCIES, &cat.by_agency)
                .into_iter()
                .filter(|t| t.count > 0)
                .collect();
            ctx.insert("agencies", &top_agencies);
            ctx.insert("award_groups", &terms(vb, urls::AWARDS, &cat.by_award));
            ctx.insert(
                "books",
                &books.iter().map(|b| book_view(urls, b)).collect::<Vec<_>>(),
            );
            "index.html"
        }
        Job::Book(i) => {
            let b = &books[*i];
            ctx.insert("book", &book_view(urls, b));
            ctx.insert_value(
                "cards",
                Value::from(
                    b.entries
                        .iter()
                        .map(|i| cards[*i].clone())
                        .collect::<Vec<_>>(),
                ),
            );
            "book.html"
        }
        Job::NotFound => "404.html",
        Job::Search => {
            ctx.insert_value(
                "search_config",
                Value::safe_string(&views::script_safe_json(&search_config(vb, theme, common))),
            );
            ctx.insert("facets", &facet_views(facets, theme));
            "search.html"
        }
        Job::Entry(i) => {
            let e = &cat.entries[*i];
            ctx.insert("entry", &vb.entry(e));
            ctx.insert_value("body", Value::safe_string(&vb.markdown.to_html(&e.body)));
            ctx.insert_value("json_ld", Value::safe_string(&vb.json_ld(e)));
            "innovation.html"
        }
        Job::Page(i) => {
            let p = &cat.pages[*i];
            ctx.insert("page", p);
            ctx.insert_value("body", Value::safe_string(&vb.markdown.to_html(&p.body)));
            "page.html"
        }
        Job::Terms { kind } => {
            let groups = match *kind {
                urls::AGENCIES => &cat.by_agency,
                urls::AWARDS => &cat.by_award,
                urls::YEARS => &cat.by_year,
                _ => &cat.by_sector,
            };
            ctx.insert("kind", kind);
            ctx.insert("title", &theme.t(kind_key(kind)));
            ctx.insert("terms", &terms(vb, kind, groups));
            "terms.html"
        }
        Job::List {
            title,
            intro,
            kind,
            path,
            members,
            page,
            pages,
            group,
        } => {
            ctx.insert("kind", kind);
            ctx.insert("title", title);
            ctx.insert("intro", intro);
            ctx.insert(
                "total",
                &group.map_or(cat.entries.len(), |g| g.members.len()),
            );
            ctx.insert(
                "parent",
                &Link {
                    label: theme.t(kind_key(kind)),
                    url: urls.link(&urls::index(kind)),
                },
            );
            if *kind == urls::AGENCIES
                && let Some(a) = group.and_then(|g| cat.agency(&g.key))
            {
                ctx.insert("agency", a);
            }
            ctx.insert_value(
                "cards",
                Value::from(
                    members
                        .iter()
                        .map(|i| cards[*i].clone())
                        .collect::<Vec<_>>(),
                ),
            );
            let link = |n: usize| urls.link(&urls::paged(path, n));
            ctx.insert(
                "pager",
                &Pager {
                    current: *page,
                    total: *pages,
                    prev: (*page > 1).then(|| link(page - 1)),
                    next: (*page < *pages).then(|| link(page + 1)),
                    pages: (1..=*pages)
                        .map(|n| Link {
                            label: n.to_string(),
                            url: link(n),
                        })
                        .collect(),
                },
            );
            "list.html"
        }
    };
    let html = tera
        .render(template, &ctx)
        .map_err(|e| template_error(theme, template, &e))?;
    Ok((path, html))
}

type Facets = std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>;

#[derive(Serialize)]
struct FacetView {
    key: &'static str,
    label: String,
    values: Vec<FacetValue>,
}

#[derive(Serialize)]
struct FacetValue {
    value: String,
    count: usize,
}

/// The facets of /cari/ with their counts over the whole catalogue, in display order: years
/// newest first, everything else alphabetically (the script keeps this order).
fn facet_views(facets: &Facets, theme: &Theme) -> Vec<FacetView> {
    FACETS
        .iter()
        .filter_map(|(key, label)| {
            let counts = facets.get(*key)?;
            let mut values: Vec<FacetValue> = counts
                .iter()
                .map(|(v, n)| FacetValue {
                    value: v.clone(),
                    count: *n,
                })
                .collect();
            if values
                .iter()
                .all(|v| v.value.bytes().all(|b| b.is_ascii_digit()))
            {
                values.sort_by(|a, b| b.value.cmp(&a.value));
            } else {
                values.sort_by_key(|v| v.value.to_lowercase());
            }
            Some(FacetView {
                key,
                label: theme.t(label),
                values,
            })
        })
        .collect()
}

/// Filter key and the UI string naming it.
const FACETS: [(&str, &str); 6] = [
    (search::F_AGENCY, "agency"),
    (search::F_AWARD, "award"),
    (search::F_LEVEL, "award_level"),
    (search::F_YEAR, "year"),
    (search::F_SECTOR, "sector"),
    (search::F_STAGE, "stage"),
];

/// What the search page's script needs: where the site and index live, the facets in
/// display order with their labels, and the interface strings (`search_*` keys).
fn search_config(vb: &ViewBuilder, theme: &Theme, common: &[String]) -> serde_json::Value {
    let strings: serde_json::Map<String, serde_json::Value> = theme
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("search_"))
        .map(|(k, v)| (k.clone(), serde_json::json!(v.as_str().unwrap_or_default())))
        .collect();

    serde_json::json!({
        "base": vb.urls.base,
        "lang": vb.config.site.language.code(),
        "browse": nav(&vb.urls, theme),
        "bundle": vb.urls.link(&format!("{}/", search::BUNDLE_DIR)),
        "facets": FACETS
            .iter()
            .map(|(key, label)| serde_json::json!({"key": key, "label": theme.t(label)}))
            .collect::<Vec<_>>(),
        "strings": strings,
        "common": common,
    })
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        urls::AGENCIES => "agencies",
        urls::AWARDS => "awards",
        urls::YEARS => "years",
        urls::SECTORS => "sectors",
        _ => "innovations",
    }
}

fn terms(vb: &ViewBuilder, kind: &str, groups: &[Group]) -> Vec<TermView> {
    groups
        .iter()
        .map(|g| TermView {
            key: g.key.clone(),
            label: g.label.clone(),
            url: vb.urls.link(&urls::group(kind, &g.key)),
            count: g.members.len(),
            short: if kind == urls::AGENCIES {
                vb.cat.agency(&g.key).and_then(|a| a.short.clone())
            } else {
                None
            },
        })
        .collect()
}

fn write(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_diag(rel, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| io_diag(rel, e))
}

fn io_diag(rel: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(rel, Pos::FILE, format!("cannot write the output file: {e}"))
}
