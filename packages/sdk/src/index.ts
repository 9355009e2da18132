export { LecternClient, type LecternClientOptions, type TokenSource } from './client.js';
export { LecternApiError, clientErrorCodes } from './errors.js';
export { isPermission, isRole, permissions, roles, type Permission, type Role } from './roles.js';
export type * from './responses.js';
