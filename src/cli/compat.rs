//! Legacy names. Child images written for the original base call
//! `su-exec`, `templer`, `/sbin/tini` and `/wait_for.sh`; in the new base
//! these are links to plinth, and the name it was started under selects the
//! subcommand. This is the only place that knows those names.

use std::ffi::OsString;
use std::path::Path;

/// The subcommand words each legacy program name stands for.
const LEGACY: [(&str, &[&str]); 4] = [
    ("su-exec", &["su-exec"]),
    ("templer", &["template"]),
    ("tini", &["init"]),
    ("wait_for.sh", &["wait", "tcp"]),
];

/// Rewrites `argv` of a legacy name into plinth's own form; other argv are
/// returned unchanged.
pub fn translate(argv: Vec<OsString>) -> Vec<OsString> {
    let Some(program) = argv.first() else { return argv };
    let name = Path::new(program).file_name().map(|n| n.to_string_lossy().into_owned());
    let Some((_, words)) =
        LEGACY.iter().find(|(legacy, _)| name.as_deref() == Some(legacy))
    else {
        return argv;
    };
    let mut translated = vec![OsString::from("plinth")];
    translated.extend(words.iter().map(OsString::from));
    translated.extend(argv.into_iter().skip(1));
    translated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(argv: &[&str]) -> Vec<String> {
        let argv = argv.iter().map(OsString::from).collect();
        translate(argv).into_iter().map(|a| a.into_string().unwrap()).collect()
    }

    #[test]
    fn legacy_names_select_subcommands() {
        assert_eq!(
            words(&["/wait_for.sh", "db:3306"]),
            ["plinth", "wait", "tcp", "db:3306"]
        );
        assert_eq!(
            words(&["/sbin/tini", "-s", "--", "/start.sh"]),
            ["plinth", "init", "-s", "--", "/start.sh"]
        );
        assert_eq!(words(&["su-exec", "mon", "id"]), ["plinth", "su-exec", "mon", "id"]);
        assert_eq!(
            words(&["templer", "/a.j2", "/"]),
            ["plinth", "template", "/a.j2", "/"]
        );
    }

    #[test]
    fn plinth_itself_is_untouched() {
        assert_eq!(
            words(&["/usr/local/bin/plinth", "init", "x"]),
            ["/usr/local/bin/plinth", "init", "x"]
        );
    }
}
