//! Faults found by trying plinth as a new user would, each pinned by the
//! behaviour people rely on: no crash where a wait should retry, no secret
//! in any output, no container stopped by an empty variable, messages that
//! name the real problem.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::mariadb::Stopped;
use crate::harness::plinth::plinth;
use crate::harness::{SOON, assert_budget_respected};

#[test]
fn mysql_ed25519_account_on_the_server_does_not_crash_the_wait() {
    // With an ed25519 account present, MariaDB answers a login as an
    // unknown user with an ed25519 challenge; the wait must keep retrying
    // (exit 1 when the budget ends), never abort.
    let install = "INSTALL SONAME 'auth_ed25519'; \
                   CREATE USER 'ed'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('x');";
    let server =
        Stopped::prepare(Some(install)).and_then(Stopped::start).expect("MariaDB");
    for command in [["wait", "mysql"], ["health", "mysql"]] {
        let out = plinth(command)
            .env("MYSQL_HOST", "127.0.0.1")
            .env("MYSQL_PORT", server.port().to_string())
            .env("MYSQL_USER", "not_created_yet")
            .env("MYSQL_WAIT_TIMEOUT", "1")
            .run();
        out.expect_code(1);
        assert!(!out.all_output().contains("panicked"), "{out}");
    }
}

#[test]
fn empty_variables_count_as_unset_instead_of_stopping_the_container() {
    // Compose's `VAR: ${VAR}` passes an empty value when VAR is undefined.
    let blank = [
        "LOG_LEVEL",
        "STAY_ALIVE_ON_FAILURE",
        "PLINTH_KILL_GROUP",
        "PLINTH_STAY_ALIVE_FOR",
    ];
    let mut init = plinth(["init", "--", "sh", "-c", "exit 3"]);
    for name in blank {
        init = init.env(name, "");
    }
    init.run().expect_code(3).expect_within(SOON);

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    plinth(["wait", "tcp", &address])
        .env("WAIT_RETRIES", "")
        .env("WAIT_INTERVAL", "")
        .env("WAIT_TIMEOUT", "")
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn trailing_newline_in_header_variable_is_not_a_bad_header() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let server = crate::harness::http::HttpServer::on(listener, 200);
    plinth(["wait", "http", &format!("http://127.0.0.1:{port}/")])
        .env("WAIT_HTTP_HEADERS", "X-Api-Key: k1\nAccept: */*\n")
        .run()
        .expect_code(0);
    let seen = server.requests();
    assert_eq!(seen.last().and_then(|r| r.header("x-api-key")), Some("k1"));
}

#[test]
fn url_password_and_query_are_never_printed() {
    let url = "http://admin:TopSecret1@127.0.0.1:1/health?token=Tok3nValue";
    for command in
        [vec!["wait", "http", url, "--timeout", "0.2"], vec!["health", "http", url]]
    {
        let out = plinth(command).run();
        out.expect_code(1);
        let text = out.all_output();
        assert!(!text.contains("TopSecret1") && !text.contains("Tok3nValue"), "{out}");
        assert!(text.contains("http://***@127.0.0.1:1/health?..."), "{out}");
    }
}

#[test]
fn password_that_starts_with_a_dash_is_taken_as_the_value_not_echoed() {
    let args = ["wait", "mysql", "--password", "--Secret9", "--host", "127.0.0.1"];
    let out = plinth(args).args(["--port", "1", "--timeout", "0.2"]).run();
    out.expect_code(1);
    assert!(!out.all_output().contains("Secret9"), "{out}");
}

#[test]
fn start_script_with_a_crlf_shebang_names_the_interpreter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("start.sh");
    fs::write(&script, "#!/bin/sh\r\necho hi\r\n").expect("write script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = plinth(["init", "--"]).args([&script]).run();
    out.expect_code(126);
    out.expect_stderr(&["interpreter", "#!/bin/sh\\r", "Windows line endings"]);
}

