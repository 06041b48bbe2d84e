import { describe, expect, it } from 'vitest';
import { clockTimeWithSeconds, formatAgo, formatMoment, formatRelative } from './relative-time';

const now = new Date(2026, 2, 12, 15, 0, 0); // Thu 12 Mar 2026, 15:00 local

function ago(ms: number): string {
  return new Date(now.getTime() - ms).toISOString();
}

describe('formatRelative', () => {
  it('is empty for missing or invalid times', () => {
    expect(formatRelative(null, now)).toBe('');
    expect(formatRelative('not a date', now)).toBe('');
  });
  it('says now for the last minute and for the future', () => {
    expect(formatRelative(ago(30_000), now)).toBe('now');
    expect(formatRelative(ago(-120_000), now)).toBe('now');
  });
  it('counts minutes, hours and days', () => {
    expect(formatRelative(ago(5 * 60_000), now)).toBe('5m');
    expect(formatRelative(ago(3 * 3_600_000 + 10), now)).toBe('3h');
    expect(formatRelative(ago(4 * 86_400_000), now)).toBe('4d');
  });
  it('falls back to a date, with the year outside this year', () => {
    expect(formatRelative(new Date(2026, 0, 2, 9).toISOString(), now)).toBe('2 Jan');
    expect(formatRelative(new Date(2024, 10, 30, 9).toISOString(), now)).toBe('30 Nov 2024');
  });
});

describe('formatMoment', () => {
  it('shows only the time today', () => {
    expect(formatMoment(new Date(2026, 2, 12, 10, 3).toISOString(), now)).toBe('10:03');
  });
  it('names yesterday and weekdays within a week', () => {
    expect(formatMoment(new Date(2026, 2, 11, 23, 59).toISOString(), now)).toBe('Yesterday 23:59');
    expect(formatMoment(new Date(2026, 2, 9, 8, 5).toISOString(), now)).toBe('Mon 08:05');
  });
  it('shows a date further back', () => {
    expect(formatMoment(new Date(2026, 1, 1, 8, 5).toISOString(), now)).toBe('1 Feb, 08:05');
    expect(formatMoment(new Date(2025, 1, 1, 8, 5).toISOString(), now)).toBe('1 Feb 2025, 08:05');
  });
});

describe('formatAgo and clock time', () => {
  it('phrases ages', () => {
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo(ago(10_000), now)).toBe('just now');
    expect(formatAgo(ago(12 * 60_000), now)).toBe('12 min ago');
    expect(formatAgo(ago(26 * 3_600_000), now)).toBe('yesterday');
    expect(formatAgo(ago(3 * 86_400_000), now)).toBe('3 days ago');
  });
  it('formats HH:MM:SS', () => {
    expect(clockTimeWithSeconds(new Date(2026, 2, 12, 9, 4, 7).toISOString())).toBe('09:04:07');
    expect(clockTimeWithSeconds('garbage')).toBeNull();
  });
});
