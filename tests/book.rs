//! The printed book: what an official opening the PDF would check (pages, contents with the
//! right page numbers, bookmarks, metadata), escaping of entry text, and the messages a wrong
//! [[book]] or a broken template gives. PDFs are read with lopdf, so no system tool is needed.

mod common;
use common::*;
use lontara::commands::{self, Failure};
use lontara::diagnostics::{Diagnostic, Severity};
use lopdf::{Document, Object};
use std::path::{Path, PathBuf};

struct Pdf {
    doc: Document,
}

impl Pdf {
    fn open(path: &Path) -> Pdf {
        Pdf {
            doc: Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        }
    }

    fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of page `n` (1-based), spaces collapsed.
    fn text(&self, n: usize) -> String {
        let raw = self.doc.extract_text(&[n as u32]).unwrap_or_default();
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn all_text(&self) -> String {
        (1..=self.page_count())
            .map(|n| self.text(n))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn info(&self, key: &str) -> String {
        let info = self
            .doc
            .trailer
            .get(b"Info")
            .and_then(|o| self.doc.dereference(o))
            .and_then(|(_, o)| o.as_dict())
            .expect("the PDF has an Info dictionary");
        let v = info.get(key.as_bytes()).expect(key);
        decode(v)
    }

    fn catalog_lang(&self) -> String {
        let cat = self.doc.catalog().unwrap();
        decode(cat.get(b"Lang").expect("Lang in the catalog"))
    }

    /// Top-level bookmarks: (title, 1-based page number).
    fn bookmarks(&self) -> Vec<(String, usize)> {
        let pages: Vec<lopdf::ObjectId> = self.doc.get_pages().into_values().collect();
        let cat = self.doc.catalog().unwrap();
        let outlines = cat
            .get(b"Outlines")
            .and_then(|o| self.doc.dereference(o))
            .and_then(|(_, o)| o.as_dict())
            .expect("the PDF has bookmarks");
        let mut out = Vec::new();
        let mut next = outlines.get(b"First").ok().cloned();
        while let Some(Object::Reference(id)) = next {
            let item = self.doc.get_dictionary(id).unwrap();
            let title = decode(item.get(b"Title").unwrap());
            let page = item
                .get(b"Dest")
                .ok()
                .and_then(|d| self.doc.dereference(d).ok())
                .and_then(|(_, d)| d.as_array().ok().cloned())
                .and_then(|a| a.first().and_then(|p| p.as_reference().ok()))
                .and_then(|p| pages.iter().position(|x| *x == p))
                .map_or(0, |i| i + 1);
            out.push((title, page));
            next = item.get(b"Next").ok().cloned();
        }
        out
    }
}

fn decode(o: &Object) -> String {
    match o {
        Object::String(bytes, _) => {
            if bytes.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = bytes[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
        other => format!("{other:?}"),
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Books of `root`, written into a temp folder.
fn print(root: &Path, only: Option<&str>) -> (tempfile::TempDir, Result<Vec<PathBuf>, Failure>) {
    let out = tempfile::tempdir().unwrap();
    let opts = commands::BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.path().to_path_buf()),
        base_url: None,
        drafts: false,
        this_year: 2026,
    };
    let r = commands::books(&opts, only).map(|p| p.files.into_iter().map(|f| f.0).collect());
    (out, r)
}

fn errors_of(r: Result<Vec<PathBuf>, Failure>) -> Vec<Diagnostic> {
    match r {
        Err(Failure::Content(d)) => d
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
        Err(Failure::Io(e)) => panic!("expected content errors, got I/O: {e}"),
        Ok(files) => panic!("expected errors, got {files:?}"),
    }
}

#[test]
fn the_top_30_book_of_the_repository() {
    let (_out, r) = print(&repo_root(), Some("top-30-kipp-sulsel-2020"));
    let files = r.unwrap_or_else(|f| panic!("{f:?}"));
    assert_eq!(files.len(), 1, "only the book asked for");
    let pdf = Pdf::open(&files[0]);

    assert_eq!(
        pdf.info("Title"),
        "Inovasi Luwu Utara dalam Top 30 KIPP Sulawesi Selatan 2020"
    );
    assert_eq!(
        pdf.info("Author"),
        "Bagian Organisasi Sekretariat Daerah Kabupaten Luwu Utara (sementara, belum dikonfirmasi)",
        "book.toml names the publisher as a placeholder until the region confirms it"
    );
    assert_eq!(pdf.catalog_lang(), "id");

    // One bookmark per profile, in acronym order, between the front matter and the index.
    let marks = pdf.bookmarks();
    let titles: Vec<&str> = marks.iter().map(|(t, _)| t.as_str()).collect();
    let profiles = [
        "Kampung Donor Darah Penyelamat Jiwa",
        "Penjaga Jumpa Berlian",
        "SIPENA",
        "Smart BUMDes",
    ];
    for p in profiles {
        assert_eq!(titles.iter().filter(|t| **t == p).count(), 1, "{titles:?}");
    }
    let pos: Vec<usize> = profiles
        .iter()
        .map(|p| titles.iter().position(|t| t == p).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{titles:?}");
    assert!(titles.contains(&"Kata Pengantar"), "{titles:?}");

    // The contents list gives each profile's page, and that page carries the profile,
    // numbered "n/4", with "Halaman <page>" in its footer.
    let toc_page = (1..=pdf.page_count())
        .find(|n| pdf.text(*n).contains("Daftar Isi"))
        .expect("a Daftar Isi page");
    let toc = pdf.text(toc_page);
    for (i, p) in profiles.iter().enumerate() {
        let after = &toc[toc.find(p).unwrap_or_else(|| panic!("{p} in {toc}")) + p.len()..];
        let num: usize = after
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        let bookmark_page = marks.iter().find(|(t, _)| t == p).unwrap().1;
        assert_eq!(num, bookmark_page, "{p}: contents says {num}");
        let page = pdf.text(num);
        assert!(page.contains(p), "page {num}: {page}");
        assert!(page.contains(&format!("{}/4", i + 1)), "page {num}: {page}");
        assert!(
            page.contains(&format!("Halaman {num}")),
            "page {num}: {page}"
        );
    }

    // Profiles start on their own page and take at most two.
    let starts: Vec<usize> = profiles
        .iter()
        .map(|p| marks.iter().find(|(t, _)| t == p).unwrap().1)
        .collect();
    let index = marks
        .iter()
        .find(|(t, _)| t.starts_with("Indeks"))
        .expect("an index bookmark")
        .1;
    let mut ends = starts[1..].to_vec();
    ends.push(index);
    for (s, e) in starts.iter().zip(&ends) {
        assert!((1..=2).contains(&(e - s)), "a profile from page {s} to {e}");
    }
    assert_eq!(pdf.page_count(), index, "the index is the last page");

    let text = pdf.all_text();
    assert!(text.contains("Boleh diperbanyak, tidak diperjualbelikan"));
    assert!(text.contains("Dinas Kesehatan (Dinkes)"));
    assert!(!text.contains("Rompi KPK"), "only the Top 30 entries");
}

#[test]
fn the_book_of_every_awarded_innovation() {
    let (_out, r) = print(&repo_root(), Some("inovasi-berprestasi"));
    let files = r.unwrap_or_else(|f| panic!("{f:?}"));
    let pdf = Pdf::open(&files[0]);
    let marks = pdf.bookmarks();
    // Every entry with an award has a profile: count them from the sources.
    let awarded = std::fs::read_dir(repo_root().join("content/innovations"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .map(|t| t.contains("\nawards:\n  - "))
                .unwrap_or(false)
        })
        .count();
    assert!(awarded >= 10, "{awarded}");
    let text = pdf.all_text();
    let numbered = (1..=awarded)
        .filter(|n| text.contains(&format!("{n}/{awarded}")))
        .count();
    assert_eq!(numbered, awarded, "every profile is numbered n/{awarded}");
    assert!(marks.len() > awarded, "{marks:?}");
}

fn fixture_with_book(book: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "book.toml",
        &format!("[site]\ntitle = \"Katalog Uji\"\nbase_url = \"https://contoh.go.id/\"\n\n{book}"),
    );
    f.write(
        "content/book/sambutan.md",
        "---\ntitle: Sambutan\n---\nSelamat membaca.\n",
    );
    f
}

const BOOK: &str = "[[book]]\nid = \"uji\"\ntitle = \"Buku Uji\"\nselect = { agency = \"dinkes\" }\nfront_matter = [\"sambutan\"]\n";

#[test]
fn entry_text_is_printed_never_run_as_typst() {
    let f = fixture_with_book(BOOK);
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkes\nsummary: 'Ringkasan #panic(\"x\") $x^2$'\n---\nLihat #read(\"/etc/passwd\") dan *tebal* serta `kode #x` <b>html</b> @ref [a](javascript:alert(1))\n\n- satu #set page(width: 1cm)\n\n| A | B |\n|---|---|\n| 1 | #2 |\n\nCatatan[^1]\n\n[^1]: Kaki #footnote.\n",
    );
    let (_out, r) = print(f.root(), None);
    let files = r.unwrap_or_else(|e| panic!("{e:?}"));
    let pdf = Pdf::open(&files[0]);
    let text = pdf.all_text();
    for shown in [
        "#read(\"/etc/passwd\")",
        "#panic(\"x\")",
        "$x^2$",
        "<b>html</b>",
        "@ref",
        "#set page(width: 1cm)",
        "Kaki #footnote.",
    ] {
        assert!(text.contains(shown), "`{shown}` not printed in:\n{text}");
    }
    assert!(!text.contains("root:x:0:0"), "a file was read");
}

/// Typst 0.15 panics while shaping a few marks of scripts the bundled fonts lack after a
/// right-to-left character (found by fuzzing): not the editor's fault and not ours to fix,
/// so the book command fails with Typst's message and exit 2, instead of a crash or a
/// content error. Should a Typst release fix it, the book is made and this still passes.
#[test]
fn a_panic_inside_typst_is_an_internal_failure() {
    let f = fixture_with_book(BOOK);
    let text = std::fs::read_to_string(
        repo_root().join("fuzz/regressions/markdown_typst/typst-shaper-panic-rtl-mark.md"),
    )
    .unwrap();
    f.write(
        "content/innovations/si-mira.md",
        &format!("---\nacronym: Si Mira\nagency: dinkes\n---\n{text}\n"),
    );
    let (_out, r) = print(f.root(), None);
    match r {
        Ok(files) => assert_eq!(files.len(), 1),
        Err(Failure::Io(m)) => assert!(
            m.contains("internal error in Typst") || m.contains("Typst stopped"),
            "{m}"
        ),
        Err(Failure::Content(d)) => panic!("not the editor's fault: {d:?}"),
    }
}

#[test]
fn paper_sizes_and_order() {
    let f = fixture_with_book(
        "[[book]]\nid = \"b5\"\ntitle = \"B5\"\npaper = \"b5\"\nselect = { slugs = [\"si-mira\", \"anc-hipnoterapi\"] }\n\n[[book]]\nid = \"kecil\"\ntitle = \"18 x 25\"\npaper = \"18x25\"\nselect = { awarded = true }\n",
    );
    let (_out, r) = print(f.root(), None);
    let files = r.unwrap_or_else(|e| panic!("{e:?}"));
    let size = |p: &Path| {
        let pdf = Pdf::open(p);
        let page = pdf.doc.get_pages()[&1];
        let dict = pdf.doc.get_dictionary(page).unwrap();
        let mb = dict.get(b"MediaBox").unwrap().as_array().unwrap().clone();
        let f = |o: &Object| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32);
        (
            (f(&mb[2]) / 72.0 * 25.4).round(),
            (f(&mb[3]) / 72.0 * 25.4).round(),
        )
    };
    let b5 = files.iter().find(|p| p.ends_with("b5.pdf")).unwrap();
    assert_eq!(size(b5), (176.0, 250.0));
    let small = files.iter().find(|p| p.ends_with("kecil.pdf")).unwrap();
    assert_eq!(size(small), (180.0, 250.0));
    // An explicit list keeps its order, not the alphabet's.
    let marks = Pdf::open(b5).bookmarks();
    let titles: Vec<&str> = marks.iter().map(|(t, _)| t.as_str()).collect();
    let a = titles.iter().position(|t| *t == "Si Mira").unwrap();
    let b = titles.iter().position(|t| *t == "ANC Hipnoterapi").unwrap();
    assert!(a < b, "{titles:?}");
}

#[test]
fn unknown_selection_key_is_located_in_book_toml() {
    let f = fixture_with_book(
        "[[book]]\nid = \"uji\"\ntitle = \"Buku Uji\"\nselect = { agensi = \"dinkes\" }\n",
    );
    let errs = errors_of(print(f.root(), None).1);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert_eq!(e.path, "book.toml");
    assert_eq!(e.line, 8, "{e:#?}");
    assert!(e.message.contains("agensi"), "{}", e.message);
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("select takes award"),
        "{e:#?}"
    );
}

#[test]
fn empty_selection_and_unknown_keys_are_errors_with_hints() {
    let f = fixture_with_book(
        "[[book]]\nid = \"kosong\"\ntitle = \"Kosong\"\nselect = { year = 1999 }\n\n[[book]]\nid = \"salah\"\ntitle = \"Salah\"\nselect = { award = \"kipp-provinsi-2020-top-31\" }\n\n[[book]]\nid = \"tanpa\"\ntitle = \"Tanpa\"\nselect = {}\n",
    );
    let errs = errors_of(print(f.root(), None).1);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    let by_line = |l: usize| {
        errs.iter()
            .find(|e| e.line == l)
            .unwrap_or_else(|| panic!("no error on line {l}: {errs:#?}"))
    };
    assert!(by_line(8).message.contains("selects no innovation"));
    let wrong = by_line(13);
    assert!(wrong.message.contains("kipp-provinsi-2020-top-31"));
    assert!(
        wrong
            .hint
            .as_deref()
            .unwrap()
            .contains("kipp-provinsi-2020-top-30"),
        "{wrong:#?}"
    );
    assert!(by_line(18).message.contains("selects nothing"));
    // `check` reports them too, so CI catches them before anyone prints.
    let checked = f.check();
    assert_eq!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.path == "book.toml")
            .count(),
        3
    );
}

