//! Drafts of replies and notes, one per ticket, kept while the user moves between tickets; and
//! the files attached to them, refused by size before any work, then staged with progress.

import type { FieldFailure, StagedFile, UnifiedError } from '../../lib/bindings.gen';
import { attachmentRefusal } from '../../lib/attachment-limit';
import { refusalSentence, toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';
import type { ComposerMode } from '../shell/ui.svelte';
import { keyOf, type TicketKey } from '../tickets/tickets.svelte';

/** One file on a draft: being staged, staged, or refused (with the reason). */
export interface DraftFile {
  uid: number;
  name: string;
  size: number;
  /** Bytes staged so far. */
  done: number;
  staged: StagedFile | null;
  error: string | null;
}

let nextUid = 1;

export class Draft {
  readonly key: TicketKey;
  mode = $state<ComposerMode>('reply');
  body = $state('');
  files = $state<DraftFile[]>([]);
  sending = $state(false);
  error = $state<UnifiedError | null>(null);

  constructor(key: TicketKey) {
    this.key = key;
  }

  /** True while a file is still being copied. */
  get staging(): boolean {
    return this.files.some((f) => !f.staged && !f.error);
  }

  get ready(): DraftFile[] {
    return this.files.filter((f) => f.staged !== null);
  }

  /** Adds picked or dropped files: each is checked against `limitMb` first, then staged. */
  addFiles(list: Iterable<File>, limitMb: number): void {
    for (const file of list) {
      const refusal = attachmentRefusal(file.name, file.size, limitMb);
      const entry: DraftFile = { uid: nextUid++, name: file.name, size: file.size, done: 0, staged: null, error: refusal };
      this.files.push(entry);
      if (!refusal) void this.#stage(file, entry.uid);
    }
  }

  async #stage(file: File, uid: number): Promise<void> {
    const find = () => this.files.find((f) => f.uid === uid);
    try {
      const staged = await ipc.stageAttachment(file, (done) => {
        const f = find();
        if (f) f.done = done;
      });
      const f = find();
      if (f) f.staged = staged;
    } catch (e) {
      // The backend's reason when it gives one.
      const f = find();
      if (f) f.error = refusalSentence(toUnifiedError(e), 1);
    }
  }

  removeFile(uid: number): void {
    const gone = this.files.find((f) => f.uid === uid);
    this.files = this.files.filter((f) => f.uid !== uid);
    // Its staged copy is not needed any more; a failure leaves a stray file, nothing worse.
    if (gone?.staged) void ipc.unstageAttachment(gone.staged.path).catch(() => undefined);
  }

  /** Sends the draft as `authorId`; clears it on success. Answers whether it was stored. */
  async send(authorId: string | null): Promise<boolean> {
    if (this.sending || this.staging) return false;
    this.sending = true;
    this.error = null;
    try {
      await ipc.createComment(this.key.account_id, {
        ticket: { id: this.key.id, name: null },
        body: this.body,
        is_internal: this.mode === 'note',
        author: { id: authorId, name: null, username: null, type: 'user' },
        attachments: this.ready.map((f) => ({
          path: f.staged!.path,
          file_name: f.staged!.file_name,
          content_type: f.staged!.content_type,
        })),
      });
      this.body = '';
      this.files = [];
      return true;
    } catch (e) {
      this.error = toUnifiedError(e);
      return false;
    } finally {
      this.sending = false;
    }
  }
}

/** Field names in validation failures, as the composer labels them. */
export function composerFieldLabel(field: string): string {
  if (field === 'body') return 'Message';
  if (field === 'author') return 'Author';
  if (field.startsWith('attachments')) return 'Attachment';
  if (field === 'is_internal') return 'Internal note';
  return field;
}

/** The failures a validation error lists, or none. */
export function failuresOf(e: UnifiedError | null): FieldFailure[] {
  return e?.code === 'validation' ? (e.failures ?? []) : [];
}

class DraftsStore {
  // Drafts are looked up, not rendered from the map; each draft's fields are reactive.
  #drafts = new Map<string, Draft>();

  for(key: TicketKey): Draft {
    const k = keyOf(key);
    let d = this.#drafts.get(k);
    if (!d) {
      d = new Draft({ account_id: key.account_id, id: key.id });
      this.#drafts.set(k, d);
    }
    return d;
  }
}

export const drafts = new DraftsStore();

/** The agent each account writes as (from settings), loaded once per account. */
class ReplyAsStore {
  byAccount = $state<Record<number, string | null>>({});
  #loading = new Set<number>();

  of(accountId: number): string | null | undefined {
    if (!(accountId in this.byAccount) && !this.#loading.has(accountId)) {
      this.#loading.add(accountId);
      ipc
        .getReplyAs(accountId)
        .then((id) => (this.byAccount = { ...this.byAccount, [accountId]: id }))
        .catch(() => (this.byAccount = { ...this.byAccount, [accountId]: null }))
        .finally(() => this.#loading.delete(accountId));
    }
    return this.byAccount[accountId];
  }

  async set(accountId: number, userId: string): Promise<UnifiedError | null> {
    const before = this.byAccount[accountId] ?? null;
    this.byAccount = { ...this.byAccount, [accountId]: userId };
    try {
      await ipc.setReplyAs(accountId, userId);
      return null;
    } catch (e) {
      this.byAccount = { ...this.byAccount, [accountId]: before };
      return toUnifiedError(e);
    }
  }
}

export const replyAs = new ReplyAsStore();
