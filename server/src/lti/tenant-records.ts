import type { Knex } from 'knex';

/**
 * ltijs's records (lti_store) that belong to the tenant's platforms: the platform record, its
 * key pair, status and access tokens, and the id and context tokens of its launches. Counted,
 * or deleted with `remove`, for termination; the platform rows themselves are the tenant's and
 * go with its other rows.
 */
export async function ltijsRecordsOfTenant(
  db: Knex,
  tenantId: string,
  options: { remove: boolean },
): Promise<number> {
  const platforms = (await db('lti_platforms')
    .where({ tenant_id: tenantId })
    .select('issuer', 'client_id')) as { issuer: string; client_id: string }[];
  if (platforms.length === 0) return 0;

  const records = db('lti_store').where((where) => {
    for (const { issuer, client_id: clientId } of platforms) {
      where
        .orWhereRaw('document @> ?::jsonb', [JSON.stringify({ platformUrl: issuer, clientId })])
        .orWhereRaw('document @> ?::jsonb', [JSON.stringify({ iss: issuer, clientId })]);
    }
  });
  const kids = (await records.clone().whereRaw("document->>'kid' is not null")).map(
    (row: { document: { kid: string } }) => row.document.kid,
  );
  const users = (
    await records.clone().where({ collection: 'idtoken' }).whereRaw("document->>'user' is not null")
  ).map((row: { document: { user: string } }) => row.document.user);

  const all = db('lti_store').where((where) => {
    where.whereIn(['collection', 'record_key'], records.clone().select('collection', 'record_key'));
    if (kids.length > 0) {
      where.orWhere((status) =>
        status
          .where({ collection: 'platformStatus' })
          .whereRaw(`document->>'id' in (${kids.map(() => '?').join(', ')})`, kids),
      );
    }
    if (users.length > 0) {
      where.orWhere((context) =>
        context
          .where({ collection: 'contexttoken' })
          .whereRaw(`document->>'user' in (${users.map(() => '?').join(', ')})`, users),
      );
    }
  });
  if (options.remove) {
    // knex-pglite answers the driver's result rather than a count.
    const result: unknown = await all.delete();
    return typeof result === 'number' ? result : Number((result as { rowCount?: number }).rowCount);
  }
  return Number(((await all.count({ count: '*' })) as { count: string }[])[0]?.count);
}
