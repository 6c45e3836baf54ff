//! `plinth wait http`: readiness by HTTP status against real listeners,
//! including a status that changes while waiting, a chosen expected status,
//! the request plinth sends (method, headers, body, as flags and as
//! variables), and HTTPS with a trusted, an ignored and an untrusted
//! certificate.

use std::thread;
use std::time::{Duration, Instant};

use crate::harness::http::{HttpServer, SilentServer};
use crate::harness::plinth::plinth;
use crate::harness::tls::{HttpsServer, certificate};
use crate::harness::{
    SOON, assert_budget_respected, assert_gave_up_because, assert_soon_after, last_line,
};

#[test]
fn status_200_is_ready() {
    let server = HttpServer::start(200);
    let url = server.url("/health");
    plinth(["wait", "http", &url])
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&[&format!("ready: GET {url}")]);
    assert_eq!(server.requests().len(), 1, "one request was enough");
}

#[test]
fn status_503_then_200_is_ready_soon_after_the_change() {
    let server = HttpServer::start(503);
    let running = plinth(["wait", "http", &server.url("/")]).spawn();
    thread::sleep(Duration::from_secs(1));
    assert!(
        running.stderr_so_far().contains("status 503 (expected 2xx)"),
        "503 not reported"
    );
    server.set_status(200);
    let changed = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0);
    assert_soon_after(&out, changed, "the server started answering 200");
}

#[test]
fn expected_status_flag_rejects_other_statuses() {
    let server = HttpServer::start(200);
    let out =
        plinth(["wait", "http", &server.url("/"), "--status", "204", "--timeout", "1"])
            .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
    assert_gave_up_because(&out, &server.url("/"), "status 200 (expected 204)");

    server.set_status(204);
    plinth(["wait", "http", &server.url("/"), "--status", "204"])
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn expected_status_from_the_environment() {
    let server = HttpServer::start(401);
    plinth(["wait", "http", &server.url("/")])
        .env("WAIT_HTTP_STATUS", "200, 401")
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn method_headers_and_json_body_from_flags_are_sent() {
    let server = HttpServer::start(200);
    let body = r#"{"ping": true, "from": "plinth"}"#;
    plinth([
        "wait",
        "http",
        &server.url("/v1/check?deep=1"),
        "-X",
        "POST",
        "-H",
        "X-Api-Key: key-7f3a",
        "--header",
        "Content-Type: application/json",
        "-d",
        body,
    ])
    .run()
    .expect_code(0);
    let requests = server.requests();
    let request = requests.first().expect("the server got a request");
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1/check?deep=1");
    assert_eq!(request.header("x-api-key"), Some("key-7f3a"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(String::from_utf8_lossy(&request.body), body);
    let host = format!("127.0.0.1:{}", server.port());
    assert_eq!(request.header("host"), Some(host.as_str()), "Host header");
}

#[test]
fn method_headers_and_body_from_the_environment_are_sent() {
    let server = HttpServer::start(200);
    plinth(["wait", "http", &server.url("/")])
        .env("WAIT_HTTP_METHOD", "put")
        .env("WAIT_HTTP_HEADERS", "X-First: one\nX-Second: two")
        .env("WAIT_HTTP_BODY", "[1,2,3]")
        .run()
        .expect_code(0);
    let requests = server.requests();
    let request = requests.first().expect("the server got a request");
    assert_eq!(request.method, "PUT");
    assert_eq!(request.header("x-first"), Some("one"));
    assert_eq!(request.header("x-second"), Some("two"));
    assert_eq!(request.body, b"[1,2,3]");
}

#[test]
fn silent_server_gives_up_within_the_budget() {
    let server = SilentServer::start();
    let url = format!("http://127.0.0.1:{}/", server.port());
    let out = plinth(["wait", "http", &url, "--timeout", "2"]).run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(2));
    assert_gave_up_because(&out, &url, "no answer within");
}

#[test]
fn https_with_ca_file_is_ready() {
    let server = HttpsServer::start();
    let ca = certificate().cert.display().to_string();
    // By name (checks the DNS name) and by address (checks the IP name).
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}/", server.port());
        plinth(["wait", "http", &url, "--ca-file", &ca])
            .run()
            .expect_code(0)
            .expect_within(SOON);
    }
    let url = format!("https://localhost:{}/", server.port());
    plinth(["wait", "http", &url]).env("WAIT_HTTP_CA_FILE", &ca).run().expect_code(0);
}

#[test]
fn https_insecure_accepts_an_untrusted_certificate() {
    let server = HttpsServer::start();
    let url = format!("https://127.0.0.1:{}/", server.port());
    plinth(["wait", "http", &url, "--insecure"]).run().expect_code(0).expect_within(SOON);
    plinth(["wait", "http", &url])
        .env("WAIT_HTTP_INSECURE", "true")
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn https_untrusted_certificate_fails_with_a_tls_reason() {
    let server = HttpsServer::start();
    let url = format!("https://localhost:{}/", server.port());
    let out = plinth(["wait", "http", &url, "--timeout", "1"]).run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
    assert_gave_up_because(&out, &url, "TLS: the server's certificate is");
}

#[test]
fn final_attempt_does_not_replace_the_reason_with_a_timeout() {
    // A dependency that answers 503 after 100 ms. When the budget runs out
    // plinth makes one last attempt with almost no time left; that attempt
    // timing out must not turn the verdict into "no answer within 0.0s",
    // which hides the 503 people need to see.
    let server = HttpServer::start(503);
    server.set_delay(Duration::from_millis(100));
    let out = plinth(["wait", "http", &server.url("/"), "--timeout", "1"]).run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(1));
    let verdict = last_line(&out.stderr);
    assert!(
        verdict.contains("status 503 (expected 2xx)"),
        "the verdict should give the real reason: {verdict:?}\n{out}"
    );
}
