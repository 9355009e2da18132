import { InvalidArgumentError, type Command } from 'commander';
import jwt from 'jsonwebtoken';
import { expectedPublicUrl } from '../config/config.ts';
import { LecternError } from '../http/errors.ts';
import { createApiKey, revokeApiKey } from '../identity/api-keys.ts';
import { maxEmbedTokenLifetimeSeconds } from '../identity/embed-tokens.ts';
import { findEmbedKey } from '../identity/embed-keys.ts';
import { isRole, type Role } from '../identity/policy.ts';
import { createTenant, findTenant, listTenants } from '../identity/tenants.ts';
import { withDatabase } from './database-session.ts';

const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

function slug(value: string): string {
  if (!slugPattern.test(value)) {
    throw new InvalidArgumentError('use 2–63 lower-case letters, digits and hyphens');
  }
  return value;
}

function roleList(value: string): Role[] {
  const list = value.split(',').map((role) => role.trim());
  const unknown = list.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown role: ${unknown.join(', ')}`);
  return list as Role[];
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > maxEmbedTokenLifetimeSeconds) {
    throw new InvalidArgumentError(`give 1 to ${maxEmbedTokenLifetimeSeconds} seconds`);
  }
  return parsed;
}

/** Operator commands: tenants, API keys and embed tokens for trying things out. */
export function registerAdminCommands(program: Command): void {
  const tenant = program.command('tenant').description('create and list tenants');
  tenant
    .command('create')
    .description('create a tenant and print its first embed key (shown once)')
    .argument('<slug>', 'short name used in URLs and commands', slug)
    .requiredOption('--name <name>', "the organisation's display name")
    .action((tenantSlug: string, options: { name: string }) =>
      withDatabase(async ({ knex }) => {
        const created = await createTenant(knex, { slug: tenantSlug, name: options.name }, 'cli');
        console.log(JSON.stringify(created, null, 2));
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .action(() =>
      withDatabase(async ({ knex }) => {
        for (const { id, slug: tenantSlug, name } of await listTenants(knex)) {
          console.log(`${id}  ${tenantSlug}  ${name}`);
        }
      }),
    );

  const apikey = program.command('apikey').description('API keys for server-to-server calls');
  apikey
    .command('create')
    .description("create an API key (acts as the tenant's admin); the key is shown once")
    .argument('<tenant>', 'tenant slug or id')
    .requiredOption('--label <label>', 'what the key is for')
    .action((tenantRef: string, options: { label: string }) =>
      withDatabase(async ({ knex }) => {
        const found = await requireTenant(knex, tenantRef);
        console.log(
          JSON.stringify(await createApiKey(knex, found.id, options.label, 'cli'), null, 2),
        );
      }),
    );
  apikey
    .command('revoke')
    .description('revoke an API key')
    .argument('<tenant>', 'tenant slug or id')
    .argument('<key-id>', 'the id part of the key')
    .action((tenantRef: string, keyId: string) =>
      withDatabase(async ({ knex }) => {
        const found = await requireTenant(knex, tenantRef);
        await revokeApiKey(knex, found.id, keyId, 'cli');
        console.log(`revoked ${keyId}`);
      }),
    );

  program
    .command('token')
    .description('embed tokens for trying things out')
    .command('mint')
    .description("sign an embed token with one of the tenant's HS256 embed keys")
    .argument('<tenant>', 'tenant slug or id')
    .requiredOption('--key <key-id>', 'the embed key id (ek_…)')
    .option('--sub <id>', "the person's id in your system", 'demo-user')
    .option('--roles <roles>', 'comma-separated roles', roleList, ['viewer'] as Role[])
    .option('--ttl <seconds>', 'lifetime in seconds', seconds, 300)
    .action(
      (tenantRef: string, options: { key: string; sub: string; roles: Role[]; ttl: number }) =>
        withDatabase(async ({ knex }, config) => {
          const found = await requireTenant(knex, tenantRef);
          const key = await findEmbedKey(knex, options.key);
          if (!key || key.tenantId !== found.id || key.algorithm !== 'HS256') {
            throw new LecternError('resource.not_found', {
              message: 'No live HS256 embed key with that id belongs to this tenant.',
            });
          }
          const token = jwt.sign({ sub: options.sub, roles: options.roles }, key.material, {
            algorithm: 'HS256',
            keyid: key.id,
            audience: expectedPublicUrl(config),
            expiresIn: options.ttl,
          });
          console.log(token);
        }),
    );
}

export async function requireTenant(knex: Parameters<typeof findTenant>[0], reference: string) {
  const found = await findTenant(knex, reference);
  if (!found)
    throw new LecternError('resource.not_found', { message: `No tenant "${reference}".` });
  return found;
}
