//! The sync plan: a pure function of what the provider offers and where each resource's last
//! sync stopped.

use deck_model::Resource;
use deck_providers::Listing;
use deck_store::Checkpoint;

/// One step of a sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// List a resource page by page, from `cursor` (`None`: from the start).
    List {
        resource: Resource,
        cursor: Option<String>,
    },
    /// Fetch the threads of tickets whose cached thread is missing or stale.
    Threads,
}

/// The steps of a sync: every globally listed resource in the provider's order, each resuming
/// from an unfinished checkpoint or starting over after a finished one, then the threads.
pub fn plan(
    resources: &[(Resource, Listing)],
    checkpoint: impl Fn(Resource) -> Option<Checkpoint>,
) -> Vec<Step> {
    let mut steps: Vec<Step> = resources
        .iter()
        .filter(|(_, how)| *how == Listing::Global)
        .map(|(resource, _)| Step::List {
            resource: *resource,
            cursor: checkpoint(*resource)
                .filter(|c| !c.complete)
                .and_then(|c| c.cursor),
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
    fn resumes_unfinished_listings_and_restarts_finished_ones() {
        let resources = [
            (Resource::Users, Listing::Global),
            (Resource::Tickets, Listing::Global),
            (Resource::Comments, Listing::PerTicket),
        ];
        let steps = plan(&resources, |r| match r {
            Resource::Users => Some(Checkpoint {
                cursor: Some("u".into()),
                complete: true,
            }),
            Resource::Tickets => Some(Checkpoint {
                cursor: Some("t3".into()),
                complete: false,
            }),
            _ => None,
        });
        assert_eq!(
            steps,
            vec![
                Step::List {
                    resource: Resource::Users,
                    cursor: None
                },
                Step::List {
                    resource: Resource::Tickets,
                    cursor: Some("t3".into())
                },
                Step::Threads,
            ]
        );
    }
}
