import type { Knex } from 'knex';

export const exportStates = ['queued', 'building', 'ready', 'failed', 'expired'] as const;

export async function up(knex: Knex): Promise<void> {
  // A customer export: one zip archive per row, stored sealed under the tenant key. The row
  // names the archive only once it is whole, so a half-written one is never offered.
  await knex.schema.createTable('tenant_exports', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    // `user:<id>`, `apikey:<id>` or `cli`: an id, never a name.
    table.text('requested_by').notNullable();
    table.enu('state', exportStates).notNullable().defaultTo('queued');
    table.integer('attempts').notNullable().defaultTo(0);
    // How long the archive may be downloaded once ready; fixed when it is requested.
    table.integer('lifetime_seconds').notNullable();
    table.text('archive_key');
    // Plaintext bytes of the zip (what a download serves) and entries in it.
    table.bigInteger('archive_size');
    table.integer('entries');
    // A strong validator for If-Range: new for every archive built.
    table.text('etag');
    table.text('error_code');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('started_at', { useTz: true });
    table.timestamp('ready_at', { useTz: true });
    table.timestamp('expires_at', { useTz: true });
    table.index(['tenant_id', 'created_at']);
    table.index(['state', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_exports');
}
