import type { Knex } from 'knex';

export const securityCheckStates = ['running', 'passed', 'failed'] as const;

export async function up(knex: Knex): Promise<void> {
  // One run of the instance-wide security check (`lectern audit` or the weekly job). The
  // findings are a JSON list: check, outcome (passed, failed, skipped) and a reason.
  await knex.schema.createTable('security_checks', (table) => {
    table.uuid('id').primary();
    // `schedule` or `cli`: what started the run.
    table.text('trigger').notNullable();
    table.enu('state', securityCheckStates).notNullable().defaultTo('running');
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.jsonb('findings').notNullable().defaultTo('[]');
    // The throwaway tenants of the live probes, so that a run cut short can remove them later.
    table.jsonb('probe_tenant_ids').notNullable().defaultTo('[]');
    table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('finished_at', { useTz: true });
    table.index(['started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('security_checks');
}
