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

/// The steps of a sync: every globally listed resource in the provider's order, each going on
/// from its checkpoint (the next page of an unfinished listing, or where a finished one said
/// changes start) or from the start where there is none, then the threads.
pub fn plan(
    resources: &[(Resource, Listing)],
    checkpoint: impl Fn(Resource) -> Option<Checkpoint>,
) -> Vec<Step> {
    let mut steps: Vec<Step> = resources
        .iter()
        .filter(|(_, how)| *how == Listing::Global)
        .map(|(resource, _)| Step::List {
            resource: *resource,
            cursor: checkpoint(*resource).and_then(|c| c.cursor),
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
        let steps = plan(&resources, |r| match r {
            // Finished, with no change filter: listed again from the start.
            Resource::Users => Some(Checkpoint {
                cursor: None,
                complete: true,
            }),
            // Finished, with a change filter: goes on from where changes start.
            Resource::Contacts => Some(Checkpoint {
                cursor: Some("changes".into()),
                complete: true,
            }),
            // Interrupted: goes on from the next page.
            Resource::Tickets => Some(Checkpoint {
                cursor: Some("t3".into()),
                complete: false,
            }),
            _ => None,
        });
        let list = |resource, cursor: Option<&str>| Step::List {
            resource,
            cursor: cursor.map(str::to_string),
        };
        assert_eq!(
            steps,
            vec![
                list(Resource::Users, None),
                list(Resource::Contacts, Some("changes")),
                list(Resource::Tickets, Some("t3")),
                Step::Threads,
            ]
        );
    }
}
