//! `plinth template`: Jinja2 templates rendered from the environment into a
//! directory or a file, the error messages people fix templates by
//! (template, line, variable; never a value), and the write guarantees a
//! restarting service relies on: all or nothing, atomic replacement, final
//! newline, the template's permissions.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use tempfile::TempDir;

use crate::harness::plinth::{Outcome, plinth};

/// A directory with templates in `t/` and outputs going to `out/`.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temporary directory");
        fs::create_dir(dir.path().join("t")).expect("t/");
        fs::create_dir(dir.path().join("out")).expect("out/");
        Workspace { dir }
    }

    /// Writes template `t/NAME`; returns its path.
    fn template(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join("t").join(name);
        fs::write(&path, text).expect("write template");
        path
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn output(&self, name: &str) -> Option<String> {
        fs::read_to_string(self.out().join(name)).ok()
    }

    /// Files in `out/` whose names show they are plinth's temporaries.
    fn leftovers(&self) -> Vec<String> {
        fs::read_dir(self.out())
            .expect("read out/")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains(".plinth-"))
            .collect()
    }

    /// `plinth template SOURCES... DEST` with `vars` in the environment.
    fn render(&self, sources: &[&Path], dest: &Path, vars: &[(&str, &str)]) -> Outcome {
        let mut command = plinth(["template"]).args(sources).args([dest]);
        for (name, value) in vars {
            command = command.env(name, value);
        }
        command.current_dir(self.dir.path()).run()
    }
}

#[test]
fn renders_into_a_directory_dropping_the_j2_suffix() {
    let ws = Workspace::new();
    let a = ws.template("app.conf.j2", "port={{ PORT }}\n");
    let b = ws.template("log.yaml.j2", "level: {{ LEVEL }}\n");
    let c = ws.template("plain.txt", "static\n");
    ws.render(&[&a, &b, &c], &ws.out(), &[("PORT", "8070"), ("LEVEL", "debug")])
        .expect_code(0);
    assert_eq!(ws.output("app.conf").as_deref(), Some("port=8070\n"));
    assert_eq!(ws.output("log.yaml").as_deref(), Some("level: debug\n"));
    assert_eq!(ws.output("plain.txt").as_deref(), Some("static\n"));
    assert_eq!(ws.leftovers(), Vec::<String>::new(), "temporary files left behind");
}

#[test]
fn renders_one_template_to_a_named_file() {
    let ws = Workspace::new();
    let t = ws.template("anything.j2", "user={{ USER_NAME }}\n");
    let dest = ws.out().join("service.ini");
    ws.render(&[&t], &dest, &[("USER_NAME", "monasca")]).expect_code(0);
    assert_eq!(fs::read_to_string(&dest).expect("output"), "user=monasca\n");
    assert_eq!(ws.output("anything").as_deref(), None, "rendered to the wrong name");
}

#[test]
fn variables_by_name_and_under_env() {
    let ws = Workspace::new();
    let t =
        ws.template("both.j2", "a={{ ALPHA }} b={{ env.BETA }} a2={{ env['ALPHA'] }}\n");
    ws.render(&[&t], &ws.out(), &[("ALPHA", "1"), ("BETA", "two")]).expect_code(0);
    assert_eq!(ws.output("both").as_deref(), Some("a=1 b=two a2=1\n"));
}

#[test]
fn undefined_variable_names_template_line_and_variable() {
    let ws = Workspace::new();
    let t = ws.template("db.conf.j2", "[db]\nhost={{ DB_HOST }}\nport={{ DB_PORT }}\n");
    let out = ws.render(&[&t], &ws.out(), &[("DB_HOST", "mysql")]);
    out.expect_code(2).expect_stderr(&["db.conf.j2:3", "DB_PORT"]);
    assert_eq!(ws.output("db.conf"), None, "a failed render wrote output");

    let t = ws.template("env.conf.j2", "x\n{{ env.NOT_SET_ANYWHERE }}\n");
    ws.render(&[&t], &ws.out(), &[])
        .expect_code(2)
        .expect_stderr(&["env.conf.j2:2", "env.NOT_SET_ANYWHERE"]);
}

