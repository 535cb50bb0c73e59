//! One page of the plan, rendered with the theme's Tera templates into HTML.

use super::plan::{self, Job};
use super::theme::Theme;
use super::urls::{self, Urls};
use super::views::{self, Link, ViewBuilder};
use super::{BookOut, SearchPage, Site};
use super::{chart, search, stats};
use crate::content::catalogue::Group;
use crate::diagnostics::{Diagnostic, Pos};
use serde::Serialize;
use tera::{Context, Tera, Value};

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

#[derive(Serialize)]
struct BookView {
    id: String,
    title: String,
    subtitle: Option<String>,
    year: Option<i32>,
    url: String,
    pdf_url: String,
    /// Known once the book is typeset (always in `build`; in `serve`, after its first request).
    pages: Option<usize>,
    size_kb: Option<usize>,
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
        size_kb: b.pdf.as_ref().map(|p| p.len().div_ceil(1024)),
        count: b.entries.len(),
    }
}

/// Tera with every template of the theme; a template error names the template's file and line.
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
    // Tera names the template and position of a syntax error (" --> 404.html:1:7").
    let (name, pos) = located(&msg).unwrap_or((name.to_string(), Pos::FILE));
    let file = theme
        .template_file(&name)
        .unwrap_or_else(|| format!("{}/templates/{name}", theme.origin));
    Diagnostic::error(&file, pos, format!("template error: {msg}"))
        .with_hint("fix the template; Tera's syntax is described at keats.github.io/tera")
}

fn located(msg: &str) -> Option<(String, Pos)> {
    let at = msg.find("--> ")? + 4;
    let rest = msg[at..].split_whitespace().next()?;
    let mut parts = rest.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), Pos::new(line, col)))
}

/// The values every page shares (site settings, UI strings, menu), set once per Tera.
pub fn set_globals(tera: &mut Tera, site: &SiteGlobals) {
    let g = tera.global_context();
    g.insert("site", &site.site);
    g.insert("t", &site.strings);
}

pub struct SiteGlobals {
    pub site: serde_json::Value,
    pub strings: toml::Table,
}

pub fn nav(urls: &Urls, theme: &Theme) -> Vec<Link> {
    [
        ("innovations", urls::INNOVATIONS),
        ("agencies", urls::AGENCIES),
        ("awards", urls::AWARDS),
        ("years", urls::YEARS),
        ("sectors", urls::SECTORS),
        ("stats", urls::STATS),
    ]
    .iter()
    .map(|(k, p)| Link {
        label: theme.t(k),
        url: urls.link(&urls::index(p)),
    })
    .collect()
}

