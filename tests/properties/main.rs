//! Property tests: generated entries, Markdown and book.toml files, checked for what must hold
//! for every input (no script in the HTML, nothing evaluated in the book, every diagnostic
//! inside its file, no panic or stack overflow). The fuzz targets in `fuzz/` check the same
//! properties with `checks.rs`.

mod checks;
#[path = "../common/mod.rs"]
mod common;

use common::Fixture;
use lontara::markdown::Markdown;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

/// A fixed seed, so that CI runs the same cases every time (a new seed is a local experiment:
/// `PROPTEST_RNG_SEED=n cargo test --test properties`); failures worth keeping go to
/// `fuzz/regressions/`, which `fuzz_regressions_keep_their_properties` replays.
fn config(cases: u32) -> ProptestConfig {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261204);
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    }
}

/// Pieces of Markdown and HTML that have broken renderers before, mixed with arbitrary text.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "# ", "## ", "\n===\n", "\n---\n", "[", "]", "](", ")", "![", "<", ">", "\"", "'",
            "javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "java&#x09;script:x",
            "&#106;avascript:x", "vbscript:x", "data:text/html,<script>x</script>", " ",
            "<script>alert(1)</script>", "<a href=\"javascript:x\">", "<img src=x onerror=y>",
            "<svg onload=x>", "<iframe src=x>", "*", "**", "_", "`", "```\n", "~~~", "> ",
            "- ", "1. ", "| a | b |\n|---|:-:|\n", "|", "[^n]", "\n[^n]: ", "\n\n", "\n",
            "\t", "    ", "&amp;", "&", "%6A", "//evil.example/", "/inovasi/", "#bagian",
            "\u{0}", "\u{202e}", "\u{feff}", "\r", "\\", "[x]: javascript:y\n", "<mailto:a@b>",
            "<javascript:x>", "https://contoh.go.id/", "tel:+62", "mailto:a@b.c",
        ]).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[a-zA-Z0-9 ]{0,12}",
    ];
    prop::collection::vec(piece, 0..48).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn entry_html_runs_no_script(md in markdown()) {
        let html = Markdown::new("/katalog/").to_html(&md);
        prop_assert!(checks::html_is_inert(&html).is_ok(), "{}", checks::html_is_inert(&html).unwrap_err());
        // Root links keep the site's base path wherever they sit.
        let doc = scraper::Html::parse_fragment(&html);
        for el in doc.tree.nodes().filter_map(|n| n.value().as_element()) {
            for attr in ["href", "src"] {
                if let Some(v) = el.attr(attr) && v.starts_with('/') && !v.starts_with("//") {
                    prop_assert!(v.starts_with("/katalog/"), "{attr}={v:?} in {html:?}");
                }
            }
        }
    }

    #[test]
    fn plain_text_never_panics(md in markdown()) {
        let _ = lontara::markdown::to_plain_text(&md);
    }
}

/// Front matter built from YAML pieces: valid fields, broken syntax, wrong types.
fn front_matter() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "acronym: A\n", "agency: dinkes\n", "agency: Dinas Kesehatan\n", "start_year: 2019\n",
            "start_year: 99999999999999999999\n", "start_year: dua ribu\n", "awards:\n",
            "  - { competition: kipp, level: provinsi, year: 2020, rank: Top 30 }\n",
            "  - { competition: kipp, level: antah, year: 20, rank: }\n", "  - x\n",
            "innovator: [A, B]\n", "innovator: {a: b}\n", "images: [foto.png]\n",
            "replication_of: tidak-ada\n", "sources:\n  - { title: T, date: 2021-02-30 }\n",
            "sdgs: [3, 99]\n", "draft: ya\n", "extra: { a: [1, 2] }\n", "a: &a [*a]\n",
            "acronym: A\n", "acronym: \"", "'", ": ", "- ", "---\n", "...\n", "\t", "  ",
            "\n", "#", "{", "}", "[", "]", "&x ", "*x ", "!!binary ", "? ", "|\n", ">\n",
            "\u{0}", "\u{feff}", "\r\n",
        ]).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    (
        prop::collection::vec(piece, 0..24),
        prop::bool::ANY,
        prop::bool::ANY,
        "[ -~\n]{0,40}",
    )
        .prop_map(|(v, open, close, body)| {
            let mut s = String::new();
            if open {
                s.push_str("---\n");
            }
            s.push_str(&v.concat());
            if close {
                s.push_str("\n---\n");
            }
            s + &body
        })
}

