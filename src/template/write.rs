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
/// permission bits, flushed to disk.
pub fn stage(template: &Path, target: &Path, body: &str) -> io::Result<Staged> {
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
