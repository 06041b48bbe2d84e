//! Folds the stream of `SyncProgress` events into one line per account for the status bar.

import type { ErrorCode, SyncProgress } from './bindings.gen';
import { clockTimeWithSeconds } from './relative-time';

export type SyncActivity = 'syncing' | 'waiting' | 'failed' | 'done';

export interface AccountSync {
  account_id: number;
  account_name: string;
  activity: SyncActivity;
  /** The resource being worked on (`tickets`, `comments`, …; `all` for the run). */
  resource: string;
  done: number;
  total: number | null;
  /** 0..1 when the total is known, else `null` (an indeterminate bar). */
  fraction: number | null;
  /** `HH:MM:SS` for a rate-limit wait. */
  waitingUntil: string | null;
  errorCode: ErrorCode | null;
  message: string | null;
}

/** The key under which the latest progress of one account and resource is kept. */
export function progressKey(p: Pick<SyncProgress, 'account_id' | 'resource'>): string {
  return `${p.account_id}:${p.resource}`;
}

/**
 * Records `p` as the newest progress for its account and resource, keeping `entries` ordered
 * oldest → newest (the order the summary relies on).
 */
export function recordProgress(entries: SyncProgress[], p: SyncProgress): SyncProgress[] {
  const key = progressKey(p);
  const rest = entries.filter((e) => progressKey(e) !== key);
  // A new run of the whole account starts clean: stale failures and waits of the last run go.
  const fresh =
    p.resource === 'all' && p.phase === 'started'
      ? rest.filter((e) => e.account_id !== p.account_id)
      : rest;
  return [...fresh, p];
}

function fractionOf(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** One summary per account that has reported progress, in order of first appearance. */
export function summarizeSync(entries: SyncProgress[]): AccountSync[] {
  const byAccount = new Map<number, SyncProgress[]>();
  for (const e of entries) {
    const list = byAccount.get(e.account_id) ?? [];
    list.push(e);
    byAccount.set(e.account_id, list);
  }
  const out: AccountSync[] = [];
  for (const [account_id, list] of byAccount) {
    const latest = list[list.length - 1];
    const run = list.find((e) => e.resource === 'all');
    const working = [...list].reverse().find((e) => e.resource !== 'all') ?? latest;
    let activity: SyncActivity;
    let shown = latest;
    if (latest.phase === 'waiting') activity = 'waiting';
    else if (latest.phase === 'failed') activity = 'failed';
    else if (latest.phase === 'started' || latest.phase === 'running') activity = 'syncing';
    else if (run) {
      activity = run.phase === 'done' ? 'done' : run.phase === 'failed' ? 'failed' : 'syncing';
      shown = activity === 'syncing' ? working : run;
    } else activity = 'done';
    if (activity === 'failed') shown = list.find((e) => e.phase === 'failed') ?? shown;
    out.push({
      account_id,
      account_name: latest.account_name,
      activity,
      resource: shown.resource,
      done: shown.done,
      total: shown.total,
      fraction: fractionOf(shown.done, shown.total),
      waitingUntil: activity === 'waiting' ? clockTimeWithSeconds(shown.message) : null,
      errorCode: shown.error_code,
      message: shown.message,
    });
  }
  return out;
}

/** `tickets` → `tickets`, `ticket_status` → `ticket statuses`-ish plain words for the bar. */
export function resourceWords(resource: string): string {
  if (resource === 'all') return 'everything';
  if (resource === 'comments') return 'threads';
  return resource.replace(/_/g, ' ');
}
