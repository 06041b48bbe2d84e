//! The ticket shown on the right: loaded from the cache, silently refreshed when it changes.

import type { ChangeEvent, TicketDetail, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';
import { writableStatusOf } from '../../lib/ticket-status';
import type { TicketKey } from '../tickets/tickets.svelte';

const THREAD_ENTITIES = new Set(['comments', 'attachments', 'contacts', 'tags', 'users', 'collections']);

class TicketDetailStore {
  key = $state<TicketKey | null>(null);
  detail = $state.raw<TicketDetail | null>(null);
  loading = $state(false);
  error = $state<UnifiedError | null>(null);
  /** True while the thread is being fetched from the helpdesk. */
  fetching = $state(false);
  fetchError = $state<UnifiedError | null>(null);
  /** Why the last change to the open ticket was refused (status, assignee, tags). */
  writeError = $state<UnifiedError | null>(null);
  #request = 0;

  async open(key: TicketKey | null): Promise<void> {
    if (!key) {
      this.key = null;
      this.detail = null;
      this.error = null;
      return;
    }
    const same = this.key && this.key.account_id === key.account_id && this.key.id === key.id;
    this.key = { ...key };
    if (!same) {
      this.detail = null;
      this.error = null;
      this.fetchError = null;
      this.writeError = null;
    }
    await this.#load(!same);
    // A thread the cache lacks is fetched at once, ahead of the background sync.
    if (!same && this.detail && !this.detail.thread_cached) await this.fetchFromHelpdesk();
  }

  /** Fetches the open ticket's thread from the helpdesk now. */
  async fetchFromHelpdesk(): Promise<void> {
    const key = this.key;
    if (!key || this.fetching) return;
    this.fetching = true;
    this.fetchError = null;
    try {
      const d = await ipc.refreshTicket(key.account_id, key.id);
      if (this.key?.account_id === key.account_id && this.key.id === key.id) this.detail = d;
    } catch (e) {
      if (this.key?.account_id === key.account_id && this.key.id === key.id) this.fetchError = toUnifiedError(e);
    } finally {
      this.fetching = false;
    }
  }

  async #load(showLoading: boolean): Promise<void> {
    const key = this.key;
    if (!key) return;
    const req = ++this.#request;
    if (showLoading) this.loading = true;
    try {
      const d = await ipc.getTicket(key.account_id, key.id);
      if (req === this.#request) {
        this.detail = d;
        this.error = null;
      }
    } catch (e) {
      if (req === this.#request) this.error = toUnifiedError(e);
    } finally {
      if (req === this.#request) this.loading = false;
    }
  }

  /** True when a cache change may touch the open ticket. */
  affectedBy(change: ChangeEvent): boolean {
    const key = this.key;
    if (!key || key.account_id !== change.account_id) return false;
    if (change.entity === 'tickets') return change.ids.length === 0 || change.ids.includes(key.id);
    return THREAD_ENTITIES.has(change.entity);
  }

  refresh(): Promise<void> {
    return this.#load(false);
  }

  /**
   * Runs a write on the open ticket and shows its result at once (the backend applies it to the
   * cache before answering). Answers the error, or `null` when the write was stored.
   */
  async write(run: () => Promise<unknown>): Promise<UnifiedError | null> {
    this.writeError = null;
    try {
      await run();
    } catch (e) {
      this.writeError = toUnifiedError(e);
      return this.writeError;
    }
    await this.#load(false);
    return null;
  }

  /** Sets the open ticket's status (the `e` shortcut closes with it); no write when it has it. */
  async setStatus(status: string): Promise<void> {
    const key = this.key;
    if (!key) return;
    const now = this.detail?.ticket.status;
    if (now && writableStatusOf(now) === status) return;
    await this.write(() => ipc.updateTicket(key.account_id, key.id, { status }));
  }
}

export const ticketDetail = new TicketDetailStore();
