// Generated from the Rust types by `deck_core::bindings`. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p deck-core --test bindings` instead.

export type ErrorCode = "auth_failed" | "offline" | "rate_limited" | "not_found" | "conflict" | "validation" | "malformed" | "keychain" | "refused" | "upstream" | "internal";

export type FieldFailure = { field: string, message: string, };

export type UnifiedError = { code: ErrorCode, message: string, 
/**
 * RFC 3339 time after which a retry may succeed.
 */
retry_at?: string, failures?: FieldFailure[], };

export type ProviderKind = "enchant" | "reamaze" | "trengo";

export type Resource = "accounts" | "attachments" | "collections" | "comments" | "contacts" | "fields" | "organizations" | "tags" | "task_lists" | "tasks" | "teams" | "ticket_priorities" | "ticket_status" | "ticket_types" | "tickets" | "users" | "workspaces" | "roles" | "groups";

export type IdName = { id: string, name: string | null, };

export type TypedRef = { id: string, name: string | null, 
/**
 * `user`, `contact`, `system` for people; a provider's grouping name for collections.
 */
type: string | null, };

export type Author = { id: string | null, name: string | null, username: string | null, type: string | null, };

export type Email = { email: string, type: string | null, };

export type Phone = { number: string, type: string | null, };

export type ContactRef = { id: string, name: string | null, first_name: string | null, last_name: string | null, emails: Array<Email>, phones: Array<Phone>, };

export type TokenSource = { "kind": "keychain" } | { "kind": "env", var: string, } | { "kind": "demo" };

export type RateLimit = { credits_per_window: number, window_secs: number, burst_per_second: number | null, };

export type AccountView = { id: number, name: string, provider: ProviderKind, site: string | null, base_url: string, token_source: TokenSource, is_demo: boolean, created_at: string, last_synced_at: string | null, ticket_count: number, 
/**
 * The account's own rate limit; `null`: the provider's published one.
 */
rate_limit: RateLimit | null, };

export type NewAccount = { provider: ProviderKind, name: string, 
/**
 * The helpdesk identifier, e.g. `acme` for `https://acme.enchant.com`.
 */
site: string | null, 
/**
 * Overrides the URL derived from `site` (plain `http://` only for loopback).
 */
base_url: string | null, 
/**
 * The API token, stored in the OS keychain. Exactly one of `token` and `token_env`.
 */
token: string | null, 
/**
 * The name of an environment variable that holds the token.
 */
token_env: string | null, 
/**
 * The account's own rate limit, if it differs from the provider's published one.
 */
rate_limit?: RateLimit, };

export type TicketQuery = { account_id: number | null, 
/**
 * A unified status name (`open`, `pending`, `closed`, ...).
 */
status: string | null, 
/**
 * A user id, or `"none"` for unassigned tickets.
 */
assignee_id: string | null, tag_id: string | null, collection_id: string | null, 
/**
 * Words to find in subjects.
 */
search: string | null, offset: number, limit: number, };

export type TicketRow = { account_id: number, id: string, number: string | null, subject: string, 
/**
 * Unified status name.
 */
status: string, assignee: IdName | null, contact: IdName | null, collection: IdName | null, tags: Array<IdName>, channel: string | null, preview: string | null, created_at: string | null, updated_at: string | null, };

export type TicketPage = { rows: Array<TicketRow>, total: number, offset: number, };

export type AttachmentView = { id: string, file_name: string, size: number | null, content_type: string | null, 
/**
 * True when this machine has the file (it was sent from here) so it can be opened or
 * saved; the helpdesk's API hands out no attachment content.
 */
available: boolean, };

export type CommentView = { id: string, author_name: string, 
/**
 * `user` (an agent), `contact` (the customer) or `system`.
 */
author_type: string, is_internal: boolean, html_body: string | null, body: string | null, created_at: string | null, attachments: Array<AttachmentView>, 
/**
 * Set while the comment waits in the outbox (`pending` or `sending`).
 */
outbox_state: string | null, };

export type ContactView = { id: string, name: string, first_name: string | null, last_name: string | null, emails: Array<string>, phones: Array<string>, handles: Array<string>, details: string | null, };

export type TicketDetail = { ticket: TicketRow, contact: ContactView | null, comments: Array<CommentView>, 
/**
 * False until the thread has been synced once.
 */
thread_cached: boolean, 
/**
 * Writes on this ticket and its thread that the helpdesk does not have yet.
 */
outbox: Array<OutboxItem>, };

export type Facets = { statuses: Array<IdName>, assignees: Array<IdName>, tags: Array<IdName>, collections: Array<IdName>, };

export type SyncPhase = "started" | "running" | "waiting" | "done" | "failed";

export type SyncProgress = { account_id: number, account_name: string, 
/**
 * The unified resource (`tickets`, `comments`, ...), or `all` for the whole run.
 */
resource: string, phase: SyncPhase, done: number, total: number | null, 
/**
 * Set for `failed` (the error) and `waiting` (until when).
 */
message: string | null, error_code: ErrorCode | null, 
/**
 * Seconds left at the rate the helpdesk's budget allows, where the work left is known.
 */
eta_seconds: number | null, 
/**
 * The account's rate budget now: credits left in the window, and the window's limit.
 */
budget_remaining: number | null, budget_limit: number | null, };

