//! The command line as people meet it: `--help` of every subcommand shows
//! the environment variable beside each flag (and never a secret's value),
//! a bad value stops at once with exit 2 naming the variable or the flag it
//! came from, and the version and usage errors behave like any CLI's.

use std::net::TcpListener;
use std::os::unix::fs::symlink;

use crate::harness::SOON;
use crate::harness::plinth::{binary, plinth, plinth_as};

/// Secrets set in the environment of every `--help` run.
const PASSWORD: &str = "Hlp-Pl1nth-Passw0rd-e5e5";
const HEADER_SECRET: &str = "X-Api-Key: hdr-s3cret-a1a1";
const BODY_SECRET: &str = "body-s3cret-b2b2";
const HEALTH_SECRET: &str = "hlth-t0ken-c3c3";

#[test]
fn help_shows_environment_twins_and_never_secret_values() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["wait", "tcp"],
            &[
                "WAIT_RETRIES",
                "WAIT_INTERVAL",
                "WAIT_TIMEOUT",
                "WAIT_ATTEMPT_TIMEOUT",
                "LOG_LEVEL",
            ],
        ),
        (
            &["wait", "http"],
            &[
                "WAIT_HTTP_METHOD",
                "WAIT_HTTP_HEADERS",
                "WAIT_HTTP_BODY",
                "WAIT_HTTP_STATUS",
                "WAIT_HTTP_CA_FILE",
                "WAIT_HTTP_INSECURE",
                "WAIT_RETRIES",
            ],
        ),
        (
            &["wait", "kafka"],
            &[
                "KAFKA_URI",
                "KAFKA_WAIT_FOR_TOPICS",
                "KAFKA_WAIT_RETRIES",
                "KAFKA_WAIT_INTERVAL",
            ],
        ),
        (
            &["wait", "mysql"],
            &[
                "MYSQL_HOST",
                "MYSQL_PORT",
                "MYSQL_USER",
                "MYSQL_PASSWORD",
                "MYSQL_DB",
                "MYSQL_WAIT_RETRIES",
                "MYSQL_WAIT_INTERVAL",
            ],
        ),
        (&["health"], &["PLINTH_HEALTH_TIMEOUT", "PLINTH_HEALTH"]),
        (&["health", "tcp"], &["PLINTH_HEALTH_TIMEOUT"]),
        (&["health", "http"], &["WAIT_HTTP_HEADERS", "WAIT_HTTP_STATUS"]),
        (&["health", "kafka"], &["KAFKA_URI", "KAFKA_WAIT_FOR_TOPICS"]),
        (
            &["health", "mysql"],
            &["MYSQL_PASSWORD", "MYSQL_USER", "PLINTH_HEALTH_TIMEOUT"],
        ),
        (
            &["init"],
            &["STAY_ALIVE_ON_FAILURE", "PLINTH_STAY_ALIVE_FOR", "PLINTH_KILL_GROUP"],
        ),
        (&["template"], &["{{ env.NAME }}", "LOG_LEVEL"]),
    ];
    for (words, twins) in cases {
        for help in ["--help", "-h"] {
            let out = plinth(*words)
                .args([help])
                .env("MYSQL_PASSWORD", PASSWORD)
                .env("WAIT_HTTP_HEADERS", HEADER_SECRET)
                .env("WAIT_HTTP_BODY", BODY_SECRET)
                .env(
                    "PLINTH_HEALTH",
                    format!("http http://127.0.0.1:1/?t={HEALTH_SECRET}"),
                )
                .run();
            out.expect_code(0);
            for twin in *twins {
                assert!(
                    out.stdout.contains(twin),
                    "{words:?} {help} lacks {twin}\n{out}"
                );
            }
            for secret in
                [PASSWORD, HEADER_SECRET, "hdr-s3cret", BODY_SECRET, HEALTH_SECRET]
            {
                assert!(
                    !out.all_output().contains(secret),
                    "{words:?} {help} shows a secret\n{out}"
                );
            }
        }
    }
}

