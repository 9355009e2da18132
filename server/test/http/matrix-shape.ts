/** The authorization matrix's vocabulary: who asks, what a row says, the usual answers. */
import type { Role } from '../../src/identity/policy.ts';
import type { TestLectern, TestTenant } from '../support/lectern.ts';

/** Who asks: nobody, a person holding exactly one role, or the tenant's backend with an API key. */
export const callers = [
  'anonymous',
  'viewer',
  'author',
  'critic',
  'trainer',
  'admin',
  'apiKey',
] as const;
export type Caller = (typeof callers)[number];

/** One tenant as the matrix sees it: credentials for every caller and things to act on. */
export interface TenantFixture {
  tenant: TestTenant;
  credentials: Record<Caller, string | undefined>;
  /** The user behind each role's credentials. */
  userIds: Partial<Record<Role, string>>;
  /** A user whose roles may be changed by the matrix without disturbing the callers. */
  bystanderId: string;
}

export interface Target {
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Row {
  route: string;
  /** Builds the request against a resource of `owner`; may create what it needs. */
  target(lectern: TestLectern, owner: TenantFixture): Promise<Target> | Target;
  /** The status each caller of the owner's tenant gets. */
  own: Record<Caller, number>;
  /**
   * What a user of another tenant (an admin, unless `stranger` names another role) gets
   * when aiming at the owner's resource; `isolated` means the route only ever acts on the
   * caller's own tenant, and the answer must not mention the owner's tenant at all.
   */
  otherTenant: number | 'isolated' | 'public';
  stranger?: Role;
}

export const everyoneSignedIn = (status: number) => ({
  anonymous: 401,
  viewer: status,
  author: status,
  critic: status,
  trainer: status,
  admin: status,
  apiKey: status,
});
export const adminsOnly = (status: number) => ({
  anonymous: 401,
  viewer: 403,
  author: 403,
  critic: 403,
  trainer: 403,
  admin: status,
  apiKey: status,
});
export const only = (status: number, allowed: Caller[]) =>
  Object.fromEntries(
    callers.map((caller) => [
      caller,
      caller === 'anonymous' ? 401 : allowed.includes(caller) ? status : 403,
    ]),
  ) as Record<Caller, number>;
export const open = (status: number) => ({ ...everyoneSignedIn(status), anonymous: status });
