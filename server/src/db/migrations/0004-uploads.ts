import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('uploads', (table) => {
    // The tus upload id: random, unguessable, and only ever used by its owner.
    table.text('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('video_id').notNullable().references('videos.id').onDelete('CASCADE');
    table.uuid('owner_id').references('users.id').onDelete('SET NULL');
    table.bigInteger('length').notNullable();
    // Plaintext bytes sealed and stored in whole chunks; what HEAD and PATCH report.
    table.bigInteger('committed').notNullable().defaultTo(0);
    // The object header (with the wrapped data key) that every part continues.
    table.binary('header').notNullable();
    table.jsonb('metadata').notNullable().defaultTo('{}');
    // Chunks sealed and on their way to storage but not yet committed: their plaintext
    // hashes, so that a retry may only seal the same bytes under the same nonces again.
    table.bigInteger('pending_from');
    table.binary('pending_hashes');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('completed_at', { useTz: true });
    table.index(['tenant_id']);
    table.index(['expires_at']);
  });

  await knex.schema.createTable('upload_parts', (table) => {
    table.text('upload_id').notNullable().references('uploads.id').onDelete('CASCADE');
    table.bigInteger('first_chunk').notNullable();
    table.integer('chunk_count').notNullable();
    table.text('storage_key').notNullable();
    table.bigInteger('size').notNullable();
    table.primary(['upload_id', 'first_chunk']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('upload_parts');
  await knex.schema.dropTableIfExists('uploads');
}