#[test]
fn template_destination_symlink_is_written_through() {
    let (dir, template) = template_in_temp_dir("app.conf.j2", "v={{ V }}\n");
    let real = dir.path().join("real.conf");
    fs::write(&real, "old\n").expect("old file");
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).expect("out");
    symlink(&real, out_dir.join("app.conf")).expect("symlink");

    plinth(["template"]).args([&template, &out_dir]).env("V", "1").run().expect_code(0);
    assert_eq!(fs::read_to_string(&real).expect("real file"), "v=1\n");
    let link = fs::symlink_metadata(out_dir.join("app.conf")).expect("link");
    assert!(link.file_type().is_symlink(), "the link was replaced by a file");
}

#[test]
fn template_without_j2_suffix_is_not_rendered_over_itself() {
    let (dir, template) = template_in_temp_dir("app.conf", "v={{ V }}\n");
    let out = plinth(["template"]).args([&template, dir.path()]).env("V", "1").run();
    out.expect_code(2).expect_stderr(&["over itself"]);
    assert_eq!(fs::read_to_string(&template).expect("template"), "v={{ V }}\n");
}

#[test]
fn single_template_is_not_rendered_over_itself_by_any_path() {
    // One source and a file destination skipped the check that directory
    // mode had: the template was replaced by its rendering, exit 0.
    let (dir, template) = template_in_temp_dir("a.conf.j2", "host={{ H }}\n");
    let link = dir.path().join("link.conf");
    symlink(&template, &link).expect("symlink");
    let dotted = dir.path().join(".").join("a.conf.j2");
    for dest in [&template, &dotted, &link] {
        let out = plinth(["template"]).args([&template, dest]).env("H", "x").run();
        out.expect_code(2).expect_stderr(&["over itself"]);
        assert_eq!(fs::read_to_string(&template).expect("template"), "host={{ H }}\n");
    }
}

#[test]
fn non_utf8_variable_is_named_as_such_not_as_undefined() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (dir, template) = template_in_temp_dir("t.j2", "v={{ V }}\n");
    let out = plinth(["template"])
        .args([&template, &dir.path().join("t")])
        .env("V", OsStr::from_bytes(b"caf\xe9"))
        .run();
    out.expect_code(2).expect_stderr(&["t.j2:1", "`V` is set", "not UTF-8"]);
}

#[test]
fn mandatory_filter_names_the_empty_variable() {
    let (dir, template) =
        template_in_temp_dir("m.j2", "a={{ A|mandatory }} b={{ B | mandatory }}\n");
    let out = plinth(["template"]).args([&template, &dir.path().join("m")]);
    let out = out.env("A", "1").env("B", "").run();
    out.expect_code(2).expect_stderr(&["m.j2:1", "mandatory variable `B`"]);
}

#[test]
fn mandatory_after_non_ascii_text_names_the_variable_instead_of_crashing() {
    // The name was cut out of the line by byte position, which split the
    // `ñ` before it and panicked (exit 134).
    let (dir, template) = template_in_temp_dir(
        "t.j2",
        "{{ X | mandatory }} ñ|mandatory café{{ Y|mandatory }}\n",
    );
    let out = plinth(["template"]).args([&template, &dir.path().join("t")]).run();
    out.expect_code(2).expect_stderr(&["t.j2:1", "`X`", "`Y`"]);
}

#[test]
fn server_that_hangs_up_at_once_gives_one_stable_reason() {
    // hyper words such hang-ups differently from one attempt to the next;
    // people must see one line, not one per attempt.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    listener.set_nonblocking(true).expect("non-blocking");
    let closer = thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            match listener.accept() {
                Ok((mut stream, _)) => drop(stream.flush()),
                Err(_) => thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    let out = plinth(["wait", "http", &format!("http://127.0.0.1:{port}/")])
        .args(["--timeout", "2"])
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(2));
    let changes = out.all_output().matches("not ready:").count();
    assert_eq!(changes, 1, "one state, one line\n{out}");
    assert!(out.all_output().contains("closed the connection"), "{out}");
    closer.join().expect("closer thread");
}

#[test]
fn attempt_timeout_of_zero_is_a_usage_error() {
    let out =
        plinth(["wait", "tcp", "127.0.0.1:1"]).env("WAIT_ATTEMPT_TIMEOUT", "0").run();
    out.expect_code(2).expect_stderr(&["WAIT_ATTEMPT_TIMEOUT", "more than zero"]);
}

