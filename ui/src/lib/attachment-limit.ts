//! The attachment size limit, checked before a file is read, with the reason in one sentence.

const KIB = 1024;
const MIB = 1024 * 1024;

/** `31.2 MiB`, `14 KiB`, `512 bytes`: the way the backend words sizes, so both read alike. */
export function humanSize(bytes: number): string {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= KIB) return `${Math.round(bytes / KIB)} KiB`;
  return `${bytes} bytes`;
}

/**
 * Why a file cannot be attached, or `null` when it can: too large for `limitMb`, or empty.
 * Checked on the file's size alone, before any of it is read or sent.
 */
export function attachmentRefusal(fileName: string, size: number, limitMb: number): string | null {
  if (size > limitMb * MIB) {
    return `${fileName} is ${humanSize(size)}; attachments can be at most ${limitMb} MiB (Settings → Attachment limit)`;
  }
  if (size === 0) return `${fileName} is empty; there is nothing to attach`;
  return null;
}

/** A fraction in `[0, 1]` of a file staged so far. */
export function stagedFraction(done: number, total: number): number {
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, done / total));
}
