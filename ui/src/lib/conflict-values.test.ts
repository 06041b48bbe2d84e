import { describe, expect, it } from 'vitest';
import { conflictValueText } from './conflict-values';

const book = {
  users: [{ id: 'u1', name: 'Mary Smith' }],
  tags: [
    { id: 't1', name: 'Refund' },
    { id: 't2', name: 'VIP' },
  ],
};

describe('conflictValueText', () => {
  it('reads statuses as their labels', () => {
    expect(conflictValueText('status', 'hold')).toBe('On hold');
    expect(conflictValueText('status', 'closed')).toBe('Closed');
    expect(conflictValueText('status', { id: 'open' })).toBe('Open');
  });
  it('names assignees from the book, and says Unassigned for none', () => {
    expect(conflictValueText('assignees', [{ id: 'u1', name: null }], book)).toBe('Mary Smith');
    expect(conflictValueText('assignees', [], book)).toBe('Unassigned');
    expect(conflictValueText('assignees', [{ id: 'u9' }], book)).toBe('u9');
  });
  it('lists tags', () => {
    expect(conflictValueText('tags', [{ id: 't1' }, { id: 't2' }], book)).toBe('Refund, VIP');
    expect(conflictValueText('tags', [], book)).toBe('No tags');
  });
  it('shows text and empty values plainly', () => {
    expect(conflictValueText('name', 'Where is my parcel?')).toBe('Where is my parcel?');
    expect(conflictValueText('details', '')).toBe('(empty)');
    expect(conflictValueText('details', null)).toBe('(empty)');
  });
});
