//! `plinth health`, Docker's HEALTHCHECK command: one attempt against real
//! servers, answered with exit 0 or 1 only. Docker reserves 2, so bad usage
//! and bad values must also come out as 1; and a hung dependency must get
//! an answer within the check's own deadline, before Docker's timeout.

use std::time::Duration;

use crate::harness::http::{HttpServer, SilentServer};
use crate::harness::plinth::plinth;
use crate::harness::{SOON, assert_budget_respected, free_port, mariadb, tansu, unique};

#[test]
fn tcp_healthy_and_unhealthy() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    plinth(["health", "tcp", &format!("127.0.0.1:{port}")])
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stdout(&[&format!("healthy: tcp 127.0.0.1:{port}")]);
    drop(listener);
    plinth(["health", "tcp", &format!("127.0.0.1:{port}")])
        .run()
        .expect_code(1)
        .expect_within(SOON)
        .expect_stdout(&[&format!(
            "unhealthy: tcp 127.0.0.1:{port}: connection refused"
        )]);
}

#[test]
fn http_status_decides() {
    let server = HttpServer::start(200);
    plinth(["health", "http", &server.url("/health")]).run().expect_code(0);
    server.set_status(503);
    plinth(["health", "http", &server.url("/health")])
        .run()
        .expect_code(1)
        .expect_stdout(&["status 503"]);
}

#[test]
fn mysql_and_kafka_against_real_servers() {
    let db = mariadb::shared();
    let account = db.account("Health-pw-5", true);
    let mysql = || {
        plinth(["health", "mysql", "--host", "127.0.0.1"])
            .env("MYSQL_PORT", db.port().to_string())
            .env("MYSQL_USER", &account.user)
            .env("MYSQL_DB", &account.database)
    };
    mysql().env("MYSQL_PASSWORD", &account.password).run().expect_code(0);
    let out = mysql().env("MYSQL_PASSWORD", "Health-wrong-pw-6").run();
    out.expect_code(1).expect_stdout(&["access denied"]);
    assert!(!out.all_output().contains("Health-wrong-pw-6"), "password printed\n{out}");

    let broker = tansu::shared();
    let topic = unique("health");
    broker.create_topic(&topic);
    let kafka = |topics: &str| {
        plinth(["health", "kafka"])
            .env("KAFKA_URI", broker.address())
            .env("KAFKA_WAIT_FOR_TOPICS", topics)
            .run()
    };
    kafka(&topic).expect_code(0);
    kafka(&format!("{topic},{}", unique("missing")))
        .expect_code(1)
        .expect_stdout(&["unknown topic"]);
}

/// Arguments, and environment variables to set.
type UsageCase<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);

#[test]
fn bad_usage_and_bad_values_are_unhealthy_never_2() {
    let refused = format!("127.0.0.1:{}", free_port());
    let cases: Vec<UsageCase> = vec![
        (vec!["health"], vec![]),
        (vec!["health", "tcp"], vec![]),
        (vec!["health", "no-such-target", "x"], vec![]),
        (vec!["health", "tcp", "no-port-here"], vec![]),
        (vec!["health", "--timeout", "soon", "tcp", &refused], vec![]),
        (vec!["health", "tcp", &refused], vec![("PLINTH_HEALTH_TIMEOUT", "soon")]),
        (vec!["health", "tcp", &refused], vec![("LOG_LEVEL", "loud")]),
        (vec!["health", "mysql"], vec![("MYSQL_PORT", "port")]),
        (vec!["health", "mysql"], vec![("MYSQL_HOST", " ")]),
        (vec!["health", "http", "ftp://127.0.0.1/"], vec![]),
        (vec!["health", "http", "--status", "999", "http://127.0.0.1:1/"], vec![]),
        (vec!["health", "kafka", "--topics", "bad topic!"], vec![]),
        (vec!["health"], vec![("PLINTH_HEALTH", "bogus target")]),
        (vec!["health"], vec![("PLINTH_HEALTH", "tcp")]),
        (vec!["health"], vec![("PLINTH_HEALTH", "http 'http://127.0.0.1:1/")]),
        (vec!["health"], vec![("PLINTH_HEALTH", "  ")]),
    ];
    for (args, vars) in cases {
        let mut command = plinth(&args);
        for (name, value) in &vars {
            command = command.env(name, value);
        }
        let out = command.run();
        assert_eq!(out.status.code(), Some(1), "{args:?} {vars:?} must exit 1\n{out}");
    }
}

