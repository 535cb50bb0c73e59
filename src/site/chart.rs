//! Horizontal bar charts for the statistics page, laid out at build time: a row per bar, its
//! label above it and its figure after it. Widths are percentages of the chart's width and
//! heights are pixels, so one SVG fits a 320 px phone and a desktop alike with text at the
//! page's size, and no script draws anything in the reader's browser. The theme's template
//! (`statistics.html`) draws the SVG from these views and the table of the same figures.

use super::stats::{Count, Figures};
use super::theme::Theme;
use super::urls::{self, Urls};
use serde::Serialize;

/// Height of one row: a label line and a bar.
const ROW: u32 = 44;
/// The longest bar, in percent of the width: the rest is room for its figure.
const LONGEST: f64 = 85.0;

#[derive(Debug, Serialize)]
pub struct Chart {
    /// Anchor of its section.
    pub id: &'static str,
    pub title: String,
    /// The first column's heading in the table.
    pub head: String,
    /// One per stacked part; a plain chart has one, without a legend.
    pub series: Vec<Series>,
    pub rows: Vec<Row>,
    pub total: usize,
    pub height: u32,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Series {
    pub label: String,
    /// Colour class, styled by the theme.
    pub class: String,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct Row {
    /// Shown in the chart (a short name where there is one).
    pub short: String,
    /// Shown in the table.
    pub label: String,
    pub url: Option<String>,
    pub values: Vec<usize>,
    pub total: usize,
    pub label_y: u32,
    pub bar_y: u32,
    pub value_y: u32,
    /// Where the figure after the bar starts, in percent.
    pub value_x: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub x: String,
    pub width: String,
    pub class: String,
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

/// Lays out rows of (short label, label, link, values per series).
fn layout(
    rows: Vec<(String, String, Option<String>, Vec<usize>)>,
    classes: &[String],
) -> (Vec<Row>, u32) {
    let max = rows
        .iter()
        .map(|r| r.3.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = LONGEST / max as f64;
    let out: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (short, label, url, values))| {
            let top = i as u32 * ROW;
            let mut x = 0.0;
            let mut bars = Vec::new();
            for (v, class) in values.iter().zip(classes) {
                if *v == 0 {
                    continue;
                }
                let w = *v as f64 * scale;
                bars.push(Bar {
                    x: pct(x),
                    width: pct(w),
                    class: class.clone(),
                });
                x += w;
            }
            Row {
                short,
                label,
                url,
                total: values.iter().sum(),
                values,
                label_y: top + 15,
                bar_y: top + 21,
                value_y: top + 34,
                value_x: pct(x + 1.0),
                bars,
            }
        })
        .collect();
    let height = out.len() as u32 * ROW;
    (out, height)
}

/// A chart of one series: a bar per group.
fn plain(
    id: &'static str,
    title: String,
    head: String,
    counts: &[Count],
    link: impl Fn(&str) -> String,
) -> Chart {
    let class = vec!["bar".to_string()];
    let rows = counts
        .iter()
        .map(|c| {
            (
                c.short.clone().unwrap_or_else(|| c.label.clone()),
                c.label.clone(),
                c.key.as_deref().map(&link),
                vec![c.count],
            )
        })
        .collect();
    let (rows, height) = layout(rows, &class);
    let total = counts.iter().map(|c| c.count).sum();
    Chart {
        id,
        title: title.clone(),
        head,
        series: vec![Series {
            label: title,
            class: class[0].clone(),
            total,
        }],
        rows,
        total,
        height,
        note: None,
    }
}

/// The four charts of the statistics page, with their links and UI strings.
pub fn charts(fig: &Figures, urls: &Urls, theme: &Theme) -> Vec<Chart> {
    let link = |kind: &'static str| move |key: &str| urls.link(&urls::group(kind, key));
    let mut out = vec![
        plain(
            "perangkat-daerah",
            theme.t("stats_by_agency"),
            theme.t("agency"),
            &fig.agencies,
            link(urls::AGENCIES),
        ),
        plain(
            "tahun",
            theme.t("stats_by_year"),
            theme.t("year"),
            &fig.years,
            link(urls::YEARS),
        ),
        plain(
            "sektor",
            theme.t("stats_by_sector"),
            theme.t("sector"),
            &fig.sectors,
            link(urls::SECTORS),
        ),
    ];
    let classes: Vec<String> = fig.levels.iter().map(|l| format!("lvl-{l}")).collect();
    let rows = fig
        .awards
        .iter()
        .map(|y| {
            (
                y.year.to_string(),
                y.year.to_string(),
                None,
                y.counts.clone(),
            )
        })
        .collect();
    let (rows, height) = layout(rows, &classes);
    let series: Vec<Series> = fig
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| Series {
            label: crate::content::catalogue::capitalize(l),
            class: classes[i].clone(),
            total: fig.awards.iter().map(|y| y.counts[i]).sum(),
        })
        .collect();
    out.push(Chart {
        id: "penghargaan",
        title: theme.t("stats_awards"),
        head: theme.t("stats_award_year"),
        total: series.iter().map(|s| s.total).sum(),
        series,
        rows,
        height,
        note: (fig.approximate > 0).then(|| {
            theme
                .t("stats_approximate")
                .replace("{n}", &fig.approximate.to_string())
        }),
    });
    out
}