#[test]
fn missing_front_matter_file_suggests_the_closest() {
    let f = fixture_with_book(
        "[[book]]\nid = \"uji\"\ntitle = \"Buku Uji\"\nselect = { awarded = true }\nfront_matter = [\"sambutn\"]\n",
    );
    let errs = errors_of(print(f.root(), None).1);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].line, 9);
    assert!(errs[0].message.contains("content/book/sambutn.md"));
    assert!(errs[0].hint.as_deref().unwrap().contains("sambutan"));
}

#[test]
fn a_template_error_names_the_theme_file_and_line() {
    let f = fixture_with_book(BOOK);
    // A copy of the default theme whose book template calls an unknown function.
    let theme = repo_root().join("themes/default");
    for e in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&theme).unwrap();
            f.write_bytes(
                &format!("themes/default/{}", rel.display()),
                &std::fs::read(e.path()).unwrap(),
            );
        }
    }
    f.write(
        "themes/default/book/book.typ",
        "#let book(data) = {\n  [Judul]\n  tidak-ada(data)\n}\n",
    );
    let errs = errors_of(print(f.root(), None).1);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "themes/default/book/book.typ");
    assert_eq!((errs[0].line, errs[0].column), (3, 3), "{errs:#?}");
    assert!(errs[0].message.contains("tidak-ada"), "{}", errs[0].message);
}

