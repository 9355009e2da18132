// Loads the script-tag build the way an intranet page does. Test files that use this must not
// import src/ (nor register the element otherwise), or the build's element would be ignored.
import { expectEqual } from '@lectern/test-support/dom';
import { fileBytes, mountUploader, until, videoFile } from './helpers.js';
import { FakeTusServer } from './fake-tus-server.js';

export const buildFolder = '/packages/elements/dist';

/** Where the tus client is loaded from when the build sits in `buildFolder`. */
export const tusChunkUrl = new URL(`${buildFolder}/chunks/tus-client.js`, location.href).href;

/** Adds `<script src>` (a module script or a classic one) and waits for the element. */
export async function loadBuild(src: string, kind: 'module' | 'classic'): Promise<void> {
  const script = document.createElement('script');
  if (kind === 'module') script.type = 'module';
  script.src = src;
  const loaded = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} is missing: run \`npm run build\`.`));
  });
  document.head.append(script);
  await loaded;
  await until(() => customElements.get('lectern-uploader') !== undefined, 'the element');
}

/** The URLs this page fetched the tus client from. */
export function tusChunkRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes('tus-client'));
}

/** Uploads one file with the build's element, checking that tus loads only once it starts. */
export async function uploadWithTheBuild(): Promise<void> {
  const server = new FakeTusServer().install();
  try {
    const uploader = await mountUploader();
    expectEqual(tusChunkRequests(), [], 'tus client requests before an upload');

    const file = videoFile();
    await uploader.selectFile(file);
    await until(() => uploader.state === 'complete', 'completion');
    expectEqual(tusChunkRequests(), [tusChunkUrl], 'tus client requests');
    expectEqual(
      [...server.uploads.values()][0]?.bytes,
      await fileBytes(file),
      'bytes on the server',
    );
    uploader.parentElement?.remove();
  } finally {
    server.uninstall();
  }
}
