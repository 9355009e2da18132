/** One CSV file: its column names and how each row's cells are read. */
export interface CsvTable<T> {
  columns: readonly string[];
  cells(row: T): unknown[];
}

/**
 * Rows as RFC 4180 CSV, one line at a time (CRLF, quoted where needed, UTF-8 with a BOM so
 * that spreadsheet programs read it as UTF-8). Objects become JSON in their cell. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export async function* csvLines<T>(table: CsvTable<T>, rows: AsyncIterable<T> | Iterable<T>) {
  yield `\ufeff${table.columns.map(cell).join(',')}\r\n`;
  for await (const row of rows) yield `${table.cells(row).map(cell).join(',')}\r\n`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
