import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A placement of Lectern in a course, with the grade and roster services the LMS offered at
  // its last launch: what grade passback and the roster need long after the launch.
  await knex.schema.createTable('lti_resource_links', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('platform_id').notNullable().references('lti_platforms.id').onDelete('CASCADE');
    table.text('deployment_id').notNullable();
    table.text('resource_link_id').notNullable();
    table.text('context_id');
    // The AGS endpoint claim (scope, lineitems, lineitem) and the NRPS memberships URL.
    table.jsonb('ags');
    table.text('memberships_url');
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['platform_id', 'deployment_id', 'resource_link_id']);
    table.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lti_resource_links');
}
