import { describe, expect, it } from 'vitest';
import { moveHighlight, tagSuggestions } from './tag-search';

const tags = [
  { id: '1', name: 'Refund' },
  { id: '2', name: 'VIP' },
  { id: '3', name: 'Billing' },
  { id: '4', name: 'Partial refund' },
  { id: '5', name: 'Bug' },
];

describe('tagSuggestions', () => {
  it('puts names starting with the query before names containing it', () => {
    expect(tagSuggestions(tags, [], 'ref').map((t) => t.name)).toEqual(['Refund', 'Partial refund']);
  });
  it('leaves out tags the ticket has', () => {
    expect(tagSuggestions(tags, [{ id: '1', name: 'Refund' }], 'ref').map((t) => t.id)).toEqual(['4']);
  });
  it('offers the first tags alphabetically for an empty query, up to max', () => {
    expect(tagSuggestions(tags, [], '', 3).map((t) => t.name)).toEqual(['Billing', 'Bug', 'Partial refund']);
  });
  it('is case-insensitive', () => {
    expect(tagSuggestions(tags, [], 'VI').map((t) => t.id)).toEqual(['2']);
  });
});

describe('moveHighlight', () => {
  it('wraps and starts from the end going up', () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});
