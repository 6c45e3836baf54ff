//! Which output each template goes to.

use std::path::{Path, PathBuf};

use super::TemplateError;

/// One template and the file it renders to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The template file.
    pub source: PathBuf,
    /// The file to write.
    pub target: PathBuf,
}

/// Maps sources to outputs like Templer: into a directory each `NAME.j2`
/// becomes `DEST/NAME`; a single source with a destination that is not a
/// directory renders to that file.
pub fn plan(sources: &[PathBuf], dest: &Path) -> Result<Vec<Output>, TemplateError> {
    if sources.is_empty() {
        return Err(TemplateError::Usage("no template given".into()));
    }
    let into_directory = dest.is_dir()
        || dest.as_os_str().to_string_lossy().ends_with('/')
        || sources.len() > 1;
    let outputs = if into_directory {
        into_directory_outputs(sources, dest)?
    } else {
        vec![Output { source: sources[0].clone(), target: dest.to_path_buf() }]
    };
    // Checked in both modes: `plinth template a.j2 a.j2` (or a symlink to
    // the template as the destination) would otherwise replace the
    // template with its own rendering.
    if let Some(o) = outputs.iter().find(|o| same_file(&o.source, &o.target)) {
        return Err(TemplateError::Usage(format!(
            "{} would be rendered over itself (name templates NAME.j2)",
            o.source.display()
        )));
    }
    // `d1/x.j2 d2/x.j2 DIR`, or two outputs that are links to one file:
    // one would silently win, or the second rename would fail after the
    // first was done.
    for (i, first) in outputs.iter().enumerate() {
        let same =
            |o: &&Output| o.target == first.target || same_file(&o.target, &first.target);
        if let Some(second) = outputs[i + 1..].iter().find(same) {
            return Err(TemplateError::Usage(format!(
                "{} and {} would both be rendered to {}",
                first.source.display(),
                second.source.display(),
                first.target.display()
            )));
        }
    }
    Ok(outputs)
}

fn into_directory_outputs(
    sources: &[PathBuf],
    dest: &Path,
) -> Result<Vec<Output>, TemplateError> {
    if !dest.is_dir() {
        let why = if sources.len() > 1 { " (several templates need one)" } else { "" };
        return Err(TemplateError::Usage(format!(
            "{} is not a directory{why}",
            dest.display()
        )));
    }
    sources.iter().map(|source| into(source, dest)).collect()
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn into(source: &Path, dest: &Path) -> Result<Output, TemplateError> {
    let name = source.file_name().ok_or_else(|| {
        TemplateError::Usage(format!("{} is not a file", source.display()))
    })?;
    let name = name.to_string_lossy();
    let name = name.strip_suffix(".j2").unwrap_or(&name);
    if name.is_empty() {
        return Err(TemplateError::Usage(format!("{} has no name", source.display())));
    }
    Ok(Output { source: source.to_path_buf(), target: dest.join(name) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_destination_strips_j2() {
        let dir = tempfile::tempdir().unwrap();
        let out =
            plan(&["/t/kafka.yaml.j2".into(), "/t/db.conf".into()], dir.path()).unwrap();
        assert_eq!(out[0].target, dir.path().join("kafka.yaml"));
        assert_eq!(out[1].target, dir.path().join("db.conf"));
    }

    #[test]
    fn one_source_and_a_file_destination() {
        let out = plan(&["/t/a.j2".into()], Path::new("/nonexistent/out.conf")).unwrap();
        assert_eq!(out[0].target, Path::new("/nonexistent/out.conf"));
    }

    #[test]
    fn several_sources_need_a_directory() {
        let sources = ["/t/a.j2".into(), "/t/b.j2".into()];
        assert!(plan(&sources, Path::new("/nonexistent/x")).is_err());
    }
}
