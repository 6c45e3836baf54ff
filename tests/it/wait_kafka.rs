//! `plinth wait kafka` against a real Kafka-compatible broker (tansu):
//! topics present, absent, created while waiting, a broker that starts
//! late, several bootstrap brokers of which the first is dead or hung, and
//! the guarantee that waiting never creates the topic it waits for.

use std::thread;
use std::time::{Duration, Instant};

use crate::harness::http::SilentServer;
use crate::harness::plinth::plinth;
use crate::harness::tansu::{self, Tansu};
use crate::harness::{
    SOON, assert_budget_respected, assert_soon_after, free_port, last_line, unique,
};

#[test]
fn topics_present_is_ready() {
    let broker = tansu::shared();
    let (first, second) = (unique("present"), unique("present"));
    broker.create_topic(&first);
    broker.create_topic(&second);
    plinth(["wait", "kafka"])
        .env("KAFKA_URI", broker.address())
        .env("KAFKA_WAIT_FOR_TOPICS", format!("{first}, {second}"))
        .run()
        .expect_code(0)
        .expect_within(SOON)
        .expect_stderr(&["ready: kafka", &first, &second]);
}

#[test]
fn broker_only_when_no_topics_are_listed() {
    plinth(["wait", "kafka", "--uri", &tansu::shared().address()])
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn absent_topic_gives_up_after_the_budget_naming_it() {
    let broker = tansu::shared();
    let (present, absent) = (unique("here"), unique("absent"));
    broker.create_topic(&present);
    let out = plinth(["wait", "kafka"])
        .env("KAFKA_URI", broker.address())
        .env("KAFKA_WAIT_FOR_TOPICS", format!("{present},{absent}"))
        .env("KAFKA_WAIT_RETRIES", "2")
        .env("KAFKA_WAIT_INTERVAL", "1")
        .run();
    out.expect_code(1);
    assert_budget_respected(&out, Duration::from_secs(2));
    let verdict = last_line(&out.stderr);
    assert!(
        verdict.contains(&format!("unknown topic `{absent}`"))
            && !verdict.contains(&format!("`{present}`")),
        "the last line should name the unknown topic only: {verdict:?}\n{out}"
    );
}

#[test]
fn topic_created_while_waiting_is_ready_soon_after() {
    let broker = tansu::shared();
    let topic = unique("later");
    let running =
        plinth(["wait", "kafka", "--uri", &broker.address(), "--topics", &topic]).spawn();
    thread::sleep(Duration::from_secs(1));
    assert!(
        running.stderr_so_far().contains(&format!("unknown topic `{topic}`")),
        "the missing topic was not reported while waiting"
    );
    broker.create_topic(&topic);
    let created = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0);
    assert_soon_after(&out, created, "the topic was created");
}

#[test]
fn waiting_never_creates_the_topic() {
    let broker = tansu::shared();
    let topic = unique("never");
    plinth([
        "wait",
        "kafka",
        "--uri",
        &broker.address(),
        "--topics",
        &topic,
        "--timeout",
        "1",
    ])
    .run()
    .expect_code(1);
    assert!(!broker.has_topic(&topic), "waiting created topic {topic}");
    // The check above can only fail if the listing shows topics at all.
    let made = unique("made");
    broker.create_topic(&made);
    assert!(broker.has_topic(&made), "topic listing does not show created topics");
}

#[test]
fn broker_down_at_first_then_started_is_noticed_soon() {
    let port = free_port();
    let topic = "events";
    let running = plinth(["wait", "kafka"])
        .env("KAFKA_URI", format!("127.0.0.1:{port}"))
        .env("KAFKA_WAIT_FOR_TOPICS", topic)
        .spawn();
    thread::sleep(Duration::from_secs(1));
    assert!(
        running.stderr_so_far().contains("connection refused"),
        "no refusal reported"
    );
    let broker = Tansu::start_on(port);
    broker.create_topic(topic);
    let ready = Instant::now();
    let out = running.wait(Duration::from_secs(30));
    out.expect_code(0).expect_stderr(&["ready: kafka"]);
    assert_soon_after(&out, ready, "the broker started with the topic");
}

#[test]
fn dead_first_bootstrap_broker_is_skipped() {
    let broker = tansu::shared();
    let topic = unique("second");
    broker.create_topic(&topic);
    let dead = free_port();
    plinth(["wait", "kafka"])
        .env("KAFKA_URI", format!("127.0.0.1:{dead},{}", broker.address()))
        .env("KAFKA_WAIT_FOR_TOPICS", &topic)
        .run()
        .expect_code(0)
        .expect_within(SOON);
}

#[test]
fn hung_first_bootstrap_broker_does_not_hide_a_working_one() {
    // "Any one that answers is enough": a broker that accepts connections
    // but never replies (hung JVM, full disk) must not block the others.
    let broker = tansu::shared();
    let topic = unique("behind_hung");
    broker.create_topic(&topic);
    let hung = SilentServer::start();
    let out = plinth(["wait", "kafka", "--timeout", "8"])
        .env("KAFKA_URI", format!("127.0.0.1:{},{}", hung.port(), broker.address()))
        .env("KAFKA_WAIT_FOR_TOPICS", &topic)
        .run();
    out.expect_code(0).expect_within(Duration::from_secs(5));
}
