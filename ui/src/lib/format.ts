//! Small display formatters: sizes, counts, provider names, people and status labels.

import type { ProviderKind, TokenSource } from './bindings.gen';

/** `512 B`, `14 KB`, `2.3 MB`; empty for an unknown size. */
export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined || size < 0) return '';
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = size / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** `2,000` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function providerName(p: ProviderKind): string {
  switch (p) {
    case 'enchant':
      return 'Enchant';
    case 'reamaze':
      return 'Re:amaze';
    case 'trengo':
      return 'Trengo';
  }
}

export function tokenSourceLabel(t: TokenSource): string {
  switch (t.kind) {
    case 'keychain':
      return 'System keychain';
    case 'env':
      return `Environment variable ${t.var}`;
    case 'demo':
      return 'Built-in demo';
  }
}

/** `Open`, `Pending`, `On hold` from a unified status name. */
export function statusLabel(status: string): string {
  const s = status.replace(/[_-]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : 'Unknown';
}

/** A CSS-safe tone for a status badge. */
export function statusTone(status: string): 'open' | 'pending' | 'closed' | 'other' {
  const s = status.toLowerCase();
  if (s === 'open' || s === 'new') return 'open';
  if (s === 'pending' || s === 'on_hold' || s === 'hold' || s === 'snoozed') return 'pending';
  if (s === 'closed' || s === 'solved' || s === 'resolved' || s === 'archived') return 'closed';
  return 'other';
}

/** Who wrote a comment, in words: agent, customer or system. */
export function authorRole(authorType: string): 'agent' | 'customer' | 'system' {
  const t = authorType.toLowerCase();
  if (t === 'user' || t === 'agent') return 'agent';
  if (t === 'contact' || t === 'customer') return 'customer';
  return 'system';
}

/** Up to two initials for an avatar. */
export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0][0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A short type label from a MIME type: `PDF`, `PNG`, `text`. */
export function contentTypeLabel(ct: string | null | undefined, fileName: string): string {
  if (ct) {
    const sub = ct.split(';')[0].split('/')[1] ?? ct;
    if (sub === 'plain') return 'text';
    if (sub.length <= 5) return sub.toUpperCase();
    return sub.replace(/^vnd\..*\./, '').replace(/^x-/, '');
  }
  const ext = fileName.includes('.') ? fileName.split('.').pop() : '';
  return ext ? ext.toUpperCase() : 'file';
}
