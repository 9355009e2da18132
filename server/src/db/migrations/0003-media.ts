import type { Knex } from 'knex';

export const videoStates = [
  'uploading',
  'processing',
  'in_review',
  'published',
  'rejected',
  'failed',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('videos', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    // The author's account; kept when it goes, so that the video stays with the tenant.
    table.uuid('owner_id').references('users.id').onDelete('SET NULL');
    table.text('title').notNullable();
    table.text('description').notNullable().defaultTo('');
    table.enu('state', [...videoStates]).notNullable();
    table.text('original_key');
    table.bigInteger('original_size');
    table.text('container');
    table.double('duration_seconds');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('published_at', { useTz: true });
    table.index(['tenant_id', 'state']);
    table.index(['tenant_id', 'owner_id']);
  });

  await knex.schema.createTable('reviews', (table) => {
    table.bigIncrements('id');
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('video_id').notNullable().references('videos.id').onDelete('CASCADE');
    table.uuid('reviewer_id').references('users.id').onDelete('SET NULL');
    table.enu('decision', ['approved', 'rejected']).notNullable();
    table.text('comment').notNullable().defaultTo('');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['video_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('reviews');
  await knex.schema.dropTableIfExists('videos');
}
