//! Misbehaviour injected on purpose, to test clients' handling of rate limits, server
//! errors, slow answers, dropped connections, stalled writes, an unavailable help desk,
//! malformed bodies, broken paging and lying headers.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde_json::Value;

/// How the `Rate-Limit-*` headers lie (see [`super::RunningSim::set_header_lies`]). The
/// limiter's real enforcement is unchanged whatever they say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HeaderLies {
    /// Truthful headers.
    #[default]
    None,
    /// `Rate-Limit-Remaining` always reads the full limit, so it jumps back up after every
    /// spend within a window while the real credits keep running out.
    RemainingJumpsUp,
    /// `Rate-Limit-Reset` is the negated real value (e.g. `-60`).
    NegativeReset,
    /// `Rate-Limit-Reset` is [`HeaderLies::HUGE_RESET`] seconds (about 136 years).
    HugeReset,
    /// No `Rate-Limit-*` header at all (nor in an envelope's `headers`).
    Missing,
    /// Every `Rate-Limit-*` header holds text that is no number (e.g. `soon`), as strings in
    /// an envelope.
    Garbage,
}

impl HeaderLies {
    /// The `Rate-Limit-Reset` value under [`HeaderLies::HugeReset`].
    pub const HUGE_RESET: u64 = u32::MAX as u64;

    /// Every variant, in declaration order.
    pub const ALL: [HeaderLies; 6] = [
        HeaderLies::None,
        HeaderLies::RemainingJumpsUp,
        HeaderLies::NegativeReset,
        HeaderLies::HugeReset,
        HeaderLies::Missing,
        HeaderLies::Garbage,
    ];

    /// The kebab-case name `FromStr` accepts (`none`, `remaining-jumps-up`, ...).
    pub fn name(self) -> &'static str {
        match self {
            HeaderLies::None => "none",
            HeaderLies::RemainingJumpsUp => "remaining-jumps-up",
            HeaderLies::NegativeReset => "negative-reset",
            HeaderLies::HugeReset => "huge-reset",
            HeaderLies::Missing => "missing",
            HeaderLies::Garbage => "garbage",
        }
    }

    /// The headers (name as documented, value) for the true `limit`, `remaining`, `used`
    /// and `reset` seconds; numbers unless the lie is [`HeaderLies::Garbage`].
    pub(crate) fn apply(
        self,
        limit: u32,
        remaining: u32,
        used: u32,
        reset: u64,
    ) -> Vec<(&'static str, Value)> {
        let numbers = |remaining: Value, reset: Value| {
            vec![
                ("Rate-Limit-Limit", Value::from(limit)),
                ("Rate-Limit-Remaining", remaining),
                ("Rate-Limit-Used", Value::from(used)),
                ("Rate-Limit-Reset", reset),
            ]
        };
        match self {
            HeaderLies::None => numbers(remaining.into(), reset.into()),
            HeaderLies::RemainingJumpsUp => numbers(limit.into(), reset.into()),
            HeaderLies::NegativeReset => {
                let reset = i64::try_from(reset).unwrap_or(i64::MAX);
                numbers(remaining.into(), Value::from(-reset))
            }
            HeaderLies::HugeReset => numbers(remaining.into(), Self::HUGE_RESET.into()),
            HeaderLies::Missing => Vec::new(),
            HeaderLies::Garbage => vec![
                ("Rate-Limit-Limit", Value::from("unlimited")),
                ("Rate-Limit-Remaining", Value::from("plenty")),
                ("Rate-Limit-Used", Value::from("some")),
                ("Rate-Limit-Reset", Value::from("soon")),
            ],
        }
    }
}

impl fmt::Display for HeaderLies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HeaderLies {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|l| l.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|l| l.name()).collect();
                format!("unknown header lie {s:?}; one of: {}", names.join(", "))
            })
    }
}

