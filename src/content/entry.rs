//! One innovation's front matter, read field by field into typed values (see CONTENT.md,
//! "One innovation"). Cross-file rules (registries, duplicates, links) are in `validate`.

use super::fields::{Located, Reader, to_json};
use super::load::SourceFile;
use crate::diagnostics::{Diagnostic, Pos};
use serde::Serialize;

pub const FIELDS: &[&str] = &[
    "acronym",
    "expansion",
    "agency",
    "innovator",
    "start_year",
    "awards",
    "summary",
    "sector",
    "stage",
    "digital",
    "district",
    "villages",
    "sdgs",
    "aliases",
    "former_names",
    "tags",
    "replication_of",
    "sources",
    "images",
    "draft",
    "extra",
];
const AWARD_FIELDS: &[&str] = &[
    "competition",
    "level",
    "year",
    "rank",
    "organizer",
    "category",
    "approximate_year",
];
const SOURCE_FIELDS: &[&str] = &["title", "publisher", "date", "url"];

pub const LEVELS: &[&str] = &[
    "desa",
    "kecamatan",
    "kabupaten",
    "kota",
    "provinsi",
    "nasional",
    "internasional",
];
pub const STAGES: &[&str] = &["inisiatif", "uji-coba", "penerapan"];
const SUMMARY_MAX_WORDS: usize = 200;

