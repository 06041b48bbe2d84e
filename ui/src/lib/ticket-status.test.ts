import { describe, expect, it } from 'vitest';
import { writableStatusLabel, writableStatusOf } from './ticket-status';

describe('writableStatusOf', () => {
  it('maps unified names to the ids a ticket is set with', () => {
    expect(writableStatusOf('open')).toBe('open');
    expect(writableStatusOf('pending')).toBe('hold');
    expect(writableStatusOf('closed')).toBe('closed');
    expect(writableStatusOf('spam')).toBe('spam');
    expect(writableStatusOf('deleted')).toBe('trash');
    expect(writableStatusOf('archived')).toBeNull();
  });
  it('labels hold as On hold', () => {
    expect(writableStatusLabel('hold')).toBe('On hold');
  });
});
