import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { RequestListener, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * A real S3 API server for tests: s3rver 3.7 on a loopback port, storing into a temp
 * folder, with one bucket. It runs in a child process for two reasons:
 *
 * - s3rver signs ListObjectsV2 continuation tokens with DES, which Node 17+ refuses
 *   unless started with `--openssl-legacy-provider`; without it any listing longer than
 *   one page answers 500.
 * - Its logger and exception handlers stay out of the test process.
 *
 * s3rver implements neither AbortMultipartUpload (it answers 405) nor
 * ListMultipartUploads (501). The child serves these two itself from s3rver's own
 * folder of pending uploads; every other request goes to s3rver untouched.
 */
export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** s3rver's folder: `<folder>/<bucket>/<key>._S3rver_object` holds each object's bytes. */
  folder: string;
  /**
   * The requests served so far, oldest first, as `METHOD /path?query-names`, followed by
   * ` sse=…` when one asked for server-side encryption.
   */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

const bucket = 'lectern-test';
// s3rver's one built-in account.
const accessKeyId = 'S3RVER';
const secretAccessKey = 'S3RVER';

export async function startS3Server(): Promise<S3TestServer> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lectern-s3-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', fileURLToPath(import.meta.url), folder],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );

  let port: number;
  try {
    port = await announcedPort(child.stdout);
  } catch (error) {
    child.kill();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }

  // A test that forgets stop() must not keep the run alive; the child ends with stdin.
  child.unref();
  for (const stream of [child.stdin, child.stdout]) (stream as unknown as Socket).unref();

  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    bucket,
    region: 'eu-central-1',
    accessKeyId,
    secretAccessKey,
    folder,
    requests: async () => (await (await fetch(`${endpoint}/_lectern/requests`)).json()) as string[],
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null) {
          child.ref();
          child.kill();
          await once(child, 'exit');
        }
        await rm(folder, { recursive: true, force: true });
      })()),
  };
}

async function announcedPort(output: NodeJS.ReadableStream): Promise<number> {
  const lines = createInterface({ input: output });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return port;
  }
  throw new Error('s3rver ended before it listened');
}

// ---- The child process ----------------------------------------------------------------

interface S3rverApp {
  configureBuckets(): Promise<unknown>;
  callback(): RequestListener;
}

async function serve(folder: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as new (options: object) => S3rverApp;
  const s3rver = new S3rver({
    directory: folder,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const uploads = path.join(folder, bucket, '._S3rver_uploads');
  const served: string[] = [];

  // The shim trusts any caller; s3rver itself checks every other request's signature.
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://s3');
    // The SDK tags most requests with `x-id=<operation>`; the log leaves that out.
    const query = [...url.searchParams.keys()].filter((name) => name !== 'x-id').join('&');
    if (url.pathname === '/_lectern/requests') return void response.end(JSON.stringify(served));
    const sse = request.headers['x-amz-server-side-encryption'];
    served.push(
      `${request.method} ${url.pathname}${query ? `?${query}` : ''}${sse ? ` sse=${sse}` : ''}`,
    );

    const uploadId = url.searchParams.get('uploadId');
    if (request.method === 'DELETE' && uploadId !== null) {
      return void abortUpload(uploads, url, uploadId, response).catch(failWith(response));
    }
    const onBucket = url.pathname === `/${bucket}` || url.pathname === `/${bucket}/`;
    if (request.method === 'GET' && onBucket && url.searchParams.has('uploads')) {
      return void listUploads(uploads, url, response).catch(failWith(response));
    }
    handle(request, response);
  });

  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') {
      process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
    }
  });
  // Ends with the test process, however that ends, and then takes its folder along.
  process.stdin
    .on('end', () => {
      rmSync(folder, { recursive: true, force: true });
      process.exit(0);
    })
    .resume();
  process.on('SIGTERM', () => process.exit(0));
}

async function abortUpload(
  uploads: string,
  url: URL,
  uploadId: string,
  response: ServerResponse,
): Promise<void> {
  const key = decodeURIComponent(url.pathname.slice(bucket.length + 2));
  const upload = path.join(uploads, uploadId);
  const storedKey = /^[0-9a-f]{32}$/.test(uploadId)
    ? await readFile(path.join(upload, 'key'), 'utf8').catch(() => undefined)
    : undefined;

  if (storedKey !== key) {
    response.writeHead(404, { 'content-type': 'application/xml' });
    response.end(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The ' +
        'specified upload does not exist.</Message></Error>',
    );
    return;
  }
  await rm(upload, { recursive: true, force: true });
  response.writeHead(204).end();
}

async function listUploads(uploads: string, url: URL, response: ServerResponse): Promise<void> {
  const prefix = url.searchParams.get('prefix') ?? '';
  const ids = await readdir(uploads).catch(() => []);
  const entries: string[] = [];
  for (const id of ids.sort()) {
    const key = await readFile(path.join(uploads, id, 'key'), 'utf8');
    if (!key.startsWith(prefix)) continue;
    const initiated = (await stat(path.join(uploads, id))).birthtime.toISOString();
    entries.push(
      `<Upload><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId>` +
        `<Initiated>${initiated}</Initiated></Upload>`,
    );
  }

  response.writeHead(200, { 'content-type': 'application/xml' });
  response.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${bucket}</Bucket><Prefix>${escapeXml(prefix)}</Prefix>` +
      '<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>' +
      `${entries.join('')}</ListMultipartUploadsResult>`,
  );
}

function failWith(response: ServerResponse): (error: unknown) => void {
  return (error) => {
    response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

if (import.meta.main) await serve(process.argv[2] ?? '');

/** The environment that points a Lectern server at this S3 server. */
export function s3StorageEnv(s3: S3TestServer): Record<string, string> {
  return {
    LECTERN_STORAGE: 's3',
    LECTERN_S3_ENDPOINT: s3.endpoint,
    LECTERN_S3_REGION: s3.region,
    LECTERN_S3_BUCKET: s3.bucket,
    LECTERN_S3_ACCESS_KEY_ID: s3.accessKeyId,
    LECTERN_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    LECTERN_S3_FORCE_PATH_STYLE: 'true',
  };
}
