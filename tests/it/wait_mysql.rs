//! `plinth wait mysql` against a real MariaDB: ready, a wrong password
//! (reported as access denied without ever printing the password), a
//! database created while waiting, and a server that starts late.

use std::thread;
use std::time::{Duration, Instant};

use crate::harness::mariadb::{self, Account, Stopped};
use crate::harness::plinth::{Plinth, plinth};
use crate::harness::{
    SOON, assert_budget_respected, assert_gave_up_because, assert_soon_after, unique,
};

/// `plinth wait mysql` configured through the original script's variables.
fn wait_mysql(port: u16, account: &Account) -> Plinth {
    plinth(["wait", "mysql"])
        .env("MYSQL_HOST", "127.0.0.1")
        .env("MYSQL_PORT", port.to_string())
        .env("MYSQL_USER", &account.user)
        .env("MYSQL_PASSWORD", &account.password)
        .env("MYSQL_DB", &account.database)
}

#[test]
fn login_and_database_ready() {
    let server = mariadb::shared();
    let account = server.account("Ready-pw-1", true);
    wait_mysql(server.port(), &account)
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&[&format!(
            "ready: mysql 127.0.0.1:{} database {}",
            server.port(),
            account.database
        )]);
}

#[test]
fn wrong_password_is_access_denied_and_never_printed() {
    let server = mariadb::shared();
    let right = "Right-pw-4417";
    let mut account = server.account(right, true);
    let wrong = "Wr0ng-Pl1nth-S3cret-9f2c";
    account.password = wrong.to_string();
    // At the default level and at the most verbose one: no log line of
    // plinth or of its libraries may carry the password.
    for level in ["INFO", "NOTSET"] {
        let out = wait_mysql(server.port(), &account)
            .env("MYSQL_WAIT_TIMEOUT", "1")
            .env("LOG_LEVEL", level)
            .run();
        out.expect_code(1);
        assert_budget_respected(&out, Duration::from_secs(1));
        let reason = format!("access denied for user `{}`", account.user);
        assert_gave_up_because(&out, &account.database, &reason);
        for secret in [wrong, right] {
            assert!(
                !out.all_output().contains(secret),
                "password printed at {level}\n{out}"
            );
        }
    }
}

#[test]
fn wrong_password_on_the_command_line_is_never_printed() {
    let server = mariadb::shared();
    let account = server.account("Right-pw-8812", true);
    let wrong = "Fl4g-Pl1nth-Pw-c0ffee";
    let out = plinth(["wait", "mysql", "--host", "127.0.0.1", "--timeout", "1"])
        .env("MYSQL_PORT", server.port().to_string())
        .args([
            "--user",
            &account.user,
            "--password",
            wrong,
            "--database",
            &account.database,
        ])
        .run();
    out.expect_code(1).expect_stderr(&["access denied"]);
    assert!(!out.all_output().contains(wrong), "password printed\n{out}");
}

#[test]
fn database_created_while_waiting_is_ready_soon_after() {
    let server = mariadb::shared();
    let account = server.account("Later-pw-2", false);
    let running = wait_mysql(server.port(), &account).spawn();
    thread::sleep(Duration::from_secs(1));
    let reported = running.stderr_so_far();
    assert!(
        reported.contains(&format!("unknown database `{}`", account.database)),
        "the missing database was not reported while waiting:\n{reported}"
    );
    server.sql(&format!("CREATE DATABASE `{}`", account.database));
    let created = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0);
    assert_soon_after(&out, created, "the database was created");
}

#[test]
fn server_down_at_first_then_started_is_noticed_soon() {
    let account = Account {
        database: unique("late_db"),
        user: unique("late"),
        password: "Late-pw-3".into(),
    };
    let init = format!(
        "CREATE DATABASE `{db}`;\n\
         CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{pw}';\n\
         GRANT ALL ON `{db}`.* TO '{user}'@'127.0.0.1';\n",
        db = account.database,
        user = account.user,
        pw = account.password
    );
    let stopped = Stopped::prepare(Some(&init)).unwrap_or_else(|e| panic!("{e}"));
    let running = wait_mysql(stopped.port(), &account).spawn();
    thread::sleep(Duration::from_secs(1));
    let reported = running.stderr_so_far();
    assert!(reported.contains("connection refused"), "no refusal reported:\n{reported}");
    let _server = stopped.start().unwrap_or_else(|e| panic!("{e}"));
    let up = Instant::now();
    let out = running.wait(Duration::from_secs(60));
    out.expect_code(0);
    assert_soon_after(&out, up, "the server started");
}
