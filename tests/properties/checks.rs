//! The properties every input must keep, shared by the property tests (`cargo test`) and the
//! fuzz targets (`fuzz/`), so both search for the same failures.
#![allow(dead_code)]

use lontara::book::markup::{Converter, escape_markup};
use lontara::book::world::{BookWorld, Fonts};
use lontara::diagnostics::Diagnostic;
use scraper::{Html, Node};
use std::sync::OnceLock;

/// Elements that run or load code, or change where links and forms go.
const ACTIVE: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta",
    "link", "style", "svg", "math", "template", "noscript", "portal",
];
/// Attributes that hold a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "cite",
    "background",
    "ping",
];

/// The HTML, read by a browser's parser, holds no element or attribute that runs script and
/// no URL with a scheme outside http, https, mailto and tel.
pub fn html_is_inert(html: &str) -> Result<(), String> {
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        if ACTIVE.contains(&name) {
            return Err(format!("element <{name}> in {html:?}"));
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                return Err(format!("event attribute {attr} in {html:?}"));
            }
            if attr == "style"
                && !matches!(
                    value,
                    "text-align: left" | "text-align: center" | "text-align: right"
                )
            {
                return Err(format!("style {value:?} in {html:?}"));
            }
            if URL_ATTRS.contains(&attr.as_str()) {
                check_url(value).map_err(|e| format!("{attr}={value:?}: {e} in {html:?}"))?;
            }
        }
    }
    Ok(())
}

/// A URL as a browser reads it: leading and trailing spaces and controls dropped, tabs and
/// newlines removed anywhere; a scheme is what comes before the first `:` if no `/?#` does.
fn check_url(value: &str) -> Result<(), String> {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return Ok(());
    };
    if cleaned[..colon].contains(['/', '?', '#']) {
        return Ok(());
    }
    let scheme = cleaned[..colon].to_ascii_lowercase();
    if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
        Ok(())
    } else {
        Err(format!("scheme {scheme:?}"))
    }
}

/// A diagnostic about `text` points at a line of it (or at the whole file).
pub fn located_within(d: &Diagnostic, text: &str) -> Result<(), String> {
    // Lines as editors (and YAML and CommonMark) count them: a lone carriage return breaks a
    // line too.
    let lines = text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .count()
        .max(1);
    if d.line > lines + 1 {
        return Err(format!("line {} of a {lines}-line file: {d:?}", d.line));
    }
    if d.line == 0 && d.column != 0 {
        return Err(format!("column without a line: {d:?}"));
    }
    if d.message.trim().is_empty() {
        return Err(format!("empty message: {d:?}"));
    }
    Ok(())
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::bundled)
}

/// Compiles Typst markup alone and returns the text it prints, or Typst's first error.
/// The world holds nothing but the main file: markup that reads a file fails to compile.
/// None: the text set off Typst's known shaper panic (below), which says nothing of the markup.
pub fn typst_text(markup: &str) -> Result<Option<String>, String> {
    let world = BookWorld::new(
        fonts(),
        "/main.typ",
        vec![("/main.typ".into(), markup.as_bytes().to_vec())],
        None,
    );
    let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let warned = typst::compile::<typst_layout::PagedDocument>(&world);
        // Typst's memo cache is process-wide and only grows: a fuzz run compiles thousands.
        typst::comemo::evict(10);
        warned
    }));
    let doc = match compiled {
        Ok(warned) => warned.output.map_err(|e| format!("{:?}", e[0].message))?,
        // Typst 0.15's shaper panics on a few marks of scripts the bundled fonts lack, after
        // a right-to-left character ("glyphs ... fell out of range"; found by fuzzing,
        // fuzz/regressions/markdown_typst/typst-shaper-panic-rtl-mark.md). Lontara cannot
        // change what Typst does with the text, only report it (book::BookFailure::Internal, exit 2; tests/book.rs):
        // the markup is not at fault, so that one panic passes here and any other fails.
        Err(p) => {
            let why = lontara::book::panic_message(p.as_ref());
            if why.contains("fell out of range") {
                return Ok(None);
            }
            return Err(format!("Typst panicked: {why}"));
        }
    };
    let mut out = String::new();
    for page in doc.pages() {
        collect(&page.frame, &mut out);
    }
    Ok(Some(out))
}

fn collect(frame: &typst::layout::Frame, out: &mut String) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect(&g.frame, out),
            FrameItem::Text(t) => {
                out.push_str(&t.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// Letters and digits, counted: what must survive printing whatever the layout does.
fn word_chars(s: &str) -> std::collections::BTreeMap<char, usize> {
    let mut m = std::collections::BTreeMap::new();
    for c in s.chars().filter(|c| c.is_alphanumeric()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

/// Escaped text compiles, and prints its letters and digits: nothing in it was evaluated.
pub fn escaped_text_prints_itself(text: &str) -> Result<(), String> {
    let Some(printed) = typst_text(&escape_markup(text))? else {
        return Ok(());
    };
    // At least each letter and digit: a cluster set in two fonts is reported twice.
    let got = word_chars(&printed);
    for (c, n) in word_chars(text) {
        if got.get(&c).copied().unwrap_or(0) < n {
            return Err(format!("{text:?} printed as {printed:?}"));
        }
    }
    Ok(())
}

/// An entry's Markdown, converted for the book, compiles without reading any file and prints
/// at least every letter and digit of its text.
pub fn book_markup_prints_the_text(md: &str) -> Result<(), String> {
    let absolute = |p: &str| format!("https://contoh.go.id{p}");
    let image = |_: &str| None;
    let conv = Converter {
        absolute: &absolute,
        image: &image,
    };
    let markup = conv.convert(md);
    let Some(printed) = typst_text(&markup).map_err(|e| format!("{e} for {md:?} → {markup:?}"))?
    else {
        return Ok(());
    };
    let got = word_chars(&printed);
    let want = word_chars(&lontara::markdown::to_plain_text(md));
    for (c, n) in want {
        if got.get(&c).copied().unwrap_or(0) < n {
            return Err(format!(
                "{c:?} ×{n} missing: {md:?} → {markup:?} printed {printed:?}"
            ));
        }
    }
    Ok(())
}
