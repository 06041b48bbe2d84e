import { describe, expect, it } from 'vitest';
import { contentTypeLabel, formatBytes, initials, statusLabel, statusTone } from './format';

describe('format helpers', () => {
  it('formats sizes', () => {
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(14_500)).toBe('14 KB');
    expect(formatBytes(2_400_000)).toBe('2.3 MB');
  });
  it('labels statuses', () => {
    expect(statusLabel('on_hold')).toBe('On hold');
    expect(statusTone('open')).toBe('open');
    expect(statusTone('closed')).toBe('closed');
  });
  it('makes initials', () => {
    expect(initials('Michael Smith')).toBe('MS');
    expect(initials('')).toBe('?');
  });
  it('labels content types', () => {
    expect(contentTypeLabel('application/pdf', 'a.pdf')).toBe('PDF');
    expect(contentTypeLabel('text/plain', 'a.txt')).toBe('text');
    expect(contentTypeLabel(null, 'photo.jpeg')).toBe('JPEG');
  });
});
