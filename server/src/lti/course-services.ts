import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../http/app-context.ts';
import { LecternError } from '../http/errors.ts';
import type { LaunchClaims } from './id-token.ts';
import type { LtijsIdToken } from './ltijs-tool.ts';
import { platformById, type LtiPlatform } from './platforms.ts';

/** A placement of Lectern in a course, as the last launch through it described it. */
export interface ResourceLink {
  id: string;
  tenantId: string;
  platformId: string;
  deploymentId: string;
  resourceLinkId: string;
  contextId: string | null;
  ags: { lineitem?: string; lineitems?: string; scope?: string[] } | null;
  membershipsUrl: string | null;
  /** The quiz the placement opens, if any. */
  quizId: string | null;
}

interface ResourceLinkRow {
  id: string;
  tenant_id: string;
  platform_id: string;
  deployment_id: string;
  resource_link_id: string;
  context_id: string | null;
  ags: ResourceLink['ags'] | string | null;
  memberships_url: string | null;
  quiz_id: string | null;
}

/** What talking to a course's services needs: the database and the LTI tool. */
export type ServicesContext = Pick<AppContext, 'db' | 'lti'>;

/** A score as the LMS's gradebook takes it (LTI AGS). */
export interface Score {
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  comment?: string;
}

/**
 * Keeps what a resource-link launch says about the course's services, so that a score or the
 * roster can be asked for later, without the learner's browser. One row per placement.
 */
export async function rememberResourceLink(
  db: Knex,
  platform: LtiPlatform,
  claims: LaunchClaims,
  quizId: string | null = null,
): Promise<ResourceLink | undefined> {
  if (!claims.resourceLinkId) return undefined;
  const membershipsUrl = claims.nrps?.context_memberships_url;
  const [row] = (await db('lti_resource_links')
    .insert({
      id: randomUUID(),
      tenant_id: platform.tenantId,
      platform_id: platform.id,
      deployment_id: claims.deploymentId,
      resource_link_id: claims.resourceLinkId,
      context_id: claims.contextId ?? null,
      ags: claims.ags ? JSON.stringify(claims.ags) : null,
      memberships_url: typeof membershipsUrl === 'string' ? membershipsUrl : null,
      quiz_id: quizId,
    })
    .onConflict(['platform_id', 'deployment_id', 'resource_link_id'])
    .merge(['context_id', 'ags', 'memberships_url', 'quiz_id', 'updated_at'])
    .returning('*')) as ResourceLinkRow[];
  return row && toResourceLink(row);
}

export async function findResourceLink(
  db: Knex,
  tenantId: string,
  id: string,
): Promise<ResourceLink | undefined> {
  const row = (await db('lti_resource_links').where({ id, tenant_id: tenantId }).first()) as
    ResourceLinkRow | undefined;
  return row && toResourceLink(row);
}

/**
 * Notes that a person launched a placement, with their id at the platform: where their quiz
 * grade goes later. Only placements that open a quiz keep this.
 */
export async function rememberLearner(
  db: Knex,
  link: ResourceLink,
  userId: string,
  platformUser: string,
): Promise<void> {
  await db('lti_link_learners')
    .insert({
      tenant_id: link.tenantId,
      resource_link_id: link.id,
      user_id: userId,
      platform_user: platformUser,
    })
    .onConflict(['resource_link_id', 'user_id'])
    .merge({ platform_user: platformUser, launched_at: db.fn.now() });
}

/**
 * Forgets who launched the placements of a quiz (for a quiz that turned anonymous): nothing
 * is left that ties a person to it, not even having opened it.
 */
export async function forgetLearnersOfQuiz(db: Knex, quizId: string): Promise<void> {
  await db('lti_link_learners')
    .whereIn('resource_link_id', db('lti_resource_links').select('id').where({ quiz_id: quizId }))
    .delete();
}

/** The placements of a quiz with a gradebook column that this person launched. */
export async function gradeTargets(
  db: Knex,
  tenantId: string,
  quizId: string,
  userId: string,
): Promise<ResourceLink[]> {
  const rows = (await db('lti_resource_links')
    .join('lti_link_learners', 'lti_link_learners.resource_link_id', 'lti_resource_links.id')
    .where({
      'lti_resource_links.tenant_id': tenantId,
      'lti_resource_links.quiz_id': quizId,
      'lti_link_learners.user_id': userId,
    })
    .select('lti_resource_links.*')) as ResourceLinkRow[];
  return rows.map(toResourceLink).filter((link) => Boolean(link.ags?.lineitem));
}

/** The person's id at the platform of a placement they launched. */
export async function platformUserOf(
  db: Knex,
  link: ResourceLink,
  userId: string,
): Promise<string | undefined> {
  const row = (await db('lti_link_learners')
    .where({ resource_link_id: link.id, user_id: userId })
    .first('platform_user')) as { platform_user: string } | undefined;
  return row?.platform_user;
}

/**
 * Posts a learner's score to the placement's line item in the LMS's gradebook. `platformUser`
 * is the learner's `sub` at the platform.
 */
export async function postScore(
  context: ServicesContext,
  link: ResourceLink,
  platformUser: string,
  score: Score,
): Promise<void> {
  const lineItem = link.ags?.lineitem;
  if (!lineItem) throw new LecternError('lti.no_grade_service');
  const idToken = await servicesToken(context, link);
  await askPlatform(() =>
    context.lti.tool.provider.Grade.submitScore(idToken, lineItem, {
      ...score,
      userId: platformUser,
    }),
  );
}

/** The course's members as the LMS lists them (LTI NRPS): platform ids and short role names. */
export async function readRoster(
  context: ServicesContext,
  link: ResourceLink,
): Promise<{ userId: string; roles: string[]; status?: string }[]> {
  if (!link.membershipsUrl) throw new LecternError('lti.no_roster_service');
  const idToken = await servicesToken(context, link);
  const answer = await askPlatform(() =>
    context.lti.tool.provider.NamesAndRoles.getMembers(idToken, { pages: false }),
  );
  // Names and e-mails the LMS may list stay behind: only ids, roles and status go on.
  return (answer.members as { user_id: string; roles?: string[]; status?: string }[]).map(
    (member) => ({
      userId: String(member.user_id),
      roles: member.roles ?? [],
      ...(member.status ? { status: member.status } : {}),
    }),
  );
}

/** What ltijs's service clients read from a launch, rebuilt from the stored placement. */
async function servicesToken(context: ServicesContext, link: ResourceLink): Promise<LtijsIdToken> {
  const platform = await platformById(context.db, link.platformId);
  if (!platform) throw new LecternError('resource.not_found');
  await context.lti.tool.ensurePlatform(platform);
  return {
    iss: platform.issuer,
    clientId: platform.clientId,
    deploymentId: link.deploymentId,
    platformContext: {
      ...(link.ags ? { endpoint: link.ags } : {}),
      ...(link.membershipsUrl
        ? { namesRoles: { context_memberships_url: link.membershipsUrl } }
        : {}),
      resource: { id: link.resourceLinkId },
    },
  };
}

async function askPlatform<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch {
    // ltijs's errors carry the platform's answer and URLs with tokens: none of it is passed on.
    throw new LecternError('lti.service_failed');
  }
}

function toResourceLink(row: ResourceLinkRow): ResourceLink {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    platformId: row.platform_id,
    deploymentId: row.deployment_id,
    resourceLinkId: row.resource_link_id,
    contextId: row.context_id,
    ags: typeof row.ags === 'string' ? (JSON.parse(row.ags) as ResourceLink['ags']) : row.ags,
    membershipsUrl: row.memberships_url,
    quizId: row.quiz_id,
  };
}
