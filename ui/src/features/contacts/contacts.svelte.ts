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
  /** A contact created here, under its local id until the helpdesk gives it one. */
  #created: { localId: string; name: string; identity: string | null } | null = null;

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

  /** Opens a contact just created (by its local id) and follows it to its helpdesk id. */
  openCreated(localId: string, name: string, identity: string | null): void {
    this.#created = { localId, name, identity };
    this.open(localId);
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
      if (req !== this.#detailRequest) return;
      const err = toUnifiedError(e);
      // A created contact loses its local id once the helpdesk has it: find it under the new one.
      if (err.code === 'not_found' && this.#created?.localId === id && (await this.#followCreated(accountId))) return;
      this.detailError = err;
    }
  }

  async #followCreated(accountId: number): Promise<boolean> {
    const created = this.#created;
    if (!created) return false;
    try {
      const page = await ipc.listContacts(accountId, created.identity ?? created.name, 0, 20);
      const match = page.rows.find(
        (c) =>
          !c.id.startsWith('local-') &&
          (created.identity
            ? [...c.emails, ...c.phones, ...c.handles].some((v) => v.toLowerCase() === created.identity!.toLowerCase())
            : c.name === created.name),
      );
      if (!match || this.selectedId !== created.localId) return false;
      this.#created = null;
      this.open(match.id);
      void this.reload();
      return true;
    } catch {
      return false;
    }
  }

  /** After a cache change on the account: the list and the open contact again. */
  refresh(): void {
    void this.reload();
    if (this.selectedId) void this.loadDetail();
  }
}

export const contacts = new ContactsStore();
