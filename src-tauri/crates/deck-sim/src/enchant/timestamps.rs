//! Timestamps as Enchant writes them: UTC, ISO8601, whole seconds ("2023-07-25T12:19:33Z").
//! Because every stored timestamp has this one fixed-width shape, comparing the strings
//! compares the instants.

use chrono::{DateTime, Utc};

/// 2025-06-01T12:00:00Z: the fixed instant seeded data is generated relative to, so the same
/// seed gives the same data whatever the wall clock says.
pub const REFERENCE_EPOCH: i64 = 1_748_779_200;

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (years 0..=9999).
///
/// Hand-rolled (civil-from-days) because seeding formats millions of timestamps.
pub fn format_epoch(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let digits = [
        year / 1000 % 10,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
        -1,
        month / 10,
        month % 10,
        -1,
        day / 10,
        day % 10,
        -2,
        secs / 36_000,
        secs / 3_600 % 10,
        -3,
        secs % 3_600 / 600,
        secs % 3_600 / 60 % 10,
        -3,
        secs % 60 / 10,
        secs % 10,
        -4,
    ];
    digits
        .iter()
        .map(|&d| match d {
            -1 => '-',
            -2 => 'T',
            -3 => ':',
            -4 => 'Z',
            d => char::from(b'0' + d as u8),
        })
        .collect()
}

/// Parses a query parameter timestamp (RFC 3339 / ISO8601 with offset, e.g.
/// `2023-08-02T13:41:10Z`) into the stored shape; `None` when it is not a timestamp.
/// Fractions of a second are dropped.
pub fn normalize_query(raw: &str) -> Option<String> {
    // A literal '+' in an unencoded offset arrives as a space after query decoding.
    let fixed = raw.trim().replace(' ', "+");
    let parsed = DateTime::parse_from_rfc3339(&fixed).ok()?;
    Some(format_epoch(parsed.with_timezone(&Utc).timestamp()))
}

/// The time written by API writes: the wall clock, but never before the seeded data.
pub fn now_string() -> String {
    format_epoch(Utc::now().timestamp().max(REFERENCE_EPOCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_normalizes() {
        assert_eq!(format_epoch(REFERENCE_EPOCH), "2025-06-01T12:00:00Z");
        for epoch in [
            0,
            951_782_400,
            1_709_164_799,
            1_709_251_199,
            4_102_444_800,
            1_690_287_573,
        ] {
            let expected = DateTime::<Utc>::from_timestamp(epoch, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            assert_eq!(format_epoch(epoch), expected);
        }
        assert_eq!(
            normalize_query("2023-08-02T13:41:10Z").as_deref(),
            Some("2023-08-02T13:41:10Z")
        );
        assert_eq!(
            normalize_query("2023-08-02T15:41:10 02:00").as_deref(),
            Some("2023-08-02T13:41:10Z")
        );
        assert_eq!(normalize_query("yesterday"), None);
        assert_eq!(normalize_query("2023-08-02"), None);
    }
}
