//! The host-agnostic application API that both the desktop app and the `ticketdeck` CLI call:
//! accounts and their secrets, sync, and reads from the cache shaped for the UI.

pub mod bindings;
pub mod views;
