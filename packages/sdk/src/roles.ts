/** The roles a tenant can give a user; each grants the permissions the tenant's policy lists. */
export const roles = ['viewer', 'author', 'critic', 'trainer', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Everything a policy can grant, in the order the server lists them. */
export const permissions = [
  'video.view',
  'video.upload',
  'video.edit',
  'video.review',
  'quiz.take',
  'quiz.edit',
  'quiz.results',
  'user.list',
  'tenant.manage',
  'tenant.export',
  'tenant.terminate',
] as const;
export type Permission = (typeof permissions)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}
