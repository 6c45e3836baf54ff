//! The variables a template sees: every environment variable as `NAME`,
//! and all of them again under `env` (`{{ env.NAME }}`), as Templer did.

use std::collections::BTreeMap;

use minijinja::Value;

/// The environment as template variables. Variables whose name or value is
/// not UTF-8 are left out (a template could not name them anyway).
pub fn from_environment() -> BTreeMap<String, Value> {
    let vars: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let mut context: BTreeMap<String, Value> =
        vars.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
    context.entry("env".into()).or_insert_with(|| Value::from(vars));
    context
}