/// Renders one planned page.
pub fn page(site: &Site, planned: &plan::Planned) -> Result<String, Diagnostic> {
    let vb = site.views();
    let (tera, cat, theme, books) = (&site.tera, &site.cat, &site.theme, &site.books);
    let card = |i: &usize| site.card(*i);
    let urls = &vb.urls;
    let vb = &vb;
    let job = &planned.job;
    let mut ctx = Context::new();
    let path = planned.path.clone();
    ctx.insert("path", &path);
    ctx.insert("canonical", &vb.config.absolute(&path));
    // The agency or award a list shows: its cards do not link back to the page itself.
    ctx.insert("here_agency", &None::<String>);
    ctx.insert("here_award", &None::<String>);
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
            awarded.truncate(HOME_CARDS);
            // An entry shown under the awards is not shown again under the recent ones.
            let mut recent: Vec<usize> = (0..cat.entries.len())
                .filter(|i| !awarded.contains(i))
                .collect();
            recent.sort_by_key(|i| (std::cmp::Reverse(cat.entries[*i].start_year), *i));
            recent.truncate(HOME_CARDS);
            let cards = |v: &[usize]| v.iter().map(card).collect::<Vec<_>>();
            ctx.insert_value("recent_awards", Value::from(cards(&awarded)));
            ctx.insert_value("recent", Value::from(cards(&recent)));
            let unknown_year = cat
                .by_year
                .iter()
                .find(|g| g.key == urls::UNKNOWN_YEAR)
                .map_or(0, |g| g.members.len());
            ctx.insert(
                "counts",
                &serde_json::json!({
                    "innovations": cat.entries.len(),
                    "agencies": cat.by_agency.iter().filter(|g| !g.members.is_empty()).count(),
                    "awards": cat.by_award.len(),
                    // Years that are recorded; the entries without one are said beside it.
                    "years": cat.by_year.iter().filter(|g| g.key != urls::UNKNOWN_YEAR).count(),
                    "years_unknown": unknown_year,
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
                Value::from(b.entries.iter().map(card).collect::<Vec<_>>()),
            );
            "book.html"
        }
        Job::NotFound => "404.html",
        Job::Stats => {
            let fig = stats::figures(cat, &theme.t("not_recorded_capital"));
            ctx.insert(
                "lead",
                &theme
                    .t("stats_lead")
                    .replace("{n}", &fig.innovations.to_string()),
            );
            ctx.insert("charts", &chart::charts(&fig, urls, theme));
            "statistics.html"
        }
        Job::Search => {
            ctx.insert_value(
                "search_config",
                Value::safe_string(&views::script_safe_json(&search_config(
                    vb,
                    theme,
                    &site.search,
                ))),
            );
            ctx.insert("search_stale", &site.search.stale);
            ctx.insert("search_tag", &site.search.preload.tag);
            ctx.insert("search_wasm", &site.search.preload.wasm);
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
            let groups = plan::groups(cat)
                .into_iter()
                .find(|(k, _)| k == kind)
                .map_or(&cat.by_sector, |(_, g)| g);
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
            let group = group.and_then(|(k, gi)| plan::group(cat, k, gi));
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
            // An award whose year the sources do not state says so on its page.
            let approximate = *kind == urls::AWARDS
                && group.is_some_and(|g| {
                    g.members.iter().all(|i| {
                        cat.entries[*i]
                            .awards
                            .iter()
                            .filter(|a| a.key == g.key)
                            .all(|a| a.approximate_year)
                    })
                });
            ctx.insert("approximate_year", &approximate);
            if *kind == urls::AGENCIES
                && let Some(a) = group.and_then(|g| cat.agency(&g.key))
            {
                ctx.insert("agency", a);
                ctx.insert("here_agency", &a.key);
            }
            if *kind == urls::AWARDS
                && let Some(g) = group
            {
                ctx.insert("here_award", &g.key);
            }
            ctx.insert_value(
                "cards",
                Value::from(members.iter().map(card).collect::<Vec<_>>()),
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
    tera.render(template, &ctx)
        .map_err(|e| template_error(theme, template, &e))
}

/// Cards in each list of the home page.
const HOME_CARDS: usize = 6;

pub type Facets = std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>;

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
/// display order with their labels and counts over the whole catalogue (a filter without
/// values is left out), the interface strings (`search_*` keys), the words left out of longer
/// queries and the files of each order.
fn search_config(vb: &ViewBuilder, theme: &Theme, search: &SearchPage) -> serde_json::Value {
    let strings: serde_json::Map<String, serde_json::Value> = theme
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("search_"))
        .map(|(k, v)| (k.clone(), serde_json::json!(v.as_str().unwrap_or_default())))
        .collect();

    let bundle = vb.urls.link(&format!("{}/", search::BUNDLE_DIR));
    let sorts: serde_json::Map<String, serde_json::Value> = search
        .sorts
        .iter()
        .map(|(k, file)| (k.clone(), serde_json::json!(format!("{bundle}{file}"))))
        .collect();
    serde_json::json!({
        "base": vb.urls.base,
        "tag": search.preload.tag,
        "lang": vb.config.site.language.code(),
        "browse": nav(&vb.urls, theme),
        "bundle": bundle,
        // The values as [value, count] pairs: the script draws the facets from them (a third of
        // the bytes of the same list in HTML, on every visit of the search page).
        "facets": facet_views(&search.facets, theme)
            .into_iter()
            .filter(|f| !f.values.is_empty())
            .map(|f| serde_json::json!({
                "key": f.key,
                "label": f.label,
                "values": f.values.iter().map(|v| (&v.value, v.count)).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
        "strings": strings,
        "common": search.common,
        "sorts": sorts,
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
