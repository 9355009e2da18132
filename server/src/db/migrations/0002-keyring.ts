import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_keys', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    // The tenant key under AES-256-GCM (nonce, ciphertext, tag); zeros once destroyed.
    table.binary('wrapped_key').notNullable();
    // Which master key wraps it; none once destroyed, since nothing is left to unwrap.
    table.text('master_key_id');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('destroyed_at', { useTz: true });
    table.index(['tenant_id']);
  });

  await knex.raw(`
    alter table tenant_keys add constraint tenant_keys_master_key_while_live
      check ((destroyed_at is null) = (master_key_id is not null))
  `);
  // At most one live key per tenant: concurrent first uploads agree on one key through it.
  await knex.raw(`
    create unique index tenant_keys_one_live_key on tenant_keys (tenant_id)
      where destroyed_at is null
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_keys');
}
