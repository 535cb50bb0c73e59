//! The output folder is replaced whole or not at all: a build writes into a staging folder
//! beside the target and swaps it in only when everything succeeded. A failed build leaves
//! the previous site exactly as it was (the staging folder is removed on drop).

use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// A fresh staging folder in the target's parent (same filesystem, so the swap is a rename).
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)?;
        let dir = tempfile::Builder::new()
            .prefix(".lontara-staging-")
            .tempdir_in(&parent)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swap the staged site in: old → aside, staged → target, then delete the old one.
    pub fn commit(self) -> io::Result<()> {
        let target = self.target;
        let staged = self.dir.keep();
        if target.exists() {
            let aside = tempfile::Builder::new()
                .prefix(".lontara-old-")
                .tempdir_in(parent_of(&target))?
                .keep();
            std::fs::remove_dir(&aside)?;
            std::fs::rename(&target, &aside)?;
            if let Err(e) = std::fs::rename(&staged, &target) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&aside, &target);
                let _ = std::fs::remove_dir_all(&staged);
                return Err(e);
            }
            let _ = std::fs::remove_dir_all(&aside);
        } else if let Err(e) = std::fs::rename(&staged, &target) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        Ok(())
    }
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_staging_leaves_the_old_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&target).unwrap();
            std::fs::write(s.path().join("new.html"), "new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("old.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
    }

    #[test]
    fn commit_replaces_the_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let s = Staging::new(&target).unwrap();
        std::fs::write(s.path().join("new.html"), "new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("new.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