/// The faults currently armed.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// How many of the next admitted requests answer `server_error_status` (no body).
    pub server_errors: u32,
    pub server_error_status: u16,
    /// Delay before every answer.
    pub delay: Duration,
    /// How many of the next authenticated requests answer 429 without being admitted.
    pub rate_limits: u32,
    /// `Retry-After` seconds sent with those 429s.
    pub retry_after: Option<u32>,
    /// How many of the next requests lose their connection instead of an answer.
    pub drops: u32,
    /// Whether those requests are processed before their connection drops.
    pub drop_after_work: bool,
    /// How many of the next write requests wait `stall` between their work and their answer.
    pub stalls: u32,
    pub stall: Duration,
    /// Whether the help desk is down: every request loses its connection unanswered.
    pub unavailable: bool,
    /// How many of the next successful GETs answer `malformed_body` instead.
    pub malformed: u32,
    pub malformed_body: String,
    /// Whether every tickets list answers the page it answered the previous time.
    pub repeat_pages: bool,
    /// The last tickets page answered while `repeat_pages` is on.
    pub last_page: Option<Value>,
    pub header_lies: HeaderLies,
}

/// What happens to a request's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropMode {
    /// Closed before any work: nothing is processed.
    Before,
    /// Closed once the request was fully processed, instead of sending the answer.
    AfterWork,
}

impl Faults {
    /// Takes one armed dropped connection, if any.
    pub fn take_drop(&mut self) -> Option<DropMode> {
        if self.drops == 0 {
            return None;
        }
        self.drops -= 1;
        Some(if self.drop_after_work {
            DropMode::AfterWork
        } else {
            DropMode::Before
        })
    }

    /// Takes one armed stall of a write, if any: how long to wait before answering.
    pub fn take_stall(&mut self) -> Option<Duration> {
        if self.stalls == 0 {
            return None;
        }
        self.stalls -= 1;
        Some(self.stall)
    }

    /// Takes one armed 429, with its `Retry-After`, if any.
    pub fn take_rate_limit(&mut self) -> Option<Option<u32>> {
        if self.rate_limits == 0 {
            return None;
        }
        self.rate_limits -= 1;
        Some(self.retry_after)
    }

    /// Takes one armed malformed body, if any.
    pub fn take_malformed(&mut self) -> Option<String> {
        if self.malformed == 0 {
            return None;
        }
        self.malformed -= 1;
        Some(self.malformed_body.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lies_parse_their_names() {
        for lie in HeaderLies::ALL {
            assert_eq!(lie.name().parse::<HeaderLies>(), Ok(lie));
            assert_eq!(lie.to_string(), lie.name());
        }
        assert_eq!(
            "Remaining_Jumps_Up".parse::<HeaderLies>(),
            Ok(HeaderLies::RemainingJumpsUp)
        );
        assert!("sometimes".parse::<HeaderLies>().is_err());
    }

    #[test]
    fn lies_change_only_what_they_say() {
        let truth = HeaderLies::None.apply(100, 40, 2, 30);
        let value =
            |h: &[(&str, Value)], n: &str| h.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        assert_eq!(value(&truth, "Rate-Limit-Remaining"), Some(40.into()));
        let up = HeaderLies::RemainingJumpsUp.apply(100, 40, 2, 30);
        assert_eq!(value(&up, "Rate-Limit-Remaining"), Some(100.into()));
        assert_eq!(value(&up, "Rate-Limit-Reset"), Some(30.into()));
        let neg = HeaderLies::NegativeReset.apply(100, 40, 2, 30);
        assert_eq!(value(&neg, "Rate-Limit-Reset"), Some((-30).into()));
        let huge = HeaderLies::HugeReset.apply(100, 40, 2, 30);
        assert_eq!(
            value(&huge, "Rate-Limit-Reset"),
            Some(HeaderLies::HUGE_RESET.into())
        );
        assert!(HeaderLies::Missing.apply(100, 40, 2, 30).is_empty());
        assert!(
            HeaderLies::Garbage
                .apply(100, 40, 2, 30)
                .iter()
                .all(|(_, v)| v.is_string())
        );
    }
}