#[test]
fn syntax_error_names_template_and_line() {
    let ws = Workspace::new();
    let t = ws.template("broken.j2", "one\ntwo\n{% if X %}\nthree\n{% endfor %}\n");
    let out = ws.render(&[&t], &ws.out(), &[("X", "1")]);
    out.expect_code(2).expect_stderr(&["broken.j2:5", "syntax error"]);
    assert_eq!(ws.output("broken"), None);
}

#[test]
fn all_or_nothing_when_a_later_template_fails() {
    let ws = Workspace::new();
    let good = ws.template("good.j2", "new {{ V }}\n");
    let fresh = ws.template("fresh.j2", "fresh {{ V }}\n");
    let bad = ws.template("bad.j2", "{{ NOPE }}\n");
    fs::write(ws.out().join("good"), "old\n").expect("existing output");
    let out = ws.render(&[&good, &fresh, &bad], &ws.out(), &[("V", "1")]);
    out.expect_code(2).expect_stderr(&["nothing was written", "bad.j2:1", "NOPE"]);
    assert_eq!(
        ws.output("good").as_deref(),
        Some("old\n"),
        "existing output was touched"
    );
    assert_eq!(
        ws.output("fresh"),
        None,
        "an output was written although one template failed"
    );
    assert_eq!(ws.leftovers(), Vec::<String>::new(), "temporary files left behind");
}

#[test]
fn all_or_nothing_when_a_later_output_cannot_be_written() {
    // The second output's place is taken by a directory, so it cannot be
    // written; the first output must then not have been replaced either.
    let ws = Workspace::new();
    let first = ws.template("first.j2", "new\n");
    let second = ws.template("second.j2", "new\n");
    fs::write(ws.out().join("first"), "old\n").expect("existing output");
    fs::create_dir(ws.out().join("second")).expect("obstacle");
    let out = ws.render(&[&first, &second], &ws.out(), &[]);
    assert_ne!(out.status.code(), Some(0), "a failed write reported success\n{out}");
    assert!(out.stderr.contains("second"), "the message should name the output\n{out}");
    assert_eq!(
        ws.output("first").as_deref(),
        Some("old\n"),
        "partial result left\n{out}"
    );
    assert_eq!(ws.leftovers(), Vec::<String>::new(), "temporary files left behind");
}

#[test]
fn final_newline_is_kept_and_added_when_missing() {
    let ws = Workspace::new();
    let cases = [
        ("with.j2", "x={{ A }}\n", "x=1\n"),
        ("without.j2", "x={{ A }}", "x=1\n"),
        ("blank.j2", "x={{ A }}\n\n", "x=1\n\n"),
    ];
    for (name, text, _) in cases {
        ws.template(name, text);
    }
    let sources: Vec<PathBuf> =
        cases.iter().map(|(n, _, _)| ws.dir.path().join("t").join(n)).collect();
    let sources: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    ws.render(&sources, &ws.out(), &[("A", "1")]).expect_code(0);
    for (name, _, expected) in cases {
        let output = ws.output(name.trim_end_matches(".j2"));
        assert_eq!(output.as_deref(), Some(expected), "{name}");
    }
}

#[test]
fn existing_output_is_replaced_entirely() {
    let ws = Workspace::new();
    let t = ws.template("app.conf.j2", "short={{ V }}\n");
    let long = "a much longer previous configuration\n".repeat(100);
    fs::write(ws.out().join("app.conf"), &long).expect("existing output");
    ws.render(&[&t], &ws.out(), &[("V", "2")]).expect_code(0);
    assert_eq!(ws.output("app.conf").as_deref(), Some("short=2\n"));
    // -f is accepted for Templer compatibility and changes nothing.
    let out = plinth(["template", "-f"]).args([&t, &ws.out()]).env("V", "3").run();
    out.expect_code(0);
    assert_eq!(ws.output("app.conf").as_deref(), Some("short=3\n"));
}