/// book.toml files built from TOML pieces.
fn book_toml() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "[site]\n", "title = \"K\"\n", "base_url = \"https://contoh.go.id/\"\n",
            "base_url = \"javascript:x\"\n", "language = \"id\"\n", "language = \"xx\"\n",
            "theme = \"/\"\n", "theme = \"../x\"\n", "per_page = -1\n", "per_page = 0\n",
            "[[book]]\n", "id = \"b\"\n", "id = \"../b\"\n", "title = \"B\"\n",
            "select = { awarded = true }\n", "select = { agency = \"tidak\" }\n",
            "select = { year = 1 }\n", "select = {}\n", "cover_image = \"/etc/passwd\"\n",
            "cover_image = \"../x.png\"\n", "paper = \"a5\"\n", "order = \"x\"\n",
            "front_matter = [\"tidak\"]\n", "[extra]\n", "a = [1, \"b\"]\n", "[menu]\n",
            "\"", "=", "[", "]", "{", "}", "\n", " ", "#", "\u{0}", "\r",
        ]).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    // Each case runs a whole `check` of a small catalogue.
    #![proptest_config(config(128))]

    #[test]
    fn entry_diagnostics_point_into_the_entry(text in front_matter()) {
        let f = Fixture::with_registries();
        f.write("book.toml", "[site]\ntitle = \"K\"\n");
        f.write("content/innovations/e.md", &text);
        for d in f.check().diagnostics.iter().filter(|d| d.path == "content/innovations/e.md") {
            let r = checks::located_within(d, &text);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }

    #[test]
    fn book_toml_diagnostics_point_into_book_toml(text in book_toml()) {
        let f = Fixture::new();
        f.write("book.toml", &text);
        for d in f.check().diagnostics.iter().filter(|d| d.path == "book.toml") {
            let r = checks::located_within(d, &text);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }
}

proptest! {
    // Each case compiles a Typst document.
    #![proptest_config(config(64))]

    #[test]
    fn escaped_text_prints_itself_in_the_book(text in any::<String>()) {
        let r = checks::escaped_text_prints_itself(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn typst_looking_text_prints_itself(text in prop::collection::vec(prop::sample::select(vec![
        "#read(\"/etc/passwd\")", "#eval(\"1+1\")", "#let x = 1", "$x^2$", "@ref", "<label>",
        "= Judul", "- a", "+ b", "/ term: d", "`raw`", "*b*", "_e_", "\\", "//", "/*", "*/",
        "#{", "}", "#[", "]", "~", "--", "...", "'", "\"", "kata", "2024", " ", "\n",
    ]), 0..24).prop_map(|v| v.concat())) {
        let r = checks::escaped_text_prints_itself(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn book_markup_prints_the_entry_text(md in markdown()) {
        let r = checks::book_markup_prints_the_text(&md);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

/// Depth that would overflow a recursive renderer on a 2 MiB worker stack.
const DEEP: usize = 50_000;

fn deep_inputs() -> Vec<(&'static str, String)> {
    vec![
        ("quotes", "> ".repeat(DEEP) + "teks"),
        (
            "lists",
            (0..2_000)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
        ),
        ("shallow quotes", "> ".repeat(2_000) + "teks"),
        (
            "shallow emphasis",
            "*_".repeat(2_000) + "teks" + &"_*".repeat(2_000),
        ),
        ("emphasis", "*_".repeat(DEEP) + "teks" + &"_*".repeat(DEEP)),
        (
            "brackets",
            "[".repeat(DEEP) + "teks" + &"](/x)".repeat(DEEP),
        ),
        ("images", "![".repeat(DEEP) + &"](x)".repeat(DEEP)),
        ("long line", "kata ".repeat(400_000)),
        ("nul bytes", "a\u{0}b\u{0}".repeat(10_000)),
    ]
}

#[test]
fn deep_nesting_renders_on_rayon_worker_stacks() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for (what, md) in deep_inputs() {
        let html = pool.install(|| Markdown::new("/").to_html(&md));
        // Not through the HTML parser: its scope checks are quadratic in the depth (browsers
        // stop nesting at 512); the generated inputs above check what the HTML holds.
        assert!(
            !html.contains("<script") && html.contains("teks") == md.contains("teks"),
            "{what}"
        );
        pool.install(|| lontara::markdown::to_plain_text(&md));
        pool.install(|| {
            let absolute = |p: &str| p.to_string();
            let image = |_: &str| None;
            let conv = lontara::book::markup::Converter {
                absolute: &absolute,
                image: &image,
            };
            conv.convert(&md)
        });
    }
}

/// The whole build, books included, on deeply nested entries: the site and the book, never
/// a crash or a Typst depth error.
#[test]
fn deep_nesting_builds_the_site_and_the_book() {
    let f = Fixture::new();
    let toml = std::fs::read_to_string(f.root().join("book.toml")).unwrap();
    f.write(
        "book.toml",
        &format!("{toml}\n[[book]]\nid = \"dalam\"\ntitle = \"Dalam\"\nselect = {{ agency = \"disdikbud\" }}\n"),
    );
    for (i, (what, md)) in deep_inputs().into_iter().enumerate() {
        // Typesetting is slow in a debug build: the book takes the nested inputs at a depth
        // already past its formatting limit, the site all of them.
        let agency = if what == "long line" || md.len() > 20_000 {
            "dinkes"
        } else {
            "disdikbud"
        };
        f.write(
            &format!("content/innovations/dalam-{i}.md"),
            &format!("---\nacronym: Dalam {i}\nagency: {agency}\n---\n{md}\n"),
        );
    }
    if let Err(e) = f.build() {
        panic!("{e:?}");
    }
    let pdf = std::fs::read(f.out().join("buku/dalam.pdf")).expect("the book is printed");
    assert!(pdf.starts_with(b"%PDF"));
}

mod cases;

/// Inputs the fuzzers once broke something with (`fuzz/regressions/<target>/`), replayed on
/// stable Rust; also one seed per target so the replay itself is known to run.
#[test]
fn fuzz_regressions_keep_their_properties() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let saved = cases::regressions(&root);
    for target in [
        "front_matter",
        "markdown_html",
        "markdown_typst",
        "book_toml",
    ] {
        assert!(
            saved.iter().any(|(t, _, _)| t == target),
            "no saved input for {target} in {}",
            root.display()
        );
    }
    for (target, name, bytes) in saved {
        let r = match target.as_str() {
            "front_matter" => cases::front_matter(&bytes),
            "markdown_html" => cases::markdown_html(&bytes),
            "markdown_typst" => cases::markdown_typst(&bytes),
            "book_toml" => cases::book_toml(&bytes),
            other => panic!("unknown fuzz target folder {other}"),
        };
        assert!(r.is_ok(), "{target}/{name}: {}", r.unwrap_err());
    }
}