#[test]
fn build_puts_books_in_the_site() {
    let f = fixture_with_book(BOOK);
    f.build_ok();
    let pdf = f.out().join("buku/uji.pdf");
    assert!(Pdf::open(&pdf).page_count() > 4);
    let page = f.read("buku/uji/index.html");
    assert!(page.contains("href=\"/buku/uji.pdf\""), "{page}");
    assert!(
        page.contains("SIPENA") && page.contains("Si Mira"),
        "{page}"
    );
    let home = f.read("index.html");
    assert!(home.contains("href=\"/buku/uji/\""), "home links the book");
    // The same input gives the same PDF, byte for byte.
    let first = std::fs::read(&pdf).unwrap();
    f.build_ok();
    assert!(
        std::fs::read(&pdf).unwrap() == first,
        "PDFs differ between two builds"
    );
}

/// A 1 × 1 maroon PNG.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 232, 146, 145, 1, 0, 1,
    246, 0, 195, 228, 23, 8, 186, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn cover_image_is_printed_or_its_absence_reported() {
    let book = "[[book]]\nid = \"uji\"\ntitle = \"Buku Uji\"\nselect = { awarded = true }\ncover_image = \"content/book/sampul.png\"\nisbn = \"978-602-0000-00-0\"\n";
    let f = fixture_with_book(book);
    let errs = errors_of(print(f.root(), None).1);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].line, 9);
    assert!(
        errs[0].message.contains("content/book/sampul.png"),
        "{errs:#?}"
    );

    f.write_bytes("content/book/sampul.png", PNG);
    let (_out, r) = print(f.root(), None);
    let pdf = Pdf::open(&r.unwrap_or_else(|e| panic!("{e:?}"))[0]);
    let first = pdf.doc.get_pages()[&1];
    let images = pdf.doc.get_page_images(first).unwrap_or_default();
    assert_eq!(images.len(), 1, "the cover carries the image");
    assert!(pdf.all_text().contains("ISBN 978-602-0000-00-0"));
}

