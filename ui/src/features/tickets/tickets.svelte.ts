//! The ticket list: filters, the total, and the rows loaded page by page around what is visible.
//! Refreshes replace pages atomically and keep the row under the user's eyes in place.

import type { Facets, TicketQuery, TicketRow, UnifiedError } from '../../lib/bindings.gen';
import { toUnifiedError } from '../../lib/error-text';
import * as ipc from '../../lib/ipc';
import { anchoredScrollTop, pagesForRange } from '../../lib/virtual-window';

export const PAGE_SIZE = 100;
export const ROW_HEIGHT = 54;

export interface Filters {
  account_id: number | null;
  status: string | null;
  /** A user id, or `none` for unassigned. */
  assignee_id: string | null;
  tag_id: string | null;
  collection_id: string | null;
  search: string;
}

export type ViewName = 'all' | 'open' | 'pending' | 'closed' | 'unassigned';

export const VIEWS: { name: ViewName; label: string }[] = [
  { name: 'all', label: 'All tickets' },
  { name: 'open', label: 'Open' },
  { name: 'pending', label: 'Pending' },
  { name: 'closed', label: 'Closed' },
  { name: 'unassigned', label: 'Unassigned' },
];

export interface TicketKey {
  account_id: number;
  id: string;
}

export function keyOf(t: TicketKey): string {
  return `${t.account_id}/${t.id}`;
}

const EMPTY_FACETS: Facets = { statuses: [], assignees: [], tags: [], collections: [] };

function emptyFilters(): Filters {
  return { account_id: null, status: null, assignee_id: null, tag_id: null, collection_id: null, search: '' };
}

class TicketListStore {
  filters = $state<Filters>(emptyFilters());
  total = $state(0);
  /** Loaded rows by index; replaced (never mutated) so the list re-renders once per load. */
  rows = $state.raw<Map<number, TicketRow>>(new Map());
  /** True until the first page for the current filters answered. */
  loading = $state(true);
  error = $state<UnifiedError | null>(null);
  facets = $state.raw<Facets>(EMPTY_FACETS);
  /** The selected ticket (shown on the right), kept across refreshes and filter changes. */
  selected = $state<TicketKey | null>(null);
  /** The row the keyboard cursor is on; follows `selected` when that row is loaded. */
  cursor = $state<number | null>(null);
  /** A scroll position the list should jump to (set after an anchored refresh, then cleared). */
  pendingScrollTop = $state<number | null>(null);

  /** What the list component reports about its viewport. */
  viewport = { scrollTop: 0, height: 600 };

  #generation = 0;
  #inflight = new Set<number>();
  #loadedPages = new Set<number>();
  #facetsFor: number | null | undefined = undefined;

  activeView: ViewName | null = $derived.by(() => {
    const f = this.filters;
    if (f.tag_id || f.collection_id || f.search.trim()) return null;
    if (f.assignee_id === 'none' && !f.status) return 'unassigned';
    if (f.assignee_id) return null;
    if (!f.status) return 'all';
    return (['open', 'pending', 'closed'] as const).find((v) => v === f.status) ?? null;
  });

  hasFilters: boolean = $derived.by(() => {
    const f = this.filters;
    return !!(f.status || f.assignee_id || f.tag_id || f.collection_id || f.search.trim() || f.account_id !== null);
  });

