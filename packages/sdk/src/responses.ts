import type { Permission, Role } from './roles.js';

// Times travel as ISO 8601 strings, exactly as the server sends them.

/** Who a session or API key acts for. */
export interface SessionUser {
  id: string;
  tenantId: string;
  roles: Role[];
}

/** What `createSession` returns: a short-lived token to send as a Bearer header. */
export interface Session {
  token: string;
  tokenType: 'Bearer';
  expiresAt: string;
  user: SessionUser;
  permissions: Permission[];
}

/** What `getSession` returns about the token in use. */
export interface SessionInfo {
  user: SessionUser;
  permissions: Permission[];
  expiresAt: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

/** Which roles hold a permission; a fixed grant is a floor no tenant can move. */
export interface PermissionGrant {
  roles: Role[];
  fixed: boolean;
}

export interface Policy {
  permissions: Partial<Record<Permission, PermissionGrant>>;
}

export interface PolicyChange extends PermissionGrant {
  permission: Permission;
}

/** Where a user came from: an LMS launch, an intranet's embed token, or a local account. */
export type UserSource = 'lti' | 'embed' | 'local';

export interface User {
  id: string;
  source: UserSource;
  externalId: string;
  roles: Role[];
}

export interface UserList {
  users: User[];
}

export interface UserRoles {
  id: string;
  roles: Role[];
}

export interface ApiKey {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiKeyList {
  apiKeys: ApiKey[];
}

/** A new API key; `key` is shown this once and cannot be read again. */
export interface CreatedApiKey {
  id: string;
  label: string;
  key: string;
}

export type EmbedKeyAlgorithm = 'HS256' | 'RS256' | 'ES256';

export interface EmbedKey {
  id: string;
  algorithm: EmbedKeyAlgorithm;
  createdAt: string;
}

export interface EmbedKeyList {
  embedKeys: EmbedKey[];
}

/** Asks the server to generate a shared secret for HS256 embed tokens. */
export interface SharedSecretEmbedKeyInput {
  algorithm: 'HS256';
}

/** Registers the public half of a key pair the intranet keeps; the private key never leaves it. */
export interface PublicKeyEmbedKeyInput {
  algorithm: 'RS256' | 'ES256';
  publicKey: string;
}

/** A new HS256 embed key; `secret` is shown this once and cannot be read again. */
export interface CreatedSharedSecretEmbedKey {
  id: string;
  algorithm: 'HS256';
  secret: string;
}

export interface CreatedPublicKeyEmbedKey {
  id: string;
  algorithm: 'RS256' | 'ES256';
}
