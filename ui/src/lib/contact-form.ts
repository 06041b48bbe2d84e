//! The contact form's data: identities as editable rows, and the `ContactInput` a save sends.

import type { ContactInput, ContactView } from './bindings.gen';

export type IdentityKind = 'email' | 'phone' | 'twitter';

export const IDENTITY_KINDS: { kind: IdentityKind; label: string; placeholder: string }[] = [
  { kind: 'email', label: 'Email', placeholder: 'name@example.com' },
  { kind: 'phone', label: 'Phone', placeholder: '+1 555 0100' },
  { kind: 'twitter', label: 'Twitter', placeholder: '@handle' },
];

export interface Identity {
  kind: IdentityKind;
  value: string;
}

/** What the form edits. */
export interface ContactDraft {
  first_name: string;
  last_name: string;
  details: string;
  identities: Identity[];
}

/** A contact as the backend shows it, with its name parts (absent for contacts with no name). */
export type ContactWithNames = ContactView;

export function emptyDraft(): ContactDraft {
  return { first_name: '', last_name: '', details: '', identities: [] };
}

/** "Ruby van Dam" → first "Ruby", last "van Dam". */
export function splitName(name: string): { first: string; last: string } {
  const t = name.trim();
  const i = t.indexOf(' ');
  return i < 0 ? { first: t, last: '' } : { first: t.slice(0, i), last: t.slice(i + 1).trim() };
}

/** The form's starting point for an existing contact. */
export function draftOf(c: ContactWithNames): ContactDraft {
  const split = splitName(c.name === '(unnamed contact)' || c.emails.includes(c.name) ? '' : c.name);
  return {
    first_name: c.first_name ?? split.first,
    last_name: c.last_name ?? split.last,
    details: c.details ?? '',
    identities: [
      ...c.emails.map((value) => ({ kind: 'email' as const, value })),
      ...c.phones.map((value) => ({ kind: 'phone' as const, value })),
      ...c.handles.map((value) => ({ kind: 'twitter' as const, value })),
    ],
  };
}

function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(s) && !s.includes('..');
}

/** Normalizes a typed identity (a twitter handle loses its `@`). */
export function normalizeIdentity(i: Identity): Identity {
  const value = i.value.trim();
  return { kind: i.kind, value: i.kind === 'twitter' ? value.replace(/^@+/, '') : value };
}

/** Why `candidate` cannot be added to `existing`, or `null` when it can. */
export function identityProblem(candidate: Identity, existing: readonly Identity[]): string | null {
  const c = normalizeIdentity(candidate);
  if (!c.value) return 'Type a value first.';
  if (c.kind === 'email' && !looksLikeEmail(c.value)) return `${c.value} is not an email address.`;
  if (c.kind === 'phone' && !/\d/.test(c.value)) return `${c.value} has no digits.`;
  const same = existing.some((e) => e.kind === c.kind && normalizeIdentity(e).value.toLowerCase() === c.value.toLowerCase());
  return same ? `${c.value} is already listed.` : null;
}

function identityLists(identities: readonly Identity[]): Pick<ContactInput, 'emails' | 'phones' | 'twitter'> {
  const ids = identities.map(normalizeIdentity);
  return {
    emails: ids.filter((i) => i.kind === 'email').map((i) => ({ email: i.value, type: null })),
    phones: ids.filter((i) => i.kind === 'phone').map((i) => ({ number: i.value, type: null })),
    twitter: ids.filter((i) => i.kind === 'twitter').map((i) => i.value),
  };
}

function sameIdentities(a: readonly Identity[], b: readonly Identity[]): boolean {
  const key = (l: readonly Identity[]) =>
    l
      .map(normalizeIdentity)
      .map((i) => `${i.kind}:${i.value.toLowerCase()}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}

/** The input that creates a contact from the form. */
export function createInput(d: ContactDraft): ContactInput {
  const input: ContactInput = { ...identityLists(d.identities) };
  if (d.first_name.trim()) input.first_name = d.first_name.trim();
  if (d.last_name.trim()) input.last_name = d.last_name.trim();
  if (d.details.trim()) input.details = d.details.trim();
  return input;
}

/**
 * The input that makes the contact look like the form: the name fields that changed, and the
 * whole identity list when it changed (the backend works out what to add and remove).
 * `null` when nothing changed.
 */
export function updateInput(original: ContactDraft, d: ContactDraft): ContactInput | null {
  const input: ContactInput = {};
  for (const f of ['first_name', 'last_name', 'details'] as const) {
    if (d[f].trim() !== original[f].trim()) input[f] = d[f].trim();
  }
  if (!sameIdentities(original.identities, d.identities)) Object.assign(input, identityLists(d.identities));
  return Object.keys(input).length ? input : null;
}
