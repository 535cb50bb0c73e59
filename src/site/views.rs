//! What templates see: plain serialisable views of the Catalogue, with every link and label
//! already computed, so templates only lay out.

use super::theme::Theme;
use super::urls::{self, Urls};
use crate::config::Config;
use crate::content::catalogue::{Award, Catalogue, Innovation};
use crate::markdown::Markdown;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardView {
    /// The award page's key (`kipp-provinsi-2020-top-30`).
    pub key: String,
    pub label: String,
    pub url: String,
    pub competition: String,
    pub level: String,
    pub year: i32,
    pub rank: String,
    pub organizer: Option<String>,
    pub category: Option<String>,
    /// The year is the sources' most likely year, not a stated one.
    pub approximate_year: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyView {
    pub key: String,
    pub name: String,
    pub short: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// A short form of an entry, for lists and cards.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub slug: String,
    pub url: String,
    pub acronym: String,
    pub expansion: Option<String>,
    pub agency: AgencyView,
    pub start_year: Option<i32>,
    pub awards: Vec<AwardView>,
    pub summary: Option<String>,
}

/// Everything an innovation page shows.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    #[serde(flatten)]
    pub card: Card,
    pub permalink: String,
    pub innovators: Vec<String>,
    pub year_url: Option<String>,
    pub sector: Option<Link>,
    pub stage: Option<String>,
    pub digital: Option<bool>,
    pub district: Option<String>,
    pub villages: Vec<String>,
    pub sdgs: Vec<u8>,
    pub aliases: Vec<String>,
    pub former_names: Vec<String>,
    pub tags: Vec<String>,
    pub replication_of: Option<Link>,
    pub replicated_by: Vec<Link>,
    pub sources: Vec<SourceView>,
    pub images: Vec<Link>,
    pub file: String,
    pub extra: serde_json::Value,
}

pub struct ViewBuilder<'a> {
    pub config: &'a Config,
    pub cat: &'a Catalogue,
    pub theme: &'a Theme,
    pub urls: Urls,
    pub markdown: Markdown,
}

impl<'a> ViewBuilder<'a> {
    pub fn new(config: &'a Config, cat: &'a Catalogue, theme: &'a Theme) -> Self {
        let markdown = Markdown::new(&config.base_path());
        Self::sharing(config, cat, theme, &markdown)
    }

    /// With an existing renderer, so its syntax definitions are loaded once per session.
    pub fn sharing(
        config: &'a Config,
        cat: &'a Catalogue,
        theme: &'a Theme,
        markdown: &Markdown,
    ) -> Self {
        ViewBuilder {
            config,
            cat,
            theme,
            markdown: markdown.clone(),
            urls: Urls {
                base: config.base_path(),
            },
        }
    }

    pub fn award_label(&self, a: &Award) -> String {
        let comp = self.cat.competition(&a.competition);
        let short = comp
            .map(|c| c.short.clone().unwrap_or_else(|| c.name.clone()))
            .unwrap_or_default();
        format!(
            "{short} {} {} · {}",
            crate::content::catalogue::capitalize(a.level),
            a.year,
            a.rank
        )
    }

    pub fn agency(&self, key: &str) -> AgencyView {
        let a = self.cat.agency(key);
        AgencyView {
            key: key.to_string(),
            name: a.map_or_else(|| key.to_string(), |a| a.name.clone()),
            short: a.and_then(|a| a.short.clone()),
            url: self.urls.link(&urls::group(urls::AGENCIES, key)),
        }
    }

    pub fn card(&self, e: &Innovation) -> Card {
        Card {
            slug: e.slug.clone(),
            url: self.urls.link(&urls::entry(&e.slug)),
            acronym: e.acronym.clone(),
            expansion: e.expansion.clone(),
            agency: self.agency(&e.agency),
            start_year: e.start_year,
            awards: e.awards.iter().map(|a| self.award(a)).collect(),
            summary: e.summary.clone(),
        }
    }

