//! Validation, RFC 3339 / proto3 text forms, and conversions for the well-known types.

use super::civil::{civil_from_days, days_from_civil, days_in_month};
use super::{
    DURATION_MAX_SECONDS, Duration, RangeError, TIMESTAMP_MAX_SECONDS, TIMESTAMP_MIN_SECONDS,
    Timestamp,
};
use std::fmt;
use std::str::FromStr;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const TIMESTAMP: &str = "google.protobuf.Timestamp";
const DURATION: &str = "google.protobuf.Duration";

/// Writes `.fff`, `.ffffff` or `.fffffffff` (the shortest of the three that is exact),
/// or nothing for zero, as proto3 JSON requires.
fn write_fraction(f: &mut impl fmt::Write, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        Ok(())
    } else if nanos.is_multiple_of(1_000_000) {
        write!(f, ".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        write!(f, ".{:06}", nanos / 1_000)
    } else {
        write!(f, ".{nanos:09}")
    }
}

/// Parses 1 to 9 fraction digits into nanoseconds.
fn parse_fraction(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = digits.parse().ok()?;
    Some(value * 10u32.pow(9 - digits.len() as u32))
}

impl Timestamp {
    /// Checks the proto3 range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,
    /// with `nanos` in `0..=999_999_999`.
    pub fn validate(&self) -> Result<(), RangeError> {
        if !(TIMESTAMP_MIN_SECONDS..=TIMESTAMP_MAX_SECONDS).contains(&self.seconds) {
            return Err(RangeError::new(
                TIMESTAMP,
                format!("seconds {} outside 0001-01-01..9999-12-31", self.seconds),
            ));
        }
        if !(0..NANOS_PER_SECOND as i32).contains(&self.nanos) {
            return Err(RangeError::new(
                TIMESTAMP,
                format!("nanos {} outside 0..=999999999", self.nanos),
            ));
        }
        Ok(())
    }

    /// The current time.
    pub fn now() -> Self {
        std::time::SystemTime::now()
            .try_into()
            .expect("the system clock is between years 1 and 9999")
    }

    /// Formats as RFC 3339 in UTC with a `Z` suffix, the proto3 JSON form.
    pub fn to_rfc3339(&self) -> Result<String, RangeError> {
        Ok(self.rfc3339(&mut [0; RFC3339_MAX])?.to_owned())
    }

    /// [`Timestamp::to_rfc3339`] written into `buf`, without allocating (what the
    /// JSON form writes).
    pub(crate) fn rfc3339<'b>(
        &self,
        buf: &'b mut [u8; RFC3339_MAX],
    ) -> Result<&'b str, RangeError> {
        self.validate()?;
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400) as u32;
        let (y, mo, d) = civil_from_days(days);
        // The range check keeps the year in 1..=9999 and every field in its width.
        digits(&mut buf[0..4], y as u32);
        buf[4] = b'-';
        digits(&mut buf[5..7], mo);
        buf[7] = b'-';
        digits(&mut buf[8..10], d);
        buf[10] = b'T';
        digits(&mut buf[11..13], secs / 3600);
        buf[13] = b':';
        digits(&mut buf[14..16], secs / 60 % 60);
        buf[16] = b':';
        digits(&mut buf[17..19], secs % 60);
        let nanos = self.nanos as u32;
        let mut len = 19;
        let (value, width) = if nanos == 0 {
            (0, 0)
        } else if nanos.is_multiple_of(1_000_000) {
            (nanos / 1_000_000, 3)
        } else if nanos.is_multiple_of(1_000) {
            (nanos / 1_000, 6)
        } else {
            (nanos, 9)
        };
        if width > 0 {
            buf[len] = b'.';
            digits(&mut buf[len + 1..len + 1 + width], value);
            len += 1 + width;
        }
        buf[len] = b'Z';
        len += 1;
        // Only ASCII digits and punctuation were written.
        Ok(core::str::from_utf8(&buf[..len]).unwrap_or_default())
    }
}