/// (arguments, variable, bad value, the flag the variable stands for).
const BAD_VALUES: &[(&[&str], &str, &str, &str)] = &[
    (&["wait", "tcp", "127.0.0.1:1"], "WAIT_RETRIES", "abc", "--retries"),
    (&["wait", "tcp", "127.0.0.1:1"], "WAIT_RETRIES", "0", "--retries"),
    (&["wait", "tcp", "127.0.0.1:1"], "WAIT_INTERVAL", "5x", "--interval"),
    (&["wait", "http", "http://127.0.0.1:1/"], "WAIT_INTERVAL", "-1", "--interval"),
    (&["wait", "tcp", "127.0.0.1:1"], "WAIT_TIMEOUT", "soon", "--timeout"),
    (&["wait", "kafka"], "KAFKA_WAIT_RETRIES", "-2", "--retries"),
    (&["wait", "kafka"], "KAFKA_WAIT_INTERVAL", "five", "--interval"),
    (&["wait", "mysql"], "MYSQL_WAIT_RETRIES", "many", "--retries"),
    (&["wait", "mysql"], "MYSQL_WAIT_INTERVAL", "1d", "--interval"),
    (&["wait", "mysql"], "MYSQL_PORT", "99999", "--port"),
    (&["wait", "tcp", "127.0.0.1:1"], "LOG_LEVEL", "loud", "--log-level"),
    (&["wait", "http", "http://127.0.0.1:1/"], "WAIT_HTTP_STATUS", "6xx", "--status"),
    (
        &["init", "--", "true"],
        "STAY_ALIVE_ON_FAILURE",
        "maybe",
        "--stay-alive-on-failure",
    ),
    (&["init", "--", "true"], "PLINTH_STAY_ALIVE_FOR", "forever", "--stay-alive-for"),
    (&["init", "--", "true"], "PLINTH_KILL_GROUP", "maybe", "--kill-group"),
    (
        &["wait", "http", "https://127.0.0.1:1/"],
        "WAIT_HTTP_INSECURE",
        "maybe",
        "--insecure",
    ),
    // Longer than a year: refused, not overflowed into a crash.
    (
        &["wait", "tcp", "127.0.0.1:1"],
        "WAIT_TIMEOUT",
        "10000000000000000000",
        "--timeout",
    ),
    (&["wait", "tcp", "127.0.0.1:1"], "WAIT_INTERVAL", "8761h", "--interval"),
    (
        &["wait", "tcp", "127.0.0.1:1"],
        "WAIT_ATTEMPT_TIMEOUT",
        "99999999999",
        "--attempt-timeout",
    ),
    (
        &["init", "--", "true"],
        "PLINTH_STAY_ALIVE_FOR",
        "10000000000000000000",
        "--stay-alive-for",
    ),
];

#[test]
fn bad_value_in_a_variable_exits_2_naming_variable_and_value() {
    for (args, variable, value, _) in BAD_VALUES {
        let out = plinth(*args).env(variable, value).run();
        out.expect_code(2).expect_within(SOON);
        assert!(
            out.stderr.contains(&format!("environment variable {variable}"))
                && out.stderr.contains(&format!("'{value}'")),
            "{variable}={value}: the message must name both\n{out}"
        );
    }
}

#[test]
fn bad_value_in_a_flag_exits_2_naming_the_flag() {
    for (args, variable, value, flag) in BAD_VALUES {
        // Flags go before `--` (init's command follows it).
        let (before, after) = match args.iter().position(|a| *a == "--") {
            Some(i) => args.split_at(i),
            None => (*args, &[][..]),
        };
        // `--flag=value`, so that a value like -1 cannot pass for a flag.
        let out = plinth(before).args([format!("{flag}={value}")]).args(after).run();
        out.expect_code(2).expect_within(SOON);
        assert!(
            out.stderr.contains(flag) && out.stderr.contains(&format!("'{value}'")),
            "{flag} {value}: the message must name both\n{out}"
        );
        assert!(
            !out.stderr.contains("environment variable"),
            "{flag}: blamed {variable}, not the flag\n{out}"
        );
    }
}

