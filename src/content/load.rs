//! Reading the catalogue's files: walk `content/`, decode each file (UTF-8, BOM, CRLF),
//! split front matter from body and parse the front matter into a located YAML tree.
//!
//! Files are read in parallel; nothing here knows what the fields mean (see `entry`, `page`).

use super::yaml::{self, Node, Value};
use crate::diagnostics::{Diagnostic, Pos, display_path};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Innovation,
    Page,
    Book,
}

/// One Markdown file, decoded and split, before its fields are interpreted.
#[derive(Debug)]
pub struct SourceFile {
    pub kind: Kind,
    /// Path relative to the catalogue root, for messages.
    pub rel: String,
    /// The address segment: file name without `.md`, or the folder name for `<slug>/index.md`.
    pub slug: String,
    /// The folder holding co-located images (`<slug>/index.md` form only).
    pub asset_dir: Option<PathBuf>,
    pub front: Node,
    /// Shared by every copy of the entry (a large catalogue's text is held once).
    pub body: std::sync::Arc<str>,
    /// A hash of the file's bytes: what a page made from it depends on.
    pub hash: u64,
}

/// Everything `content/` holds, plus the problems met while reading it.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub files: Vec<Arc<SourceFile>>,
    pub agencies: Option<(String, Node)>,
    pub competitions: Option<(String, Node)>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load(root: &Path) -> Loaded {
    load_cached(root, &mut SourceCache::default())
}

/// What a long-lived session keeps of each file it read: the file's size and modification
/// time when read, and what reading it gave. A file is read again when either changed or
/// when the watcher named it (`forget`); otherwise the parsed file is reused as it is.
///
/// A cache that trusts its watcher (`serve`) also keeps the list of files found under
/// `content/`, and neither walks the folders nor looks at unnamed files again until the
/// watcher names a path it does not know as a file (a file added, removed or renamed, a
/// folder): at 10,000 entries that walk and those 10,000 `stat`s were most of a rebuild.
#[derive(Default)]
pub struct SourceCache {
    files: HashMap<PathBuf, Cached>,
    trust: bool,
    listing: Option<Listing>,
}

/// What a walk of `content/` found: the Markdown files and the problems met on the way.
struct Listing {
    paths: Vec<Found>,
    diagnostics: Vec<Diagnostic>,
}

struct Cached {
    stamp: Stamp,
    read: Result<Arc<SourceFile>, Diagnostic>,
}

type Stamp = Option<(u64, std::time::SystemTime)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

impl SourceCache {
    /// A cache that a file watcher keeps informed through `forget`.
    pub fn watched() -> SourceCache {
        SourceCache {
            trust: true,
            ..SourceCache::default()
        }
    }

