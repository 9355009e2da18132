import { createReadStream } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import jwt from 'jsonwebtoken';

/**
 * The requests a browser's tus client makes for one file, over node:http: sign in, create the
 * upload, then PATCH ranges of the file streamed from disk. `timeoutMs` bounds each request.
 */
export function uploadClient(lectern, { timeoutMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  function send(method, path, headers, body) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let sent;
      const request = http.request(`${lectern.url}${path}`, {
        method,
        agent,
        headers,
        timeout: timeoutMs,
      });
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      // 'finish': the last body byte has been handed to the socket.
      request.on('finish', () => (sent = performance.now()));
      request.on('response', (response) => {
        const answered = performance.now();
        const pieces = [];
        response.on('data', (piece) => pieces.push(piece));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            text: Buffer.concat(pieces).toString('utf8'),
            seconds: (answered - started) / 1000,
            // From the last body byte sent to the answer: what the server did after reading.
            tailSeconds: (answered - (sent ?? answered)) / 1000,
          }),
        );
      });
      if (typeof body === 'string' || body === undefined) request.end(body);
      else pipeline(body, request).catch(reject);
    });
  }

  async function signIn() {
    // A fresh embed token per upload: each lives 300 s, as an embedding site would mint them.
    const token = embedToken(lectern, 'bench-author', ['author']);
    const answer = await send(
      'POST',
      '/api/v1/sessions',
      { 'content-type': 'application/json' },
      JSON.stringify({ token }),
    );
    expect(answer, 201, 'sign-in');
    return JSON.parse(answer.text).token;
  }

  return {
    /** Signs in and creates an upload of `length` bytes; returns where to PATCH and how. */
    async create(filename, length) {
      const session = await signIn();
      const tus = { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${session}` };
      const answer = await send('POST', '/api/v1/uploads', {
        ...tus,
        'Upload-Length': String(length),
        'Upload-Metadata': `filename ${Buffer.from(filename).toString('base64')}`,
      });
      expect(answer, 201, 'upload creation');
      return { location: answer.headers.location, tus };
    },

    /** One PATCH of the bytes `start` to `end` (exclusive), streamed from `file`. */
    async patch(upload, file, start, end) {
      const answer = await send(
        'PATCH',
        upload.location,
        {
          ...upload.tus,
          'Upload-Offset': String(start),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(end - start),
        },
        createReadStream(file, { start, end: end - 1, highWaterMark: 64 * 1024 }),
      );
      expect(answer, 204, `PATCH ${start}–${end}`);
      if (Number(answer.headers['upload-offset']) !== end) {
        throw new Error(`PATCH ${start}–${end} answered offset ${answer.headers['upload-offset']}`);
      }
      return answer;
    },

    /** Removes the video an upload made, so that a long run does not fill the disk. */
    async removeVideo(upload, videoId) {
      const answer = await send('DELETE', `/api/v1/videos/${videoId}`, {
        authorization: upload.tus.authorization,
      });
      expect(answer, 204, 'video removal');
    },

    close: () => agent.destroy(),
  };
}

/** An embed token as an embedding site would mint it: HS256, the key's id, Lectern's URL. */
export function embedToken(lectern, sub, roles) {
  return jwt.sign({ sub, roles }, lectern.embedKey.secret, {
    algorithm: 'HS256',
    keyid: lectern.embedKey.id,
    audience: lectern.url,
    expiresIn: 300,
  });
}

function expect(answer, status, what) {
  if (answer.status === status) return;
  throw new Error(`${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}
