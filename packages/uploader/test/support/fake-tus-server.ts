// An in-page stand-in for Lectern's tus endpoint, answering through a fake XMLHttpRequest,
// for the unit-level tests; the end-to-end test runs against the real server.

export const baseUrl = 'https://lectern.test';
const endpointPath = '/api/v1/uploads';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodySize: number;
}

export interface StoredUpload {
  id: string;
  length: number;
  offset: number;
  metadata: Record<string, string>;
  videoId: string;
  bytes: Uint8Array;
}

/** An answer the test chooses for the next request of a method, instead of the protocol's. */
export type ScriptedAnswer =
  { status: number; code?: string; message?: string; body?: string } | { network: true };

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export class FakeTusServer {
  readonly requests: RecordedRequest[] = [];
  readonly uploads = new Map<string, StoredUpload>();
  /** The server commits whole multiples of this many bytes, as Lectern commits whole chunks. */
  commitUnit = 1;
  /** The next PATCH's connection drops after this many bytes arrived. */
  cutNextPatchAfter: number | undefined;
  /** PATCH requests wait for `release()`; for tests that act while an upload runs. */
  holdPatches = false;
  /** Answers every PATCH with the offset it started from, taking nothing. */
  takeNothing = false;
  readonly #scripted: { method: string; answer: ScriptedAnswer }[] = [];
  readonly #held: (() => void)[] = [];
  #original: typeof XMLHttpRequest | undefined;
  #count = 0;

  install(): this {
    this.#original = globalThis.XMLHttpRequest;
    const answer = this.handle.bind(this);
    globalThis.XMLHttpRequest = class extends FakeXhr {
      constructor() {
        super(answer);
      }
    } as unknown as typeof XMLHttpRequest;
    return this;
  }

  uninstall(): void {
    if (this.#original) globalThis.XMLHttpRequest = this.#original;
  }

  /** The next request with this method gets this answer. */
  answerNext(method: string, answer: ScriptedAnswer): void {
    this.#scripted.push({ method, answer });
  }

  release(): void {
    for (const resume of this.#held.splice(0)) resume();
  }

  requestsOf(method: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  /** Answers one request; `undefined` means the connection failed. */
  async handle(
    request: RecordedRequest,
    body: Blob | null,
    progress: (loaded: number) => void,
  ): Promise<Answer | undefined> {
    this.requests.push(request);
    const scripted = this.#scripted.findIndex((entry) => entry.method === request.method);
    if (scripted >= 0) {
      const answer = this.#scripted.splice(scripted, 1)[0]?.answer;
      if (!answer || 'network' in answer) return undefined;
      return answer.body !== undefined
        ? { status: answer.status, body: answer.body }
        : errorAnswer(answer.status, answer.code ?? 'test.error', answer.message ?? 'Refused.');
    }

    const path = new URL(request.url).pathname;
    if (request.method === 'POST' && path === endpointPath) return this.#create(request);
    const upload = this.uploads.get(path.slice(endpointPath.length + 1));
    if (!upload) return errorAnswer(404, 'resource.not_found', 'There is no such item.');
    if (request.method === 'HEAD') return offsetAnswer(200, upload);
    if (request.method === 'DELETE') {
      this.uploads.delete(upload.id);
      return { status: 204 };
    }
    if (request.method === 'PATCH' && body) return this.#append(request, upload, body, progress);
    return errorAnswer(400, 'upload.invalid', 'Not tus.');
  }

  #create(request: RecordedRequest): Answer {
    this.#count += 1;
    const id = `upload${this.#count}`;
    const length = Number(request.headers['upload-length']);
    const metadata = decodeMetadata(request.headers['upload-metadata'] ?? '');
    const videoId = `00000000-0000-4000-8000-${String(this.#count).padStart(12, '0')}`;
    this.uploads.set(id, {
      id,
      length,
      offset: 0,
      metadata,
      videoId,
      bytes: new Uint8Array(length),
    });
    return {
      status: 201,
      headers: { location: `${endpointPath}/${id}`, 'lectern-video-id': videoId },
    };
  }

  async #append(
    request: RecordedRequest,
    upload: StoredUpload,
    body: Blob,
    progress: (n: number) => void,
  ) {
    if (this.holdPatches) await new Promise<void>((resume) => this.#held.push(resume));
    if (Number(request.headers['upload-offset']) !== upload.offset) {
      return errorAnswer(409, 'upload.offset_mismatch', 'Resume from the offset HEAD gives.');
    }

    const cut = this.cutNextPatchAfter;
    this.cutNextPatchAfter = undefined;
    const received = new Uint8Array(await body.slice(0, cut ?? body.size).arrayBuffer());
    progress(received.length);
    const end = upload.offset + received.length;
    const committed = this.takeNothing
      ? upload.offset
      : end === upload.length
        ? end
        : Math.floor(end / this.commitUnit) * this.commitUnit;
    upload.bytes.set(received.subarray(0, committed - upload.offset), upload.offset);
    upload.offset = committed;

    if (cut !== undefined) return undefined;
    const answer = offsetAnswer(204, upload);
    if (committed === upload.length) answer.headers['lectern-video-id'] = upload.videoId;
    return answer;
  }
}

function offsetAnswer(
  status: number,
  upload: StoredUpload,
): Answer & { headers: Record<string, string> } {
  const headers: Record<string, string> = {
    'upload-offset': String(upload.offset),
    'upload-length': String(upload.length),
  };
  return { status, headers };
}

function errorAnswer(status: number, code: string, message: string): Answer {
  const body = JSON.stringify({ error: { code, message, requestId: `req-${code}` } });
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function decodeMetadata(header: string): Record<string, string> {
  const pairs = header.split(',').filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const [key = '', value = ''] = pair.split(' ');
      const bytes = Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
      return [key, new TextDecoder().decode(bytes)];
    }),
  );
}

/** Just enough of XMLHttpRequest for tus-js-client's browser HTTP stack. */
class FakeXhr {
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  status = 0;
  responseText = '';
  readonly #answer: FakeTusServer['handle'];
  #method = 'GET';
  #url = '';
  #headers: Record<string, string> = {};
  #answerHeaders: Record<string, string> = {};
  #aborted = false;

  constructor(answer: FakeTusServer['handle']) {
    this.#answer = answer;
  }

  open(method: string, url: string): void {
    this.#method = method;
    this.#url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.#headers[name.toLowerCase()] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.#answerHeaders[name.toLowerCase()] ?? null;
  }

  abort(): void {
    this.#aborted = true;
  }

  send(body: Blob | null): void {
    const request = {
      method: this.#method,
      url: this.#url,
      headers: { ...this.#headers },
      bodySize: body?.size ?? 0,
    };
    const progress = (loaded: number) => {
      const event = new ProgressEvent('progress', {
        lengthComputable: true,
        loaded,
        total: request.bodySize,
      });
      if (!this.#aborted) this.upload.onprogress?.(event);
    };
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const answer = await this.#answer(request, body, progress);
      // An aborted XMLHttpRequest fires neither load nor error, which tus-js-client relies on.
      if (this.#aborted) return;
      if (!answer) {
        this.onerror?.(new ProgressEvent('error'));
        return;
      }
      this.status = answer.status;
      this.#answerHeaders = answer.headers ?? {};
      this.responseText = answer.body ?? '';
      this.onload?.();
    })();
  }
}
