//! The figures of the statistics page (/statistik/): innovations per agency, start year and
//! sector, and awards per level and year. Every figure is the length of a group the listing
//! pages show (an agency's page, an award's page, …), so the two cannot disagree. How the
//! figures are drawn is `chart`'s job.

use super::urls;
use crate::content::Catalogue;
use crate::content::catalogue::LEVEL_ORDER;
use std::collections::HashMap;

/// One bar: a browse group, or entries that have no group (an unrecorded sector).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Count {
    /// The group's key (its listing page); None when there is no listing page.
    pub key: Option<String>,
    pub label: String,
    /// A shorter label for the chart, where the registry gives one.
    pub short: Option<String>,
    pub count: usize,
}

/// Awards won in one year, per level (in the order of `Figures::levels`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct YearLevels {
    pub year: i32,
    pub counts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Figures {
    pub innovations: usize,
    /// Agencies with at least one entry, most entries first.
    pub agencies: Vec<Count>,
    /// Newest first, as /tahun/ lists them (the group of unrecorded years last).
    pub years: Vec<Count>,
    /// Most entries first; entries without a sector last, with no listing page.
    pub sectors: Vec<Count>,
    /// The levels that occur, highest first.
    pub levels: Vec<&'static str>,
    /// Newest first.
    pub awards: Vec<YearLevels>,
    /// Awards counted above whose year is the sources' most likely one, not a stated one.
    pub approximate: usize,
}

/// Counts the catalogue. `not_recorded` labels the entries without a sector, and the bar of
/// those without a start year.
pub fn figures(cat: &Catalogue, not_recorded: &str) -> Figures {
    let count = |g: &crate::content::catalogue::Group| Count {
        key: Some(g.key.clone()),
        label: g.label.clone(),
        short: None,
        count: g.members.len(),
    };
    let mut agencies: Vec<Count> = cat
        .by_agency
        .iter()
        .filter(|g| !g.members.is_empty())
        .map(|g| Count {
            short: cat.agency(&g.key).and_then(|a| a.short.clone()),
            ..count(g)
        })
        .collect();
    // Stable: equal counts keep the listing's order.
    agencies.sort_by_key(|c| std::cmp::Reverse(c.count));
    let years = cat
        .by_year
        .iter()
        .map(|g| Count {
            short: (g.key == urls::UNKNOWN_YEAR).then(|| not_recorded.to_string()),
            ..count(g)
        })
        .collect();
    let mut sectors: Vec<Count> = cat.by_sector.iter().map(count).collect();
    sectors.sort_by_key(|c| std::cmp::Reverse(c.count));
    let without = cat.entries.iter().filter(|e| e.sector.is_none()).count();
    if without > 0 {
        sectors.push(Count {
            key: None,
            label: not_recorded.to_string(),
            short: None,
            count: without,
        });
    }

    // Each award page's (level, year), and whether its members' year is approximate.
    let mut of_key: HashMap<&str, (&'static str, i32)> = HashMap::new();
    let mut approximate_at: HashMap<(&str, &str), bool> = HashMap::new();
    for e in &cat.entries {
        for a in &e.awards {
            of_key.insert(a.key.as_str(), (a.level, a.year));
            approximate_at.insert((e.slug.as_str(), a.key.as_str()), a.approximate_year);
        }
    }
    let levels: Vec<&'static str> = LEVEL_ORDER
        .iter()
        .copied()
        .filter(|l| of_key.values().any(|(level, _)| level == l))
        .collect();
    let mut by_year: std::collections::BTreeMap<std::cmp::Reverse<i32>, Vec<usize>> =
        Default::default();
    let mut approximate = 0;
    for g in &cat.by_award {
        let Some((level, year)) = of_key.get(g.key.as_str()) else {
            continue;
        };
        let at = levels.iter().position(|l| l == level).unwrap_or(0);
        by_year
            .entry(std::cmp::Reverse(*year))
            .or_insert_with(|| vec![0; levels.len()])[at] += g.members.len();
        approximate += g
            .members
            .iter()
            .filter(|m| {
                approximate_at.get(&(cat.entries[**m].slug.as_str(), g.key.as_str())) == Some(&true)
            })
            .count();
    }
    Figures {
        innovations: cat.entries.len(),
        agencies,
        years,
        sectors,
        levels,
        awards: by_year
            .into_iter()
            .map(|(y, counts)| YearLevels { year: y.0, counts })
            .collect(),
        approximate,
    }
}
