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
    let bodies = render_all(&outputs)?;
    write_all(&outputs, &bodies)?;
    Ok(outputs.into_iter().map(|o| o.target).collect())
}

/// Renders every output in memory; fails with every render error at once.
fn render_all(outputs: &[Output]) -> Result<Vec<String>, TemplateError> {
    let context = context::from_environment();
    let mut bodies = Vec::with_capacity(outputs.len());
    let mut failures = Vec::new();
    for output in outputs {
        let text = std::fs::read_to_string(&output.source).map_err(|error| {
            TemplateError::Read { path: output.source.clone(), error }
        })?;
        match render(&output.source, &text, &context) {
            Ok(body) => bodies.push(body),
            Err(message) => failures.push(message),
        }
    }
    if failures.is_empty() { Ok(bodies) } else { Err(TemplateError::Render(failures)) }
}

/// Stages every output beside its target, then renames them all into place.
fn write_all(outputs: &[Output], bodies: &[String]) -> Result<(), TemplateError> {
    let failed = |output: &Output| {
        let path = output.target.clone();
        move |error| TemplateError::Write { path, error }
    };
    let mut staged = Vec::with_capacity(outputs.len());
    for (output, body) in outputs.iter().zip(bodies) {
        match write::stage(&output.source, &output.target, body) {
            Ok(file) => staged.push(file),
            Err(error) => {
                staged.iter().for_each(write::Staged::discard);
                return Err(failed(output)(error));
            }
        }
    }
    for (file, output) in staged.into_iter().zip(outputs) {
        file.commit().map_err(failed(output))?;
    }
    Ok(())
}