/// The longest RFC 3339 timestamp written: `9999-12-31T23:59:59.999999999Z`.
pub(crate) const RFC3339_MAX: usize = 30;

/// `value` in decimal, zero-padded to fill `out` (which it fits).
#[inline]
fn digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// RFC 3339 (`2024-05-01T12:00:00.250Z`); fails for out-of-range values.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_rfc3339() {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "<invalid timestamp {}s {}ns>", self.seconds, self.nanos),
        }
    }
}

/// Parses RFC 3339 with `Z` or a `±hh:mm` offset, 0 to 9 fraction digits.
impl FromStr for Timestamp {
    type Err = RangeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| RangeError::new(TIMESTAMP, format!("{s:?}: {why}"));
        let b = s.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(range)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"));
        }
        let (year, month, day) = match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => (i64::from(y), m, d),
            _ => return Err(bad("date is not numeric")),
        };
        let (hour, minute, second) = match (num(11..13), num(14..16), num(17..19)) {
            (Some(h), Some(m), Some(s)) => (h, m, s),
            _ => return Err(bad("time is not numeric")),
        };
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(bad("no such date"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad("no such time of day"));
        }
        let mut rest = &s[19..];
        let mut nanos = 0;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            nanos = parse_fraction(&after_dot[..end])
                .ok_or_else(|| bad("fraction must have 1 to 9 digits"))?;
            rest = &after_dot[end..];
        }
        // Offsets are compared byte by byte: the input is untrusted and may hold
        // multi-byte characters anywhere.
        let r = rest.as_bytes();
        let digit = |i: usize| u32::from(r[i] - b'0');
        let offset = if rest == "Z" {
            0
        } else if r.len() == 6
            && (r[0] == b'+' || r[0] == b'-')
            && r[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| r[i].is_ascii_digit())
        {
            let (h, m) = (digit(1) * 10 + digit(2), digit(4) * 10 + digit(5));
            if h > 23 || m > 59 {
                return Err(bad("bad UTC offset"));
            }
            let sign = if r[0] == b'-' { -1 } else { 1 };
            sign * (i64::from(h) * 3600 + i64::from(m) * 60)
        } else {
            return Err(bad("expected Z or a ±HH:MM offset"));
        };
        let seconds = days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second)
            - offset;
        let ts = Timestamp {
            seconds,
            nanos: nanos as i32,
        };
        ts.validate().map_err(|e| bad(&e.reason))?;
        Ok(ts)
    }
}

impl TryFrom<std::time::SystemTime> for Timestamp {
    type Error = RangeError;

    fn try_from(t: std::time::SystemTime) -> Result<Self, Self::Error> {
        let ts = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp {
                seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos() as i32,
            },
            Err(e) => {
                let d = e.duration();
                let mut seconds = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                let mut nanos = -(d.subsec_nanos() as i32);
                if nanos < 0 {
                    seconds -= 1;
                    nanos += NANOS_PER_SECOND as i32;
                }
                Timestamp { seconds, nanos }
            }
        };
        ts.validate()?;
        Ok(ts)
    }
}

impl Duration {
    /// Checks the proto3 range: `|seconds| <= 315_576_000_000`, `|nanos| < 10^9`, and
    /// `seconds` and `nanos` never of opposite signs.
    pub fn validate(&self) -> Result<(), RangeError> {
        if !(-DURATION_MAX_SECONDS..=DURATION_MAX_SECONDS).contains(&self.seconds) {
            return Err(RangeError::new(
                DURATION,
                format!("seconds {} outside ±315576000000", self.seconds),
            ));
        }
        if self.nanos.unsigned_abs() >= NANOS_PER_SECOND as u32 {
            return Err(RangeError::new(
                DURATION,
                format!("nanos {} outside ±999999999", self.nanos),
            ));
        }
        if (self.seconds < 0 && self.nanos > 0) || (self.seconds > 0 && self.nanos < 0) {
            return Err(RangeError::new(
                DURATION,
                format!(
                    "seconds {} and nanos {} have opposite signs",
                    self.seconds, self.nanos
                ),
            ));
        }
        Ok(())
    }

