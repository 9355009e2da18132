import http from 'node:http';
import type { TestLectern } from './lectern.ts';

/** The few tus 1.0 requests the upload tests make, sent as a tus client would. */
export function tusClient(lectern: TestLectern, token: string) {
  const base = { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${token}` };

  async function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: NonNullable<RequestInit['body']>,
  ) {
    const response = await fetch(`${lectern.url}${path}`, {
      method,
      headers: { ...base, ...headers },
      body,
      ...(body && typeof body !== 'string' && !(body instanceof Uint8Array)
        ? { duplex: 'half' }
        : {}),
    } as RequestInit);
    const text = await response.text();
    let error: { code: string; message: string } | undefined;
    try {
      error = text ? (JSON.parse(text) as { error?: typeof error }).error : undefined;
    } catch {
      error = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      offset: Number(response.headers.get('upload-offset') ?? Number.NaN),
      error,
    };
  }

  /**
   * A PATCH whose connection drops after `sent` bytes of a longer body, as a network cut
   * does: headers and the first bytes arrive, then the socket closes.
   */
  function patchThenCut(location: string, offset: number, body: Buffer, sent: number) {
    return new Promise<void>((resolve) => {
      const request = http.request(`${lectern.url}${location}`, {
        method: 'PATCH',
        headers: {
          ...base,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(body.length),
        },
      });
      request.on('error', () => resolve());
      request.write(body.subarray(0, sent), () => {
        // Give the bytes time to arrive before the line goes dead.
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 300);
      });
    });
  }

  return {
    patchThenCut,
    create(length: number | undefined, metadata: Record<string, string> = {}) {
      const encoded = Object.entries(metadata)
        .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
        .join(',');
      return send('POST', '/api/v1/uploads', {
        ...(length === undefined
          ? { 'Upload-Defer-Length': '1' }
          : { 'Upload-Length': String(length) }),
        ...(encoded ? { 'Upload-Metadata': encoded } : {}),
      });
    },
    head: (location: string) => send('HEAD', location, {}),
    patch: (location: string, offset: number, body: NonNullable<RequestInit['body']>) =>
      send(
        'PATCH',
        location,
        { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body,
      ),
    remove: (location: string) => send('DELETE', location, {}),
  };
}

/** Sends a file in PATCHes of about `step` bytes, each from the offset the server answered. */
export async function uploadAll(
  client: ReturnType<typeof tusClient>,
  location: string,
  file: Buffer,
  step: number,
) {
  let offset = (await client.head(location)).offset;
  let last;
  for (let round = 0; offset < file.length && round < 10_000; round += 1) {
    last = await client.patch(location, offset, file.subarray(offset, offset + step));
    if (last.status !== 204) return last;
    offset = last.offset;
  }
  return last;
}
