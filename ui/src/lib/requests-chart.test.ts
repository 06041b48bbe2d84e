import { describe, expect, it } from 'vitest';
import {
  budgetPerBucket,
  chartSummary,
  layoutRequestsChart,
  niceMax,
  shortNumber,
  slotIndexes,
  type RequestHistory,
} from './requests-chart';

function history(buckets: Partial<RequestHistory['buckets'][number]>[]): RequestHistory {
  return {
    account_id: 1,
    bucket_secs: 10,
    window_secs: 60,
    limit: 120,
    buckets: buckets.map((b, i) => ({
      at: new Date(Date.UTC(2026, 10, 30, 14, 0, i * 10)).toISOString(),
      interactive: 0,
      outbox: 0,
      background: 0,
      rate_limited: 0,
      ...b,
    })),
  };
}

describe('budgetPerBucket', () => {
  it('scales the window limit to one bucket', () => {
    expect(budgetPerBucket({ limit: 120, window_secs: 60, bucket_secs: 10 })).toBe(20);
    expect(budgetPerBucket({ limit: 100, window_secs: 1, bucket_secs: 10 })).toBe(1000);
    expect(budgetPerBucket({ limit: 0, window_secs: 60, bucket_secs: 10 })).toBeNull();
  });
});

describe('niceMax', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(20)).toBe(20);
    expect(niceMax(21)).toBe(25);
    expect(niceMax(26)).toBe(50);
    expect(niceMax(501)).toBe(1000);
  });
});

describe('layoutRequestsChart', () => {
  const h = history([{ background: 10 }, { interactive: 5, outbox: 5, background: 30, rate_limited: 2 }, {}]);
  // Three 10 s buckets from 14:00:00; now is in the third; the axis shows the last 30 s.
  const now = Date.UTC(2026, 10, 30, 14, 0, 25);
  const l = layoutRequestsChart(h, { width: 330, height: 116, left: 30, right: 0, top: 6, bottom: 10 }, now, 30);

  it('fits the tallest bar and the budget under a round top', () => {
    expect(l.budget).toBe(20);
    expect(l.yMax).toBe(50);
    expect(l.plot).toEqual({ x: 30, y: 6, width: 300, height: 100 });
  });
  it('stacks lanes from background at the bottom to your clicks on top', () => {
    const bar = l.bars[1];
    expect(bar.total).toBe(40);
    expect(bar.segments.map((s) => s.lane)).toEqual(['background', 'outbox', 'interactive']);
    expect(bar.segments[0].y + bar.segments[0].height).toBeCloseTo(106);
    expect(bar.segments[0].height).toBeCloseTo(60);
    expect(bar.segments[2].y).toBeCloseTo(106 - 80);
    expect(bar.rateLimited).toBe(2);
  });
  it('places bars side by side and the budget line at its value', () => {
    expect(l.bars.map((b) => Math.round(b.x))).toEqual([31, 131, 231]);
    expect(l.bars[2].segments).toEqual([]);
    expect(l.budgetY).toBeCloseTo(106 - 40);
    expect(l.ticks.map((t) => t.value)).toEqual([0, 25, 50]);
  });
});

describe('time axis', () => {
  it('puts buckets at their time, ending with the slot that holds now', () => {
    const h = history([{ background: 1 }, { background: 2 }]);
    // 14:00:00 and 14:00:10; now 14:00:25 → 6 slots of 10 s end at 14:00:30.
    const now = Date.UTC(2026, 10, 30, 14, 0, 25);
    expect(slotIndexes(h, 6, now)).toEqual([3, 4]);
    // A minute later the two buckets fell off a 60 s axis.
    expect(slotIndexes(h, 6, now + 60_000)).toEqual([null, null]);
  });
  it('draws a short history at the right end of a ten-minute axis', () => {
    const h = history([{ background: 10 }]);
    const now = Date.UTC(2026, 10, 30, 14, 0, 5);
    const l = layoutRequestsChart(h, { width: 630, height: 100, left: 30, right: 0 }, now);
    expect(l.bars).toHaveLength(1);
    expect(l.bars[0].x).toBeGreaterThan(620);
  });
});

describe('chartSummary', () => {
  it('sums the lanes and the 429s', () => {
    const h = history([{ background: 10 }, { interactive: 5, outbox: 5, background: 30, rate_limited: 2 }, {}]);
    expect(chartSummary(h, 30)).toBe(
      'In the last 30 s: 50 credits (Your clicks 5, Outbox 5, Background sync 40); 2 rate-limited answers. The budget is 120 credits per 60 s window.',
    );
  });
  it('shortens large numbers', () => {
    expect(shortNumber(1250)).toBe('1.3k');
    expect(shortNumber(2.5)).toBe('2.5');
  });
});
