//! The requests chart's geometry: stacked bars of credits per lane over time, the budget line
//! (the window's limit scaled to one bucket) and marks for rate-limited answers. Pure, so the
//! scaling is tested alone; the component only draws what this returns.

import type { RequestBucket, RequestHistory } from './bindings.gen';

export type { RequestBucket, RequestHistory };

export type Lane = 'interactive' | 'outbox' | 'background';

export const LANES: readonly { lane: Lane; label: string }[] = [
  { lane: 'interactive', label: 'Your clicks' },
  { lane: 'outbox', label: 'Outbox' },
  { lane: 'background', label: 'Background sync' },
];

export interface Segment {
  lane: Lane;
  value: number;
  y: number;
  height: number;
}

export interface Bar {
  at: string;
  x: number;
  width: number;
  total: number;
  rateLimited: number;
  /** Bottom lane first (the one drawn lowest). */
  segments: Segment[];
}

export interface ChartLayout {
  /** The drawing area inside the axes. */
  plot: { x: number; y: number; width: number; height: number };
  bars: Bar[];
  /** The top of the y scale, a round number at least as high as the tallest bar and the budget. */
  yMax: number;
  /** Credits per bucket the budget allows, or `null` when unknown. */
  budget: number | null;
  budgetY: number | null;
  ticks: { value: number; y: number }[];
}

export interface ChartSize {
  width: number;
  height: number;
  /** Room for the y labels on the left and the x labels below. */
  left?: number;
  bottom?: number;
  top?: number;
  right?: number;
}

/** The credits a bucket may spend at the budget's pace: the window's limit scaled to a bucket. */
export function budgetPerBucket(h: Pick<RequestHistory, 'limit' | 'bucket_secs' | 'window_secs'>): number | null {
  if (!(h.limit > 0) || !(h.window_secs > 0) || !(h.bucket_secs > 0)) return null;
  return (h.limit * h.bucket_secs) / h.window_secs;
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `v` (and at least 1). */
export function niceMax(v: number): number {
  if (!(v > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v - 1e-9) return m * p;
  return 10 * p;
}

export function bucketTotal(b: RequestBucket): number {
  return b.interactive + b.outbox + b.background;
}

/** How much time the chart shows, unless told otherwise: the last ten minutes. */
export const CHART_SPAN_SECS = 600;

/**
 * Where each bucket goes on a time axis of `slots` bucket-wide slots ending with the slot that
 * holds `nowMs`: its slot index, or `null` when it falls outside. Buckets whose time can't be
 * read are placed from the right end, in order.
 */
export function slotIndexes(h: RequestHistory, slots: number, nowMs: number): (number | null)[] {
  const bucketMs = h.bucket_secs * 1000;
  const end = (Math.floor(nowMs / bucketMs) + 1) * bucketMs;
  const start = end - slots * bucketMs;
  return h.buckets.map((b, i) => {
    const t = Date.parse(b.at);
    const idx = Number.isNaN(t) ? slots - h.buckets.length + i : Math.floor((t - start) / bucketMs);
    return idx >= 0 && idx < slots ? idx : null;
  });
}

/**
 * Lays the history out in a `size` box, on a time axis of the last `spanSecs` ending at `nowMs`
 * (time with no bucket shows as no bar).
 */
export function layoutRequestsChart(
  h: RequestHistory,
  size: ChartSize,
  nowMs: number = Date.now(),
  spanSecs: number = CHART_SPAN_SECS,
): ChartLayout {
  const left = size.left ?? 28;
  const bottom = size.bottom ?? 16;
  const top = size.top ?? 6;
  const right = size.right ?? 4;
  const plot = {
    x: left,
    y: top,
    width: Math.max(1, size.width - left - right),
    height: Math.max(1, size.height - top - bottom),
  };
  const budget = budgetPerBucket(h);
  const slots = h.bucket_secs > 0 ? Math.max(1, Math.ceil(spanSecs / h.bucket_secs)) : Math.max(1, h.buckets.length);
  const where = h.bucket_secs > 0 ? slotIndexes(h, slots, nowMs) : h.buckets.map((_, i) => i);
  const shown = h.buckets.filter((_, i) => where[i] !== null);
  const tallest = Math.max(0, ...shown.map(bucketTotal));
  const yMax = niceMax(Math.max(tallest, budget ?? 0));
  const scale = (v: number) => (v / yMax) * plot.height;
  const yOf = (v: number) => plot.y + plot.height - scale(v);

  const slot = plot.width / slots;
  const gap = slot >= 4 ? Math.min(2, slot * 0.2) : 0;
  const bars: Bar[] = [];
  h.buckets.forEach((b, i) => {
    const at = where[i];
    if (at === null) return;
    let acc = 0;
    const segments: Segment[] = [];
    for (const { lane } of [...LANES].reverse()) {
      const value = b[lane];
      if (value <= 0) continue;
      const y0 = yOf(acc);
      acc += value;
      const y1 = yOf(acc);
      segments.push({ lane, value, y: y1, height: y0 - y1 });
    }
    bars.push({
      at: b.at,
      x: plot.x + at * slot + gap / 2,
      width: Math.max(0.5, slot - gap),
      total: acc,
      rateLimited: b.rate_limited,
      segments,
    });
  });
  const tickValues = [0, yMax / 2, yMax];
  return {
    plot,
    bars,
    yMax,
    budget,
    budgetY: budget === null ? null : yOf(budget),
    ticks: tickValues.map((value) => ({ value, y: yOf(value) })),
  };
}

/** `12`, `2.5`, `1.3k`: short numbers for axis labels. */
export function shortNumber(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1).replace(/\.0$/, '')}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(1).replace(/\.0$/, '');
}

/** `10 min`, `90 s`: how much time the chart spans. */
export function spanText(seconds: number): string {
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} min`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}

/** The chart in one paragraph, for screen readers and the tooltip. */
export function chartSummary(h: RequestHistory, spanSecs: number = CHART_SPAN_SECS): string {
  const span = spanText(spanSecs);
  const sums = LANES.map(({ lane, label }) => ({ label, n: h.buckets.reduce((s, b) => s + b[lane], 0) }));
  const total = sums.reduce((s, x) => s + x.n, 0);
  const r429 = h.buckets.reduce((s, b) => s + b.rate_limited, 0);
  const parts = sums.map((s) => `${s.label} ${shortNumber(s.n)}`).join(', ');
  const limited = r429 === 0 ? 'no rate-limited answers' : r429 === 1 ? '1 rate-limited answer' : `${r429} rate-limited answers`;
  const budget = h.limit > 0 ? ` The budget is ${h.limit} credits per ${spanText(h.window_secs)} window.` : '';
  return `In the last ${span}: ${shortNumber(total)} credits (${parts}); ${limited}.${budget}`;
}
