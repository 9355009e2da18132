import express, { type NextFunction, type Request, type Response } from 'express';
import { securityCheckRoutes } from '../audit/security-check-routes.ts';
import { identityRoutes } from '../identity/routes.ts';
import { keyRoutes } from '../identity/key-routes.ts';
import { exportRoutes } from '../lifecycle/export/routes.ts';
import { ltiApiRoutes } from '../lti/api-routes.ts';
import { lifecycleRoutes } from '../lifecycle/routes.ts';
import { ltiRoutes } from '../lti/routes.ts';
import { libraryRoutes } from '../media/library/routes.ts';
import { playbackRoutes } from '../media/playback/routes.ts';
import { quizRoutes } from '../quizzes/routes.ts';
import { reviewRoutes } from '../review/routes.ts';
import { trackRoutes } from '../media/tracks/routes.ts';
import { uploadRoutes } from '../media/upload/routes.ts';
import type { AppContext } from './app-context.ts';
import { LecternError, isLecternError } from './errors.ts';
import { elementBundles } from './element-bundles.ts';
import { apiCors, requestContext, requireJsonBody, securityHeaders } from './middleware.ts';

/** The express application: health, then the versioned API, then the error answer. */
export function createApp(context: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', context.config.trustProxy ? 1 : false);
  app.set('query parser', 'simple');

  app.use(requestContext(context.log), securityHeaders, (_request, response, next) => {
    // During shutdown, keep-alive connections end with their answer instead of idling on.
    if (context.isDraining()) response.setHeader('Connection', 'close');
    next();
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    if (!(await context.isReady())) throw new LecternError('server.not_ready');
    response.json({ status: 'ready' });
  });

  // tus speaks its own protocol (binary bodies, its own headers), so it sits beside the API.
  app.use(uploadRoutes(context, context.media));

  const api = express.Router();
  api.use(apiCors, requireJsonBody);
  // Before the API's JSON parser: caption files bring their own, larger body limit.
  api.use(trackRoutes(context));
  api.use(express.json({ limit: context.config.bodyLimitBytes, strict: true }));
  api.use(identityRoutes(context));
  api.use(keyRoutes(context));
  api.use(libraryRoutes(context));
  api.use(playbackRoutes(context));
  api.use(reviewRoutes(context));
  api.use(quizRoutes(context));
  api.use(ltiApiRoutes(context));
  api.use(lifecycleRoutes(context));
  api.use(exportRoutes(context));
  api.use(securityCheckRoutes(context));
  app.use('/api/v1', api);
  app.use('/lti', ltiRoutes(context));
  app.use('/elements', elementBundles());

  app.use((_request: Request, _response: Response, next: NextFunction) => {
    next(new LecternError('route.not_found'));
  });
  app.use(errorAnswer);
  return app;
}

/** Turns any error into `{ error: { code, message, requestId } }`; never leaks internals. */
function errorAnswer(error: unknown, request: Request, response: Response, _next: NextFunction) {
  const known = isLecternError(error) ? error : fromBodyParser(error);
  if (!known) {
    request.log.error({ event: 'http.error', err: error }, 'unexpected error');
  } else if (known.status >= 500) {
    request.log.warn({ event: 'http.unavailable', code: known.code });
  }
  const answer = known ?? new LecternError('server.internal');

  // The response may already be streaming: then all that is left is to end it.
  if (response.headersSent) {
    response.end();
    return;
  }
  response.status(answer.status).json({
    error: {
      code: answer.code,
      message: answer.message,
      requestId: request.requestId,
      ...(answer.details === undefined ? {} : { details: answer.details }),
    },
  });
}

/** body-parser's own errors carry a `type`; map the ones a client causes. */
function fromBodyParser(error: unknown): LecternError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new LecternError('request.malformed_json');
  if (type === 'entity.too.large') return new LecternError('request.body_too_large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new LecternError('request.unsupported_media_type');
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return new LecternError('request.invalid');
  }
  // The rest a client causes carry a 4xx status: a body that fails to gunzip, or a path
  // parameter that is not valid percent-encoding (the router's own error).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new LecternError('request.invalid');
  }
  return undefined;
}