    /// Forget what was read of these files (the watcher saw them change).
    pub fn forget<'p>(&mut self, paths: impl IntoIterator<Item = &'p PathBuf>) {
        for p in paths {
            let known = self.files.remove(p).is_some();
            // Anything but a known file changed in place may change what a walk finds.
            let inside = p.components().any(|c| c.as_os_str() == "content");
            if inside && !(known && p.is_file()) {
                self.listing = None;
            }
        }
    }

    /// Forget everything (the watcher lost track).
    pub fn clear(&mut self) {
        self.files.clear();
        self.listing = None;
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

pub fn load_cached(root: &Path, cache: &mut SourceCache) -> Loaded {
    let content = root.join("content");
    let mut out = Loaded::default();
    if !content.is_dir() {
        out.diagnostics.push(
            Diagnostic::error("content", Pos::FILE, "the catalogue has no content/ folder")
                .with_hint("run lontara in the catalogue's folder, or pass --root DIR"),
        );
        return out;
    }
    out.agencies = load_registry(root, "agencies.yaml", &mut out.diagnostics);
    out.competitions = load_registry(root, "competitions.yaml", &mut out.diagnostics);

    let listing = match cache.listing.take().filter(|_| cache.trust) {
        Some(l) => l,
        None => {
            let mut l = Listing {
                paths: Vec::new(),
                diagnostics: Vec::new(),
            };
            for (sub, kind) in [
                ("innovations", Kind::Innovation),
                ("pages", Kind::Page),
                ("book", Kind::Book),
            ] {
                collect_markdown(
                    root,
                    &content.join(sub),
                    kind,
                    &mut l.paths,
                    &mut l.diagnostics,
                );
            }
            // Sorted so diagnostics and duplicate detection do not depend on directory order.
            l.paths.sort();
            // Files no longer there are dropped from the cache.
            let found: HashSet<&PathBuf> = l.paths.iter().map(|p| &p.0).collect();
            cache.files.retain(|p, _| found.contains(p));
            l
        }
    };
    out.diagnostics.extend(listing.diagnostics.iter().cloned());
    let trust = cache.trust;
    let files = &cache.files;
    // Read (again) what is new or changed; None keeps what the cache holds.
    let fresh: Vec<Option<Cached>> = listing
        .paths
        .par_iter()
        .map(|(path, kind, slug, asset_dir)| {
            let cached = files.get(path);
            if trust && cached.is_some() {
                return None;
            }
            let now = stamp(path);
            if let Some(c) = cached
                && c.stamp.is_some()
                && c.stamp == now
            {
                return None;
            }
            let rel = display_path(root, path);
            let read = read_source(path, &rel).map(|(front, body, hash)| {
                Arc::new(SourceFile {
                    kind: *kind,
                    rel,
                    slug: slug.clone(),
                    asset_dir: asset_dir.clone(),
                    front,
                    body: body.into(),
                    hash,
                })
            });
            Some(Cached { stamp: now, read })
        })
        .collect();
    for ((path, ..), fresh) in listing.paths.iter().zip(fresh) {
        if let Some(c) = fresh {
            cache.files.insert(path.clone(), c);
        }
        match cache.files.get(path).map(|c| &c.read) {
            Some(Ok(f)) => out.files.push(f.clone()),
            Some(Err(d)) => out.diagnostics.push(d.clone()),
            None => {}
        }
    }
    if cache.trust {
        cache.listing = Some(listing);
    }
    out
}

type Found = (PathBuf, Kind, String, Option<PathBuf>);

fn collect_markdown(
    root: &Path,
    dir: &Path,
    kind: Kind,
    out: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for item in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .sort_by_file_name()
    {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let p = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                diags.push(Diagnostic::error(
                    &p,
                    Pos::FILE,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = item.path();
        if item.path_is_symlink() {
            // A link could make the site publish any file of the machine it is built on.
            diags.push(
                Diagnostic::error(
                    &display_path(root, path),
                    Pos::FILE,
                    "this is a symbolic link; the catalogue may only hold real files",
                )
                .with_hint("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        let is_md = path.extension().is_some_and(|e| e == "md");
        if !item.file_type().is_file() || !is_md {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if item.depth() == 1 {
            out.push((path.to_path_buf(), kind, name.to_string(), None));
        } else if name == "index" && kind == Kind::Innovation {
            let parent = path.parent().unwrap_or(dir);
            let slug = parent
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            out.push((
                path.to_path_buf(),
                kind,
                slug.to_string(),
                Some(parent.to_path_buf()),
            ));
        }
    }
}

fn load_registry(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Option<(String, Node)> {
    let path = root.join("content").join(name);
    let rel = display_path(root, &path);
    if !path.is_file() {
        diags.push(
            Diagnostic::error(&rel, Pos::FILE, format!("content/{name} is missing")).with_hint(
                format!("create content/{name}; see CONTENT.md, section Registries"),
            ),
        );
        return None;
    }
    let text = match read_text(&path, &rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match yaml::parse(&text) {
        Ok(node) => Some((rel, node)),
        Err(e) => {
            diags.push(yaml_error(&rel, e));
            None
        }
    }
}

fn yaml_error(rel: &str, e: yaml::YamlError) -> Diagnostic {
    Diagnostic::error(rel, e.pos, format!("this is not valid YAML: {}", e.message)).with_hint(
        "check indentation and quoting; a value containing `: ` or starting with a special character must be in quotes",
    )
}

/// Read a file as text: invalid UTF-8 is located; a BOM is dropped; CRLF becomes LF.
pub fn read_text(path: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(rel, Pos::FILE, format!("cannot read this file: {e}")))?;
    decode(&bytes, rel)
}

fn decode(bytes: &[u8], rel: &str) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            return Err(Diagnostic::error(
                rel,
                Pos::new(line, column),
                "this file is not valid UTF-8 text",
            )
            .with_hint("save the file with UTF-8 encoding (most editors: File → Save with Encoding → UTF-8)"));
        }
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// Split `---\n<yaml>\n---\n<body>` and parse the YAML; positions are file positions.
fn read_source(path: &Path, rel: &str) -> Result<(Node, String, u64), Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(rel, Pos::FILE, format!("cannot read this file: {e}")))?;
    let hash = crate::site::plan::hash_of(&bytes);
    let text = decode(&bytes, rel)?;
    let (front, body) = split_and_parse(&text, rel)?;
    Ok((front, body, hash))
}

pub fn split_and_parse(text: &str, rel: &str) -> Result<(Node, String), Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(rel, Pos::new(1, 1), "this file is empty").with_hint(
            "an entry starts with front matter between two `---` lines; `lontara new` writes a complete template",
        ));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(rel, Pos::new(1, 1), "the file does not start with front matter")
            .with_hint("the first line must be `---`, followed by the fields (acronym, agency, ...) and another `---`"));
    }
    let mut offset = first.len();
    let mut closing = None;
    for (i, line) in lines.enumerate() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            closing = Some((offset, offset + line.len(), i + 2));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start, _close_line)) = closing else {
        return Err(Diagnostic::error(
            rel,
            Pos::new(1, 1),
            "the front matter opened here is never closed",
        )
        .with_hint("add a line with only `---` after the last field, before the text"));
    };
    let front_text = &text[first.len()..yaml_end];
    let mut front = yaml::parse(front_text).map_err(|e| {
        let mut e = e;
        e.pos.line += 1;
        yaml_error(rel, e)
    })?;
    front.offset_lines(1);
    if front.is_null() {
        front = Node {
            value: Value::Map(Vec::new()),
            pos: Pos::new(1, 1),
        };
    }
    if !matches!(front.value, Value::Map(_)) {
        return Err(Diagnostic::error(
            rel,
            front.pos,
            format!(
                "the front matter must be fields (`name: value`), but it is {}",
                front.kind()
            ),
        )
        .with_hint("write one field per line, e.g. `acronym: SIPENA`, without a leading `- `"));
    }
    Ok((front, text[body_start..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_keeps_file_lines() {
        let (front, body) =
            split_and_parse("---\nacronym: A\nagency: x\n---\nHello\n", "f.md").unwrap();
        let Value::Map(m) = &front.value else {
            panic!()
        };
        assert_eq!(m[1].0.pos, Pos::new(3, 1));
        assert_eq!(body, "Hello\n");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode(b"\xEF\xBB\xBF---\r\nacronym: A\r\n---\r\nBody\r\n", "f.md").unwrap();
        let (_, body) = split_and_parse(&t, "f.md").unwrap();
        assert_eq!(body, "Body\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode(b"---\nacronym: \xff\n", "f.md").unwrap_err();
        assert_eq!((d.line, d.column), (2, 10));
        assert_eq!(d.message, "this file is not valid UTF-8 text");
    }

    #[test]
    fn missing_closing_marker_is_an_error() {
        let d = split_and_parse("---\nacronym: A\n", "f.md").unwrap_err();
        assert_eq!(d.message, "the front matter opened here is never closed");
    }

    #[test]
    fn list_front_matter_is_an_error() {
        let d = split_and_parse("---\n- a\n- b\n---\n", "f.md").unwrap_err();
        assert_eq!((d.line, d.column), (2, 1));
        assert!(d.message.contains("a list"), "{}", d.message);
    }

    #[test]
    fn empty_file_is_an_error() {
        let d = split_and_parse("", "f.md").unwrap_err();
        assert_eq!(d.message, "this file is empty");
    }

    #[test]
    fn yaml_error_lines_are_file_lines() {
        let d = split_and_parse("---\nacronym: A\nagency: [x\n---\n", "f.md").unwrap_err();
        assert!(d.line >= 3, "{d:?}");
        assert!(d.message.starts_with("this is not valid YAML"));
    }
}
