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
        ]),
    ))
    .expect("tauri build configuration is valid");
}
