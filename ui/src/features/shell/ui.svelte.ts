//! Which screen is showing, which overlays are open, and requests to move the focus.

export type Screen = 'tickets' | 'accounts' | 'contacts' | 'outbox';

export type ComposerMode = 'reply' | 'note';

class UiStore {
  screen = $state<Screen>('tickets');
  shortcutsOpen = $state(false);
  /** Bumped to ask the search box to take focus. */
  focusSearch = $state(0);
  /** Bumped to ask the thread to take focus (after Enter). */
  focusThread = $state(0);
  /** Bumped to ask the open ticket's assignee control to take focus (`a`). */
  focusAssignee = $state(0);
  /** Bumped to ask the open ticket's tag input to take focus (`t`). */
  focusTagInput = $state(0);
  /** Set (with a fresh `n`) to ask the composer to take focus in a mode (`r`, `n`). */
  composerRequest = $state<{ mode: ComposerMode; n: number } | null>(null);
  /** A clock for relative times, ticking once a minute. */
  now = $state(new Date());

  focusComposer(mode: ComposerMode): void {
    this.composerRequest = { mode, n: (this.composerRequest?.n ?? 0) + 1 };
  }
}

export const ui = new UiStore();
