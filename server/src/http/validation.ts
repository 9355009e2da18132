import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { LecternError } from './errors.ts';

interface Schemas {
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
}

/**
 * Validates the path parameters, query and body before the handler runs; strict schemas
 * refuse unknown fields. Parsed params and body replace the raw ones; the parsed query is
 * read with `validQuery`.
 */
export function validate(schemas: Schemas): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const problems: { where: string; path: string; message: string }[] = [];
    for (const where of ['params', 'query', 'body'] as const) {
      const schema = schemas[where];
      if (!schema) continue;
      const input = request[where] ?? {};
      if (holdsNul(input)) {
        // PostgreSQL text cannot store U+0000; refused for every field here, not per schema.
        problems.push({ where, path: '', message: 'text must not contain the NUL character' });
        continue;
      }
      const result = schema.safeParse(input);
      if (result.success) {
        // Express 5 makes req.params read-only per router, so parsed params go beside it.
        if (where === 'body') request.body = result.data;
        else if (where === 'query') response.locals.query = result.data;
        else Object.assign(request.params, result.data);
        continue;
      }
      for (const issue of result.error.issues) {
        problems.push({ where, path: issue.path.join('.'), message: issue.message });
      }
    }
    if (problems.length > 0) {
      next(new LecternError('request.invalid', { details: problems.slice(0, 20) }));
      return;
    }
    next();
  };
}

/** The query as its schema parsed it (express 5's `request.query` cannot be replaced). */
export function validQuery<T>(response: Response): T {
  return response.locals.query as T;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\0') || holdsNul(inner));
  }
  return false;
}
