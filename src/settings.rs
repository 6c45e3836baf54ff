//! Parsers for the values people put in flags and environment variables.
//!
//! Each parser accepts exactly the forms documented in the README and
//! rejects everything else with a short reason; the command line layer adds
//! which flag or variable held the value. Nothing here falls back to a
//! default on bad input: a typo in `WAIT_INTERVAL` must stop the container
//! with a clear message instead of silently waiting for the wrong time.

use std::time::Duration;

/// The longest duration any setting takes: one year. Longer values are
/// refused rather than clamped; the bound keeps every sum and product the
/// waits and `init` compute (a deadline from now, retries × interval)
/// far inside what `Instant` and `Duration` hold.
pub const LONGEST: Duration = Duration::from_secs(365 * 24 * 3600);

/// Parses a duration: a bare number is seconds (`5`, `0.5`), or a number
/// with one unit suffix `ms`, `s`, `m` or `h` (`250ms`, `2h`), at most
/// [`LONGEST`].
pub fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("unknown unit `{unit}` (use ms, s, m or h)")),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| "expected a number of seconds, like 5, 0.5 or 250ms".to_string())?;
    if !value.is_finite() || value < 0.0 {
        return Err("must be zero or more".into());
    }
    match Duration::try_from_secs_f64(value * scale) {
        Ok(duration) if duration <= LONGEST => Ok(duration),
        _ => Err("too long: at most 8760h (one year)".into()),
    }
}

/// Parses a duration that must be more than zero.
pub fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        Duration::ZERO => Err("must be more than zero".into()),
        positive => Ok(positive),
    }
}

/// Parses a retry count: a whole number of at least one attempt.
pub fn retries(text: &str) -> Result<u32, String> {
    let value: u32 =
        text.trim().parse().map_err(|_| "expected a whole number".to_string())?;
    if value == 0 {
        return Err("must be at least 1".into());
    }
    Ok(value)
}

/// Parses a yes/no switch the way shell scripts spell it.
pub fn boolean(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

/// Parses a TCP port number (1 to 65535).
pub fn port(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(0) | Err(_) => Err("expected a port number from 1 to 65535".into()),
        Ok(port) => Ok(port),
    }
}

/// Parses a comma-separated list, dropping blanks around and between items.
pub fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_bare_seconds_and_units() {
        assert_eq!(duration("5"), Ok(Duration::from_secs(5)));
        assert_eq!(duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(duration("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn durations_reject_garbage_instead_of_defaulting() {
        for bad in ["", "five", "-1", "5x", "1e400", "nan", "inf"] {
            assert!(duration(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn durations_longer_than_a_year_are_refused_not_overflowed() {
        assert_eq!(duration("8760h"), Ok(LONGEST));
        for long in
            ["8761h", "31536001", "10000000000000000000", "99999999999999999999999h"]
        {
            let error = duration(long).unwrap_err();
            assert!(error.contains("at most 8760h"), "{long:?}: {error}");
        }
    }

    #[test]
    fn retries_reject_zero_and_negative() {
        assert_eq!(retries("24"), Ok(24));
        assert!(retries("0").is_err());
        assert!(retries("-3").is_err());
        assert!(retries("").is_err());
    }

    #[test]
    fn booleans_and_ports() {
        assert_eq!(boolean("TRUE"), Ok(true));
        assert_eq!(boolean("no"), Ok(false));
        assert!(boolean("maybe").is_err());
        assert_eq!(port("3306"), Ok(3306));
        assert!(port("0").is_err());
        assert!(port("70000").is_err());
    }

    #[test]
    fn lists_drop_blanks() {
        assert_eq!(list(" a, b ,,c "), vec!["a", "b", "c"]);
        assert!(list("").is_empty());
    }
}
