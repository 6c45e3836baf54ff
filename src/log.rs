//! Logging: one line per event on standard error, prefixed with the program
//! name and pid so that lines stay attributable when plinth runs as PID 1
//! and shares the container log with the service it started.
//!
//! `LOG_LEVEL` takes Python's level names (the original scripts used
//! Python's logging), in any case.

use std::fmt;

use tracing::level_filters::LevelFilter;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Parses a Python logging level name (`DEBUG`, `INFO`, `WARNING`, `WARN`,
/// `ERROR`, `CRITICAL`, `FATAL`, `NOTSET`) in any case.
pub fn level(text: &str) -> Result<LevelFilter, String> {
    match text.trim().to_ascii_uppercase().as_str() {
        "NOTSET" => Ok(LevelFilter::TRACE),
        "DEBUG" => Ok(LevelFilter::DEBUG),
        "INFO" => Ok(LevelFilter::INFO),
        "WARNING" | "WARN" => Ok(LevelFilter::WARN),
        "ERROR" | "CRITICAL" | "FATAL" => Ok(LevelFilter::ERROR),
        _ => {
            Err("expected DEBUG, INFO, WARNING (WARN), ERROR, CRITICAL (FATAL) or NOTSET"
                .into())
        }
    }
}

/// Installs the process-wide logger at `level`.
pub fn init(level: LevelFilter) {
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .event_format(Prefixed { pid: std::process::id() })
        // A log line that cannot be written (stderr a closed pipe or a full
        // disk) is dropped. The default reports it with `eprintln!`, which
        // panics on the same broken stderr and would turn a lost line into
        // an abort that hides plinth's real exit status.
        .log_internal_errors(false)
        .with_filter(level);
    let _ = tracing_subscriber::registry().with(lines).try_init();
}

/// `plinth[PID]: message`, with the level named only when it is not INFO.
struct Prefixed {
    pid: u32,
}

impl<S, N> FormatEvent<S, N> for Prefixed
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        write!(writer, "plinth[{}]: ", self.pid)?;
        let level = *event.metadata().level();
        if level != Level::INFO {
            write!(writer, "{}: ", level_name(level))?;
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::ERROR => "error",
        Level::WARN => "warning",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}
