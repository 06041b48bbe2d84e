import { describe, expect, it } from 'vitest';
import type { SyncProgress } from './bindings.gen';
import { recordProgress, summarizeSync } from './sync-summary';

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
