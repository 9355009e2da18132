/**
 * A file name from a quiz's title: characters that file systems refuse become spaces, and a
 * title with nothing left becomes `quiz-results`.
 */
export function csvFileName(title: string): string {
  const safe = title
    // eslint-disable-next-line no-control-regex -- control characters are what is removed here
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 120);
  return `${safe || 'quiz-results'}.csv`;
}

/**
 * Hands text to the browser as a download. The CSV came with the session's Bearer header, so
 * a plain link to the API would not do: the text goes through an object URL instead.
 */
export function downloadText(root: ShadowRoot | HTMLElement, text: string, fileName: string): void {
  // A byte order mark lets spreadsheet programs read the UTF-8 (umlauts in names) as such.
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  root.append(link);
  link.click();
  link.remove();
  // The download has taken the blob by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
