import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // An LMS registration bound to one tenant: who may launch into it, and how their roles map.
  await knex.schema.createTable('lti_platforms', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.text('issuer').notNullable();
    table.text('client_id').notNullable();
    table.text('auth_url').notNullable();
    table.text('token_url').notNullable();
    table.text('jwks_url').notNullable();
    // Deployment ids the platform issued to this tool; a launch naming another is refused.
    table.jsonb('deployment_ids').notNullable();
    // LTI role (full URI or its short name) → Lectern roles; null means the defaults.
    table.jsonb('role_mapping');
    table.text('product').notNullable().defaultTo('');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['issuer', 'client_id']);
    table.index(['tenant_id']);
  });

  // One-time registration URLs a tenant admin hands to an LMS administrator.
  await knex.schema.createTable('lti_registration_tokens', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.text('token_hash').notNullable().unique();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // OIDC logins between initiation and launch: the state (hashed) binds the nonce to a browser.
  await knex.schema.createTable('lti_logins', (table) => {
    table.text('state_hash').primary();
    table.uuid('platform_id').notNullable().references('lti_platforms.id').onDelete('CASCADE');
    table.text('nonce').notNullable();
    // The login request's own parameters, to start it again in a new window.
    table.jsonb('request').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lti_logins');
  await knex.schema.dropTableIfExists('lti_registration_tokens');
  await knex.schema.dropTableIfExists('lti_platforms');
}
