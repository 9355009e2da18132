import { Router, type Request, type Response } from 'express';
import { managesActivities, mediaType, membershipRoles, scope } from './moodle.ts';
import { membershipsUrl, type PlatformState } from './state.ts';
import type { PlatformUser } from './types.ts';
import { accessOf, requireScope } from './token.ts';

const membershipPrefix = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

/**
 * Names and Role Provisioning as Moodle's memberships service: the course roster with
 * Moodle's short role names, names and e-mail only where the tool may have them, `role` and
 * `limit`/`from` as Moodle reads them, and a Link header to the next page.
 *
 * TODO: resource-link memberships (`rlid`) are ignored and the whole course is answered, so a
 * test cannot show a tool limiting a roster to one activity's audience.
 */
export function nrpsRoutes(state: PlatformState): Router {
  const router = Router();
  router.get(
    '/nrps/:contextId/memberships',
    requireScope(state, [scope.memberships]),
    listMembers(state),
  );
  return router;
}

function listMembers(state: PlatformState) {
  return (request: Request, response: Response) => {
    const tool = state.tools.get(accessOf(response).clientId);
    const course = state.courses.get(String(request.params.contextId));
    if (!tool || !course) {
      response.status(404).json({ error: 'Not found: course' });
      return;
    }
    // Moodle answers its older LIS format only when asked for it by name.
    if (request.get('accept')?.includes(mediaType.legacyMembershipContainer)) {
      response.status(406).json({ error: 'This platform speaks NRPS 2.0 only' });
      return;
    }

    const query = request.query as Record<string, string | undefined>;
    const members = [...course.members.values()].filter((user) => hasRole(user, query.role));
    const limit = Number(query.limit) > 0 ? Number(query.limit) : 0;
    const from = Number(query.from) > 0 ? Number(query.from) : 0;
    const page = limit > 0 ? members.slice(from, from + limit) : members;
    const endpoint = membershipsUrl(state, course.id);
    if (limit > 0 && from + limit < members.length) {
      response.set('link', `<${endpoint}?limit=${limit}&from=${from + limit}>; rel="next"`);
    }

    const container = {
      id: endpoint,
      context: { id: course.id, label: course.label, title: course.title },
      members: page.map((user) => member(user, tool.sendName, tool.sendEmail)),
    };
    response.type(mediaType.membershipContainer).send(JSON.stringify(container));
  };
}

// get_members_json: Instructor means moodle/course:manageactivities, Learner everyone else.
function hasRole(user: PlatformUser, role: string | undefined): boolean {
  if (!role) return true;
  const short = role.startsWith(membershipPrefix) ? role.slice(membershipPrefix.length) : role;
  if (short === 'Instructor') return managesActivities(user.role);
  if (short === 'Learner') return !managesActivities(user.role);
  return true;
}

function member(user: PlatformUser, sendName: boolean, sendEmail: boolean) {
  const [given = '', ...family] = (user.name ?? '').split(' ');
  return {
    status: 'Active',
    roles: membershipRoles(user.role),
    user_id: user.id,
    lis_person_sourcedid: '',
    ...(sendName && user.name
      ? { name: user.name, given_name: given, family_name: family.join(' ') }
      : {}),
    ...(sendEmail && user.email ? { email: user.email } : {}),
  };
}