#[test]
fn a_profile_longer_than_two_pages_is_named_in_a_warning() {
    let f = fixture_with_book(BOOK);
    let long = "Paragraf yang panjang tentang inovasi ini, diulang agar profilnya melewati dua halaman.\n\n".repeat(120);
    f.write(
        "content/innovations/si-mira.md",
        &format!("---\nacronym: Si Mira\nagency: dinkes\n---\n{long}"),
    );
    let opts = commands::BuildOptions {
        root: f.root().to_path_buf(),
        out: Some(f.root().join("buku")),
        base_url: None,
        drafts: false,
        this_year: 2026,
    };
    let printed = commands::books(&opts, None).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(printed.warnings.len(), 1, "{:#?}", printed.warnings);
    let w = &printed.warnings[0];
    assert_eq!(w.path, "content/innovations/si-mira.md");
    assert!(
        w.message.contains("Si Mira") && w.message.contains("pages"),
        "{}",
        w.message
    );
}

#[test]
fn the_regions_emblem_is_printed_on_the_cover() {
    let f = fixture_with_book(BOOK);
    f.write(
        "book.toml",
        &format!(
            "[site]\ntitle = \"Katalog Uji\"\nbase_url = \"https://contoh.go.id/\"\nemblem = \"content/lambang.png\"\n\n{BOOK}"
        ),
    );
    f.write_bytes("content/lambang.png", PNG);
    let (_out, r) = print(f.root(), None);
    let pdf = Pdf::open(&r.unwrap_or_else(|e| panic!("{e:?}"))[0]);
    let first = pdf.doc.get_pages()[&1];
    let images = pdf.doc.get_page_images(first).unwrap_or_default();
    assert_eq!(images.len(), 1, "the cover carries the emblem");
}
