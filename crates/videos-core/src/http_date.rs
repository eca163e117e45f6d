//! HTTP dates (RFC 9110 §5.6.7), as a `Retry-After` header may carry one.
//!
//! All three forms a recipient must accept: the IMF-fixdate servers send
//! (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850
//! (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
//! (`Sun Nov  6 08:49:37 1994`) forms. Anything else, including impossible
//! dates, a weekday the date does not fall on, and years before 1970, is
//! `None`, so a garbled header is no hint rather than a wrong one.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The instant `text` names, if it is an HTTP date.
pub(crate) fn parse(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    imf_fixdate(text).or_else(|| rfc850(text)).or_else(|| asctime(text))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" || [7, 11, 16].iter().any(|&i| b[i] != b' ') {
        return None;
    }
    let weekday = short_weekday(s)?;
    instant(weekday, number(&b[12..16])?, month(&b[8..11])?, number(&b[5..7])?, &b[17..25])
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850(s: &str) -> Option<SystemTime> {
    let (day_name, rest) = s.split_once(", ")?;
    let b = rest.as_bytes();
    if b.len() != 22 || b[2] != b'-' || b[6] != b'-' || b[9] != b' ' || &b[18..] != b" GMT" {
        return None;
    }
    let weekday = LONG_DAYS.iter().position(|d| *d == day_name)?;
    // Two-digit years: 70-99 are the 1900s, the rest the 2000s (dates
    // before 1970 cannot be represented anyway).
    let yy = number(&b[7..9])?;
    let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
    instant(weekday, year, month(&b[3..6])?, number(&b[0..2])?, &b[10..18])
}

/// `Sun Nov  6 08:49:37 1994` (the day of the month is space-padded)
fn asctime(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 24 || [3, 7, 10, 19].iter().any(|&i| b[i] != b' ') {
        return None;
    }
    let weekday = short_weekday(s)?;
    let day = if b[8] == b' ' { number(&b[9..10])? } else { number(&b[8..10])? };
    instant(weekday, number(&b[20..24])?, month(&b[4..7])?, day, &b[11..19])
}

/// The weekday (0 is Monday) that `s` starts with, as `Sun`.
fn short_weekday(s: &str) -> Option<usize> {
    DAYS.iter().position(|d| Some(*d) == s.get(..3))
}

/// A run of ASCII digits as a number.
fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
}

/// 1 to 12.
fn month(name: &[u8]) -> Option<u64> {
    MONTHS.iter().position(|m| m.as_bytes() == name).map(|i| i as u64 + 1)
}

fn leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// `HH:MM:SS` on that day, in UTC, if the day is a `weekday` (0 is
/// Monday). A leap second (`:60`) is accepted.
fn instant(weekday: usize, year: u64, month: u64, day: u64, time: &[u8]) -> Option<SystemTime> {
    if time.len() != 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (hour, minute, second) = (number(&time[0..2])?, number(&time[3..5])?, number(&time[6..8])?);
    if !(1970..=9999).contains(&year) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let month_days = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if day == 0 || day > month_days[(month - 1) as usize] {
        return None;
    }
    // Days before this date since 1970-01-01: whole years, then months.
    let years_days: u64 = (1970..year).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let days = years_days + month_days[..(month - 1) as usize].iter().sum::<u64>() + day - 1;
    // 1970-01-01 was a Thursday.
    if (days + 3) % 7 != weekday as u64 {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::from_secs(days * 86_400 + hour * 3_600 + minute * 60 + second))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1994-11-06 08:49:37 UTC.
    const EXAMPLE: u64 = 784_111_777;

    fn at(secs: u64) -> Option<SystemTime> {
        Some(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn the_three_forms_of_one_instant() {
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), at(EXAMPLE));
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), at(EXAMPLE));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), at(EXAMPLE));
        assert_eq!(parse("  Sun, 06 Nov 1994 08:49:37 GMT "), at(EXAMPLE), "surrounding space is trimmed");
    }

    #[test]
    fn edges_of_the_calendar() {
        assert_eq!(parse("Thu, 01 Jan 1970 00:00:00 GMT"), at(0));
        assert_eq!(parse("Tue, 29 Feb 2000 12:00:00 GMT"), at(951_825_600));
        assert_eq!(parse("Wed, 31 Dec 2025 23:59:60 GMT"), at(1_767_225_600), "a leap second is the next second");
        assert_eq!(parse("Thursday, 01-Jan-70 00:00:00 GMT"), at(0));
        assert_eq!(parse("Wednesday, 02-Dec-26 01:02:03 GMT"), at(1_796_173_323));
        assert_eq!(parse("Fri Dec 31 23:59:59 9999"), at(253_402_300_799));
    }

    #[test]
    fn anything_else_is_none() {
        for text in [
            "",
            "120",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 GMT+1",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 31 Apr 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:61:37 GMT",
            "Sun, 06 Nob 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMTé",
            "é, 06 Nov 1994 08:49:37 GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Monday, 06-Nov-94 08:49:37 GMT",
            "Mon Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    proptest::proptest! {
        /// httpdate, an independent implementation, formats any instant
        /// from 1970 to 9999 as an IMF-fixdate; this parser reads it back,
        /// and both read the obsolete forms of it alike.
        #[test]
        fn agrees_with_an_independent_implementation(secs in 0u64..253_402_300_800) {
            let instant = UNIX_EPOCH + Duration::from_secs(secs);
            let imf = httpdate::fmt_http_date(instant);
            proptest::prop_assert_eq!(parse(&imf), Some(instant));
            let (day, rest) = imf.split_once(", ").unwrap();
            let (dd, mon, yyyy, time) = (&rest[0..2], &rest[3..6], &rest[7..11], &rest[12..20]);
            let long = LONG_DAYS[DAYS.iter().position(|d| *d == day).unwrap()];
            let asc = format!("{day} {mon} {:>2} {time} {yyyy}", dd.trim_start_matches('0'));
            proptest::prop_assert_eq!(parse(&asc), httpdate::parse_http_date(&asc).ok());
            proptest::prop_assert_eq!(parse(&asc), Some(instant));
            // Two-digit years name 1970 to 2069.
            if *yyyy < *"2070" {
                let old = format!("{long}, {dd}-{mon}-{} {time} GMT", &yyyy[2..]);
                proptest::prop_assert_eq!(parse(&old), Some(instant));
                proptest::prop_assert_eq!(parse(&old), httpdate::parse_http_date(&old).ok());
            }
        }

        /// Any text, or text shaped like a date with any numbers in it:
        /// no panic, and the same answer as httpdate.
        #[test]
        fn any_text_reads_as_httpdate_reads_it(
            text in "\\PC{0,40}|(Mon|Thu|Sun), [0-3][0-9] (Jan|Feb|Dec) (19[6-9][0-9]|20[0-9][0-9]) [0-2][0-9]:[0-6][0-9]:[0-5][0-9] GMT"
        ) {
            proptest::prop_assert_eq!(parse(&text), httpdate::parse_http_date(&text).ok());
        }
    }
}
