/** A size as people read it, in decimal units: `12.3 MB`, or `12,3 MB` in German. */
export function formatBytes(bytes: number, lang: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const options: Intl.NumberFormatOptions = {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  };
  try {
    return new Intl.NumberFormat(lang, options).format(value);
  } catch {
    // An invalid `lang` tag throws a RangeError; the page's default will do.
    return new Intl.NumberFormat(undefined, options).format(value);
  }
}

/** A moment with its date and time, for example `3 Dec 2025, 14:05` or `03.12.2025, 14:05`. */
export function formatMoment(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(lang, options).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}
