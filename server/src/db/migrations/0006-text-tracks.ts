import type { Knex } from 'knex';

export const trackKinds = ['captions', 'subtitles', 'chapters'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('text_tracks', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('video_id').notNullable().references('videos.id').onDelete('CASCADE');
    table.enu('kind', trackKinds).notNullable();
    // A BCP 47 tag in its canonical case: 'de', 'en', 'de-CH'.
    table.text('language').notNullable();
    table.text('label').notNullable();
    // The sealed WebVTT file; the text exists in plaintext only in memory.
    table.text('object_key').notNullable();
    table.integer('cues').notNullable();
    table.integer('bytes').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['video_id', 'kind', 'language']);
    table.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('text_tracks');
}