#[derive(Debug, Clone)]
pub struct AwardFront {
    pub competition: Located<String>,
    pub level: &'static str,
    pub year: i32,
    pub rank: String,
    pub organizer: Option<String>,
    pub category: Option<String>,
    /// The year is the sources' most likely year, not one they state.
    pub approximate_year: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    pub title: String,
    pub publisher: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EntryFront {
    pub slug: String,
    pub rel: String,
    pub acronym: Located<String>,
    pub expansion: Option<String>,
    pub agency: Located<String>,
    pub innovators: Vec<String>,
    pub start_year: Option<i32>,
    pub awards: Vec<AwardFront>,
    pub summary: Option<String>,
    pub sector: Option<String>,
    pub stage: Option<&'static str>,
    pub digital: Option<bool>,
    pub district: Option<String>,
    pub villages: Vec<String>,
    pub sdgs: Vec<u8>,
    pub aliases: Vec<String>,
    pub former_names: Vec<String>,
    pub tags: Vec<String>,
    pub replication_of: Option<Located<String>>,
    pub sources: Vec<SourceRef>,
    pub images: Vec<Located<String>>,
    pub draft: bool,
    pub extra: serde_json::Value,
    /// Shared by every copy of the entry (a large catalogue's text is held once).
    pub body: std::sync::Arc<str>,
    pub asset_dir: Option<std::path::PathBuf>,
}

/// Year bounds for `start_year` and award years: 1945 ..= next year.
#[derive(Debug, Clone, Copy)]
pub struct YearRange {
    pub min: i64,
    pub max: i64,
}

/// Interpret one file. Returns `None` when a required field is missing or unusable; every
/// problem found is pushed to `diags` either way.
pub fn read_entry(
    file: &SourceFile,
    years: YearRange,
    diags: &mut Vec<Diagnostic>,
) -> Option<EntryFront> {
    let mut r = Reader {
        rel: &file.rel,
        diags,
    };
    let hint_extra = "; free-form data for themes goes under `extra:`";
    let fields = r.fields(&file.front, FIELDS, "the front matter", hint_extra);

    let mut acronym = None;
    let mut agency = None;
    let mut e = EntryFront {
        slug: file.slug.clone(),
        rel: file.rel.clone(),
        acronym: Located {
            value: String::new(),
            pos: Pos::FILE,
        },
        expansion: None,
        agency: Located {
            value: String::new(),
            pos: Pos::FILE,
        },
        innovators: Vec::new(),
        start_year: None,
        awards: Vec::new(),
        summary: None,
        sector: None,
        stage: None,
        digital: None,
        district: None,
        villages: Vec::new(),
        sdgs: Vec::new(),
        aliases: Vec::new(),
        former_names: Vec::new(),
        tags: Vec::new(),
        replication_of: None,
        sources: Vec::new(),
        images: Vec::new(),
        draft: false,
        extra: serde_json::Value::Object(Default::default()),
        body: file.body.clone(),
        asset_dir: file.asset_dir.clone(),
    };
    for (key, n) in fields {
        match key {
            "acronym" => acronym = r.located_text(key, n),
            "agency" => agency = r.located_text(key, n),
            "expansion" => e.expansion = r.text(key, n),
            "innovator" => e.innovators = r.text_list(key, n),
            "start_year" => e.start_year = r.year(key, n, years.min, years.max),
            "awards" => {
                for a in r.list(key, n) {
                    if let Some(a) = read_award(&mut r, a, years) {
                        e.awards.push(a);
                    }
                }
            }
            "summary" => {
                e.summary = r.text(key, n);
                if let Some(s) = &e.summary {
                    let words = s.split_whitespace().count();
                    if words > SUMMARY_MAX_WORDS {
                        r.diags.push(
                            Diagnostic::warning(r.rel, n.pos, format!("the summary has {words} words"))
                                .with_hint(format!("keep it to {SUMMARY_MAX_WORDS} words; the full story goes in the text below the front matter")),
                        );
                    }
                }
            }
            "sector" => e.sector = r.text(key, n),
            "stage" => e.stage = r.one_of(key, n, STAGES),
            "digital" => e.digital = r.bool(key, n),
            "district" => e.district = r.text(key, n),
            "villages" => e.villages = r.text_list(key, n),
            "sdgs" => {
                for s in r.list(key, n) {
                    match r.int(key, s) {
                        Some(v @ 1..=17) => e.sdgs.push(v as u8),
                        Some(v) => r.error(
                            s.pos,
                            format!("SDG {v} does not exist"),
                            "SDGs are numbered 1 to 17",
                        ),
                        None => {}
                    }
                }
                e.sdgs.sort_unstable();
                e.sdgs.dedup();
            }
            "aliases" => e.aliases = r.text_list(key, n),
            "former_names" => e.former_names = r.text_list(key, n),
            "tags" => e.tags = r.text_list(key, n),
            "replication_of" => e.replication_of = r.located_text(key, n),
            "sources" => {
                for s in r.list(key, n) {
                    if let Some(s) = read_source(&mut r, s) {
                        e.sources.push(s);
                    }
                }
            }
            "images" => {
                e.images = r
                    .list(key, n)
                    .into_iter()
                    .filter_map(|i| r.located_text(key, i))
                    .collect()
            }
            "draft" => e.draft = r.bool(key, n).unwrap_or(false),
            "extra" => e.extra = to_json(n),
            _ => unreachable!("field list and match arms agree"),
        }
    }
    let start = Pos::new(1, 1);
    if acronym.is_none() {
        r.error(
            start,
            "missing required field `acronym`",
            "add `acronym: <the name it is known by>`, e.g. `acronym: SIPENA`",
        );
    }
    if agency.is_none() {
        r.error(
            start,
            "missing required field `agency`",
            "add `agency: <key>` with a key from content/agencies.yaml, e.g. `agency: dinkes`",
        );
    }
    e.acronym = acronym?;
    e.agency = agency?;
    Some(e)
}

fn read_award(r: &mut Reader, n: &super::yaml::Node, years: YearRange) -> Option<AwardFront> {
    let fields = r.fields(n, AWARD_FIELDS, "an award", "");
    if fields.is_empty() && !matches!(n.value, super::yaml::Value::Map(_)) {
        return None;
    }
    let (mut competition, mut level, mut year, mut rank, mut organizer, mut category) =
        (None, None, None, None, None, None);
    let mut approximate_year = false;
    let mut level_seen = false;
    let mut year_seen = false;
    for (key, v) in fields {
        match key {
            "competition" => competition = r.located_text(key, v),
            "level" => {
                level_seen = true;
                level = r.one_of(key, v, LEVELS);
            }
            "year" => {
                year_seen = true;
                year = r.year(key, v, years.min, years.max);
            }
            "rank" => rank = r.text(key, v),
            "organizer" => organizer = r.text(key, v),
            "category" => category = r.text(key, v),
            "approximate_year" => approximate_year = r.bool(key, v).unwrap_or(false),
            _ => unreachable!(),
        }
    }
    let mut missing = Vec::new();
    if competition.is_none() {
        missing.push("competition");
    }
    if !level_seen {
        missing.push("level");
    }
    if !year_seen {
        missing.push("year");
    }
    if rank.is_none() {
        missing.push("rank");
    }
    for m in &missing {
        r.error(n.pos, format!("this award is missing `{m}`"), "an award needs competition, level, year and rank, e.g. `{ competition: kipp, level: provinsi, year: 2020, rank: Top 30 }`");
    }
    Some(AwardFront {
        competition: competition?,
        level: level?,
        year: year?,
        rank: rank?,
        organizer,
        category,
        approximate_year,
    })
}

fn read_source(r: &mut Reader, n: &super::yaml::Node) -> Option<SourceRef> {
    let fields = r.fields(n, SOURCE_FIELDS, "a source", "");
    let (mut title, mut publisher, mut date, mut url) = (None, None, None, None);
    for (key, v) in fields {
        match key {
            "title" => title = r.text(key, v),
            "publisher" => publisher = r.text(key, v),
            "date" => {
                date = r.text(key, v);
                if let Some(d) = &date
                    && !is_date(d)
                {
                    r.error(
                        v.pos,
                        format!("`{d}` is not a date"),
                        "write the date as YYYY-MM-DD, e.g. `2021-02-09` (or YYYY-MM, or YYYY)",
                    );
                    date = None;
                }
            }
            "url" => {
                url = r.text(key, v);
                if let Some(u) = &url
                    && !(u.starts_with("https://") || u.starts_with("http://"))
                {
                    r.error(
                        v.pos,
                        format!("`{u}` is not a web address"),
                        "a source url starts with https:// or http://",
                    );
                    url = None;
                }
            }
            _ => unreachable!(),
        }
    }
    if title.is_none() && matches!(n.value, super::yaml::Value::Map(_)) {
        r.error(
            n.pos,
            "this source is missing `title`",
            "write the headline of the news item or the document's title",
        );
    }
    Some(SourceRef {
        title: title?,
        publisher,
        date,
        url,
    })
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    let ok_year = parts.first().is_some_and(|y| num(y, 4));
    let ok_month = parts
        .get(1)
        .is_none_or(|m| num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)));
    let ok_day = parts
        .get(2)
        .is_none_or(|d| num(d, 2) && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    parts.len() <= 3 && ok_year && ok_month && ok_day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::{Kind, split_and_parse};

    const YEARS: YearRange = YearRange {
        min: 1945,
        max: 2027,
    };

    fn read(text: &str) -> (Option<EntryFront>, Vec<Diagnostic>) {
        let (front, body) = split_and_parse(text, "e.md").unwrap();
        let f = SourceFile {
            kind: Kind::Innovation,
            rel: "e.md".into(),
            slug: "e".into(),
            asset_dir: None,
            front,
            body: body.into(),
            hash: 0,
        };
        let mut d = Vec::new();
        (read_entry(&f, YEARS, &mut d), d)
    }

    #[test]
    fn reads_a_full_entry() {
        let (e, d) = read(
            "---\nacronym: SIPENA\nagency: bpbd\ninnovator: [A, B]\nstart_year: 2019\nsdgs: [11, 1]\nawards:\n  - { competition: kipp, level: Provinsi, year: 2020, rank: Top 30 }\nsources:\n  - { title: T, date: 2021-02-09 }\n---\nBody\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let e = e.unwrap();
        assert_eq!(e.innovators, ["A", "B"]);
        assert_eq!(e.sdgs, [1, 11]);
        assert_eq!(e.awards[0].level, "provinsi");
        assert_eq!(e.sources[0].date.as_deref(), Some("2021-02-09"));
    }

    #[test]
    fn reports_every_problem_of_one_file() {
        let (e, d) = read(
            "---\nacronym: X\nagensi: dinkes\nstart_year: 1900\nstage: selesai\nsdgs: [18]\n---\n",
        );
        assert!(e.is_none());
        let msgs: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            msgs.contains(&(3, "unknown field `agensi` in the front matter")),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&(4, "`start_year` 1900 is out of range")),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&(5, "`selesai` is not a valid `stage`")),
            "{msgs:?}"
        );
        assert!(msgs.contains(&(6, "SDG 18 does not exist")), "{msgs:?}");
        assert!(
            msgs.contains(&(1, "missing required field `agency`")),
            "{msgs:?}"
        );
        let agensi = d.iter().find(|d| d.line == 3).unwrap();
        assert!(
            agensi
                .hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean `agency`?")
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2021-02-09") && is_date("2021-02") && is_date("2021"));
        assert!(!is_date("9 Feb 2021") && !is_date("2021-13-01") && !is_date("21-02-09"));
    }
}
