//! The printed book: a selection of the catalogue typeset by Typst, in-process, into a PDF.
//!
//! `plan` checks each `[[book]]` of book.toml against the Catalogue (selection, front-matter
//! pages, cover image) and reports mistakes as located diagnostics, like content errors.
//! `render` turns a plan into JSON data plus escaped Typst markup (see `markup`), hands it
//! with the theme's `book/book.typ` to a sealed Typst world (see `world`), and returns the PDF.

pub mod markup;
pub mod world;

use crate::config::{BookSpec, Config, Order, Paper};
use crate::content::Catalogue;
use crate::content::catalogue::Innovation;
use crate::content::page::Page;
use crate::diagnostics::{Diagnostic, Pos};
use crate::site::theme::Theme;
use crate::site::urls;
use crate::site::views::ViewBuilder;
use crate::text::closest;
use markup::{Converter, escape_markup};
use serde_json::{Value, json};
use std::path::Path;
use typst::foundations::Smart;
use typst::introspection::Introspector;
use typst_layout::PagedDocument;
use world::{BookWorld, Fonts};

/// A book checked against the catalogue, ready to render.
pub struct Plan<'a> {
    pub spec: &'a BookSpec,
    /// Indices into `Catalogue::entries`, in print order.
    pub entries: Vec<usize>,
    pub front: Vec<&'a Page>,
    /// (virtual path, bytes) of the cover image.
    pub cover: Option<(String, Vec<u8>)>,
    /// (virtual path, bytes) of the region's emblem (`[site] emblem`), printed on the cover.
    pub emblem: Option<(String, Vec<u8>)>,
}

/// A rendered book.
pub struct Book {
    pub id: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Profiles that run past two pages, as warnings.
    pub warnings: Vec<Diagnostic>,
}

const CONFIG_FILE: &str = "book.toml";

fn at(config: &Config, span: std::ops::Range<usize>) -> Pos {
    config.pos(span)
}

