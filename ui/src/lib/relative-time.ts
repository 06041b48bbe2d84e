//! Short, calm time labels for lists ("now", "5m", "3h", "4d", "12 Mar") and the thread.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `HH:MM` in local time. */
export function clockTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `HH:MM:SS` in local time, or `null` when `iso` is not a time. */
export function clockTimeWithSeconds(iso: string | null | undefined): string | null {
  const d = parse(iso);
  return d ? `${clockTime(d)}:${pad(d.getSeconds())}` : null;
}

/**
 * A compact age for list rows: `now`, `5m`, `3h`, `4d`, then a date (`12 Mar`, or `12 Mar 2024`
 * outside the current year). Times in the future (clock skew) read as `now`. Empty for no time.
 */
export function formatRelative(iso: string | null | undefined, now: Date): string {
  const d = parse(iso);
  if (!d) return '';
  const age = now.getTime() - d.getTime();
  if (age < MINUTE) return 'now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)}m`;
  if (age < DAY) return `${Math.floor(age / HOUR)}h`;
  if (age < 7 * DAY) return `${Math.floor(age / DAY)}d`;
  const date = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return d.getFullYear() === now.getFullYear() ? date : `${date} ${d.getFullYear()}`;
}

/**
 * A readable moment for thread entries: `10:03` today, `Yesterday 10:03`, `Mon 10:03` within a
 * week, `12 Mar, 10:03` this year, `12 Mar 2024, 10:03` before.
 */
export function formatMoment(iso: string | null | undefined, now: Date): string {
  const d = parse(iso);
  if (!d) return '';
  const time = clockTime(d);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const t = d.getTime();
  if (t >= startOfToday && t < startOfToday + DAY) return time;
  if (t >= startOfToday - DAY && t < startOfToday) return `Yesterday ${time}`;
  if (t >= startOfToday - 6 * DAY && t < startOfToday) return `${DAYS[d.getDay()]} ${time}`;
  const date = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return d.getFullYear() === now.getFullYear()
    ? `${date}, ${time}`
    : `${date} ${d.getFullYear()}, ${time}`;
}

/** "synced 5 min ago"-style phrase: `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function formatAgo(iso: string | null | undefined, now: Date): string {
  const d = parse(iso);
  if (!d) return 'never';
  const age = Math.max(0, now.getTime() - d.getTime());
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  const days = Math.floor(age / DAY);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** Full local date and time for tooltips. */
export function formatFull(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? d.toLocaleString() : '';
}
