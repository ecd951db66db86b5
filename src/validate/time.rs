//! Time zones, RFC 3339 timestamps and one-time `at()` moments: pure
//! validation layer, no I/O. "Now" is always passed in so results are
//! deterministic and testable.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDateTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// Resolve an IANA time zone name (case-sensitive, as EventBridge Scheduler expects).
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        format!("time zone {name:?} is not recognised; expected an IANA time zone name such as UTC or Europe/Paris")
    })
}

/// Parse an RFC 3339 timestamp such as `2030-01-01T09:00:00Z` or
/// `2030-01-01T10:00:00.5+01:00`. Follows RFC 3339 section 5.6, which also
/// permits a lower-case `t`/`z` and a space between date and time.
pub fn parse_rfc3339(value: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(value).map_err(|e| {
        format!("timestamp {value:?} is not a valid RFC 3339 timestamp ({e}); expected a form such as 2030-01-01T09:00:00Z or 2030-01-01T10:00:00+01:00")
    })
}

/// Has a one-time `at()` schedule's moment passed, evaluated in its time zone?
/// (DST gaps: a local time that does not exist counts as its shifted instant;
/// ambiguous picks the earliest.) A moment equal to `now` counts as passed,
/// because it can no longer be scheduled in the future.
pub fn at_has_passed(at: NaiveDateTime, tz: Tz, now: DateTime<Utc>) -> bool {
    local_instant(at, tz) <= now.naive_utc()
}

/// The UTC instant (as a naive UTC date-time) that a wall-clock time in `tz` denotes.
fn local_instant(at: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    if let Some(earliest) = tz.from_local_datetime(&at).earliest() {
        return earliest.naive_utc();
    }
    // `at` falls in a gap where clocks jump forward from offset o1 to o2.
    // Reading `at` with the pre-gap offset o1 gives the instant the wall time
    // would have had without the jump, i.e. `at` shifted forward by the gap.
    // Chrono gives no gap details, so find o1 through the transition's
    // defining property: the instant at - o1 lies after the jump (offset o2)
    // and at - o2 lies before it (offset o1). Starting from a day earlier,
    // which is before the jump since no offset exceeds a day, two hops land
    // on o1 even if the first guess was off.
    let offset_at = |guess: TimeDelta| -> Option<TimeDelta> {
        let instant = at.checked_sub_signed(guess)?;
        let offset = tz.offset_from_utc_datetime(&instant).fix();
        Some(TimeDelta::seconds(i64::from(offset.local_minus_utc())))
    };
    let pre_gap = offset_at(TimeDelta::days(1))
        .and_then(&offset_at)
        .and_then(offset_at);
    // Only reachable at the very ends of chrono's range, where either answer
    // is equally meaningless; reading the time as UTC keeps this total.
    pre_gap
        .and_then(|offset| at.checked_sub_signed(offset))
        .unwrap_or(at)
}

