import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // ltijs' own state (platforms, the tool's key pairs, access tokens, launches, nonces) as
  // documents in one table: ltijs queries its nine collections by ever other fields, and one
  // generic mapping in ltijs-database.ts stays right when ltijs changes what it keeps, where
  // nine tables would copy its internals column by column.
  await knex.schema.createTable('lti_store', (table) => {
    table.text('collection').notNullable();
    // The values of the collection's identifying fields as a JSON array (see ltijs-database.ts):
    // one record per identity, which is what makes a replayed nonce fail to insert.
    table.text('record_key').notNullable();
    // The record's fields; for a sealed record only the plain fields ltijs looks it up by.
    table.jsonb('document').notNullable();
    // AES-256-GCM (nonce, ciphertext, tag) of the whole record, when ltijs asks for sealing.
    table.binary('sealed');
    table.timestamp('created_at', { useTz: true }).notNullable();
    // Where ltijs relies on a MongoDB TTL index; null for records that live until deleted.
    table.timestamp('expires_at', { useTz: true });
    table.primary(['collection', 'record_key']);
  });

  // Lookups are equality on some top-level fields, asked as containment (`document @> ?`).
  await knex.raw(
    'create index lti_store_document on lti_store using gin (document jsonb_path_ops)',
  );
  await knex.raw(
    'create index lti_store_expires_at on lti_store (expires_at) where expires_at is not null',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lti_store');
}
