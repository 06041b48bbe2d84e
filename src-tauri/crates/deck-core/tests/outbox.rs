//! Writes through the outbox against the simulated Enchant: shown in the cache at once, sent
//! once, kept with their reason when refused, checked on the helpdesk when an answer is lost,
//! and turned into a conflict when the helpdesk changed the same field meanwhile.

mod support;

use deck_core::ErrorCode;
use deck_core::views::ConflictChoice;
use deck_model::{
    AttachmentInput, Author, CommentInput, ContactInput, Email, IdName, TicketPatch, Write,
};

fn id(id: &str) -> IdName {
    IdName {
        id: id.into(),
        name: None,
    }
}

fn note(ticket: &str, agent: &str, body: &str) -> CommentInput {
    CommentInput {
        ticket: id(ticket),
        body: Some(body.into()),
        is_internal: true,
        author: Some(Author {
            id: Some(agent.into()),
            kind: Some("user".into()),
            ..Author::default()
        }),
        ..CommentInput::default()
    }
}

fn notes_with_body(sim: &deck_sim::RunningSim, ticket: &str, body: &str) -> usize {
    sim.dataset().messages[ticket]
        .iter()
        .filter(|m| m.body == body)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn ticket_changes_show_at_once_and_land_once() {
    let helpdesk = support::synced(11, 20, "tok-outbox-ticket").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let ticket = data
        .tickets
        .iter()
        .find(|t| !t.spam && !t.trash && t.label_ids.len() < data.labels.len())
        .unwrap();
    let agent = &data.users[0];
    let new_tag = data
        .labels
        .iter()
        .find(|l| !ticket.label_ids.contains(&l.id))
        .unwrap();

    let item = deck
        .enqueue(
            account.id,
            Write::UpdateTicket {
                ticket_id: ticket.id.clone(),
                patch: TicketPatch {
                    status: Some("closed".into()),
                    assignees: Some(vec![id(&agent.id)]),
                    ..TicketPatch::default()
                },
                base: TicketPatch::default(),
            },
        )
        .unwrap();
    assert_eq!(item.state, "pending");
    assert_eq!(item.fields, vec!["status", "assignees"]);
    deck.enqueue(
        account.id,
        Write::AddTags {
            ticket_id: ticket.id.clone(),
            tag_ids: vec![new_tag.id.clone()],
        },
    )
    .unwrap();

    // Shown before the helpdesk has it.
    let shown = deck.get_ticket(account.id, &ticket.id).unwrap();
    assert_eq!(shown.ticket.status, "closed");
    assert_eq!(shown.ticket.assignee.as_ref().unwrap().id, agent.id);
    assert!(shown.ticket.tags.iter().any(|t| t.id == new_tag.id));
    assert_eq!(shown.outbox.len(), 2);

    // A sync meanwhile does not hide the pending changes.
    deck.sync(Some(account.id)).await.unwrap();
    assert_eq!(
        deck.get_ticket(account.id, &ticket.id)
            .unwrap()
            .ticket
            .status,
        "closed"
    );

    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    let after = sim.dataset();
    let t = after.tickets.iter().find(|t| t.id == ticket.id).unwrap();
    assert_eq!(t.user_id.as_deref(), Some(agent.id.as_str()));
    assert!(t.label_ids.contains(&new_tag.id));
    assert_eq!(format!("{:?}", t.state).to_lowercase(), "closed");
    assert!(
        deck.list_outbox(Some(account.id), false)
            .unwrap()
            .is_empty()
    );
    let view = deck.get_ticket(account.id, &ticket.id).unwrap();
    assert_eq!(view.ticket.status, "closed");
    assert!(view.outbox.is_empty());

    // Removing the tag again.
    deck.enqueue(
        account.id,
        Write::RemoveTags {
            ticket_id: ticket.id.clone(),
            tag_ids: vec![new_tag.id.clone()],
        },
    )
    .unwrap();
    assert_eq!(deck.flush_outbox(account.id).await.unwrap().sent, 1);
    let t = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.id == ticket.id)
        .unwrap();
    assert!(!t.label_ids.contains(&new_tag.id));
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_with_an_attachment_reaches_the_thread_marked_internal() {
    let helpdesk = support::synced(12, 10, "tok-outbox-note").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let ticket = &data.tickets[0];
    let agent = &data.users[0];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, b"%PDF-1.4 a tiny invoice").unwrap();

    let mut input = note(&ticket.id, &agent.id, "Asked billing to check.");
    input.attachments = vec![AttachmentInput {
        path: file.to_string_lossy().into_owned(),
        ..AttachmentInput::default()
    }];
    deck.enqueue(account.id, Write::CreateComment { comment: input })
        .unwrap();
    // The original may go: the outbox holds a copy.
    std::fs::remove_file(&file).unwrap();
    let pending = deck.get_ticket(account.id, &ticket.id).unwrap();
    let local = pending.comments.last().unwrap();
    assert!(local.is_internal);
    assert_eq!(local.outbox_state.as_deref(), Some("pending"));
    assert_eq!(local.attachments[0].file_name, "invoice.pdf");
    assert_eq!(
        local.attachments[0].content_type.as_deref(),
        Some("application/pdf")
    );

    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let stored = sim.dataset().messages[&ticket.id].last().unwrap().clone();
    assert_eq!(stored.body, "Asked billing to check.");
    assert_eq!(stored.attachments.len(), 1);
    assert_eq!(stored.attachments[0].name, "invoice.pdf");
    assert_eq!(stored.attachments[0].size, 23);
    let view = deck.get_ticket(account.id, &ticket.id).unwrap();
    let last = view.comments.last().unwrap();
    assert_eq!(
        last.id, stored.id,
        "the local note gave way to the helpdesk's"
    );
    assert!(last.is_internal);
    assert_eq!(last.outbox_state, None);
    assert!(view.comments.iter().all(|c| !c.id.starts_with("local-")));
    // The file sent from here can be opened again; the helpdesk's API hands out no content.
    assert!(last.attachments[0].available);
    let kept = deck
        .attachment_file(account.id, &stored.attachments[0].id)
        .unwrap();
    assert_eq!(std::fs::read(kept).unwrap(), b"%PDF-1.4 a tiny invoice");
    let others = view
        .comments
        .iter()
        .flat_map(|c| &c.attachments)
        .find(|a| a.id != stored.attachments[0].id);
    if let Some(other) = others {
        assert!(!other.available);
        let e = deck.attachment_file(account.id, &other.id).unwrap_err();
        assert!(e.message.contains("open it in the helpdesk"), "{e:?}");
    }
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_checked_before_sending_again() {
    let helpdesk = support::synced(13, 10, "tok-outbox-lost").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let ticket = &data.tickets[1];
    let body = "Refund approved, lost answer.";
    deck.enqueue(
        account.id,
        Write::CreateComment {
            comment: note(&ticket.id, &data.users[0].id, body),
        },
    )
    .unwrap();
    // The helpdesk stores the note, then the connection drops before the answer.
    sim.drop_connections(1, true);
    let first = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(first.sent, 0, "{first:?}");
    assert_eq!(notes_with_body(sim, &ticket.id, body), 1);
    let waiting = deck.list_outbox(Some(account.id), false).unwrap();
    assert_eq!(waiting[0].state, "pending");
    assert_eq!(waiting[0].error.as_ref().unwrap().code, ErrorCode::Offline);

    deck.retry_outbox(waiting[0].id).unwrap();
    let second = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(second.sent, 1, "{second:?}");
    assert_eq!(
        notes_with_body(sim, &ticket.id, body),
        1,
        "sent exactly once"
    );
    let view = deck.get_ticket(account.id, &ticket.id).unwrap();
    assert_eq!(
        view.comments
            .iter()
            .filter(|c| c.body.as_deref() == Some(body))
            .count(),
        1
    );
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_field_changed_on_both_sides_is_a_conflict() {
    let helpdesk = support::synced(14, 10, "tok-outbox-conflict").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    // `change_tickets(1)` edits the first ticket's subject.
    let ticket_id = sim.dataset().tickets[0].id.clone();
    let agent = sim.dataset().users[1].id.clone();
    deck.enqueue(
        account.id,
        Write::UpdateTicket {
            ticket_id: ticket_id.clone(),
            patch: TicketPatch {
                name: Some("Mine".into()),
                assignees: Some(vec![id(&agent)]),
                ..TicketPatch::default()
            },
            base: TicketPatch::default(),
        },
    )
    .unwrap();
    // Someone else edits the subject on the helpdesk meanwhile.
    let theirs = {
        assert_eq!(sim.change_tickets(1), vec![ticket_id.clone()]);
        sim.dataset()
            .tickets
            .into_iter()
            .find(|t| t.id == ticket_id)
            .unwrap()
            .subject
    };
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.conflicts, 1, "{report:?}");
    let item = &deck.list_outbox(Some(account.id), false).unwrap()[0];
    assert_eq!(item.state, "conflict");
    assert_eq!(item.conflicts.len(), 1, "{:?}", item.conflicts);
    assert_eq!(item.conflicts[0].field, "name");
    assert_eq!(item.conflicts[0].yours, "Mine");
    assert_eq!(item.conflicts[0].theirs, theirs.as_str());
    // The cache shows the helpdesk's version while the user decides.
    assert_eq!(
        deck.get_ticket(account.id, &ticket_id)
            .unwrap()
            .ticket
            .subject,
        theirs
    );

    deck.resolve_conflict(
        item.id,
        &[ConflictChoice {
            field: "name".into(),
            keep_mine: true,
        }],
    )
    .unwrap();
    assert_eq!(deck.flush_outbox(account.id).await.unwrap().sent, 1);
    let t = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.id == ticket_id)
        .unwrap();
    assert_eq!(t.subject, "Mine");
    assert_eq!(t.user_id.as_deref(), Some(agent.as_str()));
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_writes_are_refused_or_kept_with_their_reason() {
    let helpdesk = support::synced(15, 10, "tok-outbox-bad").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let ticket = &data.tickets[0];

    // A note without an author and without a body: refused before anything is stored.
    let mut anonymous = note(&ticket.id, "", " ");
    anonymous.author = None;
    let e = deck
        .enqueue(account.id, Write::CreateComment { comment: anonymous })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let fields: Vec<&str> = e.failures.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"author") && fields.contains(&"body"),
        "{e:?}"
    );

    // A file over the limit, and one that cannot be read.
    deck.set_attachment_limit(1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    std::fs::write(&big, vec![7u8; 1024 * 1024 + 1]).unwrap();
    for (path, words) in [
        (big.to_string_lossy().into_owned(), "at most 1 MiB"),
        ("/no/such/file.txt".to_string(), "cannot read"),
    ] {
        let mut n = note(&ticket.id, &data.users[0].id, "see file");
        n.attachments = vec![AttachmentInput {
            path,
            ..AttachmentInput::default()
        }];
        let e = deck
            .enqueue(account.id, Write::CreateComment { comment: n })
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains(words), "{e:?}");
    }

    // An identity of an unknown type.
    let contact = &data.customers[0].id;
    let e = deck
        .update_contact(
            account.id,
            contact,
            ContactInput {
                emails: Some(vec![Email {
                    email: "not an address".into(),
                    kind: None,
                }]),
                ..ContactInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    assert!(
        deck.list_outbox(Some(account.id), false)
            .unwrap()
            .is_empty()
    );

    // A write to a ticket deleted meanwhile: failed, kept with the reason, then discarded.
    deck.enqueue(
        account.id,
        Write::CreateComment {
            comment: note(&ticket.id, &data.users[0].id, "Too late"),
        },
    )
    .unwrap();
    sim.delete_ticket(&ticket.id);
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.failed, 1, "{report:?}");
    let failed = &deck.list_outbox(Some(account.id), false).unwrap()[0];
    assert_eq!(failed.state, "failed");
    let err = failed.error.as_ref().unwrap();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("deleted meanwhile"), "{err:?}");
    // The thread no longer shows the note as sent; the outbox keeps it.
    let view = deck.get_ticket(account.id, &ticket.id).unwrap();
    assert!(
        view.comments
            .iter()
            .all(|c| c.body.as_deref() != Some("Too late"))
    );
    assert_eq!(view.outbox.len(), 1);
    // An edit keeps what the write does and to which record; it goes again.
    let mut edited = failed.write.clone();
    if let Write::CreateComment { comment } = &mut edited {
        comment.body = Some("Too late, edited".into());
    }
    let again = deck.edit_outbox(failed.id, edited).unwrap();
    assert_eq!(again.state, "pending");
    assert_eq!(deck.flush_outbox(account.id).await.unwrap().failed, 1);
    let moved = Write::CreateComment {
        comment: note(&data.tickets[1].id, &data.users[0].id, "elsewhere"),
    };
    assert_eq!(
        deck.edit_outbox(failed.id, moved).unwrap_err().code,
        ErrorCode::Validation
    );
    deck.discard_outbox(failed.id).unwrap();
    assert!(
        deck.list_outbox(Some(account.id), false)
            .unwrap()
            .is_empty()
    );

    // A write the helpdesk refuses (an unknown tag: 422) waits for the user without holding
    // up later writes on the same ticket.
    let other = &data.tickets[1];
    deck.enqueue(
        account.id,
        Write::AddTags {
            ticket_id: other.id.clone(),
            tag_ids: vec!["no-such-tag".into()],
        },
    )
    .unwrap();
    deck.enqueue(
        account.id,
        Write::UpdateTicket {
            ticket_id: other.id.clone(),
            patch: TicketPatch {
                status: Some("hold".into()),
                ..TicketPatch::default()
            },
            base: TicketPatch::default(),
        },
    )
    .unwrap();
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!((report.failed, report.sent), (1, 1), "{report:?}");
    let refused = &deck.list_outbox(Some(account.id), false).unwrap()[0];
    assert_eq!(refused.error.as_ref().unwrap().code, ErrorCode::Validation);
    assert!(
        refused
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("no-such-tag"),
        "{refused:?}"
    );
    let t = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.id == other.id)
        .unwrap();
    assert_eq!(format!("{:?}", t.state).to_lowercase(), "hold");
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_made_while_the_helpdesk_is_down_land_once_it_is_back() {
    let helpdesk = support::synced(16, 10, "tok-outbox-down").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let contact_email = "new.person@example.com";
    sim.set_unavailable(true);
    deck.create_contact(
        account.id,
        ContactInput {
            first_name: Some("New".into()),
            last_name: Some("Person".into()),
            emails: Some(vec![Email {
                email: contact_email.into(),
                kind: None,
            }]),
            ..ContactInput::default()
        },
    )
    .unwrap();
    deck.enqueue(
        account.id,
        Write::CreateComment {
            comment: note(&data.tickets[0].id, &data.users[0].id, "Written offline"),
        },
    )
    .unwrap();
    let down = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(down.sent, 0, "{down:?}");
    assert_eq!(down.waiting, 2, "{down:?}");
    let contacts = deck
        .list_contacts(account.id, Some("new.person"), 0, 10)
        .unwrap();
    assert_eq!(contacts.total, 1, "shown while waiting");

    sim.set_unavailable(false);
    for item in deck.list_outbox(Some(account.id), false).unwrap() {
        deck.retry_outbox(item.id).unwrap();
    }
    let up = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(up.sent, 2, "{up:?}");
    let customers = sim.dataset().customers;
    assert_eq!(
        customers
            .iter()
            .filter(|c| c.contacts.iter().any(|p| p.value == contact_email))
            .count(),
        1
    );
    assert_eq!(
        notes_with_body(sim, &data.tickets[0].id, "Written offline"),
        1
    );
    let contacts = deck
        .list_contacts(account.id, Some("new.person"), 0, 10)
        .unwrap();
    assert_eq!(contacts.total, 1);
    assert!(!contacts.rows[0].id.starts_with("local-"));

    // Editing it: a name and one more identity, one fewer.
    let cid = contacts.rows[0].id.clone();
    deck.update_contact(
        account.id,
        &cid,
        ContactInput {
            first_name: Some("Newer".into()),
            emails: Some(vec![]),
            phones: Some(vec![deck_model::Phone {
                number: "+1 555 0100".into(),
                kind: None,
            }]),
            ..ContactInput::default()
        },
    )
    .unwrap();
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.sent, 3, "{report:?}");
    let c = sim
        .dataset()
        .customers
        .into_iter()
        .find(|c| c.id == cid)
        .unwrap();
    assert_eq!(c.first_name.as_deref(), Some("Newer"));
    let points: Vec<(String, String)> = c
        .contacts
        .iter()
        .map(|p| (format!("{:?}", p.kind).to_lowercase(), p.value.clone()))
        .collect();
    assert_eq!(points, vec![("phone".into(), "+1 555 0100".into())]);
    helpdesk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tickets_and_replies_are_created_in_truto_shapes() {
    let helpdesk = support::synced(17, 8, "tok-outbox-create").await;
    let (sim, deck, account) = (&helpdesk.sim, &helpdesk.deck, &helpdesk.account);
    let data = sim.dataset();
    let agent = &data.users[0];
    let existing = &data.customers[1];

    // A ticket for a new contact, with its first message from them.
    let new = deck
        .enqueue(
            account.id,
            Write::CreateTicket {
                ticket: deck_model::TicketInput {
                    name: "Parcel never arrived".into(),
                    description: Some("Ordered on Monday, still nothing.".into()),
                    contact: deck_model::NewTicketContact::New(ContactInput {
                        first_name: Some("Grace".into()),
                        last_name: Some("Hopper".into()),
                        emails: Some(vec![Email {
                            email: "grace@example.com".into(),
                            kind: None,
                        }]),
                        ..ContactInput::default()
                    }),
                    assignees: vec![id(&agent.id)],
                    collections: vec![],
                },
            },
        )
        .unwrap();
    assert!(new.target_id.starts_with("local-"));
    assert_eq!(
        deck.list_tickets(&deck_core::views::TicketQuery {
            search: Some("Parcel".into()),
            ..Default::default()
        })
        .unwrap()
        .total,
        1,
        "listed before the helpdesk has it"
    );
    // A reply on it, queued before the ticket exists on the helpdesk: it waits for it.
    deck.enqueue(
        account.id,
        Write::CreateComment {
            comment: CommentInput {
                ticket: id(&new.target_id),
                html_body: Some("<p>We are <b>on it</b>.</p>".into()),
                author: Some(Author {
                    id: Some(agent.id.clone()),
                    kind: Some("user".into()),
                    ..Author::default()
                }),
                receiver: Some(Email {
                    email: "grace@example.com".into(),
                    kind: None,
                }),
                ..CommentInput::default()
            },
        },
    )
    .unwrap();
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    let created = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.subject == "Parcel never arrived")
        .unwrap();
    assert_eq!(created.user_id.as_deref(), Some(agent.id.as_str()));
    let customer = sim
        .dataset()
        .customers
        .into_iter()
        .find(|c| c.id == created.customer_id)
        .unwrap();
    assert_eq!(customer.first_name.as_deref(), Some("Grace"));
    let thread = sim.messages_of(&created.id);
    assert_eq!(thread.len(), 2, "the first message and the reply");
    assert_eq!(thread[0].body, "Ordered on Monday, still nothing.");
    assert_eq!(
        format!("{:?}", thread[0].direction).to_lowercase(),
        "some(in)"
    );
    assert_eq!(thread[1].body, "<p>We are <b>on it</b>.</p>");
    assert!(thread[1].htmlized);
    assert_eq!(thread[1].to.as_deref(), Some("grace@example.com"));
    // The cache holds the helpdesk's ticket, not the placeholder.
    let listed = deck
        .list_tickets(&deck_core::views::TicketQuery {
            search: Some("Parcel".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.rows[0].id, created.id);

    // A ticket for an existing contact; a message from the customer on another ticket, its
    // sender filled in from the cached contact.
    deck.enqueue(
        account.id,
        Write::CreateTicket {
            ticket: deck_model::TicketInput {
                name: "Second order question".into(),
                description: Some("Is the discount still on?".into()),
                contact: deck_model::NewTicketContact::Existing {
                    id: existing.id.clone(),
                },
                ..deck_model::TicketInput::default()
            },
        },
    )
    .unwrap();
    let ticket = data
        .tickets
        .iter()
        .find(|t| t.customer_id == existing.id)
        .unwrap_or(&data.tickets[0]);
    deck.enqueue(
        account.id,
        Write::CreateComment {
            comment: CommentInput {
                ticket: id(&ticket.id),
                body: Some("Thanks, that worked!".into()),
                author: Some(Author {
                    kind: Some("contact".into()),
                    ..Author::default()
                }),
                ..CommentInput::default()
            },
        },
    )
    .unwrap();
    let report = deck.flush_outbox(account.id).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    let second = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.subject == "Second order question")
        .unwrap();
    assert_eq!(second.customer_id, existing.id);
    let inbound = sim.messages_of(&ticket.id).last().unwrap().clone();
    assert_eq!(inbound.body, "Thanks, that worked!");
    assert!(inbound.user_id.is_none());
    assert!(inbound.from.is_some(), "sent from the contact's address");
    helpdesk.close().await;
}
