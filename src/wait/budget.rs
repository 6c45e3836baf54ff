//! The waiting budget as flags with environment twins.
//!
//! The original scripts each read their own variables (`WAIT_RETRIES` for
//! `wait_for.sh`, `KAFKA_WAIT_RETRIES`, `MYSQL_WAIT_RETRIES`), so each kind
//! of wait gets the same flags under its own variable prefix. The macro
//! below writes that one declaration three times with a different prefix.

use std::time::Duration;

use super::Schedule;

macro_rules! budget_args {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, clap::Args)]
        #[command(next_help_heading = "Waiting")]
        pub struct $name {
            /// Attempts in the original schedule; budget = retries x interval.
            #[arg(long, value_name = "N", env = concat!($prefix, "_RETRIES"),
                  default_value = "24", value_parser = crate::settings::retries)]
            pub retries: u32,

            /// Seconds per retry in the budget, and the longest pause between
            /// attempts (`5`, `0.5`, `250ms`).
            #[arg(long, value_name = "SECONDS", env = concat!($prefix, "_INTERVAL"),
                  default_value = "5", value_parser = crate::settings::duration)]
            pub interval: Duration,

            /// Overall time to wait; replaces retries x interval when given.
            #[arg(long, value_name = "SECONDS", env = concat!($prefix, "_TIMEOUT"),
                  value_parser = crate::settings::duration)]
            pub timeout: Option<Duration>,

            /// The longest a single attempt may take.
            #[arg(long, value_name = "SECONDS",
                  env = concat!($prefix, "_ATTEMPT_TIMEOUT"),
                  default_value = "2", value_parser = crate::settings::positive_duration)]
            pub attempt_timeout: Duration,

            /// The longest pause between attempts; pauses start at 10 ms and
            /// double up to this (never above the interval).
            #[arg(long, value_name = "SECONDS", env = concat!($prefix, "_MAX_DELAY"),
                  default_value = "0.2", value_parser = crate::settings::duration)]
            pub max_delay: Duration,
        }

        impl $name {
            /// The schedule these settings describe.
            pub fn schedule(&self) -> Schedule {
                schedule(self.retries, self.interval, self.timeout, self.attempt_timeout,
                         self.max_delay)
            }
        }
    };
}

budget_args!(
    /// Budget for `wait tcp` and `wait http` (the `wait_for.sh` variables).
    PlainBudget,
    "WAIT"
);
budget_args!(
    /// Budget for `wait kafka` (the `kafka_wait_for_topics.py` variables).
    KafkaBudget,
    "KAFKA_WAIT"
);
budget_args!(
    /// Budget for `wait mysql` (the `mysql_check.py` variables).
    MysqlBudget,
    "MYSQL_WAIT"
);

fn schedule(
    retries: u32,
    interval: Duration,
    timeout: Option<Duration>,
    attempt_timeout: Duration,
    max_delay: Duration,
) -> Schedule {
    let budget = timeout.unwrap_or(interval * retries);
    let max_delay = max_delay.min(interval).max(Duration::from_millis(1));
    Schedule { budget, max_delay, attempt_timeout }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_retries_times_interval_unless_timeout_given() {
        let s = schedule(
            24,
            Duration::from_secs(5),
            None,
            Duration::from_secs(2),
            Duration::from_millis(200),
        );
        assert_eq!(s.budget, Duration::from_secs(120));
        assert_eq!(s.max_delay, Duration::from_millis(200));
        let s = schedule(
            24,
            Duration::from_secs(5),
            Some(Duration::from_secs(7)),
            Duration::from_secs(2),
            Duration::from_secs(9),
        );
        assert_eq!(s.budget, Duration::from_secs(7));
        assert_eq!(s.max_delay, Duration::from_secs(5), "ceiling never above interval");
    }
}
