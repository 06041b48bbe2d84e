//! The TypeScript types for IPC, generated from the Rust types so they are never retyped. The
//! output is committed as `ui/src/lib/bindings.gen.ts`; a test fails when it drifts.

use crate::views::*;
use deck_model::{
    AttachmentInput, Author, CommentInput, ContactInput, ContactRef, Email, ErrorCode,
    FieldConflict, FieldFailure, IdName, Identity, NewTicketContact, Phone, ProviderKind, Resource,
    TicketInput, TicketPatch, TypedRef, UnifiedError, Write,
};
use ts_rs::{Config, TS};

/// Every type that crosses IPC, as one TypeScript module.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        ErrorCode::decl(&cfg),
        FieldFailure::decl(&cfg),
        UnifiedError::decl(&cfg),
        ProviderKind::decl(&cfg),
        Resource::decl(&cfg),
        IdName::decl(&cfg),
        TypedRef::decl(&cfg),
        Author::decl(&cfg),
        Email::decl(&cfg),
        Phone::decl(&cfg),
        ContactRef::decl(&cfg),
        TokenSource::decl(&cfg),
        RateLimit::decl(&cfg),
        AccountView::decl(&cfg),
        NewAccount::decl(&cfg),
        TicketQuery::decl(&cfg),
        TicketRow::decl(&cfg),
        TicketPage::decl(&cfg),
        AttachmentView::decl(&cfg),
        CommentView::decl(&cfg),
        ContactView::decl(&cfg),
        TicketDetail::decl(&cfg),
        Facets::decl(&cfg),
        SyncPhase::decl(&cfg),
        SyncProgress::decl(&cfg),
        ChangeEvent::decl(&cfg),
        ConnectivityEvent::decl(&cfg),
        Settings::decl(&cfg),
        TicketPatch::decl(&cfg),
        AttachmentInput::decl(&cfg),
        CommentInput::decl(&cfg),
        ContactInput::decl(&cfg),
        NewTicketContact::decl(&cfg),
        TicketInput::decl(&cfg),
        Identity::decl(&cfg),
        Write::decl(&cfg),
        FieldConflict::decl(&cfg),
        OutboxItem::decl(&cfg),
        ConflictChoice::decl(&cfg),
        ContactPage::decl(&cfg),
        ContactDetail::decl(&cfg),
        StagedFile::decl(&cfg),
        RequestHistory::decl(&cfg),
        RequestBucket::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `deck_core::bindings`. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p deck-core --test bindings` instead.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