/// A listener that answers every request on its port with a Kafka response
/// too short to decode, for `duration`, then stops.
fn truncated_kafka_broker(duration: Duration) -> (u16, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    listener.set_nonblocking(true).expect("non-blocking");
    let broker = thread::spawn(move || {
        let until = Instant::now() + duration;
        while Instant::now() < until {
            let Ok((mut stream, _)) = listener.accept() else {
                thread::sleep(Duration::from_millis(2));
                continue;
            };
            stream.set_nonblocking(false).expect("blocking");
            let mut request = [0u8; 12];
            if stream.read_exact(&mut request).is_ok() {
                // Size 5, the request's correlation id, then one stray byte.
                let mut reply = 5i32.to_be_bytes().to_vec();
                reply.extend_from_slice(&request[8..12]);
                reply.push(0);
                drop(stream.write_all(&reply));
            }
        }
    });
    (port, broker)
}

#[test]
fn undecodable_kafka_reply_with_rust_backtrace_set_does_not_abort() {
    // The Kafka client's errors capture a backtrace when RUST_BACKTRACE or
    // RUST_LIB_BACKTRACE is set. The release binary, linked without most
    // unwind tables, aborted there (exit 134, nothing printed) until the
    // unwinder's own tables were kept.
    let (port, broker) = truncated_kafka_broker(Duration::from_secs(2));
    let uri = format!("127.0.0.1:{port}");
    for (variable, value) in [("RUST_BACKTRACE", "1"), ("RUST_LIB_BACKTRACE", "1")] {
        let health = plinth(["health", "kafka", "--uri", &uri, "--topics", "t"])
            .env(variable, value)
            .run();
        health.expect_code(1).expect_stdout(&["unhealthy", "unreadable response"]);
        let wait = plinth(["wait", "kafka", "--uri", &uri, "--topics", "t"])
            .args(["--timeout", "0.5"])
            .env(variable, value)
            .run();
        wait.expect_code(1).expect_stderr(&["unreadable response"]);
    }
    broker.join().expect("broker thread");
}

#[test]
fn longest_durations_do_not_overflow_deadlines() {
    // Durations above a year used to be accepted and then overflow the
    // deadline arithmetic (exit 134). A year is the bound; at the bound,
    // with the most retries, a wait still computes its budget and succeeds.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    plinth(["wait", "tcp", &address])
        .env("WAIT_RETRIES", u32::MAX.to_string())
        .env("WAIT_INTERVAL", "8760h")
        .env("WAIT_ATTEMPT_TIMEOUT", "8760h")
        .env("WAIT_MAX_DELAY", "8760h")
        .run()
        .expect_code(0)
        .expect_within(SOON);
    let health = plinth(["health", "tcp", &address])
        .env("PLINTH_HEALTH_TIMEOUT", "10000000000000000000")
        .run();
    health.expect_code(1).expect_within(SOON);
    health.expect_stderr(&["PLINTH_HEALTH_TIMEOUT", "at most 8760h"]);
}

#[test]
fn unwritable_output_keeps_the_exit_status_instead_of_aborting() {
    // stdout or stderr on a full disk or a closed pipe made the first line
    // plinth printed panic (exit 134 in release), hiding the real status.
    use std::process::{Command, Stdio};
    let full = || Stdio::from(fs::File::create("/dev/full").expect("/dev/full"));
    let cases: [(&[&str], i32); 4] = [
        (&["health", "tcp", "127.0.0.1:1"], 1),
        (&["wait", "tcp", "127.0.0.1:1", "--timeout", "0.3"], 1),
        (&["template", "/nonexistent/a.j2", "/nonexistent/a"], 2),
        (&["init", "--", "/nonexistent/start.sh"], 127),
    ];
    for (args, code) in cases {
        let status = Command::new(crate::harness::plinth::binary())
            .args(args)
            .env_clear()
            .env("RUST_BACKTRACE", "1")
            .stdin(Stdio::null())
            .stdout(full())
            .stderr(full())
            .status()
            .expect("run plinth");
        assert_eq!(status.code(), Some(code), "plinth {args:?}: {status}");
    }
}

