//! Rendering one template, with error messages that name the template, the
//! line and the undefined variable, and never show a variable's value.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

/// Renders `text` (read from `path`) with `context`. The error is one line
/// for people: `PATH:LINE: what went wrong`.
pub fn render(
    path: &Path,
    text: &str,
    context: &BTreeMap<String, Value>,
) -> Result<String, String> {
    let name = path.display().to_string();
    let mut env = environment(path);
    env.add_template_owned(name.clone(), text.to_string())
        .map_err(|e| describe(&name, &e, &[]))?;
    let template = env.get_template(&name).map_err(|e| describe(&name, &e, &[]))?;

    let mut body = template.render(context).map_err(|e| {
        let line = e.line().and_then(|n| text.lines().nth(n.saturating_sub(1)));
        match empty_mandatory(line.unwrap_or_default(), context) {
            Some(names) if e.kind() == ErrorKind::InvalidOperation => {
                describe_mandatory(&name, &e, &names)
            }
            _ => {
                let referenced = template.undeclared_variables(true);
                describe(&name, &e, &missing_variables(&env, referenced, context))
            }
        }
    })?;
    if !body.is_empty() && !body.ends_with('\n') {
        body.push('\n');
    }
    Ok(body)
}

/// Jinja2 as Templer configured it: undefined variables are errors, the
/// final newline is kept, `{% include %}` finds files beside the template.
fn environment(path: &Path) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_filter("mandatory", mandatory);
    if let Some(dir) = path.parent() {
        env.set_loader(minijinja::path_loader(dir));
    }
    env
}

/// `{{ VAR | mandatory }}` or `{{ VAR | mandatory("why") }}`: fails when the
/// value is undefined, none or empty.
fn mandatory(value: Value, message: Option<String>) -> Result<Value, Error> {
    let empty = value.is_undefined() || value.is_none() || value.as_str() == Some("");
    if !empty {
        return Ok(value);
    }
    let message =
        message.unwrap_or_else(|| "a mandatory value is undefined or empty".into());
    Err(Error::new(ErrorKind::InvalidOperation, message))
}

/// The template's free variables that the context does not define, as
/// `NAME` or `env.NAME`.
fn missing_variables(
    env: &Environment<'_>,
    referenced: impl IntoIterator<Item = String>,
    context: &BTreeMap<String, Value>,
) -> Vec<String> {
    let globals: BTreeSet<&str> = env.globals().map(|(name, _)| name).collect();
    let defined = |name: &str| {
        let mut parts = name.splitn(2, '.');
        let top = parts.next().unwrap_or_default();
        match (top, parts.next()) {
            ("env", Some(var)) => context
                .get("env")
                .is_some_and(|e| e.get_attr(var).is_ok_and(|v| !v.is_undefined())),
            _ => context.contains_key(top) || globals.contains(top),
        }
    };
    let missing: BTreeSet<String> =
        referenced.into_iter().filter(|n| !defined(n)).collect();
    missing.into_iter().collect()
}

/// The variables on `line` written as `NAME | mandatory` that are undefined
/// or empty, so the message can name them (the filter only sees values).
fn empty_mandatory(line: &str, context: &BTreeMap<String, Value>) -> Option<Vec<String>> {
    let names: Vec<String> = line
        .match_indices("mandatory")
        .filter_map(|(at, _)| {
            let before = line[..at].trim_end().strip_suffix('|')?.trim_end();
            // The name starts after the last character that cannot be in one
            // (which may be several bytes long: `ñ|mandatory`).
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            Some(before[start..].to_string()).filter(|n| !n.is_empty())
        })
        .filter(|name| {
            let value = lookup(context, name);
            value
                .is_none_or(|v| v.is_undefined() || v.is_none() || v.as_str() == Some(""))
        })
        .collect();
    (!names.is_empty()).then_some(names)
}

fn lookup(context: &BTreeMap<String, Value>, dotted: &str) -> Option<Value> {
    let mut parts = dotted.split('.');
    let mut value = context.get(parts.next()?)?.clone();
    for part in parts {
        value = value.get_attr(part).ok()?;
    }
    Some(value)
}

fn describe_mandatory(name: &str, error: &Error, names: &[String]) -> String {
    let line = error.line().map(|l| format!(":{l}")).unwrap_or_default();
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let noun = if names.len() == 1 { "variable" } else { "variables" };
    let why = error.detail().unwrap_or_default();
    format!(
        "{name}{line}: mandatory {noun} {} undefined or empty: {why}",
        quoted.join(", ")
    )
}

/// Whether `NAME` (or `env.NAME`) is in the environment with a value the
/// template context had to leave out.
fn set_but_not_utf8(variable: &str) -> bool {
    let name = variable.strip_prefix("env.").unwrap_or(variable);
    std::env::var_os(name).is_some_and(|value| value.to_str().is_none())
}

fn describe(name: &str, error: &Error, missing: &[String]) -> String {
    let place = match (error.name(), error.line()) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (None, Some(line)) => format!("{name}:{line}"),
        _ => name.to_string(),
    };
    let what = match (error.kind(), missing) {
        (ErrorKind::UndefinedError, [one]) if set_but_not_utf8(one) => {
            format!("variable `{one}` is set, but its value is not UTF-8 text")
        }
        (ErrorKind::UndefinedError, [one]) => format!("undefined variable `{one}`"),
        (ErrorKind::UndefinedError, [_, ..]) => {
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            format!("undefined variables {}", names.join(", "))
        }
        (kind, _) => match error.detail() {
            Some(detail) => format!("{kind}: {detail}"),
            None => kind.to_string(),
        },
    };
    format!("{place}: {what}")
}
