//! The Catalogue: the immutable, validated model every output is rendered from, with its
//! indexes by agency, award, start year and sector, all sorted with Indonesian collation.

use super::entry::SourceRef;
use super::page::Page;
use super::registry::RegistryItem;
use serde::Serialize;
use std::cmp::Ordering;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize)]
pub struct Award {
    /// Canonical competition key.
    pub competition: String,
    pub level: &'static str,
    pub year: i32,
    pub rank: String,
    pub organizer: Option<String>,
    pub category: Option<String>,
    /// The year is the sources' most likely year, not one they state (shown as approximate).
    pub approximate_year: bool,
    /// The award's address key: `<competition>-<level>-<year>-<rank>`, slugified.
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Innovation {
    pub slug: String,
    /// Source file, relative to the catalogue root.
    pub file: String,
    pub acronym: String,
    pub expansion: Option<String>,
    /// Canonical agency key.
    pub agency: String,
    pub innovators: Vec<String>,
    pub start_year: Option<i32>,
    pub awards: Vec<Award>,
    pub summary: Option<String>,
    /// Sector key (slugified) and its label as written.
    pub sector: Option<(String, String)>,
    pub stage: Option<&'static str>,
    pub digital: Option<bool>,
    pub district: Option<String>,
    pub villages: Vec<String>,
    pub sdgs: Vec<u8>,
    pub aliases: Vec<String>,
    pub former_names: Vec<String>,
    pub tags: Vec<String>,
    pub replication_of: Option<String>,
    /// Computed: the entries whose `replication_of` is this one.
    pub replicated_by: Vec<String>,
    pub sources: Vec<SourceRef>,
    pub images: Vec<String>,
    pub draft: bool,
    pub extra: serde_json::Value,
    #[serde(skip)]
    /// Shared by every copy of the entry (a large catalogue's text is held once).
    pub body: std::sync::Arc<str>,
    /// A hash of the entry's file, for change detection.
    #[serde(skip)]
    pub source_hash: u64,
    #[serde(skip)]
    pub asset_dir: Option<PathBuf>,
}

impl Innovation {
    /// The fields whose absence the completeness report lists.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.expansion.is_none() {
            m.push("expansion");
        }
        if self.innovators.is_empty() {
            m.push("innovator");
        }
        if self.start_year.is_none() {
            m.push("start_year");
        }
        if self.summary.is_none() {
            m.push("summary");
        }
        m
    }

    /// The most recent year this entry is known for: award, source or start. Used for
    /// "recent" orderings and the feed, so they never depend on file times.
    pub fn latest_year(&self) -> i32 {
        let awards = self.awards.iter().map(|a| a.year);
        let sources = self
            .sources
            .iter()
            .filter_map(|s| s.date.as_deref()?.get(..4)?.parse().ok());
        awards
            .chain(sources)
            .chain(self.start_year)
            .max()
            .unwrap_or(0)
    }

    /// The latest dated source (`YYYY-MM-DD` padded), used as the feed's `updated`.
    pub fn latest_date(&self) -> String {
        let dates = self.sources.iter().filter_map(|s| s.date.clone());
        let best = dates.max().unwrap_or_default();
        let year = self.latest_year();
        if best.get(..4).and_then(|y| y.parse::<i32>().ok()) == Some(year) {
            match best.len() {
                4 => format!("{best}-01-01"),
                7 => format!("{best}-01"),
                _ => best,
            }
        } else {
            format!("{:04}-01-01", year.max(1970))
        }
    }
}

/// One browsable group: an agency, an award, a year or a sector, and its members.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub key: String,
    pub label: String,
    /// Indices into `Catalogue::entries`, in collation order.
    pub members: Vec<usize>,
}

#[derive(Debug)]
pub struct Catalogue {
    /// Sorted by acronym with Indonesian collation.
    pub entries: Vec<Innovation>,
    pub agencies: Vec<RegistryItem>,
    pub competitions: Vec<RegistryItem>,
    pub pages: Vec<Page>,
    pub book_pages: Vec<Page>,
    pub by_agency: Vec<Group>,
    pub by_award: Vec<Group>,
    pub by_year: Vec<Group>,
    pub by_sector: Vec<Group>,
}

/// Compare names as an Indonesian reader expects: case, accents, spaces and punctuation
/// fold away at the first level ("Si Mira" beside "SIMIRA"), exact form only breaks ties.
pub struct Collation {
    collator: feruca::Collator,
}

impl Default for Collation {
    fn default() -> Self {
        // Shifted (punctuation and spaces ignorable), root CLDR order: Indonesian uses the
        // plain Latin alphabet, so the root order is its order.
        Collation {
            collator: feruca::Collator::new(feruca::Tailoring::default(), true, true),
        }
    }
}

impl Collation {
    pub fn cmp(&mut self, a: &str, b: &str) -> Ordering {
        self.collator.collate(a, b)
    }
}

pub const LEVEL_ORDER: &[&str] = &[
    "internasional",
    "nasional",
    "provinsi",
    "kabupaten",
    "kota",
    "kecamatan",
    "desa",
];

