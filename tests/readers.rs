//! What a reader sees of the catalogue as a whole (issue 13): the statistics page and its
//! agreement with the listing pages, the home page's lists and counts, the year index that
//! covers every entry, cards that do not link back to the page they are on, the favicon
//! and the region's emblem.

mod common;
use common::*;
use lontara::diagnostics::Severity;
use std::collections::BTreeMap;

/// The fixture, with an entry whose start year is not recorded and more awards.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/innovations/tanpa-tahun.md",
        "---\nacronym: Tanpa Tahun\nagency: disdikbud\nsector: pendidikan\nawards:\n  - { competition: kipp, level: kabupaten, year: 2021, rank: Top 7, approximate_year: true }\n---\n",
    );
    f.write(
        "content/innovations/lagi.md",
        "---\nacronym: Lagi\nagency: dinkes\nstart_year: 2019\nawards:\n  - { competition: kipp, level: provinsi, year: 2021, rank: Top 30 }\n  - { competition: kipp, level: kabupaten, year: 2021, rank: Top 7 }\n---\n",
    );
    f
}

/// The text between `from` and the next `to`, after `from`.
fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let start = s.find(from)? + from.len();
    let len = s[start..].find(to)?;
    Some(&s[start..start + len])
}

/// The number a listing page says it lists ("<p class="total"><strong>3</strong>").
fn listed(f: &Fixture, link: &str) -> usize {
    let html = f.read(&format!("{}index.html", link.trim_start_matches('/')));
    between(&html, "<p class=\"total\"><strong>", "</strong>")
        .unwrap_or_else(|| panic!("no total on {link}"))
        .parse()
        .unwrap()
}

/// The rows of one statistics table: (heading cell, its link, the numbers after it).
fn table(stats: &str, id: &str) -> Vec<(String, Option<String>, Vec<usize>)> {
    let section = between(
        stats,
        &format!("<section class=\"stat\" id=\"{id}\""),
        "</section>",
    )
    .unwrap_or_else(|| panic!("no chart {id}"));
    let body = between(section, "<tbody>", "</tbody>").unwrap();
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let head = between(row, "<th scope=\"row\">", "</th>").unwrap();
            let link = between(head, "href=\"", "\"").map(str::to_string);
            let label = match between(head, "\">", "</a>") {
                Some(l) => l.to_string(),
                None => head.to_string(),
            };
            let numbers = row
                .split("<td>")
                .skip(1)
                .map(|c| c.split('<').next().unwrap().parse().unwrap())
                .collect();
            (label, link, numbers)
        })
        .collect()
}

#[test]
fn every_figure_of_the_statistics_page_equals_its_listing_page() {
    let f = fixture();
    f.build_ok();
    let stats = f.read("statistik/index.html");
    let entries = 6;
    for (id, unlinked) in [("perangkat-daerah", 0), ("tahun", 0), ("sektor", 1)] {
        let rows = table(&stats, id);
        let mut sum = 0;
        for (label, link, numbers) in &rows {
            let n = *numbers.last().unwrap();
            sum += n;
            if let Some(link) = link {
                assert_eq!(n, listed(&f, link), "{id}: {label} ({link})");
            }
        }
        // Every entry is counted once in each chart.
        assert_eq!(sum, entries, "{id}: {rows:?}");
        assert_eq!(
            rows.iter().filter(|r| r.1.is_none()).count(),
            unlinked,
            "{id}: only entries without a sector have no page"
        );
    }
    // Entries without a start year are counted and linked like a year.
    let years = table(&stats, "tahun");
    assert!(
        years
            .iter()
            .any(|(l, link, n)| l == "Tahun mulai belum tercatat"
                && link.as_deref() == Some("/tahun/belum-tercatat/")
                && n == &[1]),
        "{years:?}"
    );

    // Awards per level and year: the sums of the award pages of that level and year.
    let index = f.read("penghargaan/index.html");
    let index = between(&index, "<ul class=\"terms big\">", "</ul>").unwrap();
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    for item in index.split("<li><a href=\"").skip(1) {
        let link = item.split('"').next().unwrap();
        let label = between(item, "\">", "</a>").unwrap();
        // "KIPP Provinsi 2020 · Top 30"
        let words: Vec<&str> = label.split(' ').collect();
        *expected
            .entry((words[2].to_string(), words[1].to_string()))
            .or_default() += listed(&f, link);
    }
    let section = between(
        &stats,
        "<section class=\"stat\" id=\"penghargaan\"",
        "</section>",
    )
    .unwrap();
    let head = between(section, "<thead><tr>", "</tr></thead>").unwrap();
    let levels: Vec<&str> = head
        .split("<th scope=\"col\">")
        .skip(2)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    assert_eq!(levels, ["Nasional", "Provinsi", "Kabupaten", "Jumlah"]);
    let mut shown: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (year, _, numbers) in table(&stats, "penghargaan") {
        assert_eq!(numbers.len(), levels.len());
        for (level, n) in levels.iter().zip(&numbers).filter(|(_, n)| **n > 0) {
            if *level != "Jumlah" {
                shown.insert((year.clone(), level.to_string()), *n);
            }
        }
        let total: usize = numbers[..numbers.len() - 1].iter().sum();
        assert_eq!(*numbers.last().unwrap(), total, "{year}: the row's total");
    }
    assert_eq!(shown, expected);
    // The approximate year is said, not hidden.
    assert!(
        section.contains("Tahun 1 penghargaan di sini adalah perkiraan"),
        "{section}"
    );
    // Charts are pictures of the tables: hidden from screen readers, drawn at build time.
    assert_eq!(
        stats.matches("<svg class=\"chart\" width=\"100%\"").count(),
        4
    );
    assert!(!stats.contains("<script"), "no script draws the charts");
    // Linked from every page's navigation.
    assert!(
        f.read("inovasi/index.html")
            .contains("href=\"/statistik/\">Statistik</a>")
    );
}

