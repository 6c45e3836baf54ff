//! Writing outputs so that readers see the old files or the new ones,
//! never a mix: every output is first written in full to a temporary file
//! beside its destination, and only when all of them are written are they
//! renamed into place.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A rendered output waiting for its rename.
pub struct Staged {
    temporary: PathBuf,
    target: PathBuf,
}

/// Writes `body` to a temporary file beside `target`, with the template's
/// permission bits, flushed to disk. A `target` that is a symbolic link is
/// followed, as Templer wrote through links: the file it points to is the
/// one replaced, and the link stays.
pub fn stage(template: &Path, target: &Path, body: &str) -> io::Result<Staged> {
    let target = &follow_links(target)?;
    if target.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"));
    }
    let dir =
        target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let temporary =
        dir.join(format!(".{}.plinth-{}", name.to_string_lossy(), std::process::id()));
    let staged = Staged { temporary, target: target.to_path_buf() };

    let written = (|| {
        let mut file = File::create(&staged.temporary)?;
        file.write_all(body.as_bytes())?;
        file.set_permissions(fs::metadata(template)?.permissions())?;
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(staged),
        Err(e) => {
            staged.discard();
            Err(e)
        }
    }
}

/// Where a chain of symbolic links at `path` ends (which may not exist yet).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        let is_link =
            fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok(path);
        }
        let link = fs::read_link(&path)?;
        path = match path.parent() {
            Some(dir) if link.is_relative() => dir.join(link),
            _ => link,
        };
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

impl Staged {
    /// Renames the output into place.
    pub fn commit(self) -> io::Result<()> {
        fs::rename(&self.temporary, &self.target).inspect_err(|_| self.discard())
    }

    /// Removes the temporary file.
    pub fn discard(&self) {
        let _ = fs::remove_file(&self.temporary);
    }
}
