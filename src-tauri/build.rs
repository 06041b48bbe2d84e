//! Generates the Tauri context and one permission per app command, so the capability can grant
//! exactly the app's commands and nothing else.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "list_accounts",
            "add_account",
            "remove_account",
            "test_account",
            "open_demo",
            "list_tickets",
            "get_ticket",
            "refresh_ticket",
            "ticket_facets",
            "sync_now",
            "sync_state",
            "get_settings",
            "set_sync_interval",
            "update_ticket",
            "add_tags",
            "remove_tags",
            "create_comment",
            "create_ticket",
            "stage_attachment",
            "list_contacts",
            "get_contact",
            "create_contact",
            "update_contact",
            "list_outbox",
            "retry_outbox",
            "discard_outbox",
            "resolve_conflict",
            "set_attachment_limit",
            "get_reply_as",
            "set_reply_as",
            "request_history",
            "edit_outbox",
            "open_attachment",
            "save_attachment",
            "unstage_attachment",
        ]),
    ))
    .expect("tauri build configuration is valid");
}
