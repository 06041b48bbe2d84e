import { describe, expect, it } from 'vitest';
import type { SyncProgress } from './bindings.gen';
import { etaText, recordProgress, summarizeSync } from './sync-summary';

function p(over: Partial<SyncProgress>): SyncProgress {
  return {
    account_id: 1,
    account_name: 'Acme',
    resource: 'tickets',
    phase: 'running',
    done: 0,
    total: null,
    message: null,
    error_code: null,
    eta_seconds: null,
    budget_remaining: null,
    budget_limit: null,
    ...over,
  };
}

describe('summarizeSync', () => {
  it('shows the resource being synced with a fraction', () => {
    let e: SyncProgress[] = [];
    e = recordProgress(e, p({ resource: 'all', phase: 'started' }));
    e = recordProgress(e, p({ resource: 'tickets', done: 412, total: 2000 }));
    const [s] = summarizeSync(e);
    expect(s.activity).toBe('syncing');
    expect(s.resource).toBe('tickets');
    expect(s.fraction).toBeCloseTo(0.206);
  });
  it('reads the wait time from the message', () => {
    const until = new Date(2026, 2, 12, 10, 4, 5).toISOString();
    let e = recordProgress([], p({ resource: 'all', phase: 'started' }));
    e = recordProgress(e, p({ phase: 'waiting', message: until }));
    const [s] = summarizeSync(e);
    expect(s.activity).toBe('waiting');
    expect(s.waitingUntil).toBe('10:04:05');
  });
  it('keeps syncing between resources until the run is done', () => {
    let e: SyncProgress[] = [];
    e = recordProgress(e, p({ resource: 'all', phase: 'started' }));
    e = recordProgress(e, p({ resource: 'tickets', phase: 'done', done: 10, total: 10 }));
    expect(summarizeSync(e)[0].activity).toBe('syncing');
    e = recordProgress(e, p({ resource: 'all', phase: 'done' }));
    expect(summarizeSync(e)[0].activity).toBe('done');
  });
  it('reports failures with their code, and a new run clears them', () => {
    let e = recordProgress([], p({ phase: 'failed', error_code: 'auth_failed', message: 'nope' }));
    expect(summarizeSync(e)[0]).toMatchObject({ activity: 'failed', errorCode: 'auth_failed' });
    e = recordProgress(e, p({ resource: 'all', phase: 'started' }));
    expect(summarizeSync(e)[0].activity).toBe('syncing');
    expect(e).toHaveLength(1);
  });
  it('reads a snapshot sorted by resource name', () => {
    const snapshot = [
      p({ resource: 'all', phase: 'started' }),
      p({ resource: 'contacts', phase: 'done', done: 100, total: 100 }),
      p({ resource: 'tickets', phase: 'running', done: 40, total: null }),
      p({ resource: 'users', phase: 'done', done: 8, total: 8 }),
    ];
    let e: SyncProgress[] = [];
    for (const x of snapshot) e = recordProgress(e, x);
    const [s] = summarizeSync(e);
    expect(s.activity).toBe('syncing');
    expect(s.resource).toBe('tickets');
  });
  it('reports a resource that failed during an otherwise finished run', () => {
    let e = recordProgress([], p({ resource: 'all', phase: 'started' }));
    e = recordProgress(e, p({ resource: 'comments', phase: 'failed', error_code: 'rate_limited' }));
    e = recordProgress(e, p({ resource: 'all', phase: 'done' }));
    expect(summarizeSync(e)[0]).toMatchObject({ activity: 'failed', resource: 'comments', errorCode: 'rate_limited' });
  });
  it('keeps accounts apart', () => {
    let e = recordProgress([], p({}));
    e = recordProgress(e, p({ account_id: 2, account_name: 'Shop', phase: 'done', resource: 'all' }));
    expect(summarizeSync(e).map((s) => s.activity)).toEqual(['syncing', 'done']);
  });
});

describe('budget and time left', () => {
  it('shows the newest budget and the time left while syncing threads', () => {
    let e: SyncProgress[] = [];
    e = recordProgress(e, p({ resource: 'all', phase: 'started', budget_remaining: 90, budget_limit: 100 }));
    e = recordProgress(e, p({ resource: 'comments', done: 412, total: 2000, eta_seconds: 240, budget_remaining: 63, budget_limit: 100 }));
    const [s] = summarizeSync(e);
    expect(s.budget).toEqual({ remaining: 63, limit: 100 });
    expect(s.etaSeconds).toBe(240);
  });
  it('words the time left', () => {
    expect(etaText(null)).toBeNull();
    expect(etaText(12)).toBe('about 10 s left');
    expect(etaText(2)).toBe('about 1 s left');
    expect(etaText(240)).toBe('about 4 min left');
    expect(etaText(3 * 3600)).toBe('about 3 h left');
  });
});
