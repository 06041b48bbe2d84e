//! How outbox items read: their state, when they retry, why they stopped, and which fields of a
//! ticket are still on their way to the helpdesk.

import type { OutboxItem } from './bindings.gen';
import { failureSentence } from './error-text';
import { clockTimeWithSeconds } from './relative-time';

export type OutboxState = 'pending' | 'sending' | 'failed' | 'conflict' | 'done';

/** True while the write is still on its way (nothing for the user to do). */
export function isInFlight(state: string): boolean {
  return state === 'pending' || state === 'sending';
}

/** True when the write stopped and waits for the user (retry, discard or choose). */
export function needsUser(state: string): boolean {
  return state === 'failed' || state === 'conflict';
}

/** Items not yet at the helpdesk: what the sidebar badge counts. */
export function openCount(items: readonly OutboxItem[]): number {
  return items.filter((i) => i.state !== 'done').length;
}

/** A word or two for the state badge. */
export function outboxStateLabel(state: string): string {
  switch (state) {
    case 'pending':
      return 'Waiting';
    case 'sending':
      return 'Sending';
    case 'failed':
      return 'Failed';
    case 'conflict':
      return 'Conflict';
    case 'done':
      return 'Sent';
    default:
      return state;
  }
}

/** How a comment waiting in the outbox says so in the thread. */
export function commentOutboxLabel(state: string): string {
  return state === 'sending' ? 'Sending…' : 'Waiting to send';
}

/** `retrying at 14:03:20`, or `null` when no retry is scheduled. */
export function retryText(nextTryAt: string | null | undefined): string | null {
  const at = clockTimeWithSeconds(nextTryAt);
  return at ? `retrying at ${at}` : null;
}

/** Turns a backend message into one sentence: first letter up, one full stop, no API hints. */
export const oneSentence = failureSentence;

/** Field names as people say them. */
export function fieldLabel(field: string): string {
  switch (field) {
    case 'name':
      return 'Subject';
    case 'status':
      return 'Status';
    case 'assignees':
      return 'Assignee';
    case 'collections':
      return 'Inbox';
    case 'tags':
      return 'Tags';
    case 'first_name':
      return 'First name';
    case 'last_name':
      return 'Last name';
    case 'details':
      return 'Details';
    default:
      return field.replace(/_/g, ' ');
  }
}

/**
 * The earlier write on the same record that holds `item` back (writes reach the helpdesk in the
 * order they were made), or `null`.
 */
export function blockedBy(item: OutboxItem, all: readonly OutboxItem[]): OutboxItem | null {
  if (item.state !== 'pending') return null;
  return (
    all.find(
      (o) =>
        o.id < item.id &&
        o.account_id === item.account_id &&
        o.resource === item.resource &&
        o.target_id === item.target_id &&
        o.state !== 'done',
    ) ?? null
  );
}

/** The words for a record kind in "the earlier change to this …". */
function recordWord(resource: string): string {
  if (resource === 'tickets') return 'ticket';
  if (resource === 'contacts') return 'contact';
  if (resource === 'comments') return 'message';
  return 'record';
}

/**
 * Why an item is where it is, in one sentence (empty when it is simply waiting its turn).
 * With `all` (the whole outbox), a write held back by an earlier one says so.
 */
export function outboxReason(item: OutboxItem, all: readonly OutboxItem[] = []): string {
  const blocker = blockedBy(item, all);
  if (blocker) {
    const what = `the earlier change to this ${recordWord(item.resource)}`;
    return needsUser(blocker.state)
      ? `Waits until ${what} is retried, settled or discarded.`
      : `Goes right after ${what}.`;
  }
  if (item.state === 'conflict') {
    const fields = item.conflicts.map((c) => fieldLabel(c.field).toLowerCase());
    const what = fields.length ? joinWords(fields) : 'the same fields';
    return `The helpdesk changed ${what} since you did: choose which value to keep.`;
  }
  if (item.error && item.state === 'pending') {
    switch (item.error.code) {
      case 'offline':
        return 'The helpdesk can’t be reached right now; Ticketdeck keeps trying.';
      case 'rate_limited':
        return 'The helpdesk asked Ticketdeck to slow down; it tries again when allowed.';
      case 'upstream':
        return 'The helpdesk had a server error; Ticketdeck tries again shortly.';
    }
  }
  if (item.error?.message) return oneSentence(item.error.message);
  if (item.state === 'failed') return 'The helpdesk did not take this change.';
  return '';
}

/** The summary without its "Ticket 51e6e9: " lead, for where the ticket is already in view. */
export function summaryOnTicket(summary: string): string {
  const s = summary.replace(/^Ticket \S+: /, '').replace(/ on ticket \S+/, '');
  return s ? s[0].toUpperCase() + s.slice(1) : summary;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The ticket fields that writes still on their way will change. */
export function pendingFields(items: readonly OutboxItem[]): Set<string> {
  const out = new Set<string>();
  for (const i of items) if (isInFlight(i.state)) for (const f of i.fields) out.add(f);
  return out;
}

/** Items on a ticket that need the user, conflicts first, oldest first within a kind. */
export function itemsNeedingUser(items: readonly OutboxItem[]): OutboxItem[] {
  return items
    .filter((i) => needsUser(i.state))
    .sort((a, b) => (a.state === b.state ? a.id - b.id : a.state === 'conflict' ? -1 : 1));
}
