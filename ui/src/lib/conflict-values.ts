//! The two sides of a conflicting field, in words: "Closed", "Mary Smith", "Refund, VIP".

import type { IdName } from './bindings.gen';
import { statusLabel } from './format';
import { writableStatusLabel, WRITABLE_STATUSES } from './ticket-status';

/** Names known for ids, so `{id: "u7"}` reads as "Mary Smith". */
export interface NameBook {
  users?: readonly IdName[];
  tags?: readonly IdName[];
  collections?: readonly IdName[];
}

function refs(value: unknown): { id: string; name: string | null }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (typeof v === 'string') return [{ id: v, name: null }];
    if (v && typeof v === 'object' && 'id' in v) {
      const r = v as { id: unknown; name?: unknown };
      return [{ id: String(r.id), name: typeof r.name === 'string' ? r.name : null }];
    }
    return [];
  });
}

function named(list: { id: string; name: string | null }[], book: readonly IdName[] | undefined): string[] {
  return list.map((r) => r.name ?? book?.find((b) => b.id === r.id)?.name ?? r.id);
}

/** One side of a conflicting field as the user reads it. */
export function conflictValueText(field: string, value: unknown, book: NameBook = {}): string {
  switch (field) {
    case 'status': {
      const id = typeof value === 'string' ? value : refs([value])[0]?.id;
      if (!id) return 'No status';
      return WRITABLE_STATUSES.some((s) => s.id === id) ? writableStatusLabel(id) : statusLabel(id);
    }
    case 'assignees': {
      const names = named(refs(value), book.users);
      return names.length ? names.join(', ') : 'Unassigned';
    }
    case 'tags': {
      const names = named(refs(value), book.tags);
      return names.length ? names.join(', ') : 'No tags';
    }
    case 'collections': {
      const names = named(refs(value), book.collections);
      return names.length ? names.join(', ') : 'No inbox';
    }
  }
  if (value === null || value === undefined) return '(empty)';
  if (typeof value === 'string') return value.trim() ? value : '(empty)';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