#[test]
fn underscore_host_names_resolve_from_etc_hosts() {
    // Names went through IDNA, which refuses `_`: Compose v1 names such as
    // `monasca_kafka_1` never resolved. The check runs in a private mount
    // namespace whose /etc/hosts has the name and whose resolv.conf has no
    // server, so no query leaves the machine.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let found = wait_tcp_with_private_hosts(
        "127.0.0.1 monasca_kafka_1\n",
        "monasca_kafka_1",
        port,
    );
    assert_eq!(
        found.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    // And without a DNS server a missing name is said to be missing, not
    // "no connections available".
    let missing = wait_tcp_with_private_hosts("", "not_there", port);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no such host `not_there`"), "{stderr}");
}

/// `plinth wait tcp NAME:PORT` (1 s budget) in a private mount namespace
/// whose /etc/hosts reads `hosts` and whose resolv.conf names no server.
fn wait_tcp_with_private_hosts(
    hosts: &str,
    name: &str,
    port: u16,
) -> std::process::Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let (hosts_file, resolv) = (dir.path().join("hosts"), dir.path().join("resolv.conf"));
    fs::write(&hosts_file, hosts).expect("hosts");
    fs::write(&resolv, "").expect("resolv.conf");
    let script = r#"mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf \
                    && exec "$3" wait tcp --timeout 1 "$4""#;
    std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .arg(&hosts_file)
        .arg(&resolv)
        .arg(crate::harness::plinth::binary())
        .arg(format!("{name}:{port}"))
        .output()
        .expect("unshare (util-linux) runs; the tests run as root")
}

#[test]
fn special_file_destinations_are_written_into_not_replaced() {
    // Outputs were renamed into place, which as root replaced a device
    // node such as /dev/null with a regular file, and could not write to a
    // pipe at all. A FIFO and /dev/stdout stand in for both here.
    let (dir, template) = template_in_temp_dir("t.j2", "v={{ V }}\n");
    let fifo = dir.path().join("fifo");
    let path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0, "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        thread::spawn(move || fs::read_to_string(fifo).expect("read fifo"))
    };
    plinth(["template"]).args([&template, &fifo]).env("V", "1").run().expect_code(0);
    assert_eq!(reader.join().expect("reader"), "v=1\n");
    let kind = fs::symlink_metadata(&fifo).expect("fifo").file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind), "the FIFO was replaced");

    let out = plinth(["template"]).args([template.as_path(), Path::new("/dev/stdout")]);
    out.env("V", "2").run().expect_code(0).expect_stdout(&["v=2"]);
}

#[test]
fn temporary_file_is_never_opened_through_a_planted_symlink() {
    // The temporary name is predictable; it was opened without O_EXCL, so
    // a symlink placed there redirected the write to another file.
    let (dir, template) = template_in_temp_dir("t.j2", "v={{ V }}\n");
    let victim = dir.path().join("victim");
    fs::write(&victim, "untouched\n").expect("victim");
    let script = r#"ln -s "$1" ".out.plinth-$$" && exec "$2" template "$3" out"#;
    let status = std::process::Command::new("sh")
        .current_dir(dir.path())
        .args(["-c", script, "sh"])
        .arg(&victim)
        .arg(crate::harness::plinth::binary())
        .arg(&template)
        .env("V", "1")
        .status()
        .expect("sh");
    assert!(status.success(), "{status}");
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "untouched\n");
    let out = dir.path().join("out");
    assert!(!fs::symlink_metadata(&out).expect("out").file_type().is_symlink());
    assert_eq!(fs::read_to_string(out).expect("out"), "v=1\n");
}

#[test]
fn two_templates_for_one_output_are_refused_before_writing() {
    // `d1/x.j2 d2/x.j2 DIR` wrote DIR/x from the second, then failed (exit
    // 3) on the first's rename: neither all nor nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let (d1, d2, out) =
        (dir.path().join("d1"), dir.path().join("d2"), dir.path().join("out"));
    for d in [&d1, &d2, &out] {
        fs::create_dir(d).expect("dir");
    }
    fs::write(d1.join("x.j2"), "one\n").expect("template");
    fs::write(d2.join("x.j2"), "two\n").expect("template");
    let run = plinth(["template"]).args([&d1.join("x.j2"), &d2.join("x.j2"), &out]).run();
    run.expect_code(2).expect_stderr(&["both be rendered to"]);
    assert!(fs::read_dir(&out).expect("out").next().is_none(), "something was written");
}

