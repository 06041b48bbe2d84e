//! Changes to tickets and threads. Each is stored in the outbox and shown at once; the outbox
//! sender delivers it (see `outbox`).

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, OutboxItem, StagedFile};
use deck_model::{CommentInput, TicketInput, TicketPatch, Write};
use tauri::State;

#[tauri::command]
pub fn update_ticket(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket_id: String,
    patch: TicketPatch,
) -> Result<OutboxItem, UnifiedError> {
    state.deck.enqueue(
        account_id,
        Write::UpdateTicket {
            ticket_id,
            patch,
            base: TicketPatch::default(),
        },
    )
}

#[tauri::command]
pub fn add_tags(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket_id: String,
    tag_ids: Vec<String>,
) -> Result<OutboxItem, UnifiedError> {
    state
        .deck
        .enqueue(account_id, Write::AddTags { ticket_id, tag_ids })
}

#[tauri::command]
pub fn remove_tags(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket_id: String,
    tag_ids: Vec<String>,
) -> Result<OutboxItem, UnifiedError> {
    state
        .deck
        .enqueue(account_id, Write::RemoveTags { ticket_id, tag_ids })
}

#[tauri::command]
pub fn create_comment(
    state: State<'_, AppState>,
    account_id: AccountId,
    comment: CommentInput,
) -> Result<OutboxItem, UnifiedError> {
    state
        .deck
        .enqueue(account_id, Write::CreateComment { comment })
}

#[tauri::command]
pub fn create_ticket(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket: TicketInput,
) -> Result<OutboxItem, UnifiedError> {
    state
        .deck
        .enqueue(account_id, Write::CreateTicket { ticket })
}

/// One chunk of a file being attached, as raw bytes; the headers say which file (`upload`,
/// `file-name` URI-encoded, `total`, `offset`). Answers the staged file after the last chunk.
#[tauri::command]
pub fn stage_attachment(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Option<StagedFile>, UnifiedError> {
    let header = |name: &str| -> Result<String, UnifiedError> {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .ok_or_else(|| {
                UnifiedError::new(
                    deck_core::ErrorCode::Validation,
                    format!("the chunk has no `{name}` header"),
                )
            })
    };
    let number = |name: &str| -> Result<u64, UnifiedError> {
        header(name)?.parse().map_err(|_| {
            UnifiedError::new(
                deck_core::ErrorCode::Validation,
                format!("`{name}` is not a number"),
            )
        })
    };
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(UnifiedError::new(
            deck_core::ErrorCode::Validation,
            "the chunk must be sent as raw bytes",
        ));
    };
    let name = percent_decode(&header("file-name")?);
    state.deck.stage_chunk(
        &header("upload")?,
        &name,
        number("total")?,
        number("offset")?,
        bytes,
    )
}

/// Decodes `encodeURIComponent` output (header values must be ASCII).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens an attachment this machine has with the desktop's default application.
#[tauri::command]
pub fn open_attachment(
    state: State<'_, AppState>,
    account_id: AccountId,
    attachment_id: String,
) -> Result<(), UnifiedError> {
    let path = state.deck.attachment_file(account_id, &attachment_id)?;
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(&path)
        .spawn()
        .map(|_| ())
        .map_err(|e| {
            UnifiedError::new(
                deck_core::ErrorCode::Internal,
                format!("cannot open the file ({opener}: {e}); save it instead"),
            )
        })
}

/// Saves an attachment this machine has into the Downloads folder; answers where it went.
#[tauri::command]
pub fn save_attachment(
    state: State<'_, AppState>,
    account_id: AccountId,
    attachment_id: String,
) -> Result<String, UnifiedError> {
    state
        .deck
        .save_attachment(account_id, &attachment_id)
        .map(|p| p.to_string_lossy().into_owned())
}

/// Removes a staged file the user took out of the composer.
#[tauri::command]
pub fn unstage_attachment(state: State<'_, AppState>, path: String) -> Result<(), UnifiedError> {
    state.deck.unstage(&path)
}
