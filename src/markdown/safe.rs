//! The one gate every Markdown event passes through before it becomes HTML: raw HTML turns
//! into text, link and image addresses are checked against an allowlist of schemes, and
//! root-relative addresses get the site's base path. It wraps the parser itself, so no
//! construct (heading, table, list, quote, footnote, image alt text) can go around it.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// What an address in an entry may become.
pub enum Url<'a> {
    /// Safe to emit, possibly rewritten (base path added).
    Keep(CowStr<'a>),
    /// A script-capable or unknown scheme: the link is dropped and its words kept.
    Drop,
}

/// Schemes a reader's browser may follow from an entry. Anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:`, ...) is refused: an allowlist cannot miss a new trick.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Checks one address and adds the base path to root-relative ones.
pub fn url<'a>(url: CowStr<'a>, base_path: &str) -> Url<'a> {
    // Browsers ignore ASCII tabs and newlines anywhere in a URL and leading controls or
    // spaces, so "java\tscript:" must be judged as "javascript:".
    let squeezed: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    if let Some(colon) = squeezed.find(':') {
        let scheme = &squeezed[..colon];
        let is_scheme = !scheme.contains(['/', '?', '#']);
        if is_scheme && !SCHEMES.contains(&scheme) {
            return Url::Drop;
        }
    }
    if url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\") && base_path != "/"
    {
        return Url::Keep(CowStr::Boxed(
            format!("{}{}", base_path.trim_end_matches('/'), url).into_boxed_str(),
        ));
    }
    // "//host" and "/\host" are other sites, not this one's root: keep them as written
    // only if they carry no script (they cannot: no scheme), like any external link.
    Url::Keep(url)
}

/// The parser's events, made safe. Dropped links and images leave their inner events (the
/// link text, the image's alt text) in place, so a reader sees words instead of a dead `#`.
pub struct Safe<'a, I> {
    inner: I,
    base_path: &'a str,
    /// For each open link and image: was its start dropped (so its end must be too)?
    links: Vec<bool>,
    images: Vec<bool>,
}

impl<'a, I> Safe<'a, I> {
    pub fn new(inner: I, base_path: &'a str) -> Self {
        Safe {
            inner,
            base_path,
            links: Vec::new(),
            images: Vec::new(),
        }
    }
}

impl<'e, I: Iterator<Item = Event<'e>>> Iterator for Safe<'_, I> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        loop {
            let ev = self.inner.next()?;
            let out = match ev {
                Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match url(dest_url, self.base_path) {
                    Url::Keep(dest_url) => {
                        self.links.push(false);
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        })
                    }
                    Url::Drop => {
                        self.links.push(true);
                        continue;
                    }
                },
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match url(dest_url, self.base_path) {
                    Url::Keep(dest_url) => {
                        self.images.push(false);
                        Event::Start(Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            id,
                        })
                    }
                    Url::Drop => {
                        self.images.push(true);
                        continue;
                    }
                },
                Event::End(TagEnd::Link) => {
                    if self.links.pop().unwrap_or(false) {
                        continue;
                    }
                    ev
                }
                Event::End(TagEnd::Image) => {
                    if self.images.pop().unwrap_or(false) {
                        continue;
                    }
                    ev
                }
                other => other,
            };
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(u: &str) -> Option<String> {
        match url(CowStr::Borrowed(u), "/katalog/") {
            Url::Keep(k) => Some(k.to_string()),
            Url::Drop => None,
        }
    }

    #[test]
    fn script_schemes_are_dropped_however_written() {
        for u in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "\u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:x",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert_eq!(judged(u), None, "{u:?}");
        }
    }

    #[test]
    fn ordinary_addresses_are_kept() {
        assert_eq!(judged("https://a.id/").as_deref(), Some("https://a.id/"));
        assert_eq!(judged("mailto:a@b.id").as_deref(), Some("mailto:a@b.id"));
        assert_eq!(judged("foto.jpg").as_deref(), Some("foto.jpg"));
        assert_eq!(judged("#dampak").as_deref(), Some("#dampak"));
        assert_eq!(judged("a/b:c").as_deref(), Some("a/b:c"));
        assert_eq!(
            judged("/inovasi/x/").as_deref(),
            Some("/katalog/inovasi/x/")
        );
        assert_eq!(judged("//cdn.id/x").as_deref(), Some("//cdn.id/x"));
    }
}
