//! Markdown → HTML for entry bodies and pages: CommonMark with tables, footnotes,
//! strikethrough, heading anchors and syntect-highlighted code (CSS classes).
//!
//! Safety first: every parser event goes through `safe::Safe` before anything else sees it.
//! Raw HTML in an entry is escaped, never passed through, and links or images with a
//! script-capable scheme (`javascript:`, `data:`, ...) are dropped, their words kept. A
//! public government site must not run what an entry smuggles in.

mod safe;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Renders Markdown for one site; holds the (lazily loaded) syntax definitions, shared by
/// clones so a long-lived session loads them once.
#[derive(Clone)]
pub struct Markdown {
    base_path: String,
    syntaxes: Arc<OnceLock<SyntaxSet>>,
}

impl Markdown {
    pub fn new(base_path: &str) -> Self {
        Markdown {
            base_path: base_path.to_string(),
            syntaxes: Arc::new(OnceLock::new()),
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    pub fn to_html(&self, src: &str) -> String {
        let opts =
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
        let mut events: Vec<Event> = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        // Every event passes the safety gate first, wherever it sits.
        let mut parser = safe::Safe::new(Parser::new_ext(src, opts), &self.base_path);
        while let Some(ev) = parser.next() {
            match ev {
                Event::Start(Tag::Heading { level, .. }) => {
                    // Collect the heading's inline events to derive its anchor from its text.
                    let mut inner = Vec::new();
                    for e in parser.by_ref() {
                        if matches!(e, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push(e);
                    }
                    let text: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let id = unique_id(&mut ids, &text);
                    // The page title is the only h1; body headings start at h2.
                    let n = (level as usize).max(2);
                    events.push(Event::Html(format!("<h{n} id=\"{id}\">").into()));
                    events.extend(inner);
                    events.push(Event::Html(format!("</h{n}>\n").into()));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    let mut code = String::new();
                    for e in parser.by_ref() {
                        match e {
                            Event::End(TagEnd::CodeBlock) => break,
                            Event::Text(t) => code.push_str(&t),
                            _ => {}
                        }
                    }
                    events.push(Event::Html(self.code_block(&lang, &code).into()));
                }
                other => events.push(other),
            }
        }
        let mut out = String::with_capacity(src.len() * 3 / 2);
        html::push_html(&mut out, events.into_iter());
        out
    }

    fn code_block(&self, lang: &str, code: &str) -> String {
        let ss = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = (!lang.is_empty())
            .then(|| ss.find_syntax_by_token(lang))
            .flatten();
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", crate::text::slugify(lang))
        };
        let Some(syntax) = syntax else {
            return format!("<pre><code{class}>{}</code></pre>\n", escape(code));
        };
        let mut g = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            ss,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            if g.parse_html_for_line_which_includes_newline(line).is_err() {
                return format!("<pre><code{class}>{}</code></pre>\n", escape(code));
            }
        }
        format!(
            "<pre class=\"hl\"><code{class}>{}</code></pre>\n",
            g.finalize()
        )
    }
}

/// Body heading anchors all begin with this; the theme's own ids never do, so a heading
/// such as `## Isi` cannot take the id of the skip link's target.
pub const HEADING_ID_PREFIX: &str = "bagian-";

fn unique_id(ids: &mut HashMap<String, usize>, text: &str) -> String {
    let base = {
        let s = crate::text::slugify(text);
        if s.is_empty() {
            "bagian".to_string()
        } else {
            format!("{HEADING_ID_PREFIX}{s}")
        }
    };
    let n = ids.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { base } else { format!("{base}-{n}") }
}

/// The words of a Markdown text, without markup: what a search index or a feed summary
/// needs. Raw HTML counts as text, as it does on the page (it is escaped there).
pub fn to_plain_text(src: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(src.len());
    for ev in Parser::new_ext(src, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let md = Markdown::new("/");
        let out = md.to_html("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn script_links_are_neutralised() {
        let md = Markdown::new("/");
        let out = md.to_html("[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) [d](https://ok.id/) [e](mailto:a@b.id)");
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("href=\"https://ok.id/\""));
        assert!(out.contains("href=\"mailto:a@b.id\""));
    }

    #[test]
    fn no_script_link_survives_anywhere() {
        let md = Markdown::new("/");
        let places = [
            "## [klik](javascript:alert(1))\n",
            "klik [di sini](javascript:alert(1))\n====\n",
            "## *[klik](javascript:alert(1))*\n",
            "## **_[klik](javascript:alert(1))_**\n",
            "| a |\n|---|\n| [klik](javascript:alert(1)) |\n",
            "- [klik](javascript:alert(1))\n  - [klik](javascript:alert(1))\n",
            "> [klik](javascript:alert(1))\n",
            "x[^1]\n\n[^1]: [klik](javascript:alert(1))\n",
            "[klik][r]\n\n[r]: javascript:alert(1)\n",
            "## [klik](java&#9;script:alert(1))\n",
            "[![klik](javascript:alert(1))](javascript:alert(2))\n",
        ];
        for src in places {
            let out = md.to_html(src);
            assert!(
                !out.to_lowercase().contains("javascript"),
                "{src:?} → {out}"
            );
            // Only the footnote's own anchors remain as links; no dead "#" link.
            for href in out.split("href=\"").skip(1) {
                let v = &href[..href.find('"').unwrap()];
                assert!(v.len() > 1 && v.starts_with('#'), "{src:?} → {out}");
            }
            assert!(out.contains("klik"), "the words stay: {src:?} → {out}");
        }
    }

    #[test]
    fn a_refused_image_prints_its_alt_text() {
        let md = Markdown::new("/");
        let out = md
            .to_html("![Peta desa](data:image/svg+xml;base64,PHN2Zz4=)\n\n<javascript:alert(1)>\n");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("Peta desa"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        // An autolink with a script scheme is printed as words, not a link.
        assert!(out.contains("<p>javascript:alert(1)</p>"), "{out}");
    }

    #[test]
    fn root_links_in_headings_get_the_base_path() {
        let md = Markdown::new("/katalog/");
        let out = md
            .to_html("## Lihat [SIPENA](/inovasi/sipena/)\n\nLihat juga\n---\n\n> ![x](/a.png)\n");
        assert!(out.contains("href=\"/katalog/inovasi/sipena/\""), "{out}");
        assert!(out.contains("src=\"/katalog/a.png\""), "{out}");
    }

    #[test]
    fn root_links_get_the_base_path() {
        let md = Markdown::new("/katalog/");
        let out = md.to_html("[x](/inovasi/sipena/) [y](foto.jpg) [z](#dampak)");
        assert!(out.contains("href=\"/katalog/inovasi/sipena/\""), "{out}");
        assert!(out.contains("href=\"foto.jpg\""));
        assert!(out.contains("href=\"#dampak\""));
    }

    #[test]
    fn headings_get_unique_anchors_and_start_at_h2() {
        let md = Markdown::new("/");
        let out = md.to_html("# Judul\n\n## Latar Belakang\n\n## Latar Belakang\n");
        assert!(out.contains("<h2 id=\"bagian-judul\">Judul</h2>"), "{out}");
        assert!(out.contains("<h2 id=\"bagian-latar-belakang\">"));
        assert!(out.contains("<h2 id=\"bagian-latar-belakang-2\">"));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_code() {
        let md = Markdown::new("/");
        let out = md.to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ y[^1]\n\n[^1]: catatan\n\n```rust\nfn main() {}\n```\n");
        assert!(out.contains("<table>"));
        assert!(out.contains("<del>x</del>"));
        assert!(out.contains("footnote-definition"));
        assert!(
            out.contains("<pre class=\"hl\"><code class=\"language-rust\">"),
            "{out}"
        );
        assert!(out.contains("hl-"), "{out}");
    }
}
