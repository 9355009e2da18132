import { randomBytes, randomUUID } from 'node:crypto';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../../http/app-context.ts';
import { authenticate, authorize } from '../../http/auth.ts';
import { actorOf, principalOf } from '../../http/context.ts';
import { LecternError, isLecternError, type ErrorCode } from '../../http/errors.ts';
import { loadTenantSettings } from '../../identity/tenant-settings.ts';
import type { MediaServices } from '../media-services.ts';
import { EncryptingStore } from './encrypting-store.ts';
import { finalizeUpload } from './finalize.ts';
import { createUpload } from './upload-creation.ts';
import { findUpload } from './upload-records.ts';

const uploadsPath = '/api/v1/uploads';

/**
 * Resumable uploads over tus 1.0. Express authenticates and checks ownership first; tus then
 * speaks the protocol over the encrypting store. Mounted at the root so that tus sees the
 * full path.
 */
export function uploadRoutes(context: AppContext, media: MediaServices): Router {
  const tus = createTusServer(context, media);
  const handle = (request: Request, response: Response) => tus.handle(request, response);
  const signedIn = [
    crossOrigin,
    authenticate(context.db, context.signer),
    authorize('video.upload'),
  ];
  const owned = [...signedIn, ownUpload(context)];

  const router = Router();
  router.options(uploadsPath, handle);
  router.options(`${uploadsPath}/:uploadId`, handle);
  router.post(uploadsPath, ...signedIn, assignVideoId, handle);
  router.head(`${uploadsPath}/:uploadId`, ...owned, handle);
  router.patch(`${uploadsPath}/:uploadId`, ...owned, handle);
  router.delete(`${uploadsPath}/:uploadId`, ...owned, handle);
  return router;
}

/** Errors answered before tus runs (a failed sign-in) must reach a page on another origin too. */
function crossOrigin(_request: Request, response: Response, next: NextFunction) {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Lectern-Video-Id');
  next();
}

/** The video id is chosen before tus runs, so that the creation answer can carry it. */
function assignVideoId(_request: Request, response: Response, next: NextFunction) {
  const videoId = randomUUID();
  response.locals.videoId = videoId;
  response.setHeader('Lectern-Video-Id', videoId);
  next();
}

/** An upload is its owner's alone; anyone else's is not found. */
function ownUpload(context: AppContext) {
  return async (request: Request, _response: Response, next: NextFunction) => {
    const principal = principalOf(request);
    const id = String(request.params.uploadId);
    const upload = /^[0-9a-f]{32}$/.test(id) ? await findUpload(context.db, id) : undefined;
    if (!upload || upload.tenantId !== principal.tenantId || upload.ownerId !== principal.id) {
      throw new LecternError('resource.not_found');
    }
    if (!upload.completedAt && upload.expiresAt < new Date())
      throw new LecternError('upload.expired');
    next();
  };
}

/** The express request behind tus's web request, where authentication left the principal. */
function expressRequestOf(request: unknown): Request {
  const runtime = (request as { runtime?: { node?: { req?: Request } } }).runtime;
  const node = runtime?.node?.req;
  if (!node) throw new Error('tus request without its node request');
  return node;
}

function createTusServer(context: AppContext, media: MediaServices): Server {
  return new Server({
    path: uploadsPath,
    datastore: new EncryptingStore(context.db, media),
    locker: new MemoryLocker(),
    relativeLocation: true,
    respectForwardedHeaders: context.config.trustProxy,
    allowedHeaders: ['Authorization', 'X-Request-Id'],
    exposedHeaders: ['Lectern-Video-Id', 'X-Request-Id'],
    disableTerminationForFinishedUploads: true,
    namingFunction: () => randomBytes(16).toString('hex'),
    maxSize: async (request) => {
      const principal = expressRequestOf(request).principal;
      if (!principal) return 0;
      return (await loadTenantSettings(context.db, principal.tenantId)).upload.maxFileBytes;
    },
    onUploadCreate: async (request, upload: Upload) => {
      const express = expressRequestOf(request);
      const metadata = await createUpload(
        context.db,
        media,
        principalOf(express),
        upload,
        String(express.res?.locals.videoId),
        actorOf(express),
      );
      express.log.info({ event: 'upload.created', uploadId: upload.id, size: upload.size });
      return { metadata };
    },
    onUploadFinish: async (request, upload: Upload) => {
      const express = expressRequestOf(request);
      const record = await findUpload(context.db, upload.id);
      if (!record) throw new LecternError('resource.not_found');
      const video = await finalizeUpload(
        context.db,
        media,
        context.jobs,
        express.log,
        record,
        actorOf(express),
      );
      express.log.info({ event: 'upload.finished', uploadId: upload.id, videoId: video.id });
      return { headers: { 'Lectern-Video-Id': video.id } };
    },
    onResponseError: (request, error) => tusAnswer(expressRequestOf(request), error),
  });
}

/** tus's own errors carry a status and a text; Lectern answers every error the same way. */
const tusStatusCodes: Record<number, ErrorCode> = {
  400: 'upload.invalid',
  403: 'permission.denied',
  404: 'resource.not_found',
  409: 'upload.offset_mismatch',
  410: 'upload.expired',
  412: 'upload.invalid',
  413: 'upload.too_large',
  415: 'upload.invalid',
  423: 'upload.locked',
};

function tusCode(status: number, body: string): ErrorCode | undefined {
  if (body.includes('defer-length')) return 'upload.length_required';
  // What tus does not support (501) and any other refusal of the client's request.
  if (status === 501 || (status >= 400 && status < 500))
    return tusStatusCodes[status] ?? 'upload.invalid';
  return undefined;
}

function tusAnswer(request: Request, error: unknown) {
  let answer: LecternError;
  if (isLecternError(error)) {
    answer = error;
  } else {
    const { status_code: status, body } = error as { status_code?: number; body?: string };
    const code = status === undefined ? undefined : tusCode(status, body ?? '');
    if (!code) request.log.error({ event: 'upload.error', err: error }, 'unexpected upload error');
    answer = new LecternError(code ?? 'server.internal');
  }
  return {
    status_code: answer.status,
    body: JSON.stringify({
      error: { code: answer.code, message: answer.message, requestId: request.requestId },
    }),
  };
}
