/** "27 Nov 2026, 14:32" in the user's locale and time zone; the raw value when it isn't a date. */
export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "in 25 minutes", "in 3 hours", "in 2 days" (rounded down to the largest unit). */
export function formatFromNow(iso: string, now = Date.now(), locale?: string): string {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return iso;
  const minutes = Math.round(ms / 60_000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.trunc(minutes / 60);
  if (Math.abs(hours) < 48) return format.format(hours, 'hour');
  return format.format(Math.trunc(hours / 24), 'day');
}
