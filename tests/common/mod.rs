//! Shared by the integration tests: small fixture catalogues written into temp folders, a
//! build/check runner and a link checker that every site test runs over its output.
#![allow(dead_code)]

use lontara::commands::{self, BuildOptions, Built, Checked, Failure};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const AGENCIES: &str = "dinkes:\n  name: Dinas Kesehatan\n  short: Dinkes\n  aliases: [Dinas Kesehatan]\ndisdikbud:\n  name: Dinas Pendidikan dan Kebudayaan\n  short: Disdikbud\n  aliases: [Dinas Pendidikan]\n";
pub const COMPETITIONS: &str = "kipp:\n  name: Kompetisi Inovasi Pelayanan Publik\n  short: KIPP\n";

pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    /// A small valid catalogue: registries, four entries (one in folder form with an
    /// image, one a replication of another), one page.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.write("book.toml", "[site]\ntitle = \"Katalog Uji\"\ndescription = \"Katalog untuk pengujian\"\nbase_url = \"https://contoh.go.id/\"\n");
        f.write("content/agencies.yaml", AGENCIES);
        f.write("content/competitions.yaml", COMPETITIONS);
        f.write("content/innovations/sipena.md", "---\nacronym: SIPENA\nexpansion: Sistem Informasi Pemetaan Bencana\nagency: dinkes\ninnovator: Mujahid\nstart_year: 2019\nsector: kesehatan\nawards:\n  - { competition: kipp, level: provinsi, year: 2020, rank: Top 30 }\nsummary: Peta bencana desa.\nsources:\n  - { title: \"Berita\", publisher: \"Media\", date: 2021-02-09, url: \"https://media.example/berita\" }\n---\n## Latar Belakang\n\nTeks [ke Si Mira](/inovasi/si-mira/).\n");
        f.write("content/innovations/si-mira.md", "---\nacronym: Si Mira\nagency: Dinas Kesehatan\ninnovator: [A, B]\nstart_year: 2020\nsector: kesehatan\nsummary: Layanan.\nexpansion: Sistem Mira\n---\nIsi.\n");
        f.write("content/innovations/anc-hipnoterapi/index.md", "---\nacronym: ANC Hipnoterapi\nagency: dinkes\ninnovator: Anjas Rusli\nstart_year: 2016\nsummary: Hipnoterapi ibu hamil.\nexpansion: Antenatal care\nimages: [foto.png]\nawards:\n  - { competition: kipp, level: nasional, year: 2018, rank: Top 40 }\n---\n![Foto](foto.png)\n");
        f.write(
            "content/innovations/anc-hipnoterapi/foto.png",
            "not really a png",
        );
        f.write("content/innovations/hypnogreen.md", "---\nacronym: Hypnogreen\nagency: disdikbud\nreplication_of: anc-hipnoterapi\nstart_year: 2021\nsummary: Replikasi.\nexpansion: Hypno Green\ninnovator: C\n---\n");
        f.write(
            "content/pages/tentang.md",
            "---\ntitle: Tentang\norder: 1\n---\nTentang katalog.\n",
        );
        f
    }

    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A catalogue with valid registries and nothing else.
    pub fn with_registries() -> Fixture {
        let f = Fixture::empty();
        f.write("content/agencies.yaml", AGENCIES);
        f.write("content/competitions.yaml", COMPETITIONS);
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            out: None,
            base_url: None,
            drafts: false,
            this_year: 2026,
        }
    }

    pub fn build(&self) -> Result<Built, Failure> {
        commands::build(&self.opts())
    }

    /// Builds, panics with the diagnostics on failure, then runs the link checker.
    pub fn build_ok(&self) -> Built {
        let b = match self.build() {
            Ok(b) => b,
            Err(Failure::Content(d)) => panic!("build failed: {d:#?}"),
            Err(Failure::Io(e)) => panic!("build failed: {e}"),
        };
        assert_links_ok(&b.out, "/");
        b
    }

    pub fn check(&self) -> Checked {
        commands::check(&self.opts())
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Every file of a folder, path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Values of href="…" and src="…" attributes in an HTML document.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            out.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    out
}

/// No internal link or asset of any page points to a file that does not exist.
/// The `id` attribute values of a page.
pub fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

pub fn assert_links_ok(out: &Path, base: &str) {
    let mut broken = Vec::new();
    let mut checked = 0;
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        // Every id once per page: a duplicate breaks anchors and labels.
        let mut seen = std::collections::HashSet::new();
        for id in ids(&html) {
            if !seen.insert(id.clone()) {
                broken.push(format!("{rel}: id `{id}` appears twice"));
            }
        }
        let page_dir = Path::new(&rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
                || link.starts_with('#')
            {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap_or("");
            let target = if let Some(abs) = path.strip_prefix('/') {
                let Some(inside) = format!("/{abs}").strip_prefix(base).map(str::to_string) else {
                    broken.push(format!("{rel}: {link} is outside the base path {base}"));
                    continue;
                };
                out.join(inside)
            } else {
                out.join(&page_dir).join(path)
            };
            let file = if link.ends_with('/') || target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            checked += 1;
            if !file.is_file() {
                broken.push(format!("{rel}: {link}"));
            } else if let Some(fragment) = link.split_once('#').map(|x| x.1)
                && file.extension().is_some_and(|e| e == "html")
            {
                let target_html = std::fs::read_to_string(&file).unwrap();
                if !ids(&target_html).iter().any(|i| i == fragment) {
                    broken.push(format!("{rel}: {link} (no such anchor)"));
                }
            }
        }
    }
    assert!(checked > 0, "the link checker found no links at all");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
