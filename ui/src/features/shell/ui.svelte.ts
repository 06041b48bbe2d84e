//! Which screen is showing and which overlays are open.

export type Screen = 'tickets' | 'accounts';

class UiStore {
  screen = $state<Screen>('tickets');
  shortcutsOpen = $state(false);
  /** Bumped to ask the search box to take focus. */
  focusSearch = $state(0);
  /** Bumped to ask the thread to take focus (after Enter). */
  focusThread = $state(0);
  /** A clock for relative times, ticking once a minute. */
  now = $state(new Date());
}

export const ui = new UiStore();
