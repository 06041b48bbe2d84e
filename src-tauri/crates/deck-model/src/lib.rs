//! The unified model: Truto's Unified Ticketing and User Directory resources with Truto's field
//! names and nesting, the list envelope, resource names and error codes. No I/O lives here.
//!
//! Every id is a string: Enchant's ids are hex strings, Re:amaze's are slugs and Trengo's are
//! 64-bit integers, which JavaScript cannot hold exactly, so they cross IPC as decimal strings.

pub mod directory;
pub mod error;
pub mod refs;
pub mod resource;
pub mod ticketing;
pub mod write;

pub use directory::{DirectoryUser, Group, Role, UserEmail};
pub use error::{ErrorCode, FieldFailure, UnifiedError};
pub use refs::{Author, ContactRef, Email, IdName, Phone, TypedRef};
pub use resource::{ProviderKind, Record, Resource};
pub use ticketing::*;
pub use write::{
    AttachmentInput, CommentInput, ContactInput, FieldConflict, Identity, NewTicketContact,
    TicketInput, TicketPatch, Write,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Truto's list envelope: `{ "result": [...], "next_cursor": ... }`; a null `next_cursor` means
/// the last page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ListResponse<T> {
    pub result: Vec<T>,
    pub next_cursor: Option<String>,
}
