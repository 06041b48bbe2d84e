//! The user's preferences (sync interval, attachment limit), shared by the screens that show them.

import type { Settings, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';

/** What the backend uses until told otherwise. */
export const DEFAULT_ATTACHMENT_LIMIT_MB = 25;

class SettingsStore {
  value = $state<Settings | null>(null);
  loadError = $state<UnifiedError | null>(null);
  #loading: Promise<void> | null = null;

  /** The attachment limit in MiB (the default until the settings have loaded). */
  get attachmentLimitMb(): number {
    return this.value?.attachment_limit_mb ?? DEFAULT_ATTACHMENT_LIMIT_MB;
  }

  /** Loads once; later calls share the first answer. */
  load(force = false): Promise<void> {
    if (this.#loading && !force) return this.#loading;
    this.#loading = ipc
      .getSettings()
      .then((s) => {
        this.value = s;
        this.loadError = null;
      })
      .catch((e: unknown) => {
        this.loadError = toUnifiedError(e);
        this.#loading = null;
      });
    return this.#loading;
  }

  async setSyncInterval(minutes: number): Promise<void> {
    this.value = await ipc.setSyncInterval(minutes);
  }

  async setAttachmentLimit(mb: number): Promise<void> {
    this.value = await ipc.setAttachmentLimit(mb);
  }
}

export const settings = new SettingsStore();

/** How one setting's last save went: saved, or refused (why). */
export class SettingSave {
  saved = $state(false);
  error = $state<UnifiedError | null>(null);

  clear(): void {
    this.saved = false;
    this.error = null;
  }

  async run(write: () => Promise<void>): Promise<void> {
    this.clear();
    try {
      await write();
      this.saved = true;
    } catch (e) {
      this.error = toUnifiedError(e);
    }
  }
}
