import express, { Router, type Request, type Response } from 'express';
import { addLineItem, findLineItem, lineItemJson } from './line-items.ts';
import { isGradable, mediaType, scope } from './moodle.ts';
import type { Course, PlatformState, RegisteredTool } from './state.ts';
import { accessOf, requireScope } from './token.ts';

const activityProgress = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const gradingProgress = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];

/**
 * Assignment and Grade Services as Moodle's gradebookservices: line items of a course, one
 * line item, and scores posted to it. Moodle finds the tool by the `type_id` in the query of
 * every URL it hands out, so a tool that drops the query when it appends `/scores` is refused.
 * Content types are checked as strictly as Moodle checks them.
 *
 * TODO: results (GET {lineitem}/results) and PUT or DELETE of a line item are missing, so a
 * tool that reads results back or edits its line items gets 404 here where Moodle serves them.
 */
export function agsRoutes(state: PlatformState): Router {
  const router = Router();
  const json = express.json({
    type: (request) => /json/.test(request.headers['content-type'] ?? ''),
  });
  const read = requireScope(state, [scope.lineItem, scope.lineItemReadonly]);

  router.get('/ags/:contextId/lineitems', read, listLineItems(state));
  router.post(
    '/ags/:contextId/lineitems',
    requireScope(state, [scope.lineItem]),
    json,
    addOne(state),
  );
  router.get('/ags/:contextId/lineitems/:itemId/lineitem', read, showLineItem(state));
  router.post(
    '/ags/:contextId/lineitems/:itemId/lineitem/scores',
    requireScope(state, [scope.score]),
    json,
    postScore(state),
  );
  return router;
}

function listLineItems(state: PlatformState) {
  return (request: Request, response: Response) => {
    const found = find(state, request, response);
    if (!found) return;
    const accept = mediaTypeOf(request.get('accept'));
    if (accept && accept !== mediaType.lineItemContainer) return badRequest(response, 'Accept');

    const query = request.query as Record<string, string | undefined>;
    const link = query.resource_link_id ?? query.lti_link_id;
    const items = state.lineItems.filter(
      (item) =>
        item.contextId === found.course.id &&
        (link === undefined || item.resourceLinkId === link) &&
        (query.resource_id === undefined || item.resourceId === query.resource_id) &&
        (query.tag === undefined || item.tag === query.tag),
    );
    const limit = Number(query.limit) > 0 ? Number(query.limit) : items.length;
    const page = items
      .slice(0, limit)
      .map((item) => lineItemJson(state, item, found.tool.deploymentId));
    response.type(mediaType.lineItemContainer).send(JSON.stringify(page));
  };
}

function addOne(state: PlatformState) {
  return (request: Request, response: Response) => {
    const found = find(state, request, response);
    if (!found) return;
    if (mediaTypeOf(request.get('content-type')) !== mediaType.lineItem) {
      return badRequest(response, 'Content-Type');
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const scoreMaximum = Number(body.scoreMaximum);
    if (typeof body.label !== 'string' || body.scoreMaximum === undefined || !(scoreMaximum >= 0)) {
      return badRequest(response, 'label and a numeric scoreMaximum');
    }
    const link = body.resourceLinkId ?? body.ltiLinkId;
    if (link !== undefined && !found.course.resourceLinks.has(String(link))) {
      response.status(403).json({ error: 'resourceLinkId is no activity of this course' });
      return;
    }

    const item = addLineItem(state, {
      contextId: found.course.id,
      label: body.label,
      scoreMaximum,
      ...(link !== undefined ? { resourceLinkId: String(link) } : {}),
      ...(typeof body.resourceId === 'string' ? { resourceId: body.resourceId } : {}),
      ...(typeof body.tag === 'string' ? { tag: body.tag } : {}),
    });
    const answer = { ...body, id: lineItemJson(state, item, found.tool.deploymentId).id };
    response.status(201).type(mediaType.lineItem).send(JSON.stringify(answer));
  };
}

function showLineItem(state: PlatformState) {
  return (request: Request, response: Response) => {
    const found = find(state, request, response);
    if (!found) return;
    const accept = mediaTypeOf(request.get('accept'));
    if (accept && accept !== mediaType.lineItem) return badRequest(response, 'Accept');
    const item = findLineItem(state, found.course.id, String(request.params.itemId));
    if (!item) return notFound(response, 'line item');
    response
      .type(mediaType.lineItem)
      .send(JSON.stringify(lineItemJson(state, item, found.tool.deploymentId)));
  };
}

function postScore(state: PlatformState) {
  return (request: Request, response: Response) => {
    const found = find(state, request, response);
    if (!found) return;
    if (mediaTypeOf(request.get('content-type')) !== mediaType.score) {
      return badRequest(response, 'Content-Type');
    }
    const item = findLineItem(state, found.course.id, String(request.params.itemId));
    if (!item) return notFound(response, 'line item');
    if (state.scoreFailures > 0) {
      state.scoreFailures -= 1;
      response.status(503).json({ error: 'Site is in maintenance mode' });
      return;
    }

    const score = (request.body ?? {}) as Record<string, unknown>;
    const problem = scoreProblem(score, found.course);
    if (problem) return badRequest(response, problem);
    const earlier = state.scores.get(item.number) ?? [];
    const last = earlier.filter((entry) => String(entry.userId) === String(score.userId)).at(-1);
    if (last && Date.parse(String(last.timestamp)) >= Date.parse(String(score.timestamp))) {
      response.status(409).json({ error: 'Refusing score with an earlier timestamp' });
      return;
    }

    state.scores.set(item.number, [...earlier, score]);
    response.status(200).type(mediaType.score).send('');
  };
}

/** What gradebookservices refuses with 400, plus progress values outside the spec. */
function scoreProblem(score: Record<string, unknown>, course: Course): string | undefined {
  const numeric = (value: unknown) => value === undefined || Number.isFinite(Number(value));
  if (score.userId === undefined) return 'userId';
  if (typeof score.timestamp !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(score.timestamp)) {
    return 'an ISO 8601 timestamp';
  }
  if (Number.isNaN(Date.parse(score.timestamp))) return 'an ISO 8601 timestamp';
  if (!activityProgress.includes(String(score.activityProgress))) return 'activityProgress';
  if (!gradingProgress.includes(String(score.gradingProgress))) return 'gradingProgress';
  if (!numeric(score.scoreGiven) || !numeric(score.scoreMaximum)) return 'numeric scores';
  const member = course.members.get(String(score.userId));
  if (!member || !isGradable(member.role)) return 'a user the gradebook grades (a student)';
  return undefined;
}

/** The course and the tool the access token belongs to, or an answer saying why not. */
function find(
  state: PlatformState,
  request: Request,
  response: Response,
): { course: Course; tool: RegisteredTool } | undefined {
  const tool = state.tools.get(accessOf(response).clientId);
  if (!tool || request.query.type_id !== tool.deploymentId) {
    response.status(401).json({ error: 'type_id must name the tool’s deployment' });
    return undefined;
  }
  const course = state.courses.get(String(request.params.contextId));
  if (!course) {
    notFound(response, 'course');
    return undefined;
  }
  return { course, tool };
}

function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(/[;,]/)[0]?.trim().toLowerCase() ?? '';
}

function badRequest(response: Response, what: string): void {
  response.status(400).json({ error: `Bad request: ${what}` });
}

function notFound(response: Response, what: string): void {
  response.status(404).json({ error: `Not found: ${what}` });
}
