// Each test file registers the element itself: from src/, or from the script-tag build.
import type { LecternUploader } from '../../src/index.js';
import { baseUrl } from './fake-tus-server.js';

/** A session token shaped like the server's (a JWT whose `sub` is the user); unsigned. */
export function sessionToken(user = 'user-1'): string {
  const payload = btoa(JSON.stringify({ sub: user, tid: 'tenant-1' })).replace(/=+$/, '');
  return `eyJhbGciOiJIUzI1NiJ9.${payload}.signature`;
}

/** A file with recognisable bytes, so that what reaches the server can be compared. */
export function videoFile(name = 'Onboarding 2025.mp4', size = 10_000, type = 'video/mp4'): File {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < Math.min(size, 251); index += 1) bytes[index] = (index * 7) % 251;
  for (let filled = 251; filled < size; filled *= 2) bytes.copyWithin(filled, 0, filled);
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 });
}

export async function fileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** An uploader in a container with the given language, configured for the fake server. */
export async function mountUploader(
  options: { lang?: string; configured?: boolean; attributes?: Record<string, string> } = {},
): Promise<LecternUploader> {
  const container = document.createElement('div');
  container.lang = options.lang ?? 'en';
  const uploader = document.createElement('lectern-uploader');
  if (options.configured !== false) {
    uploader.setAttribute('base-url', baseUrl);
    uploader.token = sessionToken();
  }
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    uploader.setAttribute(name, value);
  }
  uploader.retryDelays = [0, 5, 10];
  container.append(uploader);
  document.body.append(container);
  await uploader.updateComplete;
  return uploader;
}

export function removeMounted(): void {
  for (const uploader of document.querySelectorAll('lectern-uploader')) {
    uploader.cancel();
    uploader.parentElement?.remove();
  }
}

export function forgetRememberedUploads(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('lectern-upload::')) localStorage.removeItem(key);
  }
}

export function rememberedUploads(): string[] {
  return Object.keys(localStorage).filter((key) => key.startsWith('lectern-upload::'));
}

export function part<T extends HTMLElement = HTMLElement>(
  uploader: LecternUploader,
  name: string,
): T | null {
  return uploader.shadowRoot?.querySelector<T>(`[part~="${name}"]`) ?? null;
}

/** Text with every run of white space (Intl uses no-break spaces) as one plain space. */
export function plain(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

export function statusText(uploader: LecternUploader): string {
  return plain(part(uploader, 'status')?.textContent);
}

/** Waits until `condition` holds, checking every few milliseconds. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every event of these types the uploader sends, in order. */
export function recordEvents(uploader: LecternUploader, ...types: string[]) {
  const events: { type: string; detail: unknown }[] = [];
  for (const type of types) {
    uploader.addEventListener(type, (event) => {
      events.push({ type, detail: (event as CustomEvent).detail });
    });
  }
  return events;
}

export function expectTrue(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Expected ${what}.`);
}

/** Collects console.warn lines while `run` runs. */
export async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return lines;
}
