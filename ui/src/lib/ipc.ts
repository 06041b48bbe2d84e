//! The only module that talks to Tauri: typed wrappers over the app's commands and events.
//! Every rejection is normalized to a `UnifiedError` so callers branch on `code`.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AccountView,
  ChangeEvent,
  CommentInput,
  ConflictChoice,
  ContactDetail,
  ContactInput,
  ContactPage,
  ConnectivityEvent,
  Facets,
  NewAccount,
  OutboxItem,
  RequestHistory,
  Settings,
  StagedFile,
  SyncProgress,
  TicketDetail,
  TicketInput,
  TicketPage,
  TicketPatch,
  TicketQuery,
  Write,
} from './bindings.gen';
import { toUnifiedError } from './error-text';

async function call<T>(
  cmd: string,
  args?: Record<string, unknown> | Uint8Array,
  options?: { headers: Record<string, string> },
): Promise<T> {
  try {
    return await invoke<T>(cmd, args as Record<string, unknown>, options);
  } catch (raw) {
    throw toUnifiedError(raw);
  }
}

export const listAccounts = () => call<AccountView[]>('list_accounts');
export const addAccount = (input: NewAccount) => call<AccountView>('add_account', { input });
export const removeAccount = (accountId: number) => call<null>('remove_account', { accountId });
export const testAccount = (accountId: number) => call<null>('test_account', { accountId });
export const openDemo = () => call<AccountView>('open_demo');
export const listTickets = (query: TicketQuery) => call<TicketPage>('list_tickets', { query });
export const getTicket = (accountId: number, ticketId: string) =>
  call<TicketDetail>('get_ticket', { accountId, ticketId });
export const refreshTicket = (accountId: number, ticketId: string) =>
  call<TicketDetail>('refresh_ticket', { accountId, ticketId });
export const ticketFacets = (accountId: number | null) => call<Facets>('ticket_facets', { accountId });
export const syncNow = (accountId: number | null) => call<null>('sync_now', { accountId });
export const syncState = () => call<SyncProgress[]>('sync_state');
export const getSettings = () => call<Settings>('get_settings');
export const setSyncInterval = (minutes: number) => call<Settings>('set_sync_interval', { minutes });

// Writes: each is stored in the outbox and shown at once; the app sends it in the background.
export const updateTicket = (accountId: number, ticketId: string, patch: TicketPatch) =>
  call<OutboxItem>('update_ticket', { accountId, ticketId, patch });
export const addTags = (accountId: number, ticketId: string, tagIds: string[]) =>
  call<OutboxItem>('add_tags', { accountId, ticketId, tagIds });
export const removeTags = (accountId: number, ticketId: string, tagIds: string[]) =>
  call<OutboxItem>('remove_tags', { accountId, ticketId, tagIds });
export const createComment = (accountId: number, comment: CommentInput) =>
  call<OutboxItem>('create_comment', { accountId, comment });
export const createTicket = (accountId: number, ticket: TicketInput) =>
  call<OutboxItem>('create_ticket', { accountId, ticket });

/** Bytes of a file sent per IPC call while staging an attachment. */
export const STAGE_CHUNK = 1024 * 1024;

/**
 * Copies a picked or dropped file into the app's outbox folder, a chunk at a time, so neither
 * side holds the whole file. `onProgress` gets the bytes staged so far. Answers the staged file,
 * whose `path` goes into `CommentInput.attachments`.
 */
export async function stageAttachment(
  file: File,
  onProgress?: (done: number) => void,
): Promise<StagedFile> {
  const upload = `u${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let offset = 0;
  for (;;) {
    const end = Math.min(offset + STAGE_CHUNK, file.size);
    const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
    const staged = await call<StagedFile | null>('stage_attachment', bytes, {
      headers: {
        upload,
        'file-name': encodeURIComponent(file.name),
        total: String(file.size),
        offset: String(offset),
      },
    });
    offset = end;
    onProgress?.(offset);
    if (staged) return staged;
    if (offset >= file.size) throw toUnifiedError('the file ended before it was staged');
  }
}

/** Opens an attachment this machine has (`AttachmentView.available`) in the desktop's app for it. */
export const openAttachment = (accountId: number, attachmentId: string) =>
  call<null>('open_attachment', { accountId, attachmentId });
/** Copies an attachment this machine has into Downloads; answers where it went. */
export const saveAttachment = (accountId: number, attachmentId: string) =>
  call<string>('save_attachment', { accountId, attachmentId });

/** Deletes a staged file the user took out of the composer before sending. */
export const unstageAttachment = (path: string) => call<null>('unstage_attachment', { path });

export const listContacts = (accountId: number, search: string | null, offset: number, limit: number) =>
  call<ContactPage>('list_contacts', { accountId, search, offset, limit });
export const getContact = (accountId: number, contactId: string) =>
  call<ContactDetail>('get_contact', { accountId, contactId });
export const createContact = (accountId: number, contact: ContactInput) =>
  call<OutboxItem>('create_contact', { accountId, contact });
/** Names, details, and (when given) the full list of identities the contact should have. */
export const updateContact = (accountId: number, contactId: string, contact: ContactInput) =>
  call<OutboxItem[]>('update_contact', { accountId, contactId, contact });

export const listOutbox = (accountId: number | null) => call<OutboxItem[]>('list_outbox', { accountId });
export const retryOutbox = (id: number) => call<OutboxItem>('retry_outbox', { id });
export const discardOutbox = (id: number) => call<null>('discard_outbox', { id });
/** Sends a failed or conflicting write again with the user's edits (same kind, same record). */
export const editOutbox = (id: number, write: Write) => call<OutboxItem>('edit_outbox', { id, write });
export const resolveConflict = (id: number, choices: ConflictChoice[]) =>
  call<OutboxItem | null>('resolve_conflict', { id, choices });
export const setAttachmentLimit = (mb: number) => call<Settings>('set_attachment_limit', { mb });
export const getReplyAs = (accountId: number) => call<string | null>('get_reply_as', { accountId });
export const setReplyAs = (accountId: number, userId: string) =>
  call<null>('set_reply_as', { accountId, userId });

/** Credits spent per lane over the last minutes, for the requests chart. */
export const requestHistory = (accountId: number) => call<RequestHistory>('request_history', { accountId });

export const onSyncProgress = (cb: (p: SyncProgress) => void): Promise<UnlistenFn> =>
  listen<SyncProgress>('sync-progress', (e) => cb(e.payload));
export const onCacheChanged = (cb: (c: ChangeEvent) => void): Promise<UnlistenFn> =>
  listen<ChangeEvent>('cache-changed', (e) => cb(e.payload));
export const onConnectivity = (cb: (c: ConnectivityEvent) => void): Promise<UnlistenFn> =>
  listen<ConnectivityEvent>('connectivity', (e) => cb(e.payload));