impl Catalogue {
    pub fn build(
        mut entries: Vec<Innovation>,
        agencies: Vec<RegistryItem>,
        competitions: Vec<RegistryItem>,
        mut pages: Vec<Page>,
        book_pages: Vec<Page>,
    ) -> Catalogue {
        let mut coll = Collation::default();
        entries.sort_by(|a, b| {
            coll.cmp(&a.acronym, &b.acronym)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        // Replications, both directions.
        let slugs: std::collections::HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.clone(), i))
            .collect();
        let links: Vec<(usize, String)> = entries
            .iter()
            .filter_map(|e| Some((*slugs.get(e.replication_of.as_ref()?)?, e.slug.clone())))
            .collect();
        for (target, from) in links {
            entries[target].replicated_by.push(from);
        }
        for e in &mut entries {
            if e.replication_of
                .as_ref()
                .is_some_and(|r| !slugs.contains_key(r))
            {
                // The original is a draft left out of this build.
                e.replication_of = None;
            }
        }
        pages.sort_by(|a, b| {
            a.order
                .unwrap_or(i64::MAX)
                .cmp(&b.order.unwrap_or(i64::MAX))
                .then_with(|| a.slug.cmp(&b.slug))
        });

        let by_agency = agencies
            .iter()
            .map(|a| Group {
                key: a.key.clone(),
                label: a.name.clone(),
                members: members(&entries, |e| e.agency == a.key),
            })
            .collect();

        let mut award_keys: Vec<(usize, i32, usize, String, String, String)> = Vec::new();
        // Members of each award, gathered in one pass (catalogue order).
        let mut award_members: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for a in &e.awards {
                let m = award_members.entry(a.key.clone()).or_default();
                if m.last() != Some(&i) {
                    m.push(i);
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for e in &entries {
            for a in &e.awards {
                if seen.insert(a.key.as_str()) {
                    let level_rank = LEVEL_ORDER.iter().position(|l| *l == a.level).unwrap_or(99);
                    let comp = competitions
                        .iter()
                        .position(|c| c.key == a.competition)
                        .unwrap_or(99);
                    let short = competitions
                        .get(comp)
                        .map(|c| c.short.clone().unwrap_or_else(|| c.name.clone()))
                        .unwrap_or_default();
                    let label = format!("{short} {} {} · {}", capitalize(a.level), a.year, a.rank);
                    award_keys.push((
                        comp,
                        -a.year,
                        level_rank,
                        a.rank.clone(),
                        label,
                        a.key.clone(),
                    ));
                }
            }
        }
        // Newest first, then the highest level, then competition and rank.
        award_keys.sort_by(|a, b| {
            (a.1, a.2, a.0)
                .cmp(&(b.1, b.2, b.0))
                .then_with(|| coll.cmp(&a.3, &b.3))
        });
        let by_award = award_keys
            .into_iter()
            .map(|(_, _, _, _, label, key)| Group {
                members: award_members.remove(&key).unwrap_or_default(),
                key,
                label,
            })
            .collect();

        let mut years: Vec<i32> = entries.iter().filter_map(|e| e.start_year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let by_year = years
            .into_iter()
            .map(|y| Group {
                key: y.to_string(),
                label: y.to_string(),
                members: members(&entries, |e| e.start_year == Some(y)),
            })
            .collect();

        let mut sectors: Vec<(String, String)> = Vec::new();
        for e in &entries {
            if let Some(s) = &e.sector
                && sectors.iter().all(|(k, _)| *k != s.0)
            {
                sectors.push(s.clone());
            }
        }
        sectors.sort_by(|a, b| coll.cmp(&a.1, &b.1));
        let by_sector = sectors
            .into_iter()
            .map(|(key, label)| Group {
                members: members(&entries, |e| e.sector.as_ref().is_some_and(|s| s.0 == key)),
                key,
                label,
            })
            .collect();

        Catalogue {
            entries,
            agencies,
            competitions,
            pages,
            book_pages,
            by_agency,
            by_award,
            by_year,
            by_sector,
        }
    }

    pub fn agency(&self, key: &str) -> Option<&RegistryItem> {
        self.agencies.iter().find(|a| a.key == key)
    }

    pub fn competition(&self, key: &str) -> Option<&RegistryItem> {
        self.competitions.iter().find(|a| a.key == key)
    }

    pub fn entry(&self, slug: &str) -> Option<&Innovation> {
        self.entries.iter().find(|e| e.slug == slug)
    }
}

fn members(entries: &[Innovation], pred: impl Fn(&Innovation) -> bool) -> Vec<usize> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| pred(e))
        .map(|(i, _)| i)
        .collect()
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A sector's label: as written, or a slug made readable ("ketahanan-pangan" → "Ketahanan pangan").
pub fn sector_label(written: &str) -> String {
    if crate::text::is_slug(written) {
        capitalize(&written.replace('-', " "))
    } else {
        written.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collation_folds_case_spaces_and_accents() {
        let mut c = Collation::default();
        let mut names = vec![
            "SIPENA",
            "Si Mira",
            "Sidora Emang",
            "SIMIRA B",
            "sikamase",
            "Édu",
        ];
        names.sort_by(|a, b| c.cmp(a, b));
        assert_eq!(
            names,
            [
                "Édu",
                "Sidora Emang",
                "sikamase",
                "Si Mira",
                "SIMIRA B",
                "SIPENA"
            ]
        );
    }

    #[test]
    fn sector_labels_are_readable() {
        assert_eq!(sector_label("ketahanan-pangan"), "Ketahanan pangan");
        assert_eq!(sector_label("Kesehatan Ibu"), "Kesehatan Ibu");
    }
}
