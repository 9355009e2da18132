/** Why a file is refused before any request is made; the codes are the server's own. */
export type FileProblem =
  | { code: 'upload.empty' }
  | { code: 'upload.too_large'; maxSize: number }
  | { code: 'upload.not_video'; accept: string };

export interface FileRules {
  /** Like `<input accept>`: MIME types, `type/*` wildcards and `.ext` suffixes. */
  accept: string;
  /** Bytes; none when not set. */
  maxSize: number | undefined;
}

/**
 * Refuses files the server would refuse anyway, so that a person learns it at once. Only a
 * pre-check: the server decides, with the tenant's own limit and by reading the file.
 */
export function checkFile(file: File, rules: FileRules): FileProblem | undefined {
  if (file.size === 0) return { code: 'upload.empty' };
  if (rules.maxSize !== undefined && rules.maxSize > 0 && file.size > rules.maxSize) {
    return { code: 'upload.too_large', maxSize: rules.maxSize };
  }
  if (!matchesAccept(file, rules.accept)) return { code: 'upload.not_video', accept: rules.accept };
  return undefined;
}

/**
 * True when the file fits one of the accepted kinds. A file whose type the browser does not
 * know (an empty `type`, common for .mkv) passes: the server reads the file and decides.
 */
export function matchesAccept(file: File, accept: string): boolean {
  const patterns = accept
    .split(',')
    .map((pattern) => pattern.trim().toLowerCase())
    .filter(Boolean);
  if (patterns.length === 0) return true;

  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  const byType = patterns.filter((pattern) => !pattern.startsWith('.'));
  if (patterns.some((pattern) => pattern.startsWith('.') && name.endsWith(pattern))) return true;
  if (!type) return byType.length > 0;
  return byType.some((pattern) =>
    pattern.endsWith('/*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern,
  );
}
