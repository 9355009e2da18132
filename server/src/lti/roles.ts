import { isRole, type Role } from '../identity/policy.ts';

/** LTI role → Lectern roles, keyed by the role's short name (the part after `#`). */
export type RoleMapping = Record<string, Role[]>;

/**
 * What a launch grants unless the platform's registration says otherwise. Moodle sends
 * Learner for students, Instructor for teachers (editing or not), and for site admins also
 * the institution and system Administrator roles.
 */
export const defaultRoleMapping: RoleMapping = {
  Learner: ['viewer'],
  Instructor: ['author', 'trainer'],
  ContentDeveloper: ['author'],
  TeachingAssistant: ['trainer'],
  Mentor: ['viewer'],
  Administrator: ['admin'],
};

/**
 * The Lectern roles for the LTI roles a launch carries. Full URIs and the short names that
 * LTI 1.3 still allows both count; a role the mapping does not know grants nothing, and a
 * launch with no known role at all signs in as a viewer.
 */
export function mapLtiRoles(ltiRoles: readonly string[], mapping: RoleMapping | null): Role[] {
  const table = mapping ?? defaultRoleMapping;
  const granted = new Set<Role>();
  for (const uri of ltiRoles) {
    const short = uri.slice(uri.lastIndexOf('#') + 1);
    for (const role of table[uri] ?? table[short] ?? []) granted.add(role);
  }
  if (granted.size === 0) granted.add('viewer');
  return [...granted].sort();
}

/** Checks a mapping sent by an admin: short names or URIs to lists of known Lectern roles. */
export function isRoleMapping(value: unknown): value is RoleMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (roles) =>
      Array.isArray(roles) && roles.every((role) => typeof role === 'string' && isRole(role)),
  );
}
