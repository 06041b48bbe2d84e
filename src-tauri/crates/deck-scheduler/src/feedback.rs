//! What the server said about a request: its status and the rate-limit headers, parsed
//! leniently (anything unparsable is simply absent).

use std::time::{SystemTime, UNIX_EPOCH};

/// A `Reset` value at least this large cannot be a number of seconds (it would be 31 years):
/// it is a Unix timestamp, as Laravel-style `X-RateLimit-Reset` headers (Trengo) send.
const UNIX_TIMESTAMP_FLOOR: i64 = 1_000_000_000;

/// The server's answer to one request, as far as rate limiting is concerned.
///
/// Values are kept as the server sent them (possibly negative or absurd); the scheduler
/// decides what to believe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Feedback {
    /// HTTP status code.
    pub status: u16,
    /// Credits per window (`Rate-Limit-Limit`, `X-RateLimit-Limit`).
    pub limit: Option<i64>,
    /// Credits left in the window after this request (`Rate-Limit-Remaining`,
    /// `X-RateLimit-Remaining`).
    pub remaining: Option<i64>,
    /// Credits this request used (`Rate-Limit-Used`, `X-RateLimit-Used`).
    pub used: Option<i64>,
    /// Seconds until the window resets (`Rate-Limit-Reset`, `X-RateLimit-Reset`; a Unix
    /// timestamp there is turned into seconds from now).
    pub reset_secs: Option<i64>,
    /// Seconds the server asks the client to wait (`Retry-After`, delta-seconds form).
    pub retry_after_secs: Option<i64>,
}

impl Feedback {
    /// A bare status with no rate-limit information.
    pub fn bare(status: u16) -> Self {
        Self {
            status,
            ..Self::default()
        }
    }

    /// Reads the rate-limit headers through `header`, a lookup by name.
    ///
    /// Each header is looked up under several spellings (lowercase, as documented, and
    /// uppercase), so a case-sensitive lookup works too; with an HTTP header map any
    /// spelling matches. Unparsable values are ignored; `Retry-After` as an HTTP date is not
    /// understood and ignored.
    pub fn from_headers(status: u16, header: impl Fn(&str) -> Option<String>) -> Self {
        Self::from_headers_at(status, header, unix_now())
    }

    /// Like [`Feedback::from_headers`], over a list of `(name, value)` pairs whose names are
    /// matched case-insensitively.
    pub fn from_header_pairs<'a>(
        status: u16,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let pairs: Vec<(String, &str)> = pairs
            .into_iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect();
        Self::from_headers(status, |name| {
            let name = name.to_ascii_lowercase();
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    /// [`Feedback::from_headers`] with the current Unix time given, for turning a timestamp
    /// `Reset` into seconds (tests pass a fixed time).
    pub fn from_headers_at(
        status: u16,
        header: impl Fn(&str) -> Option<String>,
        unix_now_secs: i64,
    ) -> Self {
        let read = |names: &[&str]| names.iter().find_map(|name| lookup(&header, name));
        let reset = read(&["Rate-Limit-Reset", "X-RateLimit-Reset"]).map(|value| {
            if value >= UNIX_TIMESTAMP_FLOOR {
                value.saturating_sub(unix_now_secs)
            } else {
                value
            }
        });
        Self {
            status,
            limit: read(&["Rate-Limit-Limit", "X-RateLimit-Limit"]),
            remaining: read(&["Rate-Limit-Remaining", "X-RateLimit-Remaining"]),
            used: read(&["Rate-Limit-Used", "X-RateLimit-Used"]),
            reset_secs: reset,
            retry_after_secs: read(&["Retry-After"]),
        }
    }

    /// Whether the request was refused for rate limiting.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429
    }

    /// Whether the request succeeded.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Looks a header up under the usual spellings and parses it as a whole number.
fn lookup(header: &impl Fn(&str) -> Option<String>, name: &str) -> Option<i64> {
    let spellings = [
        name.to_ascii_lowercase(),
        name.to_string(),
        name.to_ascii_uppercase(),
    ];
    spellings
        .iter()
        .find_map(|spelling| header(spelling))
        .and_then(|value| parse_number(&value))
}

/// A whole number, or a decimal rounded up (a wait of "1.5" seconds is 2); anything else is
/// not a number.
fn parse_number(value: &str) -> Option<i64> {
    let value = value.trim();
    if let Ok(n) = value.parse::<i64>() {
        return Some(n);
    }
    let x = value.parse::<f64>().ok().filter(|x| x.is_finite())?;
    let rounded = x.ceil();
    // Out-of-range decimals are as good as unparsable.
    (rounded.abs() < 9.0e18).then_some(rounded as i64)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_enchant_headers_in_any_case() {
        let headers = map(&[
            ("rate-limit-limit", "100"),
            ("Rate-Limit-Remaining", "98"),
            ("RATE-LIMIT-USED", "2"),
            ("rate-limit-reset", " 20 "),
        ]);
        let fb = Feedback::from_headers(200, |n| headers.get(n).cloned());
        assert_eq!(
            fb,
            Feedback {
                status: 200,
                limit: Some(100),
                remaining: Some(98),
                used: Some(2),
                reset_secs: Some(20),
                retry_after_secs: None,
            }
        );
    }

    #[test]
    fn reads_trengo_headers_and_turns_a_timestamp_reset_into_seconds() {
        let fb = Feedback::from_header_pairs(
            429,
            [
                ("X-RATELIMIT-LIMIT", "120"),
                ("x-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", "1700000042"),
                ("retry-after", "42"),
            ],
        );
        assert_eq!(fb.limit, Some(120));
        assert_eq!(fb.remaining, Some(0));
        assert_eq!(fb.retry_after_secs, Some(42));
        let fixed = Feedback::from_headers_at(
            429,
            |n| (n == "x-ratelimit-reset").then(|| "1700000042".to_string()),
            1_700_000_000,
        );
        assert_eq!(fixed.reset_secs, Some(42));
        assert!(fixed.is_rate_limited());
    }

    #[test]
    fn ignores_unparsable_values_and_rounds_decimals_up() {
        let fb = Feedback::from_header_pairs(
            503,
            [
                ("Rate-Limit-Limit", "lots"),
                ("Rate-Limit-Remaining", ""),
                ("Rate-Limit-Reset", "-5"),
                ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ("Rate-Limit-Used", "1.2"),
            ],
        );
        assert_eq!(fb.limit, None);
        assert_eq!(fb.remaining, None);
        assert_eq!(
            fb.reset_secs,
            Some(-5),
            "kept as sent; the scheduler judges it"
        );
        assert_eq!(fb.retry_after_secs, None);
        assert_eq!(fb.used, Some(2));
        assert_eq!(parse_number("1e30"), None);
        assert_eq!(parse_number("NaN"), None);
    }
}
