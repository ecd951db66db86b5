//! Go-style durations (`90s`, `2m`, `1h30m`), the format of Terraform
//! `timeouts` blocks across providers, bounded to 24 hours: a longer wait
//! than that is a typo, and the bound keeps every later `Instant + limit`
//! far from overflow (a huge value once panicked the provider).

use std::time::Duration;

/// The longest duration accepted.
pub const MAX: Duration = Duration::from_secs(24 * 3600);

/// A duration in units `h`, `m`, `s` and `ms`, decimals allowed (`1.5s`),
/// at most [`MAX`]; no sign and no `d`, unlike some of Go's neighbours.
pub fn parse(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!("invalid duration {text:?}: expected a number and unit, such as 90s, 2m or 1h30m")
    };
    if text.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .ok_or_else(bad)?;
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += number * seconds;
        if !total.is_finite() || total > MAX.as_secs_f64() {
            return Err(format!("duration {text:?} is longer than the 24h allowed"));
        }
        rest = &rest[unit_len..];
    }
    Duration::try_from_secs_f64(total).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "2", "m", "2 m", "2d", "-1s", "1..2s", ".s", "1e3s"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn longer_than_a_day_is_refused_never_a_panic() {
        assert_eq!(parse("24h"), Ok(MAX));
        assert_eq!(parse("23h59m60s"), Ok(MAX));
        for long in [
            "24h1s",
            "25h",
            "99999999999999999999h",
            "1440m1ms",
            &"9".repeat(400),
        ] {
            let text = if long.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{long}s")
            } else {
                long.to_string()
            };
            assert!(parse(&text).unwrap_err().contains("24h"), "{text}");
        }
    }
}
