import type { Knex } from 'knex';

const jobSchema = 'pgboss';

/**
 * The queue's stored jobs (waiting, done or failed) whose data names the tenant, for
 * termination: a finished job keeps its data until pg-boss deletes it, and that data holds
 * the tenant's ids. Counts only, unless `remove` is set.
 */
export async function jobsOfTenant(
  db: Knex,
  tenantId: string,
  options: { remove: boolean },
): Promise<number> {
  let total = 0;
  for (const table of await jobTables(db)) {
    const query = db
      .withSchema(jobSchema)
      .table(table)
      .whereRaw('data::text like ?', [`%${tenantId}%`]);
    if (options.remove) {
      // knex-pglite answers the driver's result rather than a count.
      const result: unknown = await query.delete();
      total +=
        typeof result === 'number' ? result : Number((result as { rowCount?: number }).rowCount);
    } else total += Number(((await query.count({ count: '*' })) as { count: string }[])[0]?.count);
  }
  return total;
}

/** pg-boss's tables that hold job data; partitions are reached through their parent. */
async function jobTables(db: Knex): Promise<string[]> {
  const result = await db.raw(
    `select c.relname as name
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'data' and not a.attisdropped
      where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition`,
    [jobSchema],
  );
  return (result.rows as { name: string }[]).map((row) => row.name);
}
