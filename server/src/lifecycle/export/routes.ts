import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../http/app-context.ts';
import { authenticate, authorize } from '../../http/auth.ts';
import { actorOf, principalOf } from '../../http/context.ts';
import { LecternError, isLecternError } from '../../http/errors.ts';
import { validate } from '../../http/validation.ts';
import { downloadableArchive, openArchive, requestedRange } from './download.ts';
import { findExport, listExports, requestExport, type TenantExport } from './export-records.ts';

const exportParams = z.object({ exportId: z.string().min(1).max(64) });
const requestBody = z.strictObject({});

/**
 * Customer exports: a tenant admin asks for one archive of everything, follows its status,
 * and downloads it (resumable with ranges) until it expires.
 */
export function exportRoutes(context: AppContext): Router {
  const router = Router();
  const mayExport = [authenticate(context.db, context.signer), authorize('tenant.export')];

  router.post('/tenant/exports', mayExport, validate({ body: requestBody }), startExport(context));
  router.get('/tenant/exports', mayExport, async (request: Request, response: Response) => {
    const found = await listExports(context.db, principalOf(request).tenantId);
    response.set('Cache-Control', 'no-store').json({ exports: found.map(exportView) });
  });
  router.get(
    '/tenant/exports/:exportId',
    mayExport,
    validate({ params: exportParams }),
    async (request: Request, response: Response) => {
      response
        .set('Cache-Control', 'no-store')
        .json(exportView(await requireExport(context, request)));
    },
  );
  router.get(
    '/tenant/exports/:exportId/download',
    mayExport,
    validate({ params: exportParams }),
    download(context),
  );
  return router;
}

function startExport(context: AppContext) {
  return async (request: Request, response: Response) => {
    const { export: requested, created } = await requestExport(
      context.db,
      context.jobs,
      {
        tenantId: principalOf(request).tenantId,
        lifetimeSeconds: Math.round(context.config.exportLifetimeMs / 1000),
      },
      actorOf(request),
    );
    request.log.info({
      event: created ? 'export.requested' : 'export.already_running',
      exportId: requested.id,
      queued: context.jobs !== undefined,
    });
    response
      .status(202)
      .location(`/api/v1/tenant/exports/${requested.id}`)
      .json(exportView(requested));
  };
}

async function requireExport(context: AppContext, request: Request): Promise<TenantExport> {
  const principal = principalOf(request);
  const found = await findExport(context.db, principal.tenantId, request.params.exportId as string);
  if (!found) throw new LecternError('resource.not_found');
  return found;
}

function download(context: AppContext) {
  return async (request: Request, response: Response) => {
    const found = await requireExport(context, request);
    const archive = downloadableArchive(found);
    let range;
    try {
      range = requestedRange(
        request.get('range'),
        request.get('if-range'),
        archive.size,
        archive.etag,
      );
    } catch (error) {
      if (isLecternError(error)) response.setHeader('Content-Range', `bytes */${archive.size}`);
      throw error;
    }

    // Opened before any header is set, so that a failure still answers as JSON.
    const head = request.method === 'HEAD' || archive.size === 0;
    const plaintext = head
      ? undefined
      : await openArchive(context.db, context.media, found, archive, range);

    response.status(range ? 206 : 200).set({
      'Content-Type': 'application/zip',
      'Content-Length': String(range ? range.end - range.start + 1 : archive.size),
      'Accept-Ranges': 'bytes',
      ETag: archive.etag,
      'Cache-Control': 'private, no-store',
      Expires: archive.expiresAt.toUTCString(),
    });
    if (range) response.set('Content-Range', `bytes ${range.start}-${range.end}/${archive.size}`);
    response.attachment(`lectern-export-${found.createdAt.toISOString().slice(0, 10)}.zip`);
    if (!plaintext) {
      response.end();
      return;
    }
    request.log.info({
      event: 'export.download',
      exportId: found.id,
      start: range?.start ?? 0,
      end: range?.end ?? archive.size - 1,
    });
    try {
      await pipeline(plaintext, response);
    } catch (error) {
      // A download cut short is resumed with a range; not an error of the server.
      if (!response.headersSent) throw error;
      request.log.debug({ event: 'export.download_ended', exportId: found.id, err: error });
    }
  };
}

export function exportView(found: TenantExport) {
  return {
    id: found.id,
    state: found.state,
    createdAt: found.createdAt.toISOString(),
    readyAt: found.readyAt?.toISOString() ?? null,
    expiresAt: found.expiresAt?.toISOString() ?? null,
    size: found.archiveSize,
    entries: found.entries,
    error: found.errorCode,
    downloadUrl: found.state === 'ready' ? `/api/v1/tenant/exports/${found.id}/download` : null,
  };
}
