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
  /** Seconds left at the rate the budget allows, when known. */
  etaSeconds: number | null;
  /** The account's rate budget as last reported: credits left in the window and its limit. */
  budget: { remaining: number; limit: number } | null;
}

/** `about 4 min left`, `about 40 s left`, or `null` when unknown. */
export function etaText(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds / 5) * 5)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.round(minutes / 6) / 10} h left`;
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

/**
 * One summary per account that has reported progress, in order of first appearance. The run
 * (`all`) decides whether the account is busy, so a snapshot in any order reads right; the
 * newest active resource says what it is busy with.
 */
export function summarizeSync(entries: SyncProgress[]): AccountSync[] {
  const byAccount = new Map<number, SyncProgress[]>();
  for (const e of entries) {
    const list = byAccount.get(e.account_id) ?? [];
    list.push(e);
    byAccount.set(e.account_id, list);
  }
  const out: AccountSync[] = [];
  for (const [account_id, list] of byAccount) {
    const run = list.find((e) => e.resource === 'all');
    const parts = list.filter((e) => e.resource !== 'all');
    const newest = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
    const waiting = newest(list.filter((e) => e.phase === 'waiting'));
    const active = newest(parts.filter((e) => e.phase === 'started' || e.phase === 'running'));
    const failed = run?.phase === 'failed' ? run : newest(parts.filter((e) => e.phase === 'failed'));
    const busy = run
      ? run.phase === 'started' || run.phase === 'running' || run.phase === 'waiting'
      : !!active || !!waiting;

    let activity: SyncActivity;
    let shown: SyncProgress;
    if (busy && waiting) {
      activity = 'waiting';
      shown = waiting;
    } else if (busy) {
      activity = 'syncing';
      shown = active ?? newest(parts) ?? run ?? list[0];
    } else if (failed) {
      activity = 'failed';
      // A failed run names no resource; the failed resource's own report says more.
      shown = newest(parts.filter((e) => e.phase === 'failed')) ?? failed;
      if (run?.phase === 'failed' && run.error_code) shown = { ...shown, error_code: run.error_code, message: run.message ?? shown.message };
    } else {
      activity = 'done';
      shown = run ?? newest(list) ?? list[0];
    }
    out.push({
      account_id,
      account_name: list[list.length - 1].account_name,
      activity,
      resource: shown.resource,
      done: shown.done,
      total: shown.total,
      fraction: fractionOf(shown.done, shown.total),
      waitingUntil: activity === 'waiting' ? clockTimeWithSeconds(shown.message) : null,
      errorCode: shown.error_code,
      message: shown.message,
      etaSeconds: activity === 'syncing' ? (shown.eta_seconds ?? null) : null,
      budget: budgetOf(list),
    });
  }
  return out;
}

/** The newest budget any report of the account carried. */
function budgetOf(list: SyncProgress[]): AccountSync['budget'] {
  for (let i = list.length - 1; i >= 0; i--) {
    const { budget_remaining: remaining, budget_limit: limit } = list[i];
    if (remaining !== null && limit !== null && limit > 0) return { remaining, limit };
  }
  return null;
}

/** `tickets` → `tickets`, `ticket_status` → `ticket statuses`-ish plain words for the bar. */
export function resourceWords(resource: string): string {
  if (resource === 'all') return 'everything';
  if (resource === 'comments') return 'threads';
  return resource.replace(/_/g, ' ');
}
