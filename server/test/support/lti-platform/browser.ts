import type { ToolResponse } from './types.ts';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 10;

export interface BrowserRequest {
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  /** False: send no cookies and keep none, as a browser blocking the tool's cookies. */
  cookies?: boolean;
}

/**
 * What a browser does for a launch, and no more: a cookie jar (name → value, Path honoured
 * roughly; Domain and Secure ignored, since everything runs on loopback http) and redirects
 * followed while they stay on the origin of the first request. A redirect elsewhere, such
 * as the tool's login sending the browser to the platform, is answered as it came.
 */
export interface Browser {
  request(url: string, init?: BrowserRequest): Promise<ToolResponse>;
}

interface Cookie {
  value: string;
  path: string;
}

export function createBrowser(): Browser {
  const jar = new Map<string, Cookie>();

  async function request(url: string, init: BrowserRequest = {}): Promise<ToolResponse> {
    const origin = new URL(url).origin;
    const withCookies = init.cookies !== false;
    let method = init.method ?? 'GET';
    let form = init.form;
    let current = url;

    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {};
      const cookie = withCookies ? cookieHeader(jar, current) : '';
      if (cookie) headers.cookie = cookie;
      if (form) headers['content-type'] = 'application/x-www-form-urlencoded';

      const answer = await fetch(current, {
        method,
        headers,
        body: form ? new URLSearchParams(form).toString() : undefined,
        redirect: 'manual',
      });
      if (withCookies) storeCookies(jar, answer, current);
      const response = {
        status: answer.status,
        headers: answer.headers,
        body: await answer.text(),
        url: current,
      };

      const location = answer.headers.get('location');
      if (!redirectStatuses.has(answer.status) || !location) return response;
      const next = new URL(location, current);
      if (next.origin !== origin || hop >= maxRedirects) return response;

      // 307 and 308 repeat the request as it was; the others become a GET.
      if (answer.status !== 307 && answer.status !== 308) {
        method = 'GET';
        form = undefined;
      }
      current = next.href;
    }
  }

  return { request };
}

function cookieHeader(jar: Map<string, Cookie>, url: string): string {
  const path = new URL(url).pathname;
  return [...jar]
    .filter(([, cookie]) => path.startsWith(cookie.path))
    .map(([name, cookie]) => `${name}=${cookie.value}`)
    .join('; ');
}

function storeCookies(jar: Map<string, Cookie>, answer: Response, url: string): void {
  for (const line of answer.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';');
    const separator = pair.indexOf('=');
    if (separator < 1) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();

    let path = defaultPath(url);
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.trim().split('=');
      const argument = rest.join('=');
      const lower = key.toLowerCase();
      if (lower === 'path' && argument.startsWith('/')) path = argument;
      if (lower === 'max-age' && Number(argument) <= 0) expired = true;
      if (lower === 'expires' && Date.parse(argument) <= Date.now()) expired = true;
    }

    if (expired) jar.delete(name);
    else jar.set(name, { value, path });
  }
}

// RFC 6265: without a Path, a cookie belongs to the directory of the URL that set it.
function defaultPath(url: string): string {
  const path = new URL(url).pathname;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
