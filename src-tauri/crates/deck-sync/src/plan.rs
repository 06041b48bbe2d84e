//! The sync plan: a pure function of what the provider offers and where each resource's last
//! sync stopped.

use chrono::{DateTime, Duration, Utc};
use deck_model::Resource;
use deck_providers::Listing;
use deck_store::Checkpoint;

/// When listings with no change filter are repeated.
#[derive(Clone, Copy, Debug)]
pub struct SweepPolicy {
    /// The time now (injected, so plans are testable).
    pub now: DateTime<Utc>,
    /// A finished listing with no change filter is listed again once it is this old. Until then
    /// the records it holds arrive embedded where a changed ticket needs them.
    pub every: Duration,
}

impl SweepPolicy {
    /// Sweeps hourly.
    pub fn hourly(now: DateTime<Utc>) -> Self {
        SweepPolicy {
            now,
            every: Duration::hours(1),
        }
    }

    fn is_due(&self, cp: &Checkpoint) -> bool {
        let written = cp
            .written_at
            .as_deref()
            .and_then(|w| DateTime::parse_from_rfc3339(w).ok());
        match written {
            Some(w) => self.now.signed_duration_since(w) >= self.every,
            None => true,
        }
    }
}

/// One step of a sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// List a resource page by page, from `cursor` (`None`: from the start). A `sweep` lists
    /// again a finished resource that has no change filter, to find changes and deletions: it
    /// runs on the lowest lane.
    List {
        resource: Resource,
        cursor: Option<String>,
        sweep: bool,
    },
    /// Fetch the threads of tickets whose cached thread is missing or stale.
    Threads,
}

/// The steps of a sync: every globally listed resource in the provider's order, each going on
/// from its checkpoint (the next page of an unfinished listing, or where a finished one said
/// changes start) or from the start where there is none; a finished listing with no change
/// filter only when its sweep is due; then the threads.
pub fn plan(
    resources: &[(Resource, Listing)],
    checkpoint: impl Fn(Resource) -> Option<Checkpoint>,
    sweep: &SweepPolicy,
) -> Vec<Step> {
    let mut steps: Vec<Step> = resources
        .iter()
        .filter(|(_, how)| *how == Listing::Global)
        .filter_map(|(resource, _)| {
            let cp = checkpoint(*resource);
            let finished_unfiltered = cp
                .as_ref()
                .is_some_and(|c| c.complete && c.cursor.is_none());
            let swept_recently =
                finished_unfiltered && cp.as_ref().is_some_and(|c| !sweep.is_due(c));
            // A sweep interrupted midway goes on as one.
            let resumed_sweep = cp
                .as_ref()
                .is_some_and(|c| !c.complete && c.sweep_started_at.is_some() && c.cursor.is_some());
            (!swept_recently).then(|| Step::List {
                resource: *resource,
                sweep: finished_unfiltered || resumed_sweep,
                cursor: cp.and_then(|c| c.cursor),
            })
        })
        .collect();
    if resources
        .iter()
        .any(|(r, how)| *r == Resource::Comments && *how == Listing::PerTicket)
    {
        steps.push(Step::Threads);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_unfinished_listings_and_finished_ones_from_their_changes() {
        let resources = [
            (Resource::Users, Listing::Global),
            (Resource::Contacts, Listing::Global),
            (Resource::Tickets, Listing::Global),
            (Resource::Comments, Listing::PerTicket),
        ];
        let checkpoint = |r| match r {
            // Finished, with no change filter: listed again from the start.
            Resource::Users => Some(Checkpoint {
                cursor: None,
                complete: true,
                ..Checkpoint::default()
            }),
            // Finished, with a change filter: goes on from where changes start.
            Resource::Contacts => Some(Checkpoint {
                cursor: Some("changes".into()),
                complete: true,
                ..Checkpoint::default()
            }),
            // Interrupted: goes on from the next page.
            Resource::Tickets => Some(Checkpoint {
                cursor: Some("t3".into()),
                complete: false,
                ..Checkpoint::default()
            }),
            _ => None,
        };
        let now = Utc::now();
        let steps = plan(&resources, checkpoint, &SweepPolicy::hourly(now));
        let list = |resource, cursor: Option<&str>, sweep| Step::List {
            resource,
            cursor: cursor.map(str::to_string),
            sweep,
        };
        assert_eq!(
            steps,
            vec![
                list(Resource::Users, None, true),
                list(Resource::Contacts, Some("changes"), false),
                list(Resource::Tickets, Some("t3"), false),
                Step::Threads,
            ]
        );
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn listings_without_a_change_filter_wait_for_their_sweep() {
        let resources = [(Resource::Contacts, Listing::Global)];
        let now = DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let done_at = |at: &'static str| {
            move |_| {
                Some(Checkpoint {
                    complete: true,
                    written_at: Some(at.to_string()),
                    ..Checkpoint::default()
                })
            }
        };
        let policy = SweepPolicy::hourly(now);
        assert!(plan(&resources, done_at("2026-01-01T11:30:00Z"), &policy).is_empty());
        assert_eq!(
            plan(&resources, done_at("2026-01-01T10:59:59Z"), &policy).len(),
            1
        );
        assert_eq!(plan(&resources, done_at("garbage"), &policy).len(), 1);
        assert_eq!(plan(&resources, |_| None, &policy).len(), 1);
    }
}
