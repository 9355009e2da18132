import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A quiz and its questions; the questions (answers included) are one document, replaced whole
  // by the editor, so that a quiz is never half-saved.
  await knex.schema.createTable('quizzes', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('video_id').references('videos.id').onDelete('CASCADE');
    table.uuid('owner_id').references('users.id').onDelete('SET NULL');
    table.text('title').notNullable();
    table.jsonb('settings').notNullable();
    table.jsonb('questions').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['tenant_id']);
  });
  // One quiz per video: the player asks one set of questions.
  await knex.raw(
    'create unique index quizzes_one_per_video on quizzes (video_id) where video_id is not null',
  );

  // Who takes a quiz. In an anonymous quiz the user is not recorded: a keyed hash of the user
  // finds their own row again (attempt limits), and the pseudonym is all results show.
  await knex.schema.createTable('quiz_participants', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('quiz_id').notNullable().references('quizzes.id').onDelete('CASCADE');
    table.uuid('user_id').references('users.id').onDelete('CASCADE');
    table.text('participant_key').notNullable();
    table.text('pseudonym').notNullable();
    table.unique(['quiz_id', 'participant_key']);
    table.unique(['quiz_id', 'pseudonym']);
    table.index(['tenant_id']);
  });

  await knex.schema.createTable('quiz_attempts', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('quiz_id').notNullable().references('quizzes.id').onDelete('CASCADE');
    table
      .uuid('participant_id')
      .notNullable()
      .references('quiz_participants.id')
      .onDelete('CASCADE');
    table.integer('number').notNullable();
    table.jsonb('answers').notNullable().defaultTo('{}');
    table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('submitted_at', { useTz: true });
    table.double('score');
    table.double('max_score');
    // Per question: earned points, for the results' statistics.
    table.jsonb('marks');
    table.unique(['participant_id', 'number']);
    table.index(['tenant_id']);
    table.index(['quiz_id']);
  });
  // At most one open attempt per participant: two tabs starting at once agree on one.
  await knex.raw(
    'create unique index quiz_attempts_one_open on quiz_attempts (participant_id) where submitted_at is null',
  );

  // A grade on its way to an LMS line item, and how its last try went.
  await knex.schema.createTable('quiz_grade_posts', (table) => {
    table.uuid('id').primary();
    table.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    table.uuid('quiz_id').notNullable().references('quizzes.id').onDelete('CASCADE');
    table
      .uuid('participant_id')
      .notNullable()
      .references('quiz_participants.id')
      .onDelete('CASCADE');
    table
      .uuid('resource_link_id')
      .notNullable()
      .references('lti_resource_links.id')
      .onDelete('CASCADE');
    table.double('score').notNullable();
    table.double('max_score').notNullable();
    table.enu('state', ['pending', 'posted', 'failed']).notNullable();
    table.integer('tries').notNullable().defaultTo(0);
    table.text('last_error');
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['participant_id', 'resource_link_id']);
    table.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('quiz_grade_posts');
  await knex.schema.dropTableIfExists('quiz_attempts');
  await knex.schema.dropTableIfExists('quiz_participants');
  await knex.schema.dropTableIfExists('quizzes');
}