    /// Formats as the proto3 JSON form, e.g. `"1.5s"` or `"-0.000001s"`.
    pub fn to_proto_string(&self) -> Result<String, RangeError> {
        self.validate()?;
        let mut out = String::new();
        if self.seconds < 0 || self.nanos < 0 {
            out.push('-');
        }
        out.push_str(&self.seconds.unsigned_abs().to_string());
        write_fraction(&mut out, self.nanos.unsigned_abs()).expect("writing to a String");
        out.push('s');
        Ok(out)
    }
}

/// The proto3 JSON form (`1.5s`); fails for out-of-range values.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_proto_string() {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "<invalid duration {}s {}ns>", self.seconds, self.nanos),
        }
    }
}

/// Parses the proto3 JSON form: an optional `-`, seconds, 0 to 9 fraction digits, `s`.
impl FromStr for Duration {
    type Err = RangeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| RangeError::new(DURATION, format!("{s:?}: {why}"));
        let body = s
            .strip_suffix('s')
            .ok_or_else(|| bad("must end with 's'"))?;
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("seconds must be decimal digits"));
        }
        let seconds: i64 = whole.parse().map_err(|_| bad("seconds out of range"))?;
        let nanos = match fraction {
            Some(f) => {
                parse_fraction(f).ok_or_else(|| bad("fraction must have 1 to 9 digits"))? as i32
            }
            None => 0,
        };
        let d = if negative {
            Duration {
                seconds: -seconds,
                nanos: -nanos,
            }
        } else {
            Duration { seconds, nanos }
        };
        d.validate().map_err(|e| bad(&e.reason))?;
        Ok(d)
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = RangeError;

    fn try_from(d: std::time::Duration) -> Result<Self, Self::Error> {
        let seconds = i64::try_from(d.as_secs())
            .map_err(|_| RangeError::new(DURATION, format!("{}s is too long", d.as_secs())))?;
        let out = Duration {
            seconds,
            nanos: d.subsec_nanos() as i32,
        };
        out.validate()?;
        Ok(out)
    }
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::*;
    use chrono::{DateTime, TimeDelta, Utc};

    impl TryFrom<Timestamp> for DateTime<Utc> {
        type Error = RangeError;

        fn try_from(ts: Timestamp) -> Result<Self, Self::Error> {
            ts.validate()?;
            DateTime::from_timestamp(ts.seconds, ts.nanos as u32).ok_or_else(|| {
                RangeError::new(
                    TIMESTAMP,
                    format!("{}s is outside chrono's range", ts.seconds),
                )
            })
        }
    }

    impl TryFrom<DateTime<Utc>> for Timestamp {
        type Error = RangeError;

        fn try_from(dt: DateTime<Utc>) -> Result<Self, Self::Error> {
            // chrono keeps leap seconds as nanos >= 10^9; protobuf smears them away.
            let nanos = dt.timestamp_subsec_nanos().min(999_999_999);
            let ts = Timestamp {
                seconds: dt.timestamp(),
                nanos: nanos as i32,
            };
            ts.validate()?;
            Ok(ts)
        }
    }

    impl TryFrom<Duration> for TimeDelta {
        type Error = RangeError;

        fn try_from(d: Duration) -> Result<Self, Self::Error> {
            d.validate()?;
            TimeDelta::new(d.seconds, 0)
                .and_then(|s| s.checked_add(&TimeDelta::nanoseconds(i64::from(d.nanos))))
                .ok_or_else(|| {
                    RangeError::new(
                        DURATION,
                        format!("{}s is outside chrono's range", d.seconds),
                    )
                })
        }
    }

    impl TryFrom<TimeDelta> for Duration {
        type Error = RangeError;

        fn try_from(delta: TimeDelta) -> Result<Self, Self::Error> {
            // TimeDelta normalises to (secs, 0 <= nanos < 10^9); protobuf wants nanos
            // with the sign of the whole duration.
            let mut seconds = delta.num_seconds();
            let mut nanos = delta.subsec_nanos();
            if seconds < 0 && nanos > 0 {
                seconds += 1;
                nanos -= NANOS_PER_SECOND as i32;
            }
            let d = Duration { seconds, nanos };
            d.validate()?;
            Ok(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(seconds: i64, nanos: i32) -> Timestamp {
        Timestamp { seconds, nanos }
    }

    /// Random instants over the whole proto3 range (and its two ends) are written as
    /// chrono writes them with 0, 3, 6 or 9 fraction digits, and read back.
    #[cfg(feature = "chrono")]
    #[test]
    fn rfc3339_matches_chrono_over_the_whole_range() {
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let span = (TIMESTAMP_MAX_SECONDS - TIMESTAMP_MIN_SECONDS + 1) as u64;
        for i in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let seconds = match i {
                0 => TIMESTAMP_MIN_SECONDS,
                1 => TIMESTAMP_MAX_SECONDS,
                _ => TIMESTAMP_MIN_SECONDS + (rng % span) as i64,
            };
            let nanos = match (rng >> 40) % 4 {
                0 => 0,
                1 => ((rng >> 20) % 1000) as i32 * 1_000_000,
                2 => ((rng >> 20) % 1_000_000) as i32 * 1_000,
                _ => ((rng >> 20) % 1_000_000_000) as i32,
            };
            let t = ts(seconds, nanos);
            let chrono = chrono::DateTime::from_timestamp(seconds, nanos as u32)
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            let ours = t.to_rfc3339().unwrap();
            assert_eq!(ours, chrono, "{seconds}s {nanos}ns");
            assert_eq!(ours.parse::<Timestamp>().unwrap(), t);
        }
    }

    #[test]
    fn timestamp_text_round_trip() {
        for (t, text) in [
            (ts(0, 0), "1970-01-01T00:00:00Z"),
            (ts(-1, 999_000_000), "1969-12-31T23:59:59.999Z"),
            (ts(1_700_000_000, 1), "2023-11-14T22:13:20.000000001Z"),
            (ts(1_700_000_000, 120_000), "2023-11-14T22:13:20.000120Z"),
            (ts(TIMESTAMP_MIN_SECONDS, 0), "0001-01-01T00:00:00Z"),
            (
                ts(TIMESTAMP_MAX_SECONDS, 999_999_999),
                "9999-12-31T23:59:59.999999999Z",
            ),
        ] {
            assert_eq!(t.to_string(), text);
            assert_eq!(text.parse::<Timestamp>().unwrap(), t);
        }
    }

    #[test]
    fn timestamp_parse_offsets_and_errors() {
        assert_eq!(
            "1970-01-01T01:00:00+01:00".parse::<Timestamp>().unwrap(),
            ts(0, 0)
        );
        assert_eq!(
            "1969-12-31T19:00:00.5-05:00".parse::<Timestamp>().unwrap(),
            ts(0, 500_000_000)
        );
        for bad in [
            "0000-12-31T23:59:59Z",
            "10000-01-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:00",
            "2023-01-01T00:00:00.Z",
            "2023-01-01T00:00:00.1234567890Z",
            "2023-01-01 00:00:00Z",
            "0001-01-01T00:00:00+00:01",
        ] {
            let err = bad.parse::<Timestamp>().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
        assert!(ts(TIMESTAMP_MAX_SECONDS + 1, 0).to_rfc3339().is_err());
        // Untrusted input with multi-byte characters is an error, never a panic.
        for bad in [
            "2024-01-01T00:00:00+00é0",
            "2024-01-01T00:00:00é",
            "2024-01-01T00:00:00.1é",
            "2é24-01-01T00:00:00Z",
            "2024-01-01T00:00:0éZ",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
        assert!(ts(0, -1).validate().is_err());
        assert!(ts(0, 1_000_000_000).validate().is_err());
    }

    /// Parsers of untrusted text return errors, never panic: random strings built
    /// from the characters that matter (digits, separators, multi-byte letters),
    /// and every prefix of valid inputs.
    #[test]
    fn parsers_never_panic() {
        const ALPHABET: &[&str] = &[
            "0",
            "1",
            "9",
            "-",
            ":",
            "T",
            "Z",
            ".",
            "+",
            "s",
            "é",
            "✓",
            " ",
            "2024-01-01T00:00:00",
        ];
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d_u64);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state = next();
                text.push_str(ALPHABET[(state % ALPHABET.len() as u64) as usize]);
            }
            let _ = text.parse::<Timestamp>();
            let _ = text.parse::<Duration>();
        }
        for valid in ["2024-05-01T12:00:00.250+01:30", "-12.000000001s"] {
            for end in 0..=valid.len() {
                let _ = valid[..end].parse::<Timestamp>();
                let _ = valid[..end].parse::<Duration>();
            }
        }
    }

    #[test]
    fn duration_text_round_trip() {
        for (d, text) in [
            (
                Duration {
                    seconds: 1,
                    nanos: 500_000_000,
                },
                "1.500s",
            ),
            (
                Duration {
                    seconds: 0,
                    nanos: -1_000,
                },
                "-0.000001s",
            ),
            (
                Duration {
                    seconds: -3,
                    nanos: -1,
                },
                "-3.000000001s",
            ),
            (
                Duration {
                    seconds: 0,
                    nanos: 0,
                },
                "0s",
            ),
            (
                Duration {
                    seconds: DURATION_MAX_SECONDS,
                    nanos: 0,
                },
                "315576000000s",
            ),
        ] {
            assert_eq!(d.to_string(), text);
            assert_eq!(text.parse::<Duration>().unwrap(), d);
        }
        assert_eq!(
            "1.5s".parse::<Duration>().unwrap(),
            Duration {
                seconds: 1,
                nanos: 500_000_000
            }
        );
        for bad in [
            "1",
            "s",
            "-s",
            "1.s",
            "1.0000000001s",
            "315576000001s",
            "+1s",
            "1e3s",
            "99999999999999999999s",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad}");
        }
        assert!(
            Duration {
                seconds: 1,
                nanos: -1
            }
            .validate()
            .is_err()
        );
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_conversions() {
        use chrono::{DateTime, TimeDelta, Utc};
        let dt: DateTime<Utc> = ts(-1, 250_000_000).try_into().unwrap();
        assert_eq!(dt.to_rfc3339(), "1969-12-31T23:59:59.250+00:00");
        assert_eq!(Timestamp::try_from(dt).unwrap(), ts(-1, 250_000_000));
        let far = DateTime::<Utc>::from_timestamp(TIMESTAMP_MAX_SECONDS + 1, 0).unwrap();
        assert!(Timestamp::try_from(far).is_err());
        assert!(DateTime::<Utc>::try_from(ts(i64::MAX, 0)).is_err());

        let delta = TimeDelta::milliseconds(-1500);
        let d = Duration::try_from(delta).unwrap();
        assert_eq!(
            d,
            Duration {
                seconds: -1,
                nanos: -500_000_000
            }
        );
        assert_eq!(TimeDelta::try_from(d).unwrap(), delta);
        assert!(Duration::try_from(TimeDelta::MAX).is_err());
        assert!(
            TimeDelta::try_from(Duration {
                seconds: 1,
                nanos: -5
            })
            .is_err()
        );
    }

    #[test]
    fn system_time_before_epoch() {
        let t = std::time::UNIX_EPOCH - std::time::Duration::from_millis(1);
        assert_eq!(Timestamp::try_from(t).unwrap(), ts(-1, 999_000_000));
    }
}