  #query(offset: number): TicketQuery {
    const f = this.filters;
    const search = f.search.trim();
    return {
      account_id: f.account_id,
      status: f.status,
      assignee_id: f.assignee_id,
      tag_id: f.tag_id,
      collection_id: f.collection_id,
      search: search ? search : null,
      offset,
      limit: PAGE_SIZE,
    };
  }

  /** Applies a filter change and reloads from the top. */
  setFilters(patch: Partial<Filters>): void {
    const accountChanged = 'account_id' in patch && patch.account_id !== this.filters.account_id;
    this.filters = { ...this.filters, ...patch };
    this.#reset();
    if (accountChanged) void this.loadFacets(true);
  }

  showView(view: ViewName): void {
    const base = { tag_id: null, collection_id: null, search: '' };
    switch (view) {
      case 'all':
        return this.setFilters({ ...base, status: null, assignee_id: null });
      case 'unassigned':
        return this.setFilters({ ...base, status: null, assignee_id: 'none' });
      default:
        return this.setFilters({ ...base, status: view, assignee_id: null });
    }
  }

  clearFilters(): void {
    this.filters = emptyFilters();
    this.#reset();
    void this.loadFacets(true);
  }

  #reset(): void {
    this.#generation++;
    this.#inflight.clear();
    this.#loadedPages.clear();
    this.rows = new Map();
    this.loading = true;
    this.error = null;
    this.cursor = null;
    this.pendingScrollTop = 0;
    this.viewport.scrollTop = 0;
    void this.#fetchPages([0], false);
  }

  /** Makes sure rows `[start, end)` are loaded or loading. */
  ensureRange(start: number, end: number): void {
    const wanted = pagesForRange(start, Math.min(end, Math.max(this.total, PAGE_SIZE)), PAGE_SIZE);
    const missing = wanted.filter((p) => !this.#loadedPages.has(p) && !this.#inflight.has(p));
    if (missing.length) void this.#fetchPages(missing, false);
  }

  /**
   * Reloads the pages around the viewport (after the cache changed) and keeps the first visible
   * row where it was. Other pages are dropped and load again when scrolled to.
   */
  async refresh(): Promise<void> {
    const { scrollTop, height } = this.viewport;
    const first = Math.floor(scrollTop / ROW_HEIGHT);
    const last = Math.ceil((scrollTop + height) / ROW_HEIGHT);
    const pages = pagesForRange(Math.max(0, first - PAGE_SIZE / 2), last + PAGE_SIZE / 2, PAGE_SIZE);
    const anchor = this.rows.get(first);
    await this.#fetchPages(pages.length ? pages : [0], true);
    if (anchor) {
      const now = this.indexOf(anchor);
      if (now !== null && now !== first) {
        this.pendingScrollTop = anchoredScrollTop(scrollTop, first, now, ROW_HEIGHT);
      }
    }
    if (this.selected) {
      const idx = this.indexOf(this.selected);
      if (idx !== null) this.cursor = idx;
    }
  }

  async #fetchPages(pages: number[], replace: boolean): Promise<void> {
    const gen = this.#generation;
    pages.forEach((p) => this.#inflight.add(p));
    try {
      const results = await Promise.all(pages.map((p) => ipc.listTickets(this.#query(p * PAGE_SIZE))));
      if (gen !== this.#generation) return;
      // Built here, then swapped in whole: `rows` is raw state, replaced rather than mutated.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const next = replace ? new Map<number, TicketRow>() : new Map(this.rows);
      if (replace) this.#loadedPages.clear();
      let total = this.total;
      results.forEach((page, i) => {
        total = page.total;
        const offset = pages[i] * PAGE_SIZE;
        for (let j = 0; j < PAGE_SIZE; j++) next.delete(offset + j);
        page.rows.forEach((row, j) => next.set(offset + j, row));
        this.#loadedPages.add(pages[i]);
      });
      this.total = total;
      this.rows = next;
      this.error = null;
    } catch (e) {
      if (gen === this.#generation) this.error = toUnifiedError(e);
    } finally {
      if (gen === this.#generation) {
        pages.forEach((p) => this.#inflight.delete(p));
        this.loading = false;
      }
    }
  }

  /** Index of a loaded row, or `null`. */
  indexOf(key: TicketKey): number | null {
    for (const [i, r] of this.rows) if (r.account_id === key.account_id && r.id === key.id) return i;
    return null;
  }

  isSelected(row: TicketKey): boolean {
    return !!this.selected && this.selected.account_id === row.account_id && this.selected.id === row.id;
  }

  select(row: TicketKey, index: number | null): void {
    this.selected = { account_id: row.account_id, id: row.id };
    this.cursor = index;
  }

  async loadFacets(force = false): Promise<void> {
    const account = this.filters.account_id;
    if (!force && this.#facetsFor === account) return;
    this.#facetsFor = account;
    try {
      const f = await ipc.ticketFacets(account);
      if (this.filters.account_id === account) this.facets = f;
    } catch {
      // Filters fall back to what is already known; the list itself still works.
    }
  }
}

export const tickets = new TicketListStore();
