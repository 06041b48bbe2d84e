//! One sentence per error code: what happened and what the user can do. Keyed by `code`,
//! never by message text.

import type { ErrorCode, UnifiedError } from './bindings.gen';
import { clockTimeWithSeconds } from './relative-time';

const CODES: readonly ErrorCode[] = [
  'auth_failed',
  'offline',
  'rate_limited',
  'not_found',
  'conflict',
  'validation',
  'malformed',
  'keychain',
  'refused',
  'upstream',
  'internal',
];

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (CODES as readonly string[]).includes(v);
}

/** Turns whatever a rejected command gave into a `UnifiedError` (unknown shapes → `internal`). */
export function toUnifiedError(raw: unknown): UnifiedError {
  if (raw && typeof raw === 'object' && 'code' in raw) {
    const r = raw as Partial<UnifiedError> & { code: unknown };
    return {
      code: isErrorCode(r.code) ? r.code : 'internal',
      message: typeof r.message === 'string' ? r.message : String(r.code),
      retry_at: r.retry_at,
      failures: Array.isArray(r.failures) ? r.failures : undefined,
    };
  }
  return { code: 'internal', message: raw instanceof Error ? raw.message : String(raw) };
}

/** Where the error happened, to tune the advice. */
export type ErrorContext = 'add_account' | 'test_account' | 'sync' | 'read';

/** The one sentence shown to the user for an error. */
export function errorSentence(err: Pick<UnifiedError, 'code' | 'retry_at'>, context: ErrorContext = 'read'): string {
  switch (err.code) {
    case 'auth_failed':
      return 'The helpdesk refused this token: copy a fresh API token from the helpdesk’s settings and try again.';
    case 'offline':
      return context === 'add_account'
        ? 'Couldn’t reach the helpdesk: check the site name or base URL and your connection, then try again.'
        : 'Couldn’t reach the helpdesk: check your connection; cached tickets stay readable meanwhile.';
    case 'rate_limited': {
      const until = clockTimeWithSeconds(err.retry_at);
      return until
        ? `The helpdesk is rate limiting requests: Ticketdeck retries after ${until}.`
        : 'The helpdesk is rate limiting requests: wait a minute and try again.';
    }
    case 'refused':
      return 'The helpdesk refused the request: check that the token may read tickets and that the address is right (plain http only works for localhost).';
    case 'validation':
      return 'Some fields need attention: fix the ones marked below and submit again.';
    case 'keychain':
      return 'The system keychain couldn’t store the token: unlock your keyring (or give the token through an environment variable) and try again.';
    case 'not_found':
      return context === 'add_account'
        ? 'No helpdesk answered at that address: check the site name or base URL.'
        : 'That item no longer exists on the helpdesk: it disappears from the list after the next sync.';
    case 'conflict':
      return 'Someone changed this on the helpdesk at the same time: sync and try again.';
    case 'malformed':
      return 'The helpdesk sent an answer Ticketdeck couldn’t read: check that the base URL points at the helpdesk’s API.';
    case 'upstream':
      return 'The helpdesk had a server error: try again in a few minutes.';
    case 'internal':
    default:
      return 'Something went wrong inside Ticketdeck: try again, and restart the app if it keeps happening.';
  }
}

/** A short label for a failed sync in the status bar. */
export function syncFailureLabel(code: ErrorCode | null): string {
  switch (code) {
    case 'auth_failed':
      return 'token refused — update it in Accounts';
    case 'offline':
      return 'helpdesk unreachable — retrying later';
    case 'rate_limited':
      return 'rate limited — retrying later';
    case 'upstream':
      return 'helpdesk server error — retrying later';
    case 'malformed':
      return 'unreadable answer from the helpdesk';
    case 'keychain':
      return 'token not readable from the keychain';
    default:
      return 'sync failed';
  }
}

/**
 * A field failure from the backend as a sentence for people: the API hint in backticks and
 * parentheses (`author: {id}`) goes, the first letter goes up, and it ends with a full stop.
 */
export function failureSentence(message: string): string {
  const t = message
    .replace(/\s*\(`[^`]*`\)/g, '')
    .replace(/`([^`]*)`/g, '“$1”')
    .trim()
    .replace(/\s+/g, ' ');
  if (!t) return '';
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

/**
 * What a refused request says to the user: the field failures the backend named, as sentences
 * (the first `most` of them), else the sentence for its code.
 */
export function refusalSentence(err: UnifiedError, most = Infinity): string {
  const failures = (err.failures ?? []).slice(0, most);
  return failures.length ? failures.map((f) => failureSentence(f.message)).join(' ') : errorSentence(err);
}
