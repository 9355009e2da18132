// Sizes in decimal units (1 MB = 1,000,000 bytes), as file managers on most systems show them.
const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file size for a person: `29.1 MB` in English, `29,1 MB` in German. */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** Whole percent, rounded down so that 100 % means every byte arrived. */
export function formatPercent(done: number, total: number, lang: string): string {
  const fraction = total > 0 ? Math.floor((done / total) * 100) / 100 : 0;
  return new Intl.NumberFormat(lang, { style: 'percent' }).format(fraction);
}
