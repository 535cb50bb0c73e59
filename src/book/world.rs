//! The Typst world of one book: only the files Lontara hands it (the theme's template, the
//! generated main file and data, images, QR codes) and Typst's bundled fonts. No system
//! fonts, no packages, no access to the disk: a template or an entry cannot read anything else.

use std::collections::HashMap;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

/// Typst's bundled fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), parsed
/// once per run and shared by every book.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    pub fn bundled() -> Fonts {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

pub struct BookWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    main: FileId,
    files: HashMap<FileId, Bytes>,
    /// Parsed once: Typst asks for a source many times during one compilation.
    sources: HashMap<FileId, Source>,
    today: Option<(i32, u8, u8)>,
}

pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl<'a> BookWorld<'a> {
    /// `files`: virtual path ("/book.typ") → bytes; `main` must be one of them.
    pub fn new(
        fonts: &'a Fonts,
        main: &str,
        files: Vec<(String, Vec<u8>)>,
        today: Option<(i32, u8, u8)>,
    ) -> Self {
        let mut sources = HashMap::new();
        let files = files
            .into_iter()
            .filter_map(|(p, b)| {
                let id = file_id(&p)?;
                if p.ends_with(".typ")
                    && let Ok(text) = std::str::from_utf8(&b)
                {
                    sources.insert(id, Source::new(id, text.to_string()));
                }
                Some((id, Bytes::new(b)))
            })
            .collect();
        BookWorld {
            sources,
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main: file_id(main).expect("the main path is a valid virtual path"),
            files,
            today,
        }
    }

    /// Where a diagnostic points: (virtual path, line, column), 1-based.
    pub fn locate(&self, d: &SourceDiagnostic) -> Option<(String, usize, usize)> {
        let id = d.span.id()?;
        let range = self.range(d.span)?;
        let source = self.source(id).ok()?;
        let (line, col) = source.lines().byte_to_line_column(range.start)?;
        let path = id.vpath().get_with_slash().to_string();
        Some((path, line + 1, col + 1))
    }
}

impl World for BookWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(s) => Ok(s.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(FileError::NotFound(id.vpath().get_without_slash().into())),
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let (y, m, d) = self.today?;
        Datetime::from_ymd(y, m, d)
    }
}