#[test]
fn the_year_index_covers_every_entry_and_the_home_page_says_how() {
    let f = fixture();
    f.build_ok();
    let years = f.read("tahun/index.html");
    let counts: Vec<usize> = years
        .split("<span class=\"count\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), 6, "{years}");
    assert!(years.contains("href=\"/tahun/belum-tercatat/\">Tahun mulai belum tercatat</a>"));
    let unknown = f.read("tahun/belum-tercatat/index.html");
    assert!(unknown.contains(">Tanpa Tahun</a>"), "{unknown}");
    assert_eq!(listed(&f, "/tahun/belum-tercatat/"), 1);
    // Four years are recorded (2016, 2019, 2020, 2021), and one entry has none.
    let home = f.read("index.html");
    assert!(
        home.contains("<strong>4</strong> tahun mulai<span class=\"count-note\">1 inovasi tanpa tahun tercatat</span>"),
        "{home}"
    );
}

#[test]
fn the_home_page_shows_an_entry_once_and_the_ways_to_browse_first() {
    let f = fixture();
    f.build_ok();
    let home = f.read("index.html");
    let titles: Vec<&str> = home
        .split("class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|c| c.split('"').next().unwrap())
        .collect();
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(titles.len(), unique.len(), "a card twice: {titles:?}");
    assert_eq!(titles.len(), 6, "every entry of this small catalogue, once");
    let at = |id: &str| home.find(&format!("id=\"{id}\"")).unwrap();
    assert!(at("h-browse") < at("h-awards") && at("h-awards") < at("h-recent"));
}

#[test]
fn cards_do_not_link_back_to_the_agency_or_award_being_viewed() {
    let f = fixture();
    f.build_ok();
    let agency = f.read("perangkat-daerah/dinkes/index.html");
    assert!(
        !agency.contains("href=\"/perangkat-daerah/dinkes/\""),
        "{agency}"
    );
    assert!(agency.contains(">SIPENA</a>"));
    // Cards of other lists still link to the agency.
    assert!(
        f.read("inovasi/index.html")
            .contains("href=\"/perangkat-daerah/dinkes/\"")
    );
    let award = f.read("penghargaan/kipp-provinsi-2020-top-30/index.html");
    assert!(
        !award.contains("href=\"/penghargaan/kipp-provinsi-2020-top-30/\""),
        "{award}"
    );
    assert!(award.contains("<span class=\"badge\">KIPP Provinsi 2020 · Top 30</span>"));
}

#[test]
fn every_page_has_a_favicon() {
    let f = fixture();
    f.build_ok();
    for page in [
        "index.html",
        "cari/index.html",
        "statistik/index.html",
        "404.html",
    ] {
        assert!(
            f.read(page)
                .contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"),
            "{page}"
        );
    }
    assert!(
        f.read("favicon.svg")
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    );
}

const EMBLEM: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 12\"><path d=\"M0 0h10v8l-5 4-5-4z\" fill=\"#1f6f5c\"/></svg>";

fn with_emblem(line: &str) -> Fixture {
    let f = fixture();
    f.write(
        "book.toml",
        &format!("[site]\ntitle = \"Katalog Uji\"\nbase_url = \"https://contoh.go.id/\"\n{line}\n"),
    );
    f
}

#[test]
fn the_emblem_is_published_and_shown_in_every_header() {
    let f = with_emblem("emblem = \"content/lambang.svg\"");
    f.write("content/lambang.svg", EMBLEM);
    f.build_ok();
    assert_eq!(f.read("lambang.svg"), EMBLEM);
    for page in ["index.html", "inovasi/sipena/index.html", "cari/index.html"] {
        assert!(
            f.read(page).contains(
                "<a class=\"brand\" href=\"/\"><img src=\"/lambang.svg\" alt=\"\" width=\"40\" height=\"40\">Katalog Uji</a>"
            ),
            "{page}"
        );
    }
    // Without one, no image and no file.
    let g = fixture();
    g.build_ok();
    assert!(!g.read("index.html").contains("<img src=\"/lambang"));
    assert!(!g.out().join("lambang.svg").exists());
}

/// The one error about the emblem: (line, message, hint).
fn emblem_error(f: &Fixture) -> (usize, String, String) {
    let errs: Vec<_> = f
        .check()
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let d = &errs[0];
    assert_eq!(d.path, "book.toml");
    (
        d.line,
        d.message.clone(),
        d.hint.clone().unwrap_or_default(),
    )
}

#[test]
fn a_wrong_emblem_is_located_in_book_toml_with_a_hint() {
    let f = with_emblem("emblem = \"content/Lambang.svg\"");
    f.write("content/lambang.svg", EMBLEM);
    let (line, msg, hint) = emblem_error(&f);
    assert_eq!(line, 4);
    assert_eq!(msg, "emblem `content/Lambang.svg` not found");
    assert!(hint.contains("case-sensitive"), "{hint}");

    for outside in [
        "../lambang.svg",
        "/etc/lambang.svg",
        "book/lambang.svg",
        "content/../lambang.svg",
    ] {
        let f = with_emblem(&format!("emblem = \"{outside}\""));
        let (_, msg, hint) = emblem_error(&f);
        assert_eq!(
            msg,
            format!("emblem `{outside}` is not a file inside content/")
        );
        assert!(hint.contains("emblem = \"content/lambang.svg\""), "{hint}");
    }

    let f = with_emblem("emblem = \"content/lambang.txt\"");
    f.write("content/lambang.txt", "teks");
    assert!(emblem_error(&f).1.contains("is not an image"));

    let f = with_emblem("emblem = \"content/lambang.png\"");
    f.write("content/lambang.png", EMBLEM);
    assert_eq!(
        emblem_error(&f).1,
        "emblem `content/lambang.png` is not a valid .png image"
    );

    let f = with_emblem("emblem = \"content/lambang.svg\"");
    f.write("content/lambang.svg", "<svg onload=\"alert(1)\"/>");
    assert_eq!(
        emblem_error(&f).1,
        "emblem `content/lambang.svg` holds a script"
    );
}

#[cfg(unix)]
#[test]
fn an_emblem_behind_a_symbolic_link_is_refused() {
    let f = with_emblem("emblem = \"content/lambang.svg\"");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("rahasia.svg"), EMBLEM).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("rahasia.svg"),
        f.root().join("content/lambang.svg"),
    )
    .unwrap();
    let (_, msg, _) = emblem_error(&f);
    assert_eq!(msg, "emblem `content/lambang.svg` is a symbolic link");
}

#[test]
fn a_large_emblem_is_a_warning() {
    let f = with_emblem("emblem = \"content/lambang.svg\"");
    let padding = format!("<!-- {} -->", "x".repeat(120 * 1024));
    f.write(
        "content/lambang.svg",
        &EMBLEM.replace("</svg>", &format!("{padding}</svg>")),
    );
    let built = f.build_ok();
    let w: Vec<_> = built
        .warnings
        .iter()
        .filter(|d| d.path == "book.toml")
        .collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("kB, and every page shows it"));
}
