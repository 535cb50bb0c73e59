//! Free pages (`content/pages/<slug>.md`) and the printed book's front-matter pages
//! (`content/book/<name>.md`): a title and Markdown.

use super::fields::Reader;
use super::load::SourceFile;
use crate::diagnostics::{Diagnostic, Pos};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// Menu position; pages without one are not in the menu.
    pub order: Option<i64>,
    pub draft: bool,
    #[serde(skip)]
    /// Shared by every copy of the entry (a large catalogue's text is held once).
    pub body: std::sync::Arc<str>,
}

pub fn read_page(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let mut r = Reader {
        rel: &file.rel,
        diags,
    };
    let fields = r.fields(
        &file.front,
        &["title", "description", "order", "draft"],
        "the front matter",
        "",
    );
    let mut page = Page {
        slug: file.slug.clone(),
        title: String::new(),
        description: None,
        order: None,
        draft: false,
        body: file.body.clone(),
    };
    for (k, n) in fields {
        match k {
            "title" => page.title = r.text(k, n).unwrap_or_default(),
            "description" => page.description = r.text(k, n),
            "order" => page.order = r.int(k, n),
            "draft" => page.draft = r.bool(k, n).unwrap_or(false),
            _ => unreachable!(),
        }
    }
    if page.title.is_empty() {
        r.error(
            Pos::new(1, 1),
            "missing required field `title`",
            "add `title: <the page's heading>`",
        );
        return None;
    }
    Some(page)
}
