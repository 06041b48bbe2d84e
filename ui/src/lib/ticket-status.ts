//! The statuses a ticket can be set to, and which of them a unified status name stands for.

export interface WritableStatus {
  /** The id the helpdesk takes (`TicketPatch.status`). */
  id: string;
  label: string;
}

/** In the order the status control lists them. */
export const WRITABLE_STATUSES: readonly WritableStatus[] = [
  { id: 'open', label: 'Open' },
  { id: 'hold', label: 'On hold' },
  { id: 'closed', label: 'Closed' },
  { id: 'spam', label: 'Spam' },
  { id: 'trash', label: 'Trash' },
];

/**
 * The writable status a unified status name shows (`pending` is what `hold` reads back as,
 * `deleted` is `trash`), or `null` for a status the app cannot set.
 */
export function writableStatusOf(unified: string): string | null {
  switch (unified.toLowerCase()) {
    case 'open':
    case 'new':
      return 'open';
    case 'pending':
    case 'hold':
    case 'on_hold':
      return 'hold';
    case 'closed':
    case 'solved':
    case 'resolved':
      return 'closed';
    case 'spam':
      return 'spam';
    case 'deleted':
    case 'trash':
      return 'trash';
    default:
      return null;
  }
}

/** The label of a writable status id (`hold` → `On hold`). */
export function writableStatusLabel(id: string): string {
  return WRITABLE_STATUSES.find((s) => s.id === id)?.label ?? id;
}
