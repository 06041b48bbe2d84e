//! The agents and tags of each account, for the ticket's controls and the composer. Unlike the
//! list's facets (which follow the account filter), these always belong to the ticket's account.

import type { Facets } from '../../lib/bindings.gen';
import * as ipc from '../../lib/ipc';

const EMPTY: Facets = { statuses: [], assignees: [], tags: [], collections: [] };

class AccountFacetsStore {
  /** Per account id; replaced whole when one loads. */
  byAccount = $state.raw<Record<number, Facets>>({});
  #loading = new Set<number>();

  /** The account's facets (empty until loaded; asking starts the load). */
  of(accountId: number): Facets {
    const f = this.byAccount[accountId];
    if (!f) queueMicrotask(() => void this.load(accountId));
    return f ?? EMPTY;
  }

  async load(accountId: number, force = false): Promise<void> {
    if (this.#loading.has(accountId) || (!force && this.byAccount[accountId])) return;
    this.#loading.add(accountId);
    try {
      const f = await ipc.ticketFacets(accountId);
      this.byAccount = { ...this.byAccount, [accountId]: f };
    } catch {
      // The controls keep what they show; a later cache change loads again.
    } finally {
      this.#loading.delete(accountId);
    }
  }

  /** Reloads the accounts already loaded (after tags or users changed). */
  refreshLoaded(accountId: number): void {
    if (this.byAccount[accountId]) void this.load(accountId, true);
  }
}

export const accountFacets = new AccountFacetsStore();
