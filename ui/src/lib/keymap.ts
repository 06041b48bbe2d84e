//! The keyboard map: which key press means which app action. Pure, so it is tested alone.

export type KeyAction =
  | 'next'
  | 'prev'
  | 'open'
  | 'search'
  | 'escape'
  | 'help'
  | 'sync'
  | 'accounts'
  | 'contacts'
  | 'outbox'
  | 'close-ticket'
  | 'assign'
  | 'tag'
  | 'reply'
  | 'note';

/** The parts of a `KeyboardEvent` the map looks at. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** True when focus is in a text field, where letters are typing, not shortcuts. */
  inTextField?: boolean;
}

/** One line of the shortcuts overlay. */
export interface ShortcutHelp {
  keys: string[];
  label: string;
  /** How the keys combine: alternatives (`or`, the default), a sequence (`then`) or a chord (`+`). */
  join?: 'or' | 'then' | '+';
}

export const SHORTCUTS: ShortcutHelp[] = [
  { keys: ['j', '↓'], label: 'Next ticket' },
  { keys: ['k', '↑'], label: 'Previous ticket' },
  { keys: ['Enter'], label: 'Open ticket and read the thread' },
  { keys: ['/'], label: 'Search subjects' },
  { keys: ['e'], label: 'Close the open ticket' },
  { keys: ['a'], label: 'Assign: choose the assignee' },
  { keys: ['t'], label: 'Tag: add a tag' },
  { keys: ['r'], label: 'Reply to the customer' },
  { keys: ['n'], label: 'Write an internal note' },
  { keys: ['Ctrl', 'Enter'], label: 'Send the reply or note', join: '+' },
  { keys: ['Esc'], label: 'Leave a field, back, clear search, close' },
  { keys: ['s'], label: 'Sync now' },
  { keys: ['g', 'a'], label: 'Accounts', join: 'then' },
  { keys: ['g', 'c'], label: 'Contacts', join: 'then' },
  { keys: ['g', 'o'], label: 'Outbox', join: 'then' },
  { keys: ['?'], label: 'Show these shortcuts' },
];

/**
 * Maps a key press to an action, or `null` when the app should leave it alone.
 * `pendingG` is true right after a lone `g` (for the two-key `g a`).
 * In text fields only `Esc` is an action; modified keys (Ctrl, Cmd, Alt) never are.
 */
export function resolveKey(press: KeyPress, pendingG = false): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return 'escape';
  if (press.inTextField) return null;
  if (pendingG) {
    if (press.key === 'a') return 'accounts';
    if (press.key === 'c') return 'contacts';
    if (press.key === 'o') return 'outbox';
    return null;
  }
  switch (press.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'prev';
    case 'Enter':
      return 'open';
    case '/':
      return 'search';
    case '?':
      return 'help';
    case 's':
      return 'sync';
    case 'e':
      return 'close-ticket';
    case 'a':
      return 'assign';
    case 't':
      return 'tag';
    case 'r':
      return 'reply';
    case 'n':
      return 'note';
    default:
      return null;
  }
}

/** True for the first key of a two-key shortcut. */
export function isPrefixKey(press: KeyPress): boolean {
  return press.key === 'g' && !press.inTextField && !press.ctrlKey && !press.metaKey && !press.altKey;
}

/** Moves a cursor by `delta` within `[0, total)`; with no cursor, starts at the first row. */
export function moveCursor(cursor: number | null, delta: number, total: number): number | null {
  if (total <= 0) return null;
  if (cursor === null) return 0;
  return Math.min(total - 1, Math.max(0, cursor + delta));
}
