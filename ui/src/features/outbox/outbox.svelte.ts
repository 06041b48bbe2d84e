//! The outbox: writes not yet at the helpdesk, for the Outbox screen and the sidebar's count.
//! Refreshed on cache changes (every outbox step touches the record it writes) and, while
//! anything waits, every few seconds so retry times and states stay current.

import type { OutboxItem, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';
import { openCount } from '../../lib/outbox-text';

/** How often the list reloads while it is not empty. */
export const OUTBOX_POLL_MS = 3000;

class OutboxStore {
  items = $state.raw<OutboxItem[]>([]);
  loaded = $state(false);
  error = $state<UnifiedError | null>(null);
  count: number = $derived(openCount(this.items));
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inflight: Promise<void> | null = null;
  #again = false;

  /** Reloads the list; a call during a reload runs one more after it. */
  refresh(): Promise<void> {
    if (this.#inflight) {
      this.#again = true;
      return this.#inflight;
    }
    this.#inflight = ipc
      .listOutbox(null)
      .then((items) => {
        this.items = items;
        this.error = null;
      })
      .catch((e: unknown) => {
        this.error = toUnifiedError(e);
      })
      .finally(() => {
        this.loaded = true;
        this.#inflight = null;
        this.#schedule();
        if (this.#again) {
          this.#again = false;
          void this.refresh();
        }
      });
    return this.#inflight;
  }

  /**
   * Runs a change to an outbox item (retry, discard, edit, resolve), then reloads the list whether
   * it went through or not. Answers why it was refused, or `null`.
   */
  async change(run: () => Promise<unknown>): Promise<UnifiedError | null> {
    try {
      await run();
      return null;
    } catch (e) {
      return toUnifiedError(e);
    } finally {
      void this.refresh();
    }
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.count > 0) this.#timer = setTimeout(() => void this.refresh(), OUTBOX_POLL_MS);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

export const outbox = new OutboxStore();
