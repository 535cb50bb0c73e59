//! The region's emblem, `[site] emblem` in book.toml: an optional image shown in the site's
//! header and on the books' covers. It is checked like an entry's images: a real file inside
//! `content/` (never a symbolic link, never `..`), in a format both browsers and Typst show,
//! recognised by its first bytes rather than trusted by its name.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use std::path::{Component, Path};

const CONFIG_FILE: &str = "book.toml";
/// Above this, every page's first visit pays noticeably for the emblem on a slow link.
pub const LARGE_BYTES: usize = 100 * 1024;
const EXAMPLE: &str = "e.g. `emblem = \"content/lambang.svg\"`";

/// A checked emblem, read once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Emblem {
    /// As written in book.toml, relative to the catalogue folder.
    pub rel: String,
    /// Lowercase file extension: svg, png, jpg, jpeg, webp or gif.
    pub ext: String,
    pub bytes: Vec<u8>,
}

impl Emblem {
    /// Its address in the site: `lambang.<ext>` at the root.
    pub fn site_path(&self) -> String {
        format!("lambang.{}", self.ext)
    }
}

/// The emblem named in book.toml, if any, with the problems found (errors, or a warning
/// about its size). An emblem with an error is None.
pub fn load(config: &Config, root: &Path) -> (Option<Emblem>, Vec<Diagnostic>) {
    let Some(spanned) = &config.site.emblem else {
        return (None, Vec::new());
    };
    let rel = spanned.get_ref().as_str();
    let pos = config.pos(spanned.span());
    let err = |msg: String, hint: &str| {
        (
            None,
            vec![Diagnostic::error(CONFIG_FILE, pos, msg).with_hint(hint.to_string())],
        )
    };
    let path = Path::new(rel);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    if rel.contains('\\') || !plain || !path.starts_with("content") || path == Path::new("content")
    {
        return err(
            format!("emblem `{rel}` is not a file inside content/"),
            &format!(
                "put the image in content/ and write its path from the folder of book.toml, {EXAMPLE}"
            ),
        );
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !["svg", "png", "jpg", "jpeg", "webp", "gif"].contains(&ext.as_str()) {
        return err(
            format!("emblem `{rel}` is not an image"),
            "use an .svg (best: small and sharp at any size), .png, .jpg, .webp or .gif file",
        );
    }
    // Every folder on the way, and the file, must be real: a link could publish any file.
    let mut at = root.to_path_buf();
    for c in path.components() {
        at.push(c);
        if at.is_symlink() {
            let link = at.strip_prefix(root).unwrap_or(&at);
            let msg = if link == path {
                format!("emblem `{rel}` is a symbolic link")
            } else {
                format!(
                    "emblem `{rel}`: the folder `{}` is a symbolic link",
                    link.display()
                )
            };
            return err(msg, "copy the image into content/ instead of linking to it");
        }
    }
    if !at.is_file() {
        return err(
            format!("emblem `{rel}` not found"),
            &format!(
                "the path is relative to the folder of book.toml and names are case-sensitive; {EXAMPLE}"
            ),
        );
    }
    let bytes = match std::fs::read(&at) {
        Ok(b) => b,
        Err(e) => {
            return err(
                format!("cannot read emblem `{rel}`: {e}"),
                "check the file's permissions",
            );
        }
    };
    if !looks_like(&ext, &bytes) {
        return err(
            format!("emblem `{rel}` is not a valid .{ext} image"),
            "open the file in an image viewer and save it again in that format",
        );
    }
    if ext == "svg" && !svg_is_inert(&bytes) {
        return err(
            format!("emblem `{rel}` holds a script"),
            "an emblem must be a plain picture: remove <script>, <foreignObject> and on…= attributes (opened on its own, an SVG runs them)",
        );
    }
    let mut diags = Vec::new();
    if bytes.len() > LARGE_BYTES {
        diags.push(
            Diagnostic::warning(
                CONFIG_FILE,
                pos,
                format!(
                    "emblem `{rel}` is {} kB, and every page shows it",
                    bytes.len().div_ceil(1024)
                ),
            )
            .with_hint("an .svg, or a .png about 160 pixels high, is usually under 20 kB"),
        );
    }
    (
        Some(Emblem {
            rel: rel.to_string(),
            ext,
            bytes,
        }),
        diags,
    )
}

/// The file's first bytes match its extension.
fn looks_like(ext: &str, b: &[u8]) -> bool {
    match ext {
        "png" => b.starts_with(b"\x89PNG"),
        "jpg" | "jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "gif" => b.starts_with(b"GIF8"),
        "webp" => b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP"),
        "svg" => {
            let head = String::from_utf8_lossy(&b[..b.len().min(1024)]).to_ascii_lowercase();
            head.trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('<')
                && head.contains("<svg")
        }
        _ => false,
    }
}

/// No script, embedded document or event handler: opened on its own address, an SVG would
/// run them as a page of the site.
fn svg_is_inert(b: &[u8]) -> bool {
    let text = String::from_utf8_lossy(b).to_ascii_lowercase();
    if text.contains("<script") || text.contains("<foreignobject") || text.contains("javascript:") {
        return false;
    }
    // An attribute named on…, such as onload=.
    let bytes = text.as_bytes();
    !text.match_indices("on").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let starts = before.is_some_and(|c| c.is_ascii_whitespace() || c == b'/');
        let name_end = bytes[i + 2..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(bytes.len(), |n| i + 2 + n);
        let rest = text[name_end..].trim_start();
        starts && name_end > i + 2 && rest.starts_with('=')
    })
}

#[cfg(test)]
mod tests {
    use super::{looks_like, svg_is_inert};

    #[test]
    fn an_svg_with_a_script_or_handler_is_refused() {
        assert!(svg_is_inert(b"<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\" fill=\"red\"/><text>Luwu Utara</text></svg>"));
        assert!(!svg_is_inert(b"<svg><script>alert(1)</script></svg>"));
        assert!(!svg_is_inert(b"<svg onload=\"alert(1)\"/>"));
        assert!(!svg_is_inert(
            b"<svg><a href=\"javascript:alert(1)\">x</a></svg>"
        ));
        assert!(!svg_is_inert(b"<svg><g\nONCLICK = \"x\"/></svg>"));
    }

    #[test]
    fn first_bytes_must_match_the_extension() {
        assert!(looks_like("png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!looks_like("png", b"<svg></svg>"));
        assert!(looks_like(
            "svg",
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        ));
        assert!(!looks_like("svg", b"not an image"));
        assert!(looks_like("jpg", &[0xFF, 0xD8, 0xFF, 0xE0]));
    }
}
