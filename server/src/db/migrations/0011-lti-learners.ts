import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The name a trainer sees in a quiz's results, as the LMS or the intranet sent it; nothing
  // else about the person (no e-mail) is kept.
  await knex.schema.alterTable('users', (table) => {
    table.text('display_name');
  });

  // The quiz a placement opens, so that a grade finds its line item.
  await knex.schema.alterTable('lti_resource_links', (table) => {
    table.uuid('quiz_id');
  });

  // Who launched a placement, with their id at the platform: where their grade goes.
  await knex.schema.createTable('lti_link_learners', (table) => {
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table
      .uuid('resource_link_id')
      .notNullable()
      .references('lti_resource_links.id')
      .onDelete('CASCADE');
    table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('platform_user').notNullable();
    table.timestamp('launched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['resource_link_id', 'user_id']);
    table.index(['tenant_id']);
    table.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lti_link_learners');
  await knex.schema.alterTable('lti_resource_links', (table) => table.dropColumn('quiz_id'));
  await knex.schema.alterTable('users', (table) => table.dropColumn('display_name'));
}
