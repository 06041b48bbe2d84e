import { describe, expect, it } from 'vitest';
import type { OutboxItem } from './bindings.gen';
import {
  itemsNeedingUser,
  joinWords,
  oneSentence,
  openCount,
  outboxReason,
  pendingFields,
  retryText,
  summaryOnTicket,
} from './outbox-text';

function item(p: Partial<OutboxItem>): OutboxItem {
  return {
    id: 1,
    account_id: 1,
    summary: 'Ticket t1: status → closed',
    state: 'pending',
    resource: 'tickets',
    target_id: 't1',
    ticket_id: 't1',
    fields: [],
    attempts: 0,
    error: null,
    conflicts: [],
    next_try_at: null,
    result_id: null,
    write: { op: 'update_ticket', ticket_id: 't1', patch: { status: 'closed' }, base: {} },
    created_at: '2026-11-30T10:00:00Z',
    updated_at: '2026-11-30T10:00:00Z',
    ...p,
  };
}

describe('outbox text', () => {
  it('counts what has not reached the helpdesk', () => {
    expect(openCount([item({ state: 'pending' }), item({ state: 'done' }), item({ state: 'failed' })])).toBe(2);
  });
  it('marks the fields of writes still on their way', () => {
    const f = pendingFields([
      item({ state: 'pending', fields: ['status'] }),
      item({ state: 'sending', fields: ['tags'] }),
      item({ state: 'failed', fields: ['assignees'] }),
    ]);
    expect([...f].sort()).toEqual(['status', 'tags']);
  });
  it('says when a retry is due in local clock time', () => {
    const at = new Date(2026, 10, 30, 14, 3, 20).toISOString();
    expect(retryText(at)).toBe('retrying at 14:03:20');
    expect(retryText(null)).toBeNull();
  });
  it('turns messages into one sentence', () => {
    expect(oneSentence('the helpdesk answered 422')).toBe('The helpdesk answered 422.');
    expect(oneSentence('Already done.')).toBe('Already done.');
  });
  it('explains conflicts by field', () => {
    const c = item({
      state: 'conflict',
      conflicts: [
        { field: 'status', base: 'open', yours: 'closed', theirs: 'hold' },
        { field: 'assignees', base: [], yours: [], theirs: [] },
      ],
    });
    expect(outboxReason(c)).toBe('The helpdesk changed status and assignee since you did: choose which value to keep.');
    expect(outboxReason(item({ state: 'failed', error: { code: 'upstream', message: 'server error 500' } }))).toBe(
      'Server error 500.',
    );
  });
  it('says when an earlier change on the same record holds a write back', () => {
    const first = item({ id: 1, state: 'conflict' });
    const second = item({ id: 2, state: 'pending' });
    const other = item({ id: 3, state: 'pending', target_id: 't9' });
    expect(outboxReason(second, [first, second, other])).toBe(
      'Waits until the earlier change to this ticket is retried, settled or discarded.',
    );
    expect(outboxReason(second, [{ ...first, state: 'sending' }, second])).toBe('Goes right after the earlier change to this ticket.');
    expect(outboxReason(other, [first, second, other])).toBe('');
  });
  it('puts conflicts first among items needing the user', () => {
    const list = itemsNeedingUser([
      item({ id: 1, state: 'failed' }),
      item({ id: 2, state: 'pending' }),
      item({ id: 3, state: 'conflict' }),
    ]);
    expect(list.map((i) => i.id)).toEqual([3, 1]);
  });
  it('words passing troubles calmly while a write waits', () => {
    const waiting = item({ state: 'pending', error: { code: 'offline', message: 'error sending request for url' } });
    expect(outboxReason(waiting)).toBe('The helpdesk can’t be reached right now; Ticketdeck keeps trying.');
  });
  it('drops the ticket lead from summaries shown on the ticket', () => {
    expect(summaryOnTicket('Ticket d9d500: status → open')).toBe('Status → open');
    expect(summaryOnTicket('Reply on ticket d9d500 with 1 attachment')).toBe('Reply with 1 attachment');
  });
  it('joins words', () => {
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