#[test]
fn mandatory_filter_rejects_undefined_and_empty() {
    let ws = Workspace::new();
    let t = ws.template("m.conf.j2", "# header\nkey={{ API_KEY | mandatory }}\n");
    ws.render(&[&t], &ws.out(), &[("API_KEY", "k1")]).expect_code(0);
    assert_eq!(ws.output("m.conf").as_deref(), Some("# header\nkey=k1\n"));

    fs::remove_file(ws.out().join("m.conf")).expect("remove output");
    for vars in [&[("API_KEY", "")][..], &[][..]] {
        let out = ws.render(&[&t], &ws.out(), vars);
        out.expect_code(2).expect_stderr(&["m.conf.j2:2"]);
        assert_eq!(ws.output("m.conf"), None, "output written for {vars:?}");
    }

    let t = ws.template(
        "why.j2",
        "{{ DB_URL | mandatory('set DB_URL to the database URL') }}\n",
    );
    ws.render(&[&t], &ws.out(), &[("DB_URL", "")])
        .expect_code(2)
        .expect_stderr(&["why.j2:1", "set DB_URL to the database URL"]);
}

#[test]
fn default_filter_supplies_a_value() {
    let ws = Workspace::new();
    let t = ws.template(
        "d.j2",
        "{{ NOT_SET | default('fallback') }} {{ SET | default('x') }}\n",
    );
    ws.render(&[&t], &ws.out(), &[("SET", "given")]).expect_code(0);
    assert_eq!(ws.output("d").as_deref(), Some("fallback given\n"));
}

#[test]
fn include_finds_files_beside_the_template() {
    let ws = Workspace::new();
    ws.template("part.inc", "included {{ V }}");
    let t = ws.template("main.conf.j2", "begin\n{% include 'part.inc' %}\nend\n");
    ws.render(&[&t], &ws.out(), &[("V", "7")]).expect_code(0);
    assert_eq!(ws.output("main.conf").as_deref(), Some("begin\nincluded 7\nend\n"));
}

#[test]
fn error_messages_never_show_a_value() {
    let ws = Workspace::new();
    let secret = "s3cr3t-Template-Value-71";
    let t = ws.template("calc.j2", "{{ SECRET_TOKEN + 1 }}\n{{ MISSING }}\n");
    let out = ws.render(&[&t], &ws.out(), &[("SECRET_TOKEN", secret)]);
    out.expect_code(2).expect_stderr(&["calc.j2:1"]);
    assert!(!out.all_output().contains(secret), "a value was printed\n{out}");
}

#[test]
fn output_keeps_the_template_permissions() {
    let ws = Workspace::new();
    let t = ws.template("secret.conf.j2", "pw={{ PW }}\n");
    fs::set_permissions(&t, fs::Permissions::from_mode(0o640)).expect("chmod");
    ws.render(&[&t], &ws.out(), &[("PW", "x")]).expect_code(0);
    let mode =
        fs::metadata(ws.out().join("secret.conf")).expect("output").permissions().mode();
    assert_eq!(mode & 0o7777, 0o640, "output mode {mode:o}");
}

#[test]
fn readers_never_see_a_partial_output() {
    // A service (or a config watcher) may read the file at any moment while
    // plinth replaces it; it must see the old or the new file, whole.
    let ws = Workspace::new();
    let filler = "0123456789abcdef".repeat(64 * 1024); // 1 MiB
    let t = ws.template("big.j2", &format!("{{{{ V }}}}\n{filler}\n"));
    let target = ws.out().join("big");
    let full = |v: &str| format!("{v}\n{filler}\n");
    ws.render(&[&t], &ws.out(), &[("V", "A")]).expect_code(0);

    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (stop, target) = (Arc::clone(&stop), target.clone());
        let (a, b) = (full("A"), full("B"));
        thread::spawn(move || {
            let mut reads = 0u32;
            while !stop.load(Ordering::SeqCst) {
                let seen = fs::read_to_string(&target).expect("the output vanished");
                assert!(seen == a || seen == b, "partial output: {} bytes", seen.len());
                reads += 1;
            }
            reads
        })
    };
    for round in 0..12 {
        let v = if round % 2 == 0 { "B" } else { "A" };
        ws.render(&[&t], &ws.out(), &[("V", v)]).expect_code(0);
    }
    stop.store(true, Ordering::SeqCst);
    let reads = reader.join().expect("reader saw a partial or missing output");
    assert!(reads > 0, "the reader never ran");
    assert_eq!(fs::read_to_string(&target).expect("output"), full("A"));
    assert_eq!(ws.leftovers(), Vec::<String>::new(), "temporary files left behind");
}