#[test]
fn declared_health_target_follows_the_command_line_rules() {
    // PLINTH_HEALTH, the image's HEALTHCHECK path, skipped two rules of
    // the command line: empty variables count as unset (Compose passes
    // `VAR: ${VAR}` as empty), and its own `--timeout` was ignored.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    plinth(["health"])
        .env("PLINTH_HEALTH", format!("tcp {address}"))
        .env("KAFKA_URI", "")
        .env("WAIT_HTTP_STATUS", "")
        .run()
        .expect_code(0)
        .expect_stdout(&["healthy: tcp"]);
    let slow = plinth(["health"]).env("PLINTH_HEALTH", "--timeout 0.3 cmd sleep 5").run();
    slow.expect_code(1).expect_within(Duration::from_secs(2));
    slow.expect_stdout(&["no answer within 0.3s"]);
}

#[test]
fn bad_variable_is_named_even_when_the_command_spells_the_flag() {
    // The flag was blamed when a command after `--` used the same spelling.
    let out = plinth(["wait", "cmd", "--", "echo", "--timeout=1"])
        .env("WAIT_TIMEOUT", "bad")
        .run();
    out.expect_code(2).expect_stderr(&["environment variable WAIT_TIMEOUT"]);
}

#[test]
fn invalid_values_never_show_url_passwords_or_hidden_settings() {
    // clap quoted the bad value whole: a URL's password, or a header that
    // `--help` hides, reached the log through a typo.
    const SECRET: &str = "s3cret";
    let url = format!("http://user:{SECRET}@127.0.0.1:99999/x?token={SECRET}");
    let runs = [
        (2, plinth(["wait", "http", &url])),
        (2, plinth(["wait", "tcp", &url])),
        (1, plinth(["health"]).env("PLINTH_HEALTH", format!("http {url}"))),
        (
            2,
            plinth(["wait", "http", "http://127.0.0.1:1/"])
                .env("WAIT_HTTP_HEADERS", format!("X-Token {SECRET}")),
        ),
        (
            2,
            plinth([
                "wait",
                "http",
                "--header",
                &format!("X-Token {SECRET}"),
                "http://127.0.0.1:1/",
            ]),
        ),
    ];
    for (code, run) in runs {
        let out = run.run();
        out.expect_code(code);
        assert!(!out.all_output().contains(SECRET), "a secret was shown\n{out}");
        assert!(out.all_output().contains("invalid value"), "{out}");
    }
}

#[test]
fn url_credentials_are_sent_as_basic_authorization() {
    // `http://user:pw@host/` sent no Authorization header, so a service
    // behind basic auth never became ready. An explicit header wins.
    let server = crate::harness::http::HttpServer::start(200);
    let url = format!("http://mon%40api:p%3Ass@127.0.0.1:{}/health", server.port());
    plinth(["wait", "http", &url]).run().expect_code(0);
    plinth(["wait", "http", &url, "--header", "Authorization: Bearer t"])
        .run()
        .expect_code(0);
    let sent: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").map(String::from))
        .collect();
    // base64("mon@api:p:ss"), percent-decoded first as curl does.
    let expected = [Some("Basic bW9uQGFwaTpwOnNz".into()), Some("Bearer t".into())];
    assert_eq!(sent, expected);
}

#[test]
fn command_check_leaves_no_background_processes_behind() {
    // Only a check that outlived its deadline had its process group
    // killed; `sleep 314 &` in a check that exited stayed, one per attempt.
    let marker = "31.4159265";
    let out = plinth(["wait", "cmd", "--timeout", "0.5", "--"])
        .args(["sh", "-c", &format!("sleep {marker} & exit 1")])
        .run();
    out.expect_code(1);
    thread::sleep(Duration::from_millis(100));
    let left: Vec<String> = fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(marker) && c.starts_with("sleep"))
        .collect();
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn mysql_host_with_a_port_says_where_the_port_goes() {
    // `MYSQL_HOST=db:3306` was reported as an invalid international name.
    let out = plinth(["wait", "mysql"]).env("MYSQL_HOST", "127.0.0.1:3306").run();
    out.expect_code(2).expect_stderr(&["MYSQL_HOST", "MYSQL_PORT"]);
    assert!(!out.stderr.contains("international"), "{out}");
    let v6 = plinth(["wait", "mysql"]).env("MYSQL_HOST", "[::1]:3306").run();
    v6.expect_code(2).expect_stderr(&["`[::1]:3306`", "MYSQL_PORT"]);
}

