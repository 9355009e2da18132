import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { LecternError } from './errors.ts';
import type { Logger } from './logger.ts';

const incomingRequestId = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives each request an id (a proxy's, when it looks like one) and a logger that carries it. */
export function requestContext(log: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const offered = request.get('x-request-id');
    request.requestId = offered && incomingRequestId.test(offered) ? offered : randomUUID();
    request.log = log.child({ requestId: request.requestId });
    response.setHeader('X-Request-Id', request.requestId);

    const started = process.hrtime.bigint();
    response.on('finish', () => {
      // The path only, and without the playback token it may carry.
      request.log.info({
        event: 'http.request',
        method: request.method,
        path: (request.baseUrl + request.path).replace(/^(\/api\/v1\/playback\/)[^/]+/, '$1:token'),
        status: response.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        tenantId: request.principal?.tenantId,
      });
    });
    next();
  };
}

/**
 * Headers for every answer. HSTS only over TLS, whether the server terminates it or a
 * trusted proxy says so through X-Forwarded-Proto.
 */
export function securityHeaders(request: Request, response: Response, next: NextFunction) {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (request.secure) {
    response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
  next();
}

/**
 * The API is called from intranet pages and LMS frames on other origins. Credentials travel
 * as Bearer headers, never cookies, so answering any origin exposes nothing a page could
 * not already send.
 */
export function apiCors(request: Request, response: Response, next: NextFunction) {
  response.setHeader('Access-Control-Allow-Origin', '*');
  // What a page needs to resume an export's download and name its file (ETag, Content-Range).
  response.setHeader(
    'Access-Control-Expose-Headers',
    'X-Request-Id, ETag, Content-Range, Content-Disposition',
  );
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    response.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, X-Request-Id, Range, If-Range',
    );
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(204).end();
    return;
  }
  next();
}

/** Bodies are JSON or absent; anything else is refused before parsing. */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction) {
  const hasBody =
    Number(request.get('content-length') ?? 0) > 0 || request.get('transfer-encoding');
  if (hasBody && !request.is('application/json')) {
    next(new LecternError('request.unsupported_media_type'));
    return;
  }
  next();
}
