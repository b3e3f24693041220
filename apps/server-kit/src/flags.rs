//! The values of numeric flags; errors say what is wrong, the caller names the flag.

use std::time::Duration;

/// A number of seconds, more than 0 and at most a day (fractions allowed: `0.5`).
///
/// ```
/// use server_kit::flags::seconds;
/// assert_eq!(seconds("1.5"), Ok(std::time::Duration::from_millis(1500)));
/// assert!(seconds("0").is_err() && seconds("NaN").is_err() && seconds("1e9").is_err());
/// ```
pub fn seconds(value: &str) -> Result<Duration, String> {
    let secs: f64 = value.parse().map_err(|e| format!("{e}"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
        return Err("must be more than 0 and at most 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A number more than 0 (of any integer type).
///
/// ```
/// use server_kit::flags::positive;
/// assert_eq!(positive::<u32>("7"), Ok(7));
/// assert!(positive::<u32>("0").is_err() && positive::<u32>("-1").is_err());
/// ```
pub fn positive<T: std::str::FromStr + PartialOrd + Default>(value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let n: T = value.parse().map_err(|e| format!("{e}"))?;
    if n <= T::default() {
        return Err("must be more than 0".into());
    }
    Ok(n)
}
