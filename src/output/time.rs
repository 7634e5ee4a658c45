//! Humane times: absolute UTC `YYYY-MM-DD HH:MM:SS`, and "12s ago" for
//! heartbeats.

use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use super::sanitize::sanitize_line;

/// "Now" for relative times. `XEROCTL_NOW` (RFC 3339) pins it so snapshot
/// tests are stable.
pub fn now() -> OffsetDateTime {
    static NOW: OnceLock<OffsetDateTime> = OnceLock::new();
    *NOW.get_or_init(|| {
        std::env::var("XEROCTL_NOW")
            .ok()
            .and_then(|v| OffsetDateTime::parse(&v, &Rfc3339).ok())
            .unwrap_or_else(OffsetDateTime::now_utc)
    })
}

fn parse(value: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value, &Rfc3339).ok()
}

/// `2026-11-23 06:50:29` in UTC, `-` when missing, the sanitised original
/// when it is not RFC 3339.
pub fn absolute(value: Option<&str>) -> String {
    let Some(raw) = value else {
        return "-".to_string();
    };
    match parse(raw) {
        Some(t) => t
            .to_offset(UtcOffset::UTC)
            .format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .unwrap_or_else(|_| sanitize_line(raw).into_owned()),
        None => sanitize_line(raw).into_owned(),
    }
}

/// `12s ago`, `5m ago`, `3h ago`, `2d ago` (or `in 5m` for the future).
pub fn relative(value: Option<&str>) -> String {
    let Some(t) = value.and_then(parse) else {
        return "-".to_string();
    };
    let secs = (now() - t).whole_seconds();
    let (amount, future) = if secs < 0 {
        (-secs, true)
    } else {
        (secs, false)
    };
    let text = match amount {
        0..=59 => format!("{amount}s"),
        60..=3599 => format!("{}m", amount / 60),
        3600..=86_399 => format!("{}h", amount / 3600),
        _ => format!("{}d", amount / 86_400),
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// Absolute time followed by the relative one: `2026-11-23 06:50:29 (12s ago)`.
pub fn with_relative(value: Option<&str>) -> String {
    match value {
        Some(raw) if parse(raw).is_some() => {
            format!("{} ({})", absolute(value), relative(value))
        }
        _ => absolute(value),
    }
}

/// A duration in milliseconds as `1.84s`, `350ms`, `2m 03s`.
pub fn duration_ms(ms: Option<u64>) -> String {
    match ms {
        None => "-".to_string(),
        Some(ms) if ms < 1000 => format!("{ms}ms"),
        Some(ms) if ms < 60_000 => format!("{:.2}s", ms as f64 / 1000.0),
        Some(ms) => {
            let secs = ms / 1000;
            format!("{}m {:02}s", secs / 60, secs % 60)
        }
    }
}

/// A byte count as `5.3 kB` (decimal units, like the storage flags).
pub fn bytes(n: Option<u64>) -> String {
    let Some(n) = n else {
        return "-".to_string();
    };
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_is_utc() {
        assert_eq!(
            absolute(Some("2026-11-23T08:50:29+02:00")),
            "2026-11-23 06:50:29"
        );
        assert_eq!(absolute(None), "-");
        assert_eq!(absolute(Some("yesterday\u{1b}[2J")), "yesterday");
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(bytes(Some(5321)), "5.3 kB");
        assert_eq!(bytes(Some(500_000_000_000)), "500.0 GB");
        assert_eq!(bytes(Some(12)), "12 B");
        assert_eq!(duration_ms(Some(1840)), "1.84s");
        assert_eq!(duration_ms(Some(350)), "350ms");
        assert_eq!(duration_ms(Some(123_000)), "2m 03s");
        assert_eq!(duration_ms(None), "-");
    }

    #[test]
    fn relative_units() {
        let base = now();
        let fmt = |d: time::Duration| (base - d).format(&Rfc3339).unwrap();
        assert_eq!(relative(Some(&fmt(time::Duration::seconds(12)))), "12s ago");
        assert_eq!(relative(Some(&fmt(time::Duration::minutes(5)))), "5m ago");
        assert_eq!(relative(Some(&fmt(time::Duration::hours(3)))), "3h ago");
        assert_eq!(relative(Some(&fmt(time::Duration::days(2)))), "2d ago");
        assert_eq!(relative(Some(&fmt(time::Duration::minutes(-5)))), "in 5m");
        assert_eq!(relative(None), "-");
    }
}