#[test]
fn http_url_with_port_0_is_refused_naming_the_url() {
    let out = plinth(["wait", "http", "http://127.0.0.1:0/"]).run();
    out.expect_code(2).expect_stderr(&["'http://127.0.0.1:0/'", "port 0"]);
}

#[test]
fn dev_stdout_destination_is_written_to_the_open_descriptor() {
    // `/dev/stdout` was followed link by link: into a pipe it failed
    // (exit 3), and with `>> log` the log was replaced, not appended to.
    use std::process::{Command, Stdio};
    let (dir, template) = template_in_temp_dir("t.j2", "hello {{ NAME }}\n");
    let render = |stdout: Stdio| {
        Command::new(crate::harness::plinth::binary())
            .args(["template".as_ref(), template.as_os_str(), "/dev/stdout".as_ref()])
            .env_clear()
            .env("NAME", "x")
            .stdout(stdout)
            .stderr(Stdio::null())
            .output()
            .expect("run plinth")
    };
    let piped = render(Stdio::piped());
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&piped.stdout), "hello x\n");

    let log = dir.path().join("log");
    fs::write(&log, "line1\n").expect("log");
    let append = fs::OpenOptions::new().append(true).open(&log).expect("open log");
    assert_eq!(render(Stdio::from(append)).status.code(), Some(0));
    assert_eq!(fs::read_to_string(&log).expect("log"), "line1\nhello x\n");
}

#[test]
fn two_links_to_one_file_are_refused_like_two_templates_for_one_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (t, out) = (dir.path().join("t"), dir.path().join("out"));
    fs::create_dir(&t).expect("t");
    fs::create_dir(&out).expect("out");
    fs::write(t.join("a.j2"), "A\n").expect("a");
    fs::write(t.join("b.j2"), "B\n").expect("b");
    fs::write(out.join("shared"), "orig\n").expect("shared");
    symlink("shared", out.join("a")).expect("link a");
    symlink("shared", out.join("b")).expect("link b");
    let run = plinth(["template"]).args([&t.join("a.j2"), &t.join("b.j2"), &out]).run();
    run.expect_code(2).expect_stderr(&["both be rendered to"]);
    assert_eq!(fs::read_to_string(out.join("shared")).expect("shared"), "orig\n");
}

#[test]
fn url_user_names_and_slashed_passwords_are_masked_everywhere() {
    // Only `user:password@` after `://` was masked: a token given as the
    // user name, a password holding `/`, or a URL without its scheme
    // reached the output.
    const SECRET: &str = "s3cret";
    let runs = [
        plinth([
            "wait",
            "http",
            "--timeout",
            "0.3",
            &format!("http://{SECRET}@127.0.0.1:1/"),
        ]),
        plinth(["wait", "http", &format!("http://u:ab/{SECRET}@127.0.0.1:99999/")]),
        plinth(["wait", "tcp", &format!("u:{SECRET}@127.0.0.1:99999")]),
        plinth(["wait", "http", &format!("http:/u:{SECRET}@127.0.0.1:99999/")]),
    ];
    for run in runs {
        let out = run.run();
        assert!(!out.all_output().contains(SECRET), "a secret was shown\n{out}");
    }
}

/// A temporary directory holding one template, `name`, that reads `text`.
fn template_in_temp_dir(
    name: &str,
    text: &str,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join(name);
    fs::write(&template, text).expect("template");
    (dir, template)
}

#[test]
fn stay_alive_on_failure_also_holds_when_the_command_cannot_start() {
    // A missing or non-executable start script ended the container at
    // once (127/126) although STAY_ALIVE_ON_FAILURE was on.
    let out = plinth(["init", "--", "/nonexistent/start.sh"])
        .env("STAY_ALIVE_ON_FAILURE", "true")
        .env("PLINTH_STAY_ALIVE_FOR", "1")
        .run();
    out.expect_code(127).expect_stderr(&["could not start", "STAY_ALIVE_ON_FAILURE"]);
    assert!(out.elapsed >= Duration::from_secs(1), "did not stay up: {out}");
}
