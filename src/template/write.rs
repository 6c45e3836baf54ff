//! Writing an output so that readers see the old file or the new one,
//! never a mix.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Writes `body` to a temporary file beside `target`, gives it the
/// template's permission bits, flushes it to disk and renames it over
/// `target`.
pub fn atomically(template: &Path, target: &Path, body: &str) -> io::Result<()> {
    let dir =
        target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let temporary =
        dir.join(format!(".{}.plinth-{}", name.to_string_lossy(), std::process::id()));

    let result = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(body.as_bytes())?;
        file.set_permissions(fs::metadata(template)?.permissions())?;
        file.sync_all()?;
        fs::rename(&temporary, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}
