import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import { isRole, type Principal, type Role } from './policy.ts';
import { loadPolicy } from './tenant-policy.ts';

export type UserSource = 'lti' | 'embed' | 'local';
type RoleOrigin = 'grant' | 'embed' | 'lti';

export interface User {
  id: string;
  tenantId: string;
  source: UserSource;
  externalId: string;
  roles: Role[];
}

/** The user as the policy sees them: their roles and their tenant's current policy. */
export async function userPrincipal(db: Knex, user: User): Promise<Principal> {
  return {
    kind: 'user',
    id: user.id,
    tenantId: user.tenantId,
    roles: user.roles,
    policy: await loadPolicy(db, user.tenantId),
  };
}

// Sign-ins within this time of the last recorded one do not write `last_seen_at` again.
const lastSeenResolutionMs = 15 * 60 * 1000;

/**
 * Finds or creates the account for an external identity and sets the roles that identity
 * asserts; roles an admin granted stay as they are. A returning user whose roles are
 * unchanged costs one read and no write.
 */
export async function signInExternalUser(
  db: Knex,
  input: {
    tenantId: string;
    source: Exclude<UserSource, 'local'>;
    externalId: string;
    roles: Role[];
    /** The name a trainer sees in a quiz's results; kept as sent, or as it was when absent. */
    displayName?: string | undefined;
  },
): Promise<User> {
  const asserted = [...new Set(input.roles)].sort();
  const known = await findUserRecord(db, {
    'users.tenant_id': input.tenantId,
    'users.source': input.source,
    'users.external_id': input.externalId,
  });
  if (
    known &&
    rolesFrom(known, input.source).join() === asserted.join() &&
    (input.displayName === undefined || input.displayName === known.display_name) &&
    Date.now() - known.last_seen_at.getTime() < lastSeenResolutionMs
  ) {
    return toUser(known);
  }

  return db.transaction(async (trx) => {
    const [row] = (await trx('users')
      .insert({
        id: randomUUID(),
        tenant_id: input.tenantId,
        source: input.source,
        external_id: input.externalId,
        display_name: input.displayName ?? null,
      })
      .onConflict(['tenant_id', 'source', 'external_id'])
      .merge({
        last_seen_at: trx.fn.now(),
        ...(input.displayName === undefined ? {} : { display_name: input.displayName }),
      })
      .returning('id')) as { id: string }[];
    const userId = (row as { id: string }).id;

    await replaceRoles(trx, input.tenantId, userId, input.source, asserted);
    return toUser((await findUserRecord(trx, { 'users.id': userId })) as UserRecord);
  });
}

interface UserRecord {
  id: string;
  tenant_id: string;
  source: UserSource;
  external_id: string;
  display_name: string | null;
  last_seen_at: Date;
  /** Each grant as `role:origin`. */
  grants: string[];
}

/** A user and all their grants in one query. */
async function findUserRecord(
  db: Knex,
  where: Record<string, string>,
): Promise<UserRecord | undefined> {
  return (await db('users')
    .leftJoin('role_grants', 'role_grants.user_id', 'users.id')
    .where(where)
    .groupBy('users.id')
    .first(
      'users.id',
      'users.tenant_id',
      'users.source',
      'users.external_id',
      'users.display_name',
      'users.last_seen_at',
      db.raw(
        "coalesce(array_agg(role_grants.role || ':' || role_grants.origin) filter (where role_grants.role is not null), '{}') as grants",
      ),
    )) as UserRecord | undefined;
}

function rolesFrom(record: UserRecord, origin?: RoleOrigin): Role[] {
  const roles = record.grants
    .map((grant) => grant.split(':') as [string, string])
    .filter(([, from]) => origin === undefined || from === origin)
    .map(([role]) => role)
    .filter(isRole);
  return [...new Set(roles)].sort();
}

function toUser(record: UserRecord): User {
  return {
    id: record.id,
    tenantId: record.tenant_id,
    source: record.source,
    externalId: record.external_id,
    roles: rolesFrom(record),
  };
}

async function replaceRoles(
  db: Knex,
  tenantId: string,
  userId: string,
  origin: RoleOrigin,
  granted: Role[],
): Promise<void> {
  await db('role_grants').where({ user_id: userId, origin }).delete();
  if (granted.length === 0) return;
  await db('role_grants').insert(
    [...new Set(granted)].map((role) => ({ tenant_id: tenantId, user_id: userId, role, origin })),
  );
}

/** A user of the tenant with the roles they hold, or nothing (also for another tenant's user). */
export async function findUser(
  db: Knex,
  tenantId: string,
  userId: string,
): Promise<User | undefined> {
  if (!isUuid(userId)) return undefined;
  const record = await findUserRecord(db, { 'users.id': userId, 'users.tenant_id': tenantId });
  return record && toUser(record);
}

export async function listUsers(db: Knex, tenantId: string): Promise<User[]> {
  const rows = (await db('users')
    .leftJoin('role_grants', 'role_grants.user_id', 'users.id')
    .where('users.tenant_id', tenantId)
    .groupBy('users.id')
    .orderBy('users.created_at')
    .select(
      'users.id',
      'users.source',
      'users.external_id',
      db.raw(
        'coalesce(array_agg(distinct role_grants.role) filter (where role_grants.role is not null), ?) as roles',
        ['{}'],
      ),
    )) as { id: string; source: UserSource; external_id: string; roles: string[] }[];
  return rows.map((row) => ({
    id: row.id,
    tenantId,
    source: row.source,
    externalId: row.external_id,
    roles: row.roles.filter(isRole).sort(),
  }));
}

/** Sets the roles an admin grants a user; roles from sign-ins are untouched. */
export async function setGrantedRoles(
  db: Knex,
  tenantId: string,
  userId: string,
  granted: Role[],
  actor: string,
): Promise<User> {
  return db.transaction(async (trx) => {
    const user = await findUser(trx, tenantId, userId);
    if (!user) throw new LecternError('resource.not_found');
    await replaceRoles(trx, tenantId, userId, 'grant', granted);
    await recordAudit(trx, {
      tenantId,
      actor,
      action: 'user.roles.grant',
      subjectType: 'user',
      subjectId: userId,
      details: { roles: [...new Set(granted)].sort() },
    });
    return toUser((await findUserRecord(trx, { 'users.id': userId })) as UserRecord);
  });
}

/**
 * How trainers see these users in results: the name the LMS or intranet sent, else the id
 * the person has there. Only for results that are not anonymous.
 */
export async function participantLabels(
  db: Knex,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = (await db('users')
    .where('tenant_id', tenantId)
    .whereIn('id', [...userIds])
    .select('id', 'source', 'external_id', 'display_name')) as {
    id: string;
    source: UserSource;
    external_id: string;
    display_name: string | null;
  }[];
  return new Map(
    rows.map((row) => [
      row.id,
      // An LTI external id is "<issuer> <sub>": the sub is what the LMS shows, if anything.
      row.display_name ??
        (row.source === 'lti'
          ? row.external_id.slice(row.external_id.lastIndexOf(' ') + 1)
          : row.external_id),
    ]),
  );
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
