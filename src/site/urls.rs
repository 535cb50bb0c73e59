//! Every address of the site in one place (see CONTENT.md, "What a reader can browse").
//! Internal links are root-relative and carry base_url's path, so a site served under
//! /katalog/ works.

pub const INNOVATIONS: &str = "inovasi";
pub const AGENCIES: &str = "perangkat-daerah";
pub const AWARDS: &str = "penghargaan";
pub const YEARS: &str = "tahun";
pub const SECTORS: &str = "sektor";
pub const SEARCH: &str = "cari";
pub const BOOKS: &str = "buku";
pub const STATS: &str = "statistik";
/// The group of entries whose start year is not recorded: /tahun/belum-tercatat/.
pub const UNKNOWN_YEAR: &str = "belum-tercatat";
/// Listing pages after the first: `<list>/halaman/<n>/`.
pub const PAGE_SEGMENT: &str = "halaman";

#[derive(Debug, Clone)]
pub struct Urls {
    /// "/" or "/katalog/".
    pub base: String,
}

impl Urls {
    /// The link for a site path such as "inovasi/x/".
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

/// Site paths (no leading slash, trailing slash for folders); `Urls::link` makes links.
pub fn entry(slug: &str) -> String {
    format!("{INNOVATIONS}/{slug}/")
}
pub fn group(kind: &str, key: &str) -> String {
    format!("{kind}/{key}/")
}
pub fn index(kind: &str) -> String {
    format!("{kind}/")
}
/// A book's page, and its PDF beside it.
pub fn book(id: &str) -> String {
    format!("{BOOKS}/{id}/")
}
pub fn book_pdf(id: &str) -> String {
    format!("{BOOKS}/{id}.pdf")
}
/// Page `n` (1-based) of a listing at `path`.
pub fn paged(path: &str, n: usize) -> String {
    if n <= 1 {
        path.to_string()
    } else {
        format!("{path}{PAGE_SEGMENT}/{n}/")
    }
}
/// The file a site path is written to.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
