//! Writing outputs so that readers see the old files or the new ones,
//! never a mix: every output is first written in full to a temporary file
//! beside its destination, and only when all of them are written are they
//! renamed into place.
//!
//! A destination that exists and is not a regular file (a FIFO,
//! `/dev/null`) is written into instead, as Templer did: renaming a file
//! over it would replace a device node, and a pipe has nothing to rename
//! over. `/dev/stdout` and `/dev/stderr` are written to plinth's own
//! descriptors.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A rendered output waiting to be put in place.
pub enum Staged {
    /// Written to `temporary`, to be renamed over `target`.
    Replace {
        /// The temporary file beside the target.
        temporary: PathBuf,
        /// The regular file (or new path) it replaces.
        target: PathBuf,
    },
    /// To be written into `target`, which is a device, FIFO or socket.
    Into {
        /// The existing special file.
        target: PathBuf,
        /// What to write.
        body: String,
    },
    /// To be written to plinth's own standard output or error.
    Stream {
        /// Which one.
        stream: Stream,
        /// What to write.
        body: String,
    },
}

/// Standard output or error, named as a destination by one of the paths
/// that stand for them. Written through the open descriptor itself, so that
/// a pipe works and `>> log` appends instead of the log being replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Descriptor 1.
    Stdout,
    /// Descriptor 2.
    Stderr,
}

impl Stream {
    /// The stream `path` names, if it is one of the usual spellings.
    pub fn named(path: &Path) -> Option<Stream> {
        match path.to_str()? {
            "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(Stream::Stdout),
            "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(Stream::Stderr),
            _ => None,
        }
    }

    fn write_all(self, body: &[u8]) -> io::Result<()> {
        match self {
            Stream::Stdout => io::stdout().lock().write_all(body),
            Stream::Stderr => io::stderr().lock().write_all(body),
        }
    }
}

/// Writes `body` to a temporary file beside `target`, with the template's
/// permission bits, flushed to disk. A `target` that is a symbolic link is
/// followed, as Templer wrote through links: the file it points to is the
/// one replaced, and the link stays.
pub fn stage(template: &Path, target: &Path, body: &str) -> io::Result<Staged> {
    if let Some(stream) = Stream::named(target) {
        return Ok(Staged::Stream { stream, body: body.to_string() });
    }
    // Asked of the kernel first, which also follows /proc's links (a pipe
    // behind /proc/self/fd/N has no path to follow by hand).
    if fs::metadata(target).is_ok_and(|m| !m.file_type().is_file() && !m.is_dir()) {
        return Ok(Staged::Into { target: target.to_path_buf(), body: body.to_string() });
    }
    let target = &follow_links(target)?;
    if target.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"));
    }
    let dir =
        target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let temporary =
        dir.join(format!(".{}.plinth-{}", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut file = create_new(&temporary)?;
        file.write_all(body.as_bytes())?;
        file.set_permissions(fs::metadata(template)?.permissions())?;
        file.sync_all()
    })();
    let staged = Staged::Replace { temporary, target: target.to_path_buf() };
    written.inspect_err(|_| staged.discard()).map(|()| staged)
}

/// Creates `path`, which must not exist: never opened through a symbolic
/// link someone placed there. One left by an earlier run that was killed
/// (a restarted container often has the same PID) is removed first.
fn create_new(path: &Path) -> io::Result<File> {
    let open = || OpenOptions::new().write(true).create_new(true).open(path);
    match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()
        }
        other => other,
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
    /// Puts the output in place: renames it, or writes into the special file.
    pub fn commit(self) -> io::Result<()> {
        match &self {
            Staged::Replace { temporary, target } => {
                fs::rename(temporary, target).inspect_err(|_| self.discard())
            }
            Staged::Into { target, body } => {
                OpenOptions::new().write(true).open(target)?.write_all(body.as_bytes())
            }
            Staged::Stream { stream, body } => stream.write_all(body.as_bytes()),
        }
    }

    /// Removes the temporary file, if there is one.
    pub fn discard(&self) {
        if let Staged::Replace { temporary, .. } = self {
            let _ = fs::remove_file(temporary);
        }
    }
}