#[test]
fn non_ascii_host_names_exit_2_asking_for_the_xn_form() {
    // plinth carries the ASCII-only IDNA back end: an international name
    // is refused at once, never waited on until the budget runs out.
    let host = "bücher.example";
    // `health` exits 1, never 2 (Docker reserves 2); every wait exits 2.
    let cases = [
        (2, plinth(["wait", "tcp", &format!("{host}:80")])),
        (2, plinth(["wait", "http", &format!("http://{host}/")])),
        (1, plinth(["health", "http", &format!("https://{host}/")])),
        (2, plinth(["wait", "kafka"]).env("KAFKA_URI", format!("{host}:9092"))),
        (2, plinth(["wait", "mysql"]).env("MYSQL_HOST", host)),
    ];
    for (code, case) in cases {
        let out = case.run();
        out.expect_code(code).expect_within(SOON);
        out.expect_stderr(&[host, "non-ASCII host name", "xn--"]);
    }
}

#[test]
fn flag_on_the_command_line_wins_over_a_bad_variable() {
    plinth(["wait", "tcp", "127.0.0.1:1", "--retries", "1", "--interval", "0.2"])
        .env("WAIT_RETRIES", "abc")
        .env("WAIT_INTERVAL", "soon")
        .run()
        .expect_code(1)
        .expect_within(SOON);
}

#[test]
fn log_level_flag_wins_over_a_bad_log_level_variable() {
    // Same promise for the global flag: `--log-level` on the command line
    // must make a stale LOG_LEVEL in the image irrelevant, wherever the
    // flag is placed.
    for args in [
        &["--log-level", "warning", "wait", "tcp", "127.0.0.1:1", "--retries", "1"][..],
        &["wait", "tcp", "127.0.0.1:1", "--retries", "1", "--log-level", "warning"],
    ] {
        plinth(args)
            .env("LOG_LEVEL", "loud")
            .env("WAIT_INTERVAL", "0.2")
            .run()
            .expect_code(1)
            .expect_within(SOON);
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["wait"][..],
        &["wait", "tcp"],
        &["wait", "tcp", "no-port"],
        &["wait", "http", "ftp://127.0.0.1/"],
        &["no-such-command"],
        &["template", "only-one-path"],
        &["init"],
    ] {
        let out = plinth(args).run();
        out.expect_code(2).expect_within(SOON);
        // A bad value gets an error line; a missing subcommand gets the usage.
        let told = out.stderr.contains("error:") || out.stderr.contains("Usage:");
        assert!(told, "{args:?}: nothing tells what is wrong\n{out}");
    }
}

#[test]
fn version_is_printed() {
    plinth(["--version"])
        .run()
        .expect_code(0)
        .expect_stdout(&[concat!("plinth ", env!("CARGO_PKG_VERSION"))]);
}

#[test]
fn top_level_help_lists_exit_codes_and_subcommands() {
    let out = plinth(["--help"]).run();
    out.expect_code(0).expect_stdout(&[
        "wait",
        "health",
        "template",
        "init",
        "Exit codes",
    ]);
}

#[test]
fn legacy_program_names_select_their_subcommand() {
    // Child images of the original base call wait_for.sh, tini and templer;
    // in the new base those are links to plinth.
    let dir = tempfile::tempdir().expect("temporary directory");
    let link = |name: &str| {
        let path = dir.path().join(name);
        symlink(binary(), &path).expect("symlink to plinth");
        path
    };

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("127.0.0.1:{}", listener.local_addr().expect("address").port());
    plinth_as(&link("wait_for.sh"), [&address])
        .run()
        .expect_code(0)
        .expect_stderr(&[&format!("ready: tcp {address}")]);

    plinth_as(&link("tini"), ["-s", "--", "sh", "-c", "exit 3"]).run().expect_code(3);

    let template = dir.path().join("app.conf.j2");
    std::fs::write(&template, "name={{ NAME }}\n").expect("template");
    let output = dir.path().join("app.conf");
    plinth_as(&link("templer"), [&template, &output])
        .env("NAME", "legacy")
        .run()
        .expect_code(0);
    let written = std::fs::read_to_string(&output).expect("templer output");
    assert_eq!(written, "name=legacy\n");
}