/// Provider function `at(timestamp, timezone)`: an RFC 3339 timestamp rendered
/// as `at(yyyy-mm-ddThh:mm:ss)` in the zone's wall-clock time, with fractional
/// seconds truncated.
pub fn at_expression(timestamp: &str, time_zone: &str) -> Result<String, String> {
    let instant = parse_rfc3339(timestamp)?;
    let tz = parse_time_zone(time_zone)?;
    let local = instant.with_timezone(&tz).naive_local();
    // A 4-digit RFC 3339 year can leave 0000-9999 after a zone shift, and
    // at() only has room for four digits.
    if !(0..=9999).contains(&local.year()) {
        return Err(format!(
            "timestamp {timestamp:?} in {time_zone} falls outside years 0000-9999, which at() cannot express"
        ));
    }
    // Timelike::second() folds a leap second into :59, which keeps the result
    // a valid at() expression.
    Ok(format!(
        "at({:04}-{:02}-{:02}T{:02}:{:02}:{:02})",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        naive(y, mo, d, h, mi, s).and_utc()
    }

    fn tz(name: &str) -> Tz {
        parse_time_zone(name).unwrap()
    }

    #[test]
    fn time_zones() {
        for name in [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
        ] {
            assert_eq!(tz(name).name(), name);
        }
        for bad in [
            "",
            "utc",
            "europe/paris",
            "Europe/Pariss",
            "Mars/Olympus",
            "+01:00",
            " UTC",
            "UTC ",
        ] {
            let err = parse_time_zone(bad).unwrap_err();
            assert!(
                err.contains("an IANA time zone name such as UTC or Europe/Paris"),
                "{bad:?}: {err}"
            );
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn rfc3339() {
        let t = parse_rfc3339("2030-01-01T10:00:00.123+01:00").unwrap();
        assert_eq!(t.offset().local_minus_utc(), 3600);
        assert_eq!(
            t.with_timezone(&Utc),
            utc(2030, 1, 1, 9, 0, 0) + TimeDelta::milliseconds(123)
        );
        assert!(parse_rfc3339("2030-01-01T09:00:00Z").is_ok());
        assert!(parse_rfc3339("2030-01-01t09:00:00z").is_ok());
        for bad in [
            "",
            "2030-01-01",
            "2030-01-01T09:00:00",
            "2030-01-01T09:00Z",
            "2030-02-30T09:00:00Z",
            "2030-01-01T24:00:00Z",
            "2030-01-01T09:00:00+2400",
            "2030-01-01T09:00:00+24:00",
            "1/1/2030 09:00",
            "at(2030-01-01T09:00:00)",
            "2030-01-01T09:00:00Z ",
        ] {
            let err = parse_rfc3339(bad).unwrap_err();
            assert!(
                err.contains("not a valid RFC 3339 timestamp"),
                "{bad:?}: {err}"
            );
            assert!(err.contains("2030-01-01T09:00:00Z"), "{err}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn at_has_passed_in_zone() {
        let at = naive(2030, 1, 1, 10, 0, 0);
        // 10:00 in Paris (UTC+1 in winter) is 09:00 UTC.
        let paris = tz("Europe/Paris");
        assert!(!at_has_passed(at, paris, utc(2030, 1, 1, 8, 59, 59)));
        assert!(at_has_passed(at, paris, utc(2030, 1, 1, 9, 0, 0)));
        assert!(at_has_passed(at, paris, utc(2030, 1, 1, 9, 0, 1)));
        // 10:00 in UTC has not passed at 09:30 UTC, though Paris's has.
        assert!(!at_has_passed(at, tz("UTC"), utc(2030, 1, 1, 9, 30, 0)));
        assert!(at_has_passed(at, paris, utc(2030, 1, 1, 9, 30, 0)));
        // Kolkata is UTC+5:30: 10:00 local is 04:30 UTC.
        let kolkata = tz("Asia/Kolkata");
        assert!(!at_has_passed(at, kolkata, utc(2030, 1, 1, 4, 29, 59)));
        assert!(at_has_passed(at, kolkata, utc(2030, 1, 1, 4, 30, 0)));
        // New York is UTC-5 in January: 10:00 local is 15:00 UTC.
        let new_york = tz("America/New_York");
        assert!(!at_has_passed(at, new_york, utc(2030, 1, 1, 14, 59, 59)));
        assert!(at_has_passed(at, new_york, utc(2030, 1, 1, 15, 0, 0)));
        // Across the date line: 10:00 on 1 Jan in Kiritimati (UTC+14) is 20:00 UTC on 31 Dec.
        let kiritimati = tz("Pacific/Kiritimati");
        assert!(!at_has_passed(
            at,
            kiritimati,
            utc(2029, 12, 31, 19, 59, 59)
        ));
        assert!(at_has_passed(at, kiritimati, utc(2029, 12, 31, 20, 0, 0)));
    }

    #[test]
    fn dst_gap_counts_as_shifted_instant() {
        // New York springs forward 2030-03-10 02:00 EST -> 03:00 EDT: 02:30
        // does not exist and counts as 02:30 EST = 07:30 UTC (03:30 EDT).
        let new_york = tz("America/New_York");
        let at = naive(2030, 3, 10, 2, 30, 0);
        assert!(new_york.from_local_datetime(&at).earliest().is_none());
        assert!(!at_has_passed(at, new_york, utc(2030, 3, 10, 7, 29, 59)));
        assert!(at_has_passed(at, new_york, utc(2030, 3, 10, 7, 30, 0)));
        // Paris springs forward 2030-03-31 02:00 CET -> 03:00 CEST: 02:30 is
        // 01:30 UTC.
        let paris = tz("Europe/Paris");
        let at = naive(2030, 3, 31, 2, 30, 0);
        assert!(!at_has_passed(at, paris, utc(2030, 3, 31, 1, 29, 59)));
        assert!(at_has_passed(at, paris, utc(2030, 3, 31, 1, 30, 0)));
        // Lord Howe shifts by only 30 minutes: 02:15 on 2030-10-06 does not
        // exist (UTC+10:30 -> +11) and counts as 15:45 UTC the day before.
        let lord_howe = tz("Australia/Lord_Howe");
        let at = naive(2030, 10, 6, 2, 15, 0);
        assert!(lord_howe.from_local_datetime(&at).earliest().is_none());
        assert!(!at_has_passed(at, lord_howe, utc(2030, 10, 5, 15, 44, 59)));
        assert!(at_has_passed(at, lord_howe, utc(2030, 10, 5, 15, 45, 0)));
        // Samoa skipped 2011-12-30 entirely (UTC-10 -> UTC+14): noon that day
        // counts as noon at UTC-10, i.e. 22:00 UTC.
        let apia = tz("Pacific/Apia");
        let at = naive(2011, 12, 30, 12, 0, 0);
        assert!(apia.from_local_datetime(&at).earliest().is_none());
        assert!(!at_has_passed(at, apia, utc(2011, 12, 30, 21, 59, 59)));
        assert!(at_has_passed(at, apia, utc(2011, 12, 30, 22, 0, 0)));
    }

    #[test]
    fn dst_overlap_picks_earliest() {
        // New York falls back 2030-11-03 02:00 EDT -> 01:00 EST: 01:30 happens
        // at 05:30 UTC (EDT) and again at 06:30 UTC (EST); the first counts.
        let new_york = tz("America/New_York");
        let at = naive(2030, 11, 3, 1, 30, 0);
        assert!(!at_has_passed(at, new_york, utc(2030, 11, 3, 5, 29, 59)));
        assert!(at_has_passed(at, new_york, utc(2030, 11, 3, 5, 30, 0)));
        // Paris falls back 2030-10-27 03:00 CEST -> 02:00 CET: 02:30 first
        // happens at 00:30 UTC.
        let paris = tz("Europe/Paris");
        let at = naive(2030, 10, 27, 2, 30, 0);
        assert!(!at_has_passed(at, paris, utc(2030, 10, 27, 0, 29, 59)));
        assert!(at_has_passed(at, paris, utc(2030, 10, 27, 0, 30, 0)));
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let now = utc(2030, 1, 1, 0, 0, 0);
        assert!(at_has_passed(NaiveDateTime::MIN, tz("Pacific/Apia"), now));
        assert!(!at_has_passed(NaiveDateTime::MAX, tz("Pacific/Apia"), now));
        assert!(!at_has_passed(
            NaiveDateTime::MAX,
            tz("Pacific/Kiritimati"),
            now
        ));
    }

    #[test]
    fn at_expressions() {
        let cases = [
            (
                "2030-01-01T09:00:00Z",
                "Europe/Paris",
                "at(2030-01-01T10:00:00)",
            ),
            (
                "2030-07-01T09:00:00Z",
                "Europe/Paris",
                "at(2030-07-01T11:00:00)",
            ),
            ("2030-01-01T09:00:00Z", "UTC", "at(2030-01-01T09:00:00)"),
            ("2030-01-01T09:00:00.999Z", "UTC", "at(2030-01-01T09:00:00)"),
            (
                "2030-01-01T02:00:00Z",
                "America/New_York",
                "at(2029-12-31T21:00:00)",
            ),
            (
                "2030-01-01T10:00:00+01:00",
                "Asia/Kolkata",
                "at(2030-01-01T14:30:00)",
            ),
            (
                "2030-03-10T07:30:00Z",
                "America/New_York",
                "at(2030-03-10T03:30:00)",
            ),
            (
                "2030-11-03T06:30:00Z",
                "America/New_York",
                "at(2030-11-03T01:30:00)",
            ),
            ("2016-12-31T23:59:60Z", "UTC", "at(2016-12-31T23:59:59)"),
            ("9999-12-31T23:00:00Z", "UTC", "at(9999-12-31T23:00:00)"),
        ];
        for (timestamp, zone, expected) in cases {
            assert_eq!(
                at_expression(timestamp, zone).unwrap(),
                expected,
                "{timestamp} {zone}"
            );
        }
        // The output is always something the schedule parser accepts.
        let rendered = at_expression("2030-01-01T09:00:00Z", "Europe/Paris").unwrap();
        assert!(
            crate::validate::schedule_expression::parse_schedule_expression(&rendered)
                .unwrap()
                .is_one_time()
        );
    }

    #[test]
    fn at_expression_errors() {
        let err = at_expression("2030-01-01 09:00", "UTC").unwrap_err();
        assert!(err.contains("not a valid RFC 3339 timestamp"), "{err}");
        let err = at_expression("2030-01-01T09:00:00Z", "Paris").unwrap_err();
        assert!(
            err.contains("an IANA time zone name such as UTC or Europe/Paris"),
            "{err}"
        );
        let err = at_expression("9999-12-31T23:00:00Z", "Asia/Tokyo").unwrap_err();
        assert!(err.contains("outside years 0000-9999"), "{err}");
        let err = at_expression("0000-01-01T00:00:00Z", "America/New_York").unwrap_err();
        assert!(err.contains("outside years 0000-9999"), "{err}");
    }
}