export type ChangeEvent = { account_id: number, 
/**
 * A unified resource name.
 */
entity: string, ids: Array<string>, 
/**
 * `sync` or `user`.
 */
source: string, };

export type ConnectivityEvent = { account_id: number, online: boolean, message: string | null, };

export type Settings = { 
/**
 * How often the app syncs in the background; 0 = never.
 */
sync_interval_minutes: number, 
/**
 * The largest file that can be attached, in MiB.
 */
attachment_limit_mb: number, };

export type TicketPatch = { 
/**
 * The subject.
 */
name?: string, 
/**
 * A status id: `open`, `hold`, `closed`, `spam` or `trash` (also accepted as `{id}`).
 */
status?: string, assignees?: Array<IdName>, 
/**
 * The inbox (Enchant holds exactly one per ticket).
 */
collections?: Array<IdName>, tags?: Array<IdName>, };

export type AttachmentInput = { 
/**
 * Where the file is on this machine.
 */
path: string, 
/**
 * The name the helpdesk shows; the file's own name when absent.
 */
file_name?: string, 
/**
 * The MIME type; detected from the content and name when absent.
 */
content_type?: string, 
/**
 * The size in bytes (filled in when the write is made).
 */
size?: number, };

export type CommentInput = { ticket: IdName, 
/**
 * Plain text; give this or `html_body`.
 */
body?: string, html_body?: string, is_internal: boolean, 
/**
 * `{id, type: "user"}` for an agent; `{type: "contact"}` for the ticket's customer.
 */
author?: Author, 
/**
 * For a reply: the address it goes to (the ticket's contact when absent).
 */
receiver?: Email, attachments?: AttachmentInput[], };

export type ContactInput = { first_name?: string, last_name?: string, 
/**
 * Free text about the contact (Enchant's `summary`).
 */
details?: string, emails?: Array<Email>, phones?: Array<Phone>, twitter?: Array<string>, };

export type NewTicketContact = { id: string, } | ContactInput;

export type TicketInput = { 
/**
 * The subject.
 */
name: string, 
/**
 * The first message, from the contact.
 */
description?: string, 
/**
 * An existing contact (`{id}`) or a new one (names and identities).
 */
contact: NewTicketContact, assignees?: IdName[], collections?: IdName[], };

export type Identity = { 
/**
 * `email`, `phone` or `twitter`.
 */
type: string, value: string, };

export type Write = { "op": "update_ticket", ticket_id: string, patch: TicketPatch, base: TicketPatch, } | { "op": "add_tags", ticket_id: string, tag_ids: Array<string>, } | { "op": "remove_tags", ticket_id: string, tag_ids: Array<string>, } | { "op": "create_ticket", ticket: TicketInput, } | { "op": "create_comment", comment: CommentInput, } | { "op": "create_contact", contact: ContactInput, } | { "op": "update_contact", contact_id: string, patch: ContactInput, base: ContactInput, } | { "op": "add_identity", contact_id: string, identity: Identity, } | { "op": "remove_identity", contact_id: string, identity: Identity, };

export type FieldConflict = { field: string, 
/**
 * What the user saw before the change.
 */
base: unknown, 
/**
 * What the user set.
 */
yours: unknown, 
/**
 * What the helpdesk holds now.
 */
theirs: unknown, };

export type OutboxItem = { id: number, account_id: number, summary: string, 
/**
 * `pending`, `sending`, `failed`, `conflict` or `done`.
 */
state: string, 
/**
 * The unified resource the write changes or creates, and its id (a `local-N` id until
 * the helpdesk gives it one).
 */
resource: string, target_id: string, 
/**
 * The ticket it belongs to, for writes on a ticket or its thread.
 */
ticket_id: string | null, 
/**
 * The fields an update changes.
 */
fields: Array<string>, attempts: number, 
/**
 * Why the last attempt did not land (the reason a failed write stays).
 */
error: UnifiedError | null, conflicts: Array<FieldConflict>, 
/**
 * When the next attempt is due, while pending after a failure that may pass.
 */
next_try_at: string | null, 
/**
 * The id the helpdesk gave to what it created.
 */
result_id: string | null, 
/**
 * The write itself, for editing a failed one.
 */
write: Write, created_at: string, updated_at: string, };

export type ConflictChoice = { field: string, 
/**
 * True keeps the user's value; false takes the helpdesk's.
 */
keep_mine: boolean, };

export type ContactPage = { rows: Array<ContactView>, total: number, offset: number, };

export type ContactDetail = { contact: ContactView, tickets: Array<TicketRow>, outbox: Array<OutboxItem>, };

export type StagedFile = { 
/**
 * Where the copy is; pass it as the attachment's `path`.
 */
path: string, file_name: string, content_type: string, size: number, };

export type RequestHistory = { account_id: number, 
/**
 * The length of one bucket.
 */
bucket_secs: number, 
/**
 * The helpdesk's credits per window, and the window's length.
 */
limit: number, window_secs: number, 
/**
 * Oldest first.
 */
buckets: Array<RequestBucket>, };

export type RequestBucket = { 
/**
 * Where the bucket starts (RFC 3339).
 */
at: string, interactive: number, outbox: number, background: number, rate_limited: number, };