/// Checks every `[[book]]`; returns the plans that are sound and the diagnostics of the rest.
pub fn plan<'a>(
    config: &'a Config,
    cat: &'a Catalogue,
    root: &Path,
) -> (Vec<Plan<'a>>, Vec<Diagnostic>) {
    let mut plans = Vec::new();
    let mut diags = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    // A wrong emblem is reported once by `check`, with the site's settings; a book goes
    // without it.
    let emblem = crate::emblem::load(config, root)
        .0
        .map(|e| (format!("/emblem.{}", e.ext), e.bytes));
    for spec in &config.books {
        let id_pos = at(config, spec.id.span());
        let id = spec.id.get_ref().as_str();
        if !crate::text::is_slug(id) {
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    id_pos,
                    format!("book id `{id}` is not an address"),
                )
                .with_hint(format!(
                    "use lowercase letters, digits and hyphens, e.g. `id = \"{}\"`",
                    crate::text::slugify(id)
                )),
            );
            continue;
        }
        if seen.contains(&id) {
            diags.push(
                Diagnostic::error(CONFIG_FILE, id_pos, format!("two books have the id `{id}`"))
                    .with_hint("give each [[book]] its own id: it names the PDF"),
            );
            continue;
        }
        seen.push(id);
        let before = diags.len();
        let entries = select(config, cat, spec, &mut diags);
        let mut front = Vec::new();
        for name in &spec.front_matter {
            match cat.book_pages.iter().find(|p| &p.slug == name.get_ref()) {
                Some(p) => front.push(p),
                None => {
                    let names: Vec<&str> = cat.book_pages.iter().map(|p| p.slug.as_str()).collect();
                    let hint = match closest(name.get_ref(), names.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`? (content/book/{c}.md)"),
                        None if names.is_empty() => {
                            "create the file, with `title:` in its front matter".into()
                        }
                        None => format!("files in content/book/: {}", names.join(", ")),
                    };
                    diags.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            at(config, name.span()),
                            format!(
                                "front-matter page `content/book/{}.md` not found",
                                name.get_ref()
                            ),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        let mut cover = None;
        if let Some(img) = &spec.cover_image {
            let rel = img.get_ref();
            let ext = Path::new(rel)
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            if !["png", "jpg", "jpeg", "svg", "webp", "gif"].contains(&ext.as_str()) {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        at(config, img.span()),
                        format!("cover image `{rel}` is not an image Typst can print"),
                    )
                    .with_hint("use a .png, .jpg, .svg, .webp or .gif file"),
                );
            } else if let Err(why) = inside(root, rel) {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        at(config, img.span()),
                        format!("cover image `{rel}` {why}"),
                    )
                    .with_hint(
                        "put the image inside the catalogue (for example content/book/sampul.png) and give its path relative to book.toml",
                    ),
                );
            } else {
                match std::fs::read(root.join(rel)) {
                    Ok(b) => cover = Some((format!("/cover.{ext}"), b)),
                    Err(e) => diags.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            at(config, img.span()),
                            format!("cannot read cover image `{rel}`: {e}"),
                        )
                        .with_hint("the path is relative to the folder of book.toml"),
                    ),
                }
            }
        }
        if diags.len() == before {
            plans.push(Plan {
                spec,
                entries,
                front,
                cover,
                emblem: emblem.clone(),
            });
        }
    }
    (plans, diags)
}

/// Whether `rel` names a file inside the catalogue folder: a book must not print a file from
/// elsewhere on the disk, whether by an absolute path, `..` or a symbolic link.
fn inside(root: &Path, rel: &str) -> Result<(), &'static str> {
    use std::path::Component;
    let path = Path::new(rel);
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err("points outside the catalogue");
    }
    let full = root.join(path);
    if full.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
        return Err("is a symbolic link");
    }
    // A folder on the way may itself be a link out of the catalogue.
    match (full.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) if !f.starts_with(&r) => Err("points outside the catalogue"),
        _ => Ok(()),
    }
}

fn select(
    config: &Config,
    cat: &Catalogue,
    spec: &BookSpec,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let sel = spec.select.get_ref();
    let pos = at(config, spec.select.span());
    let err = |msg: String, hint: String| Diagnostic::error(CONFIG_FILE, pos, msg).with_hint(hint);
    if sel.award.is_none()
        && !sel.awarded
        && sel.agency.is_none()
        && sel.year.is_none()
        && sel.slugs.is_empty()
    {
        diags.push(err(
            format!("book `{}` selects nothing", spec.id.get_ref()),
            "give `select` at least one of: award = \"<key>\", awarded = true, agency = \"<key>\", year = <start year>, slugs = [\"...\"]".into(),
        ));
        return Vec::new();
    }
    // An unknown key, with the closest known one when there is a plausible typo.
    let unknown = |msg: String, value: &str, known: Vec<&str>, about: &str| {
        let hint = match closest(value, known) {
            Some(c) => format!("did you mean `{c}`? {about}"),
            None => about.to_string(),
        };
        err(msg, hint)
    };
    let mut ok = true;
    if let Some(a) = &sel.award
        && !cat.by_award.iter().any(|g| &g.key == a)
    {
        diags.push(unknown(
            format!("no award has the key `{a}`"),
            a,
            cat.by_award.iter().map(|g| g.key.as_str()).collect(),
            "Award keys are the last part of /penghargaan/<key>/ on the site.",
        ));
        ok = false;
    }
    if let Some(a) = &sel.agency
        && cat.agency(a).is_none()
    {
        diags.push(unknown(
            format!("no agency has the key `{a}`"),
            a,
            cat.agencies.iter().map(|r| r.key.as_str()).collect(),
            "Agency keys are those of content/agencies.yaml.",
        ));
        ok = false;
    }
    for s in sel.slugs.iter().filter(|s| cat.entry(s).is_none()) {
        diags.push(unknown(
            format!("no innovation has the slug `{s}`"),
            s,
            cat.entries.iter().map(|e| e.slug.as_str()).collect(),
            "A slug is the file name in content/innovations/ without .md.",
        ));
        ok = false;
    }
    if !ok {
        return Vec::new();
    }
    let keep = |e: &Innovation| {
        sel.award
            .as_ref()
            .is_none_or(|k| e.awards.iter().any(|a| &a.key == k))
            && (!sel.awarded || !e.awards.is_empty())
            && sel.agency.as_ref().is_none_or(|k| &e.agency == k)
            && sel.year.is_none_or(|y| e.start_year == Some(y))
    };
    let mut chosen: Vec<usize> = if sel.slugs.is_empty() {
        (0..cat.entries.len())
            .filter(|i| keep(&cat.entries[*i]))
            .collect()
    } else {
        sel.slugs
            .iter()
            .filter_map(|s| cat.entries.iter().position(|e| &e.slug == s))
            .filter(|i| keep(&cat.entries[*i]))
            .collect()
    };
    if sel.slugs.is_empty() {
        // Entries are already in acronym order; the other orders are stable sorts on it.
        match spec.order {
            Order::Acronym => {}
            Order::Agency => chosen.sort_by_cached_key(|i| {
                let e = &cat.entries[*i];
                cat.agency(&e.agency)
                    .map_or_else(|| e.agency.clone(), |a| a.name.clone())
            }),
            Order::Region => chosen.sort_by_cached_key(|i| {
                let d = &cat.entries[*i].district;
                (d.is_none(), d.clone().unwrap_or_default())
            }),
        }
    }
    if chosen.is_empty() {
        diags.push(err(
            format!("book `{}` selects no innovation", spec.id.get_ref()),
            "check the keys of `select`: together they must match at least one entry".into(),
        ));
    }
    chosen
}

/// The data `book(data)` receives in the template.
fn data(plan: &Plan, config: &Config, cat: &Catalogue, vb: &ViewBuilder) -> Value {
    let spec = plan.spec;
    let absolute = |p: &str| config.absolute(p);
    let no_images = |_: &str| None;
    let conv = Converter {
        absolute: &absolute,
        image: &no_images,
    };
    let total = plan.entries.len();
    let opt = |s: Option<String>| {
        s.filter(|s| !s.is_empty())
            .map(Value::from)
            .unwrap_or(Value::Null)
    };
    let entries: Vec<Value> = plan
        .entries
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let e = &cat.entries[*i];
            let agency = vb.agency(&e.agency);
            // Co-located images that Typst can decode; any other prints as its alt text.
            let slug = e.slug.clone();
            let images = printable_images(e);
            let image = move |p: &str| {
                images
                    .iter()
                    .any(|(i, _)| i == p)
                    .then(|| format!("/img/{slug}/{p}"))
            };
            let conv_e = Converter {
                absolute: &absolute,
                image: &image,
            };
            let view = vb.entry(e);
            json!({
                "number": n + 1,
                "total": total,
                "slug": e.slug,
                "acronym": e.acronym,
                "expansion": e.expansion,
                "agency": crate::site::search::agency_filter_value(&agency.name, agency.short.as_deref()),
                "innovators": opt(Some(e.innovators.join(", "))),
                "start_year": opt(e.start_year.map(|y| y.to_string())),
                "stage": opt(view.stage.clone()),
                "sector": opt(e.sector.as_ref().map(|s| s.1.clone())),
                "sdgs": opt(Some(e.sdgs.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))),
                "district": opt(e.district.clone()),
                "villages": opt(Some(e.villages.join(", "))),
                "awards": e.awards.iter().map(|a| if a.approximate_year {
                    format!("{} ({})", vb.award_label(a), vb.theme.t("approximate"))
                } else {
                    vb.award_label(a)
                }).collect::<Vec<_>>(),
                "summary": e.summary.as_ref().map(|s| conv.convert(s)),
                "body": conv_e.convert(&e.body),
                "sources": view.sources.iter().map(|s| {
                    let mut line = format!("#emph[{}]", escape_markup(&s.title));
                    if let Some(p) = &s.publisher { line.push_str(&format!(", {}", escape_markup(p))); }
                    if let Some(d) = &s.date { line.push_str(&format!(", {}", escape_markup(d))); }
                    if let Some(u) = &s.url {
                        line.push_str(&format!(". #link({})", markup::string_literal(u)));
                    }
                    line
                }).collect::<Vec<_>>(),
                "qr": format!("/qr/{}.svg", e.slug),
                "url": config.absolute(&urls::entry(&e.slug)),
            })
        })
        .collect();
    // Index by agency, agencies in name order, entries by acronym within each.
    let mut by_agency: Vec<(String, Vec<usize>)> = Vec::new();
    for i in &plan.entries {
        let e = &cat.entries[*i];
        let a = vb.agency(&e.agency);
        let name = crate::site::search::agency_filter_value(&a.name, a.short.as_deref());
        match by_agency.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(*i),
            None => by_agency.push((name, vec![*i])),
        }
    }
    by_agency.sort_by(|a, b| a.0.cmp(&b.0));
    let index: Vec<Value> = by_agency
        .into_iter()
        .map(|(agency, mut v)| {
            v.sort();
            json!({
                "agency": agency,
                "entries": v.iter().map(|i| json!({"acronym": cat.entries[*i].acronym, "slug": cat.entries[*i].slug})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let publisher = spec
        .publisher
        .clone()
        .unwrap_or_else(|| config.site.publisher.clone());
    json!({
        "lang": config.site.language.code(),
        "title": spec.title,
        "subtitle": spec.subtitle,
        "year": spec.year,
        "publisher": publisher,
        "region": config.site.region,
        "editors": spec.editors,
        "isbn": spec.isbn,
        "colophon": spec.colophon,
        "keywords": ["inovasi", "pelayanan publik", config.site.region.as_str()],
        "paper": match spec.paper { Paper::A4 => "a4", Paper::B5 => "iso-b5", Paper::Cm18x25 => "18x25" },
        "cover_image": plan.cover.as_ref().map(|c| c.0.clone()),
        "emblem": plan.emblem.as_ref().map(|c| c.0.clone()),
        "site_url": config.site.base_url,
        "front": plan.front.iter().map(|p| json!({"title": p.title, "body": conv.convert(&p.body)})).collect::<Vec<_>>(),
        "entries": entries,
        "index": index,
        "t": vb.theme.strings,
    })
}

/// An entry's images whose first bytes say PNG, JPEG, GIF, WebP or SVG: a broken or
/// mislabelled file prints as its alt text instead of stopping the whole book.
fn printable_images(e: &Innovation) -> Vec<(String, Vec<u8>)> {
    let Some(dir) = &e.asset_dir else {
        return Vec::new();
    };
    e.images
        .iter()
        .filter_map(|img| {
            let b = std::fs::read(dir.join(img)).ok()?;
            let ok = b.starts_with(b"\x89PNG")
                || b.starts_with(&[0xFF, 0xD8, 0xFF])
                || b.starts_with(b"GIF8")
                || (b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP"))
                || (img.ends_with(".svg") && b.trim_ascii_start().starts_with(b"<"));
            ok.then(|| (img.clone(), b))
        })
        .collect()
}

fn qr_svg(url: &str) -> Vec<u8> {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build()
            .into_bytes(),
        // Too long for a QR code: an empty picture rather than no book.
        Err(_) => br#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#.to_vec(),
    }
}

const MAIN: &str = "#import \"/book.typ\": book\n#book(json(\"/data.json\"))\n";

/// Why a book was not made: its template or content (the editor's to fix), or a failure
/// inside Typst (not the editor's: exit 2).
#[derive(Debug)]
pub enum BookFailure {
    Content(Diagnostic),
    Internal(String),
}

impl From<Diagnostic> for BookFailure {
    fn from(d: Diagnostic) -> BookFailure {
        BookFailure::Content(d)
    }
}

/// What a caught panic said ("no message" when it was not text).
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message")
}

/// Typesets one planned book.
pub fn render(
    plan: &Plan,
    config: &Config,
    cat: &Catalogue,
    theme: &Theme,
    fonts: &Fonts,
    today: Option<(i32, u8, u8)>,
) -> Result<Book, BookFailure> {
    let vb = ViewBuilder::new(config, cat, theme);
    let id = plan.spec.id.get_ref().clone();
    let template = format!("{}/book/book.typ", theme.origin);
    if !theme.book.contains_key("book.typ") {
        return Err(
            Diagnostic::error(&template, Pos::FILE, "the theme has no book template")
                .with_hint("copy themes/default/book/book.typ into the theme")
                .into(),
        );
    }
    let data = data(plan, config, cat, &vb);
    let mut files: Vec<(String, Vec<u8>)> = theme
        .book
        .iter()
        .map(|(p, b)| (format!("/{p}"), b.clone()))
        .collect();
    files.push(("/main.typ".into(), MAIN.as_bytes().to_vec()));
    files.push((
        "/data.json".into(),
        serde_json::to_vec(&data).unwrap_or_default(),
    ));
    for i in &plan.entries {
        let e = &cat.entries[*i];
        files.push((
            format!("/qr/{}.svg", e.slug),
            qr_svg(&config.absolute(&urls::entry(&e.slug))),
        ));
        for (img, bytes) in printable_images(e) {
            files.push((format!("/img/{}/{img}", e.slug), bytes));
        }
    }
    files.extend(plan.cover.iter().chain(&plan.emblem).cloned());
    let world = BookWorld::new(fonts, "/main.typ", files, today);
    // Typst's layout can panic on some text (0.15 on a few scripts' marks, found by fuzzing):
    // that is Typst's bug, reported as such instead of ending the whole command.
    let warned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let warned = typst::compile::<PagedDocument>(&world);
        // Typst memoizes across compilations in a process-wide cache that only grows:
        // `serve` typesets books again and again. Keep what the last few compilations used
        // (as Typst's own watch mode does).
        typst::comemo::evict(10);
        warned
    }))
    .map_err(|panic| {
        let why = panic_message(panic.as_ref());
        BookFailure::Internal(format!(
            "book `{id}`: Typst stopped with an internal error ({why}); this is a bug in Typst, \
             set off by the text of one of the book's entries: please report it with the entries \
             edited last"
        ))
    })?;
    let doc = warned.output.map_err(|errors| {
        let e = &errors[0];
        let (file, pos) = match world.locate(e) {
            // Every .typ file but the generated main one comes from the theme's book/ folder.
            Some((path, line, col)) if path.ends_with(".typ") && path != "/main.typ" => {
                (format!("{}/book{path}", theme.origin), Pos::new(line, col))
            }
            _ => (template.clone(), Pos::FILE),
        };
        let hints: Vec<String> = e.hints.iter().map(|h| h.v.to_string()).collect();
        Diagnostic::error(
            &file,
            pos,
            format!("book `{id}`: Typst template error: {}", e.message),
        )
        .with_hint(if hints.is_empty() {
            "fix the book template; Typst's syntax is described at typst.app/docs".to_string()
        } else {
            hints.join("; ")
        })
    })?;
    let warnings = long_profiles(&doc, plan, cat, &id);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("lontara-{id}")),
        tagged: true,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errors| {
        let msg = errors
            .first()
            .map(|e| e.message.to_string())
            .unwrap_or_default();
        Diagnostic::error(
            &template,
            Pos::FILE,
            format!("book `{id}`: cannot write the PDF: {msg}"),
        )
    })?;
    Ok(Book {
        id,
        pdf,
        pages: doc.pages().len(),
        warnings,
    })
}

/// A profile should fit on two pages; say which do not.
fn long_profiles(doc: &PagedDocument, plan: &Plan, cat: &Catalogue, id: &str) -> Vec<Diagnostic> {
    let intro = doc.introspector();
    let start = |name: &str| {
        let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(name))?;
        let loc = intro.query_label(label).ok()?.location()?;
        intro.page(loc).map(|p| p.get())
    };
    let mut starts: Vec<Option<usize>> = plan
        .entries
        .iter()
        .map(|i| start(&format!("profil-{}", cat.entries[*i].slug)))
        .collect();
    // The last profile ends where the index begins.
    starts.push(start("lontara-index"));
    let mut out = Vec::new();
    for (k, i) in plan.entries.iter().enumerate() {
        let end = starts[k + 1].unwrap_or(doc.pages().len() + 1);
        if let Some(s) = starts[k]
            && end.saturating_sub(s) > 2
        {
            let e = &cat.entries[*i];
            out.push(
                Diagnostic::warning(
                    &e.file,
                    Pos::FILE,
                    format!(
                        "book `{id}`: the profile of {} runs to {} pages",
                        e.acronym,
                        end - s
                    ),
                )
                .with_hint("a profile should fit on two pages: shorten the body or the sources"),
            );
        }
    }
    out
}
