//! `plinth template`: render Jinja2 config templates from the environment,
//! the way Templer did for the original images (`templer /*.j2 /`).
//!
//! Rendering is all or nothing: every template is rendered in memory first,
//! then every output is written to a temporary file beside its destination,
//! and only when all of that succeeded are they renamed into place, so a
//! service never reads a half-written config or a half-updated set. Outputs that already exist are
//! replaced, because a restarted container renders again.

mod context;
mod plan;
mod render;
mod write;

use std::path::{Path, PathBuf};

pub use plan::{Output, plan};
pub use render::render;

use crate::exit::Exit;

/// What can go wrong while templating.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The sources or destination do not fit together.
    #[error("{0}")]
    Usage(String),
    /// A template could not be read.
    #[error("cannot read template {}: {error}", path.display())]
    Read {
        /// The template.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// One or more templates failed to render; nothing was written.
    #[error("{} failed to render, nothing was written:\n{}", count(.0.len()), .0.join("\n"))]
    Render(Vec<String>),
    /// Writing an output failed.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

fn count(n: usize) -> String {
    if n == 1 { "1 template".into() } else { format!("{n} templates") }
}

impl TemplateError {
    /// The exit code this error maps to.
    pub fn exit(&self) -> Exit {
        match self {
            TemplateError::Write { .. } => Exit::Internal,
            _ => Exit::Usage,
        }
    }
}

/// Renders `sources` into `dest` with the process environment; returns the
/// files written.
pub fn run(sources: &[PathBuf], dest: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    let outputs = plan(sources, dest)?;
    let context = context::from_environment();

    let mut rendered = Vec::with_capacity(outputs.len());
    let mut failures = Vec::new();
    for output in &outputs {
        let text = std::fs::read_to_string(&output.source).map_err(|error| {
            TemplateError::Read { path: output.source.clone(), error }
        })?;
        match render(&output.source, &text, &context) {
            Ok(body) => rendered.push((output, body)),
            Err(message) => failures.push(message),
        }
    }
    if !failures.is_empty() {
        return Err(TemplateError::Render(failures));
    }

    let mut staged = Vec::with_capacity(rendered.len());
    for (output, body) in &rendered {
        match write::stage(&output.source, &output.target, body) {
            Ok(file) => staged.push(file),
            Err(error) => {
                staged.iter().for_each(write::Staged::discard);
                return Err(TemplateError::Write { path: output.target.clone(), error });
            }
        }
    }
    for (file, output) in staged.into_iter().zip(&outputs) {
        file.commit().map_err(|error| TemplateError::Write {
            path: output.target.clone(),
            error,
        })?;
    }
    Ok(outputs.into_iter().map(|o| o.target).collect())
}
