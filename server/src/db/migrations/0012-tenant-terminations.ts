import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One termination per tenant: its progress while it runs, and afterwards the deletion receipt.
  // It outlives the tenant, so it holds no reference to the tenants table and no name or
  // person: the tenant's id, who asked (a kind, not a user id), times and counts.
  await knex.schema.createTable('tenant_terminations', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().unique();
    table.enu('requested_by', ['tenant_admin', 'cli']).notNullable();
    // The last step finished; `completed` once the receipt is final.
    table.text('step').notNullable();
    // What was deleted, per kind (rows per table, objects, bytes, jobs, LTI records).
    table.jsonb('counts').notNullable().defaultTo('{}');
    // The master key made for this termination, and the ones it retired (ids only).
    table.text('new_master_key_id');
    table.jsonb('retired_master_key_ids').notNullable().defaultTo('[]');
    table.text('last_error');
    table.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('completed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_terminations');
}
