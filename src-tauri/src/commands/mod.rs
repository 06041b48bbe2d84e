//! The commands the webview may call, one file per UI area. Errors cross as `{code, message}`.

pub mod accounts;
pub mod contacts;
pub mod outbox;
pub mod sync;
pub mod tickets;
pub mod writes;
