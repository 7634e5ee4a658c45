//! Small helpers: timestamps and id generation.

use serde::Serializer;
use time::{format_description::FormatItem, macros::format_description, Duration, OffsetDateTime};

/// RFC 3339, UTC, whole seconds: `2026-11-23T06:50:29Z`.
const RFC3339_SECONDS: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Current UTC time truncated to whole seconds.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}

/// `now() - secs`.
pub fn ago(secs: i64) -> OffsetDateTime {
    now() - Duration::seconds(secs)
}

pub fn fmt_ts(t: &OffsetDateTime) -> String {
    t.format(RFC3339_SECONDS).unwrap_or_else(|_| t.to_string())
}

pub fn ser_ts<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_ts(t))
}

pub fn ser_opt_ts<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&fmt_ts(t)),
        None => s.serialize_none(),
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `prefix` followed by `n` random alphanumeric characters.
pub fn alnum_id(rng: &mut fastrand::Rng, prefix: &str, n: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    for _ in 0..n {
        s.push(ALNUM[rng.usize(..ALNUM.len())] as char);
    }
    s
}

/// `prefix` followed by `n` random lowercase hex digits.
pub fn hex_id(rng: &mut fastrand::Rng, prefix: &str, n: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    for _ in 0..n {
        s.push(HEX[rng.usize(..16)] as char);
    }
    s
}

/// A random UUID in version-4 format.
pub fn uuid_v4(rng: &mut fastrand::Rng) -> String {
    let mut b = [0u8; 16];
    for x in b.iter_mut() {
        *x = rng.u8(..);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let mut rng = fastrand::Rng::with_seed(7);
        let u = uuid_v4(&mut rng);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn ts_format() {
        let t = time::macros::datetime!(2026-11-23 06:50:29 UTC);
        assert_eq!(fmt_ts(&t), "2026-11-23T06:50:29Z");
    }
}
