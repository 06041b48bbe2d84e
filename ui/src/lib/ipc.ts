//! The only module that talks to Tauri: typed wrappers over the app's commands and events.
//! Every rejection is normalized to a `UnifiedError` so callers branch on `code`.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AccountView,
  ChangeEvent,
  ConnectivityEvent,
  Facets,
  NewAccount,
  Settings,
  SyncProgress,
  TicketDetail,
  TicketPage,
  TicketQuery,
} from './bindings.gen';
import { toUnifiedError } from './error-text';

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
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

export const onSyncProgress = (cb: (p: SyncProgress) => void): Promise<UnlistenFn> =>
  listen<SyncProgress>('sync-progress', (e) => cb(e.payload));
export const onCacheChanged = (cb: (c: ChangeEvent) => void): Promise<UnlistenFn> =>
  listen<ChangeEvent>('cache-changed', (e) => cb(e.payload));
export const onConnectivity = (cb: (c: ConnectivityEvent) => void): Promise<UnlistenFn> =>
  listen<ConnectivityEvent>('connectivity', (e) => cb(e.payload));
