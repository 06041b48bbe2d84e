//! The contacts screen: one account's cached contacts, searched and loaded a page at a time, and
//! the contact open on the right (or a new one being written).

import type { ContactDetail, ContactView, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';

export const CONTACTS_PAGE = 100;

class ContactsStore {
  accountId = $state<number | null>(null);
  search = $state('');
  rows = $state.raw<ContactView[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<UnifiedError | null>(null);
  /** The open contact, or `null`; `creating` shows the empty form instead. */
  selectedId = $state<string | null>(null);
  creating = $state(false);
  detail = $state.raw<ContactDetail | null>(null);
  detailError = $state<UnifiedError | null>(null);
  #generation = 0;
  #detailRequest = 0;

  get hasMore(): boolean {
    return this.rows.length < this.total;
  }

  /** Shows `accountId`'s contacts (from the top). */
  setAccount(accountId: number | null): void {
    if (accountId === this.accountId) return;
    this.accountId = accountId;
    this.selectedId = null;
    this.detail = null;
    this.creating = false;
    void this.reload();
  }

  setSearch(text: string): void {
    if (text === this.search) return;
    this.search = text;
    void this.reload();
  }

  /** Reloads the pages loaded so far (at least the first). */
  async reload(): Promise<void> {
    const accountId = this.accountId;
    const gen = ++this.#generation;
    if (accountId === null) {
      this.rows = [];
      this.total = 0;
      return;
    }
    this.loading = true;
    try {
      const limit = Math.max(CONTACTS_PAGE, Math.ceil(this.rows.length / CONTACTS_PAGE) * CONTACTS_PAGE);
      const page = await ipc.listContacts(accountId, this.search.trim() || null, 0, limit);
      if (gen !== this.#generation) return;
      this.rows = page.rows;
      this.total = page.total;
      this.error = null;
    } catch (e) {
      if (gen === this.#generation) this.error = toUnifiedError(e);
    } finally {
      if (gen === this.#generation) this.loading = false;
    }
  }

  /** Loads the next page when there is one. */
  async loadMore(): Promise<void> {
    const accountId = this.accountId;
    if (accountId === null || this.loading || !this.hasMore) return;
    const gen = this.#generation;
    this.loading = true;
    try {
      const page = await ipc.listContacts(accountId, this.search.trim() || null, this.rows.length, CONTACTS_PAGE);
      if (gen !== this.#generation) return;
      this.rows = [...this.rows, ...page.rows];
      this.total = page.total;
    } catch (e) {
      if (gen === this.#generation) this.error = toUnifiedError(e);
    } finally {
      if (gen === this.#generation) this.loading = false;
    }
  }

  open(id: string): void {
    this.creating = false;
    if (this.selectedId !== id) this.detail = null;
    this.selectedId = id;
    void this.loadDetail();
  }

  startNew(): void {
    this.selectedId = null;
    this.detail = null;
    this.detailError = null;
    this.creating = true;
  }

  close(): void {
    this.selectedId = null;
    this.detail = null;
    this.creating = false;
  }

  async loadDetail(): Promise<void> {
    const accountId = this.accountId;
    const id = this.selectedId;
    if (accountId === null || id === null) return;
    const req = ++this.#detailRequest;
    try {
      const d = await ipc.getContact(accountId, id);
      if (req === this.#detailRequest) {
        this.detail = d;
        this.detailError = null;
      }
    } catch (e) {
      if (req === this.#detailRequest) this.detailError = toUnifiedError(e);
    }
  }

  /** After a cache change on the account: the list and the open contact again. */
  refresh(): void {
    void this.reload();
    if (this.selectedId) void this.loadDetail();
  }
}

export const contacts = new ContactsStore();
