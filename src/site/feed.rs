//! Atom feed and sitemap.xml: XML written by hand (two small formats), every value escaped.

use super::urls;
use super::views::ViewBuilder;
use crate::config::Config;
use crate::content::Catalogue;
use std::fmt::Write as _;

const FEED_SIZE: usize = 50;

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than producing an invalid feed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn sitemap(config: &Config, paths: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let _ = writeln!(
            s,
            "  <url><loc>{}</loc></url>",
            xml_escape(&config.absolute(p))
        );
    }
    s.push_str("</urlset>\n");
    s
}

/// The newest entries by their latest known date (award, source, start year): deterministic,
/// never from file times.
pub fn atom(config: &Config, cat: &Catalogue, vb: &ViewBuilder) -> String {
    let mut order: Vec<(String, usize)> = cat
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.latest_date(), i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.truncate(FEED_SIZE);
    let updated = order
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |o| o.0.clone());
    let author = if config.site.publisher.is_empty() {
        &config.site.title
    } else {
        &config.site.publisher
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        config.site.language.code(),
        xml_escape(&config.site.title),
        xml_escape(&config.site.description),
        xml_escape(&config.absolute("")),
        xml_escape(&config.absolute("atom.xml")),
        xml_escape(&config.absolute("")),
        xml_escape(author),
    );
    for (date, i) in order {
        let e = &cat.entries[i];
        let url = config.absolute(&urls::entry(&e.slug));
        let title = match &e.expansion {
            Some(x) => format!("{} — {x}", e.acronym),
            None => e.acronym.clone(),
        };
        let agency = vb.agency(&e.agency).name;
        let summary = e.summary.clone().unwrap_or_default();
        let _ = write!(
            s,
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{date}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&title),
            xml_escape(&url),
            xml_escape(&url),
            xml_escape(&agency),
            xml_escape(&summary),
        );
    }
    s.push_str("</feed>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
