import type { Knex } from 'knex';

const roles = ['viewer', 'author', 'critic', 'trainer', 'admin'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (table) => {
    table.uuid('id').primary();
    table.text('slug').notNullable().unique();
    table.text('name').notNullable();
    table.jsonb('settings').notNullable().defaultTo('{}');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('users', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.enu('source', ['lti', 'embed', 'local']).notNullable();
    table.text('external_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['tenant_id', 'source', 'external_id']);
  });

  await knex.schema.createTable('role_grants', (table) => {
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.enu('role', roles).notNullable();
    // Where the role came from: an admin's grant lasts; embed and LTI roles follow each sign-in.
    table.enu('origin', ['grant', 'embed', 'lti']).notNullable();
    table.timestamp('granted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['user_id', 'role', 'origin']);
    table.index(['tenant_id']);
  });

  await knex.schema.createTable('tenant_policies', (table) => {
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.text('permission').notNullable();
    table.specificType('roles', 'text[]').notNullable();
    table.primary(['tenant_id', 'permission']);
  });

  await knex.schema.createTable('embed_keys', (table) => {
    table.text('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.enu('algorithm', ['HS256', 'RS256', 'ES256']).notNullable();
    // TODO: the HS256 secret rests unencrypted until the keyring exists to wrap it with the tenant key.
    table.text('secret');
    table.text('public_key');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('revoked_at', { useTz: true });
    table.index(['tenant_id']);
  });

  await knex.schema.createTable('api_keys', (table) => {
    table.text('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.text('label').notNullable();
    table.text('secret_hash').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true });
    table.timestamp('revoked_at', { useTz: true });
    table.index(['tenant_id']);
  });

  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    // Ids only: who acted, on what; never a name or an address.
    table.text('actor').notNullable();
    table.text('action').notNullable();
    table.text('subject_type').notNullable();
    table.text('subject_id').notNullable();
    table.jsonb('details').notNullable().defaultTo('{}');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['tenant_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'api_keys',
    'embed_keys',
    'tenant_policies',
    'role_grants',
    'users',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
