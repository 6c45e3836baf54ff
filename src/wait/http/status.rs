//! Sets of HTTP statuses: `2xx`, `200`, `200-299`, or a comma-separated mix.

use std::fmt;
use std::ops::RangeInclusive;

/// The statuses that count as ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet {
    ranges: Vec<RangeInclusive<u16>>,
    text: String,
}

impl StatusSet {
    /// Parses `2xx`, `204`, `200-299` or a comma-separated list of those.
    pub fn parse(text: &str) -> Result<StatusSet, String> {
        let ranges = crate::settings::list(text)
            .iter()
            .map(|item| range(item))
            .collect::<Result<Vec<_>, _>>()?;
        if ranges.is_empty() {
            return Err("expected statuses like 2xx, 200 or 200-299".into());
        }
        Ok(StatusSet { ranges, text: text.trim().to_string() })
    }

    /// Whether `status` is in the set.
    pub fn contains(&self, status: u16) -> bool {
        self.ranges.iter().any(|r| r.contains(&status))
    }
}

fn range(item: &str) -> Result<RangeInclusive<u16>, String> {
    let bad = || format!("`{item}` is not a status, a class like 2xx, or a range");
    let code = |s: &str| s.parse::<u16>().ok().filter(|c| (100..=599).contains(c));
    if let Some(class) = item.to_ascii_lowercase().strip_suffix("xx") {
        let digit =
            class.parse::<u16>().ok().filter(|d| (1..=5).contains(d)).ok_or_else(bad)?;
        return Ok(digit * 100..=digit * 100 + 99);
    }
    if let Some((low, high)) = item.split_once('-') {
        let (low, high) =
            (code(low.trim()).ok_or_else(bad)?, code(high.trim()).ok_or_else(bad)?);
        return if low <= high { Ok(low..=high) } else { Err(bad()) };
    }
    let single = code(item).ok_or_else(bad)?;
    Ok(single..=single)
}

impl fmt::Display for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_ranges_and_lists() {
        let set = StatusSet::parse("2xx, 301, 400-404").unwrap();
        for yes in [200, 299, 301, 400, 404] {
            assert!(set.contains(yes), "{yes}");
        }
        for no in [199, 300, 302, 405, 500] {
            assert!(!set.contains(no), "{no}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for bad in ["", "ok", "6xx", "0xx", "99", "700", "300-200", "2xx,abc"] {
            assert!(StatusSet::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
