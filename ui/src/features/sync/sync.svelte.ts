//! Sync progress per account and resource, fed by `sync_state` at start and by events after.

import type { SyncProgress, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';
import { recordProgress, summarizeSync, type AccountSync } from '../../lib/sync-summary';

class SyncStore {
  entries = $state.raw<SyncProgress[]>([]);
  summaries: AccountSync[] = $derived(summarizeSync(this.entries));
  busy: boolean = $derived(this.summaries.some((s) => s.activity === 'syncing' || s.activity === 'waiting'));
  /** The error of the last `sync_now` call, shown until the next one. */
  startError = $state<UnifiedError | null>(null);
  starting = $state(false);

  async load(): Promise<void> {
    try {
      const state = await ipc.syncState();
      let e: SyncProgress[] = [];
      for (const p of state) e = recordProgress(e, p);
      // Events that arrived while loading are newer than the snapshot.
      for (const p of this.entries) e = recordProgress(e, p);
      this.entries = e;
    } catch {
      // The status bar simply starts empty; events fill it.
    }
  }

  record(p: SyncProgress): void {
    this.entries = recordProgress(this.entries, p);
  }

  forget(accountId: number): void {
    this.entries = this.entries.filter((e) => e.account_id !== accountId);
  }

  async start(accountId: number | null): Promise<void> {
    this.starting = true;
    this.startError = null;
    try {
      await ipc.syncNow(accountId);
    } catch (e) {
      this.startError = toUnifiedError(e);
    } finally {
      this.starting = false;
    }
  }
}

export const sync = new SyncStore();
