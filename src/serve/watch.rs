//! Which file changes matter, from the watcher's reports: the catalogue's `content/`,
//! `themes/` and `book.toml`, without editors' swap, backup and probe files.

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How long a path's events must be quiet before the watcher reports them: an editor's save
/// (temp file, rename, backup) takes a millisecond or two. A longer burst (a `git checkout`)
/// arrives in several reports, which the rebuild loop folds into one (`BURST_GAP`).
const SETTLE: Duration = Duration::from_millis(10);

/// A file an editor leaves beside the real one while saving: vim's `.swp`/`.swx`, `~`
/// backups, vim's `4913` write probe, Emacs's `.#lock` and `#autosave#`, `.tmp`/`.part`.
pub fn is_editor_litter(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.ends_with('~')
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload"]
            .iter()
            .any(|s| name.ends_with(s))
        || name == ".DS_Store"
}

/// True for the paths a rebuild reads.
pub fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel.components().next().map(|c| c.as_os_str().to_owned());
    let watched = match first.as_deref().and_then(|f| f.to_str()) {
        Some("content") | Some("themes") => true,
        Some("book.toml") => rel.components().count() == 1,
        _ => false,
    };
    watched && !is_editor_litter(path)
}

/// A settled burst of relevant changes, and when its first event happened.
pub struct Batch {
    pub paths: Vec<PathBuf>,
    pub since: Instant,
}

/// Starts watching; each settled burst of relevant changes arrives on `tx` as one batch.
/// The returned value must be kept alive for as long as watching should go on.
pub fn start(root: &Path, tx: Sender<Batch>) -> Result<impl Drop, String> {
    let root_for = root.to_path_buf();
    let mut debouncer = new_debouncer(SETTLE, None, move |res: DebounceEventResult| {
        let Ok(events) = res else {
            // The watcher lost track (queue overflow): re-read everything.
            let _ = tx.send(Batch {
                paths: vec![root_for.clone()],
                since: Instant::now(),
            });
            return;
        };
        let since = events
            .iter()
            .map(|e| e.time)
            .min()
            .unwrap_or_else(Instant::now);
        let mut paths: Vec<PathBuf> = events
            .iter()
            // Reads (ours included) are not changes.
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| {
                if e.event.need_rescan() {
                    vec![root_for.clone()]
                } else {
                    e.event.paths.clone()
                }
            })
            .filter(|p| *p == root_for || matters(&root_for, p))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(Batch { paths, since });
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    // The root itself, not recursively: book.toml, and content/ or themes/ created later.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for sub in ["content", "themes"] {
        let dir = root.join(sub);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_is_ignored() {
        let root = Path::new("/k");
        for p in [
            "content/innovations/.sipena.md.swp",
            "content/innovations/sipena.md~",
            "content/innovations/4913",
            "content/innovations/.#sipena.md",
            "content/innovations/#sipena.md#",
            "public/index.html",
            "target/x",
        ] {
            assert!(!matters(root, &root.join(p)), "{p}");
        }
        for p in [
            "content/innovations/sipena.md",
            "content/agencies.yaml",
            "themes/default/static/style.css",
            "book.toml",
            "content/innovations/sipena/foto.jpg",
        ] {
            assert!(matters(root, &root.join(p)), "{p}");
        }
    }
}