#[test]
fn usage_error_after_a_global_flag_value_is_not_exit_2() {
    // `--log-level DEBUG` before the subcommand: plinth must still see that
    // this is a health check and never answer Docker with 2.
    let out = plinth(["--log-level", "DEBUG", "health", "tcp"]).run();
    assert_eq!(out.status.code(), Some(1), "health usage error must exit 1\n{out}");
}

#[test]
fn hung_http_dependency_answers_within_the_deadline() {
    let server = SilentServer::start();
    let url = format!("http://127.0.0.1:{}/health", server.port());
    let out = plinth(["health", "--timeout", "1", "http", &url]).run();
    out.expect_code(1).expect_stdout(&["unhealthy", "no answer"]);
    assert_budget_respected(&out, Duration::from_secs(1));
    // The default deadline is 1.5 s, under Docker's 2 s default timeout.
    let out = plinth(["health", "http", &url]).run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_millis(1500));
    assert!(out.elapsed < Duration::from_secs(2) + SOON, "{out}");
}

#[test]
fn hung_kafka_and_mysql_answer_within_the_deadline() {
    let server = SilentServer::start();
    let address = format!("127.0.0.1:{}", server.port());
    let out = plinth(["health", "kafka", "--uri", &address])
        .env("PLINTH_HEALTH_TIMEOUT", "1")
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
    let out = plinth(["health", "--timeout", "1", "mysql", "--host", "127.0.0.1"])
        .env("MYSQL_PORT", server.port().to_string())
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
}

#[test]
fn several_targets_share_one_deadline() {
    // Two hung targets: the whole check, not each target, gets the deadline.
    let (a, b) = (SilentServer::start(), SilentServer::start());
    let urls = [a.port(), b.port()].map(|p| format!("http://127.0.0.1:{p}/"));
    let out = plinth(["health", "--timeout", "1", "http", &urls[0], &urls[1]]).run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
}

#[test]
fn declared_target_from_plinth_health() {
    // An image declares its check once (PLINTH_HEALTH); HEALTHCHECK then
    // runs a bare `plinth health`.
    let server = HttpServer::start(200);
    let declared = format!("--timeout 1 http '{}'", server.url("/health?deep=1"));
    plinth(["health"])
        .env("PLINTH_HEALTH", &declared)
        .run()
        .expect_code(0)
        .expect_stdout(&["healthy: GET", "/health?..."]);
    server.set_status(500);
    plinth(["health"]).env("PLINTH_HEALTH", &declared).run().expect_code(1);

    // A target on the command line wins over the declared one.
    server.set_status(200);
    plinth(["health", "http", &server.url("/")])
        .env("PLINTH_HEALTH", "bogus target")
        .run()
        .expect_code(0);
}

#[test]
fn command_target_runs_a_legacy_check_under_the_deadline() {
    // `health_check.py` style: the exit status decides, and a hung check is
    // killed with what it started when the deadline passes.
    plinth(["health", "cmd", "--", "sh", "-c", "exit 0"]).run().expect_code(0);
    plinth(["health", "cmd", "sh", "-c", "exit 3"])
        .run()
        .expect_code(1)
        .expect_stdout(&["unhealthy: command `sh -c exit 3`", "exit status: 3"]);
    let marker = unique("hung-check");
    // The background shell carries the marker too, so pgrep sees it.
    let script = format!("sh -c 'sleep 30; :' {marker} & sleep 31; : {marker}");
    let out = plinth(["health", "--timeout", "0.5", "cmd", "sh", "-c", &script]).run();
    out.expect_code(1).expect_within(Duration::from_secs(3));
    let left = std::process::Command::new("pgrep").args(["-f", &marker]).output();
    let left = left.expect("pgrep").stdout;
    assert!(left.is_empty(), "the hung check was left running");
}
