//! Open data: every innovation with every field, as JSON (for programs) and CSV (one row per
//! innovation, for officials' spreadsheets).

use super::urls;
use super::views::ViewBuilder;
use crate::content::Catalogue;
use serde_json::json;

pub fn json(cat: &Catalogue, vb: &ViewBuilder) -> Vec<u8> {
    let items: Vec<serde_json::Value> = cat
        .entries
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            v["url"] = vb.config.absolute(&urls::entry(&e.slug)).into();
            v["agency_name"] = vb.agency(&e.agency).name.into();
            v["sector"] = e.sector.as_ref().map(|s| s.1.clone()).into();
            v["awards"] = e.awards.iter().map(|a| json!({ "label": vb.award_label(a), "competition": a.competition, "level": a.level, "year": a.year, "rank": a.rank, "organizer": a.organizer, "category": a.category, "approximate_year": a.approximate_year })).collect::<Vec<_>>().into();
            if let Some(o) = v.as_object_mut() {
                o.remove("file");
                o.remove("draft");
            }
            v
        })
        .collect();
    let doc = json!({ "title": vb.config.site.title, "count": items.len(), "innovations": items });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

const CSV_HEADER: &[&str] = &[
    "slug",
    "url",
    "acronym",
    "expansion",
    "agency_key",
    "agency_name",
    "agency_short",
    "innovators",
    "start_year",
    "awards",
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
    "replicated_by",
    "summary",
    "sources",
    "images",
];

pub fn csv(cat: &Catalogue, vb: &ViewBuilder) -> Vec<u8> {
    // A BOM so spreadsheet programs open the file as UTF-8 (names with accents, "—").
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(CSV_HEADER);
    let join = |v: &[String]| v.join("; ");
    for e in &cat.entries {
        let agency = vb.agency(&e.agency);
        let sources: Vec<String> = e
            .sources
            .iter()
            .map(|s| {
                [
                    Some(s.title.clone()),
                    s.publisher.clone(),
                    s.date.clone(),
                    s.url.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect();
        let row = [
            e.slug.clone(),
            vb.config.absolute(&urls::entry(&e.slug)),
            e.acronym.clone(),
            e.expansion.clone().unwrap_or_default(),
            e.agency.clone(),
            agency.name,
            agency.short.unwrap_or_default(),
            join(&e.innovators),
            e.start_year.map(|y| y.to_string()).unwrap_or_default(),
            e.awards
                .iter()
                .map(|a| {
                    if a.approximate_year {
                        format!("{} ({})", vb.award_label(a), vb.theme.t("approximate"))
                    } else {
                        vb.award_label(a)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            e.sector.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
            e.stage.unwrap_or_default().to_string(),
            e.digital.map(|d| d.to_string()).unwrap_or_default(),
            e.district.clone().unwrap_or_default(),
            join(&e.villages),
            e.sdgs
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("; "),
            join(&e.aliases),
            join(&e.former_names),
            join(&e.tags),
            e.replication_of.clone().unwrap_or_default(),
            join(&e.replicated_by),
            e.summary.clone().unwrap_or_default(),
            sources.join(" | "),
            join(&e.images),
        ];
        let _ = w.write_record(row.iter().map(|c| neutralise_formula(c)));
    }
    w.into_inner().unwrap_or_default()
}

/// A cell starting with `=`, `+`, `-`, `@` (or a tab/CR) would run as a formula in a
/// spreadsheet; a leading apostrophe keeps it text.
fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise_formula("SIPENA"), "SIPENA");
    }
}