    fn award(&self, a: &Award) -> AwardView {
        AwardView {
            key: a.key.clone(),
            label: self.award_label(a),
            url: self.urls.link(&urls::group(urls::AWARDS, &a.key)),
            competition: self
                .cat
                .competition(&a.competition)
                .map_or_else(|| a.competition.clone(), |c| c.name.clone()),
            level: crate::content::catalogue::capitalize(a.level),
            year: a.year,
            rank: a.rank.clone(),
            organizer: a.organizer.clone(),
            category: a.category.clone(),
            approximate_year: a.approximate_year,
        }
    }

    fn entry_link(&self, slug: &str) -> Option<Link> {
        let e = self.cat.entry(slug)?;
        Some(Link {
            label: e.acronym.clone(),
            url: self.urls.link(&urls::entry(slug)),
        })
    }

    pub fn entry(&self, e: &Innovation) -> EntryView {
        EntryView {
            card: self.card(e),
            permalink: self.config.absolute(&urls::entry(&e.slug)),
            innovators: e.innovators.clone(),
            year_url: e
                .start_year
                .map(|y| self.urls.link(&urls::group(urls::YEARS, &y.to_string()))),
            sector: e.sector.as_ref().map(|(k, l)| Link {
                label: l.clone(),
                url: self.urls.link(&urls::group(urls::SECTORS, k)),
            }),
            stage: e.stage.map(|s| self.theme.t(&format!("stage_{s}"))),
            digital: e.digital,
            district: e.district.clone(),
            villages: e.villages.clone(),
            sdgs: e.sdgs.clone(),
            aliases: e.aliases.clone(),
            former_names: e.former_names.clone(),
            tags: e.tags.clone(),
            replication_of: e.replication_of.as_deref().and_then(|s| self.entry_link(s)),
            replicated_by: e
                .replicated_by
                .iter()
                .filter_map(|s| self.entry_link(s))
                .collect(),
            sources: e
                .sources
                .iter()
                .map(|s| SourceView {
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    date: s.date.as_deref().map(|d| self.date(d)),
                    url: s.url.clone(),
                })
                .collect(),
            images: e
                .images
                .iter()
                .map(|i| Link {
                    label: i.clone(),
                    url: self.urls.link(&format!("{}{i}", urls::entry(&e.slug))),
                })
                .collect(),
            file: e.file.clone(),
            extra: e.extra.clone(),
        }
    }

    /// "2021-02-09" → "9 Februari 2021" in the UI language.
    pub fn date(&self, d: &str) -> String {
        let months: Vec<String> = self
            .theme
            .strings
            .get("months")
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let parts: Vec<&str> = d.split('-').collect();
        let month = |m: &str| {
            m.parse::<usize>()
                .ok()
                .and_then(|m| months.get(m.wrapping_sub(1)).cloned())
                .unwrap_or_else(|| m.to_string())
        };
        match parts.as_slice() {
            [y, m, day] => format!("{} {} {y}", day.trim_start_matches('0'), month(m)),
            [y, m] => format!("{} {y}", month(m)),
            _ => d.to_string(),
        }
    }

    /// schema.org description of an innovation, safe to place inside a <script> element.
    pub fn json_ld(&self, e: &Innovation) -> String {
        let agency = self.agency(&e.agency);
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": e.acronym,
            "url": self.config.absolute(&urls::entry(&e.slug)),
            "provider": { "@type": "GovernmentOrganization", "name": agency.name },
        });
        if let Some(x) = &e.expansion {
            v["alternateName"] = x.clone().into();
        }
        if let Some(s) = &e.summary {
            v["description"] = s.clone().into();
        }
        if !self.config.site.region.is_empty() {
            v["areaServed"] = self.config.site.region.clone().into();
        }
        if !e.awards.is_empty() {
            v["award"] = e
                .awards
                .iter()
                .map(|a| self.award_label(a))
                .collect::<Vec<_>>()
                .into();
        }
        if let Some((_, label)) = &e.sector {
            v["serviceType"] = label.clone().into();
        }
        script_safe_json(&v)
    }
}

/// JSON that cannot end a <script> element or open a comment, whatever the strings hold.
pub fn script_safe_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let v = serde_json::json!({ "name": "</script><script>alert(1)</script>" });
        let s = script_safe_json(&v);
        assert!(!s.contains("</script"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
