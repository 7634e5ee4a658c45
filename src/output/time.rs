//! Humane times: absolute UTC `YYYY-MM-DD HH:MM:SS`, "12s ago" for
//! heartbeats, and every duration xeroctl prints ([`duration`]).

use std::sync::OnceLock;
use std::time::Duration;

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
    let text = duration(
        Duration::from_secs(secs.unsigned_abs()),
        DurationStyle::Coarse,
    );
    if secs < 0 {
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

/// How [`duration`] writes a duration. Each place that shows one keeps
/// its own look; all of them are written here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationStyle {
    /// The largest whole unit, rounded down: `12s`, `5m`, `3h`, `2d`
    /// (relative times: `12s ago`, `in 5m`).
    Coarse,
    /// `350ms`, `1.84s`, `2m 03s` (execution durations).
    Precise,
    /// `30s` or `2m` when that is exact, else as [`DurationStyle::Precise`]
    /// (tool timeouts).
    Round,
    /// Seconds, with a decimal only when needed: `30s`, `2.5s` (the request
    /// timeout).
    Seconds,
    /// Seconds to a tenth: `1.0s`, `2.5s` (stream reconnect delays).
    Tenths,
    /// Spelled out: `10 min`, `90 s`, `0.30 s` (the watch deadline).
    Spaced,
    /// Whole milliseconds, rounded down: `350 ms` (request logs, round trips).
    Millis,
}

/// Every duration xeroctl prints, in one of the [`DurationStyle`]s.
pub fn duration(d: Duration, style: DurationStyle) -> String {
    let ms = d.as_millis();
    let secs = d.as_secs_f64();
    match style {
        DurationStyle::Coarse => {
            let s = d.as_secs();
            match s {
                0..=59 => format!("{s}s"),
                60..=3599 => format!("{}m", s / 60),
                3600..=86_399 => format!("{}h", s / 3600),
                _ => format!("{}d", s / 86_400),
            }
        }
        DurationStyle::Precise if ms < 1000 => format!("{ms}ms"),
        DurationStyle::Precise if ms < 60_000 => format!("{:.2}s", ms as f64 / 1000.0),
        DurationStyle::Precise => {
            let s = ms / 1000;
            format!("{}m {:02}s", s / 60, s % 60)
        }
        DurationStyle::Round if ms >= 1000 && ms.is_multiple_of(60_000) => {
            format!("{}m", ms / 60_000)
        }
        DurationStyle::Round if (1000..60_000).contains(&ms) && ms.is_multiple_of(1000) => {
            format!("{}s", ms / 1000)
        }
        DurationStyle::Round => duration(d, DurationStyle::Precise),
        DurationStyle::Seconds if secs.fract() == 0.0 => format!("{}s", secs as u64),
        DurationStyle::Seconds | DurationStyle::Tenths => format!("{secs:.1}s"),
        DurationStyle::Spaced
            if secs >= 60.0 && secs.fract() == 0.0 && (secs as u64).is_multiple_of(60) =>
        {
            format!("{} min", secs as u64 / 60)
        }
        DurationStyle::Spaced if secs.fract() == 0.0 => format!("{} s", secs as u64),
        DurationStyle::Spaced => format!("{secs:.2} s"),
        DurationStyle::Millis => format!("{ms} ms"),
    }
}

/// A duration the API gives in milliseconds, or `-` when it gave none.
pub fn duration_ms(ms: Option<u64>, style: DurationStyle) -> String {
    ms.map_or_else(
        || "-".to_string(),
        |ms| duration(Duration::from_millis(ms), style),
    )
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
    fn now_is_the_clock_unless_pinned() {
        if std::env::var_os("XEROCTL_NOW").is_none() {
            let drift = (now() - OffsetDateTime::now_utc()).abs();
            assert!(drift < time::Duration::hours(1), "{drift}");
        }
    }

    #[test]
    fn absolute_with_relative() {
        let t = (now() - time::Duration::seconds(12))
            .to_offset(UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap();
        let shown = with_relative(Some(&t));
        assert_eq!(shown, format!("{} (12s ago)", absolute(Some(&t))));
        assert!(shown.starts_with(&t[..10]), "{shown}");
        assert_eq!(with_relative(Some("soon\u{7}")), "soon");
        assert_eq!(with_relative(None), "-");
    }

    #[test]
    fn sizes_at_the_unit_boundaries() {
        assert_eq!(bytes(Some(999)), "999 B");
        assert_eq!(bytes(Some(1000)), "1.0 kB");
        assert_eq!(bytes(Some(1_000_000)), "1.0 MB");
        assert_eq!(bytes(None), "-");
    }

    #[test]
    fn sizes() {
        assert_eq!(bytes(Some(5321)), "5.3 kB");
        assert_eq!(bytes(Some(500_000_000_000)), "500.0 GB");
        assert_eq!(bytes(Some(12)), "12 B");
    }

    #[test]
    fn every_duration_style() {
        use DurationStyle::*;
        let ms = Duration::from_millis;
        let s = Duration::from_secs;
        let cases = [
            (s(12), Coarse, "12s"),
            (s(59), Coarse, "59s"),
            (s(300), Coarse, "5m"),
            (s(3 * 3600 + 59), Coarse, "3h"),
            (s(2 * 86_400), Coarse, "2d"),
            (ms(350), Precise, "350ms"),
            (ms(999), Precise, "999ms"),
            (ms(1000), Precise, "1.00s"),
            (ms(59_999), Precise, "60.00s"),
            (ms(60_000), Precise, "1m 00s"),
            (s(0), Spaced, "0 s"),
            (s(0), Round, "0ms"),
            (ms(1840), Precise, "1.84s"),
            (ms(123_000), Precise, "2m 03s"),
            (s(30), Round, "30s"),
            (s(120), Round, "2m"),
            (s(7200), Round, "120m"),
            (ms(125_000), Round, "2m 05s"),
            (ms(1_500), Round, "1.50s"),
            (ms(500), Round, "500ms"),
            (s(30), Seconds, "30s"),
            (ms(2_500), Seconds, "2.5s"),
            (ms(1_000), Tenths, "1.0s"),
            (ms(2_500), Tenths, "2.5s"),
            (s(600), Spaced, "10 min"),
            (s(90), Spaced, "90 s"),
            (ms(300), Spaced, "0.30 s"),
            (Duration::from_micros(350_900), Millis, "350 ms"),
        ];
        for (d, style, want) in cases {
            assert_eq!(duration(d, style), want, "{d:?} as {style:?}");
        }
        assert_eq!(duration_ms(Some(1840), Precise), "1.84s");
        assert_eq!(duration_ms(Some(120_000), Round), "2m");
        assert_eq!(duration_ms(None, Precise), "-");
    }

    #[test]
    fn relative_units() {
        let base = now();
        let fmt = |d: time::Duration| (base - d).format(&Rfc3339).unwrap();
        assert_eq!(relative(Some(&fmt(time::Duration::ZERO))), "0s ago");
        assert_eq!(relative(Some(&fmt(time::Duration::seconds(12)))), "12s ago");
        assert_eq!(relative(Some(&fmt(time::Duration::minutes(5)))), "5m ago");
        assert_eq!(relative(Some(&fmt(time::Duration::hours(3)))), "3h ago");
        assert_eq!(relative(Some(&fmt(time::Duration::days(2)))), "2d ago");
        assert_eq!(relative(Some(&fmt(time::Duration::minutes(-5)))), "in 5m");
        assert_eq!(relative(None), "-");
    }
}
