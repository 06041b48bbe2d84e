import { describe, expect, it } from 'vitest';
import { anchoredScrollTop, computeWindow, pagesForRange, scrollToReveal } from './virtual-window';

describe('computeWindow', () => {
  const base = { rowHeight: 50, viewportHeight: 500, overscan: 5 };
  it('is empty with no rows', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 0 })).toEqual({
      start: 0,
      end: 0,
      offsetY: 0,
      totalHeight: 0,
    });
  });
  it('renders the viewport plus overscan at the top', () => {
    const w = computeWindow({ ...base, scrollTop: 0, total: 10_000 });
    expect(w.start).toBe(0);
    expect(w.end).toBe(16);
    expect(w.totalHeight).toBe(500_000);
  });
  it('renders only a small slice in the middle of a long list', () => {
    const w = computeWindow({ ...base, scrollTop: 100_000, total: 10_000 });
    expect(w.start).toBe(1995);
    expect(w.end).toBe(2016);
    expect(w.offsetY).toBe(1995 * 50);
  });
  it('clamps scroll positions beyond the end', () => {
    const w = computeWindow({ ...base, scrollTop: 9_999_999, total: 30 });
    expect(w.end).toBe(30);
    expect(w.start).toBe(15);
  });
  it('handles lists shorter than the viewport', () => {
    const w = computeWindow({ ...base, scrollTop: 0, total: 3 });
    expect([w.start, w.end]).toEqual([0, 3]);
  });
});

describe('scrollToReveal', () => {
  it('keeps the position when the row is visible', () => {
    expect(scrollToReveal(3, 0, 500, 50)).toBe(0);
  });
  it('scrolls up or down just enough', () => {
    expect(scrollToReveal(2, 400, 500, 50)).toBe(100);
    expect(scrollToReveal(20, 0, 500, 50)).toBe(550);
  });
});

describe('pagesForRange', () => {
  it('lists covering pages', () => {
    expect(pagesForRange(0, 16, 100)).toEqual([0]);
    expect(pagesForRange(95, 120, 100)).toEqual([0, 1]);
    expect(pagesForRange(200, 200, 100)).toEqual([]);
  });
});

describe('anchoredScrollTop', () => {
  it('lets new rows appear at the top', () => {
    expect(anchoredScrollTop(0, 0, 3, 50)).toBe(0);
  });
  it('keeps the anchored row in place further down', () => {
    expect(anchoredScrollTop(1000, 20, 23, 50)).toBe(1150);
    expect(anchoredScrollTop(1000, 20, 18, 50)).toBe(900);
  });
});
