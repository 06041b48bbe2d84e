//! Window math for the virtualized ticket list: fixed row height, only visible rows rendered.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Extra rows rendered above and below the viewport. */
  overscan: number;
}

export interface RowWindow {
  /** First rendered index (inclusive). */
  start: number;
  /** Last rendered index (exclusive). */
  end: number;
  /** Pixel offset of the first rendered row. */
  offsetY: number;
  /** Height of the whole list, so the scrollbar is right. */
  totalHeight: number;
}

/** Which rows to render for a scroll position. Empty when there are no rows. */
export function computeWindow(input: WindowInput): RowWindow {
  const { rowHeight, overscan } = input;
  const total = Math.max(0, Math.floor(input.total));
  const totalHeight = total * rowHeight;
  if (total === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetY: 0, totalHeight };
  const maxScroll = Math.max(0, totalHeight - input.viewportHeight);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(Math.max(0, input.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visible + overscan);
  return { start, end, offsetY: start * rowHeight, totalHeight };
}

/**
 * The scroll position that brings row `index` fully into view, moving as little as possible;
 * the current position when it is already visible.
 */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** The page numbers (of `pageSize` rows) that cover rows `[start, end)`. */
export function pagesForRange(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * The scroll position that keeps the same row under the user's eyes after rows were inserted
 * or removed above it (`oldIndex` → `newIndex`). At the very top new rows simply appear.
 */
export function anchoredScrollTop(
  scrollTop: number,
  oldIndex: number,
  newIndex: number,
  rowHeight: number,
): number {
  if (scrollTop <= 0) return 0;
  return Math.max(0, scrollTop + (newIndex - oldIndex) * rowHeight);
}
