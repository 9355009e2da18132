import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('renditions', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('video_id').notNullable().references('videos.id').onDelete('CASCADE');
    // '360p', '720p' or '1080p'; a source below 360 lines keeps its own size under '360p'.
    table.text('name').notNullable();
    table.integer('width').notNullable();
    table.integer('height').notNullable();
    // Peak bits per second of a segment, for the master playlist's BANDWIDTH.
    table.integer('bandwidth').notNullable();
    table.text('codecs').notNullable();
    // The media playlist ffmpeg wrote; its segments sit beside it under relative names.
    table.text('playlist_key').notNullable();
    // The rendition's 16-byte AES-128 key, wrapped by the tenant key.
    table.binary('content_key').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['video_id', 'name']);
    table.index(['tenant_id']);
  });

  await knex.schema.alterTable('videos', (table) => {
    table.text('poster_key');
    // Transcode attempts begun; the last allowed one that fails moves the video to `failed`.
    table.integer('processing_attempts').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('videos', (table) => {
    table.dropColumn('processing_attempts');
    table.dropColumn('poster_key');
  });
  await knex.schema.dropTableIfExists('renditions');
}
