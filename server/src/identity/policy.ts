/** Roles and permissions, and the one function that decides every "may this user do this". */
export const roles = ['viewer', 'author', 'critic', 'trainer', 'admin'] as const;
export type Role = (typeof roles)[number];

const everyone: Role[] = [...roles];

/** What each permission grants by default; a tenant may change all but the fixed ones. */
export const defaultPolicy = {
  'video.view': everyone,
  'video.upload': ['author', 'admin'],
  'video.edit': ['author', 'admin'],
  'video.review': ['critic'],
  'quiz.take': everyone,
  'quiz.edit': ['author', 'trainer', 'admin'],
  'quiz.results': ['trainer'],
  'user.list': ['admin'],
  'tenant.manage': ['admin'],
  'tenant.export': ['admin'],
  'tenant.terminate': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof defaultPolicy;
export const permissions = Object.keys(defaultPolicy) as Permission[];

/**
 * Floors no tenant setting can move: results belong to trainers alone (the works-council
 * promise), and the rights over the tenant itself stay with admins so nobody locks them out.
 */
export const fixedPolicy: Partial<Record<Permission, readonly Role[]>> = {
  'quiz.results': ['trainer'],
  'tenant.manage': ['admin'],
  'tenant.export': ['admin'],
  'tenant.terminate': ['admin'],
};

export type Policy = Record<Permission, readonly Role[]>;

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(defaultPolicy, value);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** A tenant's effective policy: its overrides laid over the defaults, the floors over both. */
export function effectivePolicy(overrides: Iterable<[string, readonly string[]]>): Policy {
  const policy: Policy = { ...defaultPolicy };
  for (const [permission, granted] of overrides) {
    if (!isPermission(permission)) continue;
    policy[permission] = granted.filter(isRole);
  }
  return { ...policy, ...fixedPolicy };
}

/** Who is asking: a person with a session, or a tenant's backend with an API key. */
export interface Principal {
  kind: 'user' | 'service';
  id: string;
  tenantId: string;
  roles: readonly Role[];
  policy: Policy;
}

/** What is asked about; anything that belongs to a tenant, perhaps owned by a user. */
export interface Resource {
  tenantId: string;
  ownerId?: string | null;
  /** A video's place in the review workflow, when the resource is a video. */
  state?: string;
}

// Acts that need a person to answer for them: a backend's API key cannot upload, review or
// take a quiz.
// Terminating the tenant, too: nobody but a person answers for that.
const personal: ReadonlySet<Permission> = new Set([
  'video.upload',
  'video.review',
  'quiz.take',
  'tenant.terminate',
]);

// Permissions that, for a user who is not an admin, extend only to what they own.
const ownedOnly: ReadonlySet<Permission> = new Set(['video.edit', 'quiz.edit']);

/** The single answer to "may this principal do this to that". */
export function may(principal: Principal, permission: Permission, resource?: Resource): boolean {
  if (resource && resource.tenantId !== principal.tenantId) return false;
  if (permission === 'video.view' && resource?.state) return mayViewVideo(principal, resource);

  if (!holds(principal, permission)) return false;
  if (principal.kind === 'service' && personal.has(permission)) return false;
  const owns = resource?.ownerId != null && resource.ownerId === principal.id;
  // Nobody approves their own work, admins included.
  if (permission === 'video.review' && owns) return false;
  if (resource && ownedOnly.has(permission) && !holds(principal, 'tenant.manage')) return owns;
  return true;
}

/**
 * Published videos are for everyone who may view videos. Before that, a video is seen by
 * its owner, by those who review it while it waits or after they turned it down, and by
 * the tenant's admins.
 */
function mayViewVideo(principal: Principal, video: Resource): boolean {
  if (video.state === 'published') return holds(principal, 'video.view');
  if (video.ownerId != null && video.ownerId === principal.id) return true;
  if (
    (video.state === 'in_review' || video.state === 'rejected') &&
    holds(principal, 'video.review')
  ) {
    return true;
  }
  return holds(principal, 'tenant.manage');
}

function holds(principal: Principal, permission: Permission): boolean {
  const allowed = principal.policy[permission];
  return principal.roles.some((role) => allowed.includes(role));
}

export function permissionsOf(principal: Principal): Permission[] {
  return permissions.filter((permission) => may(principal, permission));
}
