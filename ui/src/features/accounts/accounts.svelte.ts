//! The accounts the app knows and whether each helpdesk is reachable right now.

import type { AccountView, ConnectivityEvent } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';

export interface Reachability {
  online: boolean;
  message: string | null;
}

class AccountsStore {
  list = $state<AccountView[]>([]);
  loaded = $state(false);
  /** Per account; an account with no report yet counts as online. */
  reachability = $state<Record<number, Reachability>>({});
  loadError = $state<string | null>(null);
  #reloading: Promise<void> | null = null;

  byId(id: number): AccountView | undefined {
    return this.list.find((a) => a.id === id);
  }

  isOnline(id: number): boolean {
    return this.reachability[id]?.online ?? true;
  }

  /** Accounts currently reported offline. */
  get offline(): AccountView[] {
    return this.list.filter((a) => !this.isOnline(a.id));
  }

  /** Reloads the list; concurrent calls share one request. */
  reload(): Promise<void> {
    if (this.#reloading) return this.#reloading;
    this.#reloading = ipc
      .listAccounts()
      .then((list) => {
        this.list = list;
        this.loadError = null;
      })
      .catch((e: unknown) => {
        this.loadError = toUnifiedError(e).message;
      })
      .finally(() => {
        this.loaded = true;
        this.#reloading = null;
      });
    return this.#reloading;
  }

  /** Reloads when an event names an account the list doesn't have yet. */
  noticeAccount(id: number): void {
    if (this.loaded && !this.byId(id)) void this.reload();
  }

  setReachability(e: ConnectivityEvent): void {
    this.reachability = { ...this.reachability, [e.account_id]: { online: e.online, message: e.message } };
    this.noticeAccount(e.account_id);
  }
}

export const accounts = new AccountsStore();
