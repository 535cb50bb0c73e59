//! Books in a serve session: typeset on first request, kept until something they print
//! changes (their entries, front-matter pages, cover, emblem, the book template or book.toml).

use crate::book;
use crate::config::Config;
use crate::content::Catalogue;
use crate::site::plan::hasher;
use crate::site::theme::Theme;
use crate::site::{BookOut, Site};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct BookCache {
    /// Book id → (fingerprint, pages, PDF).
    typeset: Mutex<HashMap<String, Typeset>>,
}

/// (fingerprint, pages, PDF)
type Typeset = (u64, usize, Arc<Vec<u8>>);

fn fingerprint(plan: &book::Plan, config: &Config, cat: &Catalogue, theme: &Theme) -> u64 {
    let mut h = hasher();
    (&config.source, &config.site.base_url, &theme.book).hash(&mut h);
    format!("{:?}{:?}", cat.agencies, cat.competitions).hash(&mut h);
    theme.strings.to_string().hash(&mut h);
    for i in &plan.entries {
        let e = &cat.entries[*i];
        (&e.slug, e.source_hash).hash(&mut h);
    }
    for p in &plan.front {
        (&p.title, &p.body).hash(&mut h);
    }
    (&plan.cover, &plan.emblem).hash(&mut h);
    h.finish()
}

impl BookCache {
    /// The site's books, with the PDFs already typeset for this content.
    pub fn outs(
        &self,
        config: &Config,
        cat: &Catalogue,
        theme: &Theme,
        root: &Path,
    ) -> Vec<BookOut> {
        let typeset = self.typeset.lock().map(|t| t.clone()).unwrap_or_default();
        book::plan(config, cat, root)
            .0
            .iter()
            .map(|p| {
                let id = p.spec.id.get_ref().clone();
                let fp = fingerprint(p, config, cat, theme);
                let done = typeset.get(&id).filter(|t| t.0 == fp);
                BookOut {
                    title: p.spec.title.clone(),
                    subtitle: p.spec.subtitle.clone(),
                    year: p.spec.year,
                    entries: p.entries.clone(),
                    pages: done.map(|t| t.1),
                    pdf: done.map(|t| t.2.clone()),
                    id,
                }
            })
            .collect()
    }

    /// The PDF of the site's book `i`, typeset now if it is not yet.
    pub fn pdf(&self, site: &Site, i: usize, root: &Path) -> Result<Vec<u8>, String> {
        let id = &site.books[i].id;
        let (plans, _) = book::plan(&site.config, &site.cat, root);
        let plan = plans
            .iter()
            .find(|p| p.spec.id.get_ref() == id)
            .ok_or_else(|| format!("book `{id}` is no longer in book.toml"))?;
        let fp = fingerprint(plan, &site.config, &site.cat, &site.theme);
        if let Some(t) = self.typeset.lock().ok().and_then(|t| t.get(id).cloned())
            && t.0 == fp
        {
            return Ok(t.2.as_ref().clone());
        }
        let fonts = book::world::Fonts::bundled();
        let b = book::render(plan, &site.config, &site.cat, &site.theme, &fonts, None).map_err(
            |f| match f {
                book::BookFailure::Content(d) => {
                    format!("{}:{}:{}: {}", d.path, d.line, d.column, d.message)
                }
                book::BookFailure::Internal(m) => m,
            },
        )?;
        if let Ok(mut t) = self.typeset.lock() {
            t.insert(id.clone(), (fp, b.pages, Arc::new(b.pdf.clone())));
        }
        Ok(b.pdf)
    }
}
