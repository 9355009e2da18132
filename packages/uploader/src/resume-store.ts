import type { PreviousUpload, UrlStorage } from 'tus-js-client';

const prefix = 'lectern-upload::';
// Unfinished uploads the server has long expired are not worth remembering.
const keepForMs = 7 * 24 * 60 * 60 * 1000;

/** What is remembered of an unfinished upload: where it lives and which video it makes. */
export interface RememberedUpload extends PreviousUpload {
  videoId?: string;
}

/**
 * Where tus-js-client remembers unfinished uploads, in localStorage, so that picking the same
 * file after a reload resumes it. Unlike tus-js-client's own store it keeps no metadata (file
 * name, title): the key is a hash and the entry holds the upload URL, size and video id.
 */
export class ResumeStore implements UrlStorage {
  readonly #videoIdOf: () => string | undefined;

  /** `videoIdOf` gives the id the server announced when the upload was created. */
  constructor(videoIdOf: () => string | undefined) {
    this.#videoIdOf = videoIdOf;
  }

  async findAllUploads(): Promise<RememberedUpload[]> {
    return this.#entries(prefix);
  }

  async findUploadsByFingerprint(fingerprint: string | null): Promise<RememberedUpload[]> {
    if (!fingerprint) return [];
    return this.#entries(`${prefix}${fingerprint}::`);
  }

  async removeUpload(urlStorageKey: string): Promise<void> {
    storage()?.removeItem(urlStorageKey);
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `${prefix}${fingerprint}::${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
    const entry = {
      size: upload.size,
      creationTime: upload.creationTime,
      uploadUrl: upload.uploadUrl,
      videoId: this.#videoIdOf(),
    };
    this.#forgetOldEntries();
    try {
      storage()?.setItem(key, JSON.stringify(entry));
    } catch {
      // A full or forbidden storage only costs resuming after a reload.
    }
    return key;
  }

  #entries(keyPrefix: string): RememberedUpload[] {
    const store = storage();
    if (!store) return [];
    const found: RememberedUpload[] = [];
    for (let index = 0; index < store.length; index += 1) {
      const key = store.key(index);
      if (!key?.startsWith(keyPrefix)) continue;
      try {
        const entry = JSON.parse(store.getItem(key) ?? '') as RememberedUpload;
        found.push({ ...entry, metadata: {}, parallelUploadUrls: null, urlStorageKey: key });
      } catch {
        // Unreadable entries are somebody else's; leave them.
      }
    }
    return found;
  }

  #forgetOldEntries(): void {
    const now = Date.now();
    for (const entry of this.#entries(prefix)) {
      const created = Date.parse(entry.creationTime);
      if (Number.isNaN(created) || now - created > keepForMs) {
        storage()?.removeItem(entry.urlStorageKey);
      }
    }
  }
}

/**
 * A file's fingerprint for the store: a SHA-256 hash of its name, type, size and date, the
 * endpoint and the user, so that localStorage holds no file names. Web Crypto exists only in
 * secure contexts (HTTPS, localhost); elsewhere there is no fingerprint and no resuming after
 * a reload, while uploading itself still works.
 */
export async function fingerprintOf(
  file: File,
  endpoint: string,
  user: string,
): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;

  const identity = JSON.stringify([
    file.name,
    file.type,
    file.size,
    file.lastModified,
    endpoint,
    user,
  ]);
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(identity));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** localStorage, or nothing where it is forbidden (sandboxed frames, some private modes). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
