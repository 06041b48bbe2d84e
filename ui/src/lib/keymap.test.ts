import { describe, expect, it } from 'vitest';
import { isPrefixKey, moveCursor, resolveKey } from './keymap';

describe('resolveKey', () => {
  it('maps the list keys', () => {
    expect(resolveKey({ key: 'j' })).toBe('next');
    expect(resolveKey({ key: 'ArrowDown' })).toBe('next');
    expect(resolveKey({ key: 'k' })).toBe('prev');
    expect(resolveKey({ key: 'Enter' })).toBe('open');
    expect(resolveKey({ key: '/' })).toBe('search');
    expect(resolveKey({ key: '?' })).toBe('help');
    expect(resolveKey({ key: 's' })).toBe('sync');
    expect(resolveKey({ key: 'x' })).toBeNull();
  });
  it('maps the ticket actions', () => {
    expect(resolveKey({ key: 'e' })).toBe('close-ticket');
    expect(resolveKey({ key: 'a' })).toBe('assign');
    expect(resolveKey({ key: 't' })).toBe('tag');
    expect(resolveKey({ key: 'r' })).toBe('reply');
    expect(resolveKey({ key: 'n' })).toBe('note');
    expect(resolveKey({ key: 'r', inTextField: true })).toBeNull();
    expect(resolveKey({ key: 'e', ctrlKey: true })).toBeNull();
  });
  it('leaves typing in text fields alone, except Esc', () => {
    expect(resolveKey({ key: 'j', inTextField: true })).toBeNull();
    expect(resolveKey({ key: '/', inTextField: true })).toBeNull();
    expect(resolveKey({ key: 'Escape', inTextField: true })).toBe('escape');
  });
  it('ignores modified keys', () => {
    expect(resolveKey({ key: 's', ctrlKey: true })).toBeNull();
    expect(resolveKey({ key: 'j', metaKey: true })).toBeNull();
    expect(resolveKey({ key: 'k', altKey: true })).toBeNull();
  });
  it('handles the g prefix', () => {
    expect(isPrefixKey({ key: 'g' })).toBe(true);
    expect(isPrefixKey({ key: 'g', inTextField: true })).toBe(false);
    expect(resolveKey({ key: 'a' }, true)).toBe('accounts');
    expect(resolveKey({ key: 'c' }, true)).toBe('contacts');
    expect(resolveKey({ key: 'o' }, true)).toBe('outbox');
    expect(resolveKey({ key: 'j' }, true)).toBeNull();
  });
});

describe('moveCursor', () => {
  it('starts at the top and stays within bounds', () => {
    expect(moveCursor(null, 1, 10)).toBe(0);
    expect(moveCursor(0, -1, 10)).toBe(0);
    expect(moveCursor(8, 1, 10)).toBe(9);
    expect(moveCursor(9, 1, 10)).toBe(9);
    expect(moveCursor(3, 1, 0)).toBeNull();
  });
});
