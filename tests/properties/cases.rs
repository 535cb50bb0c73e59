//! One function per fuzz target: bytes in, the broken property out. Shared by the fuzz
//! targets and by the test that replays `fuzz/regressions/`.
#![allow(dead_code)]

use super::checks;
use lontara::content::entry::{YearRange, read_entry};
use lontara::content::load::{Kind, SourceFile, split_and_parse};

pub fn markdown_html(data: &[u8]) -> Result<(), String> {
    let md = String::from_utf8_lossy(data);
    checks::html_is_inert(&lontara::markdown::Markdown::new("/").to_html(&md))
}

pub fn markdown_typst(data: &[u8]) -> Result<(), String> {
    // Typesetting is slow; long inputs add nothing the short ones don't find.
    if data.len() > 4096 {
        return Ok(());
    }
    checks::book_markup_prints_the_text(&String::from_utf8_lossy(data))
}

pub fn front_matter(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let rel = "content/innovations/e.md";
    let (front, body) = match split_and_parse(&text, rel) {
        Ok(split) => split,
        Err(d) => return checks::located_within(&d, &text),
    };
    let file = SourceFile {
        kind: Kind::Innovation,
        rel: rel.into(),
        slug: "e".into(),
        asset_dir: None,
        front,
        body: body.into(),
        hash: 0,
    };
    let mut diags = Vec::new();
    read_entry(
        &file,
        YearRange {
            min: 1945,
            max: 2027,
        },
        &mut diags,
    );
    diags
        .iter()
        .try_for_each(|d| checks::located_within(d, &text))
}

pub fn book_toml(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    match lontara::config::Config::parse(&text) {
        Ok(_) => Ok(()),
        Err(d) => checks::located_within(&d, &text),
    }
}

/// Every saved input of every target, as (target, file name, bytes).
pub fn regressions(root: &std::path::Path) -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(targets) = std::fs::read_dir(root) else {
        return out;
    };
    for t in targets.flatten() {
        for f in std::fs::read_dir(t.path()).into_iter().flatten().flatten() {
            out.push((
                t.file_name().to_string_lossy().into_owned(),
                f.file_name().to_string_lossy().into_owned(),
                std::fs::read(f.path()).unwrap_or_default(),
            ));
        }
    }
    out.sort();
    out
}
