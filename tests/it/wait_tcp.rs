//! `plinth wait tcp`: the address forms `wait_for.sh` accepted (host:port,
//! URLs, bracketed IPv6), several addresses at once, a port that opens
//! while waiting, and giving up within the `WAIT_*` budget with a reason.

use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::plinth::plinth;
use crate::harness::{
    SOON, assert_budget_respected, assert_gave_up_because, assert_soon_after, free_port,
};

fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    (listener, port)
}

#[test]
fn host_and_port_ready_at_once() {
    let (_listener, port) = listener();
    let address = format!("127.0.0.1:{port}");
    plinth(["wait", "tcp", &address])
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&[&format!("ready: tcp {address}")]);
}

#[test]
fn http_url_with_path_uses_only_host_and_port() {
    let (_listener, port) = listener();
    plinth(["wait", "tcp", &format!("http://127.0.0.1:{port}/v2.0/health?x=1")])
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&[&format!("ready: tcp 127.0.0.1:{port}")]);
}

#[test]
fn https_url_is_checked_as_plain_tcp() {
    // Nothing here speaks TLS: `wait tcp` must only connect.
    let (_listener, port) = listener();
    plinth(["wait", "tcp", &format!("https://127.0.0.1:{port}/")])
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn bracketed_ipv6_address() {
    let listener =
        TcpListener::bind("[::1]:0").expect("bind [::1]:0 (is IPv6 loopback up?)");
    let port = listener.local_addr().expect("local address").port();
    let address = format!("[::1]:{port}");
    plinth(["wait", "tcp", &address])
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&[&format!("ready: tcp {address}")]);
}

#[test]
fn localhost_is_ready_when_only_ipv4_listens() {
    // localhost resolves to 127.0.0.1 and ::1; the refused ::1 must not
    // hide the working 127.0.0.1.
    let (_listener, port) = listener();
    plinth(["wait", "tcp", &format!("localhost:{port}")])
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn unresolvable_name_gives_up_naming_the_host() {
    // `.invalid` never resolves (RFC 2606); the budget is short so that a
    // slow resolver cannot make the test slow.
    let budget = Duration::from_secs(1);
    let out =
        plinth(["wait", "tcp", "no-such-host.invalid:80"]).env("WAIT_TIMEOUT", "1").run();
    out.expect_code(1);
    assert_budget_respected(&out, budget);
    assert_gave_up_because(&out, "no-such-host.invalid:80", "`no-such-host.invalid`");
}

#[test]
fn refused_port_gives_up_after_retries_times_interval() {
    // WAIT_RETRIES x WAIT_INTERVAL is the budget of the original script.
    let port = free_port();
    let out = plinth(["wait", "tcp", &format!("127.0.0.1:{port}")])
        .env("WAIT_RETRIES", "3")
        .env("WAIT_INTERVAL", "0.5")
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_millis(1500));
    assert_gave_up_because(&out, &format!("tcp 127.0.0.1:{port}"), "connection refused");
}

#[test]
fn port_opened_while_waiting_is_noticed_soon() {
    let port = free_port();
    let running = plinth(["wait", "tcp", &format!("127.0.0.1:{port}")]).spawn();
    thread::sleep(Duration::from_secs(1));
    let _listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the chosen port");
    let opened = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0).expect_stderr(&["connection refused", "ready: tcp"]);
    assert!(out.elapsed >= Duration::from_secs(1), "ready before the port opened\n{out}");
    assert_soon_after(&out, opened, "the port opened");
}

#[test]
fn several_addresses_all_must_be_ready() {
    let (_first, first) = listener();
    let second = free_port();
    let running = plinth([
        "wait",
        "tcp",
        &format!("127.0.0.1:{first}"),
        &format!("http://127.0.0.1:{second}/"),
    ])
    .spawn();
    thread::sleep(Duration::from_secs(1));
    let _second = TcpListener::bind(("127.0.0.1", second)).expect("bind the chosen port");
    let opened = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0).expect_stderr(&[
        &format!("ready: tcp 127.0.0.1:{first}"),
        &format!("ready: tcp 127.0.0.1:{second}"),
        "all 2 dependencies ready",
    ]);
    assert!(
        out.elapsed >= Duration::from_secs(1),
        "ready before the second port opened\n{out}"
    );
    assert_soon_after(&out, opened, "the second port opened");
}

#[test]
fn flag_wins_over_its_environment_twin() {
    // WAIT_TIMEOUT says a minute; --timeout on the command line says 1 s.
    let port = free_port();
    let out = plinth(["wait", "tcp", &format!("127.0.0.1:{port}"), "--timeout", "1"])
        .env("WAIT_TIMEOUT", "60")
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
}
