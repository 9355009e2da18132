import type { Knex } from 'knex';

/**
 * Tables that hold no tenant's rows of their own, or whose tenant rows backup and termination
 * must not treat like the others. Every other table either has a `tenant_id` column or a
 * foreign key to a table that belongs to a tenant; a table that is neither and is not listed
 * here stops a backup (`unclassifiedTables`), so a new table cannot be left out unnoticed.
 */
export const specialTables: Record<string, { kind: SpecialKind; why: string }> = {
  tenant_keys: {
    kind: 'keyring',
    why: 'never backed up: restore reads the live keyring; termination destroys the key',
  },
  lti_store: {
    kind: 'ltijs',
    why: "ltijs' records, sealed with the session secret; remade at the next launch",
  },
  knex_migrations: { kind: 'instance', why: 'the schema version, recorded in the manifest' },
  knex_migrations_lock: { kind: 'instance', why: 'the migration lock' },
  tenant_terminations: { kind: 'receipts', why: 'deletion receipts; they outlive the tenant' },
  security_checks: { kind: 'instance', why: 'results of the instance-wide security check' },
};

export type SpecialKind = 'keyring' | 'ltijs' | 'instance' | 'receipts';

/** A table whose rows belong to tenants: directly (`tenant_id`) or through a parent row. */
export interface TenantTable {
  name: string;
  /** How a row is tied to its tenant. */
  scope:
    { kind: 'column' } | { kind: 'parent'; column: string; parent: string; parentColumn: string };
  /** Columns that need converting between JSON lines and the database. */
  columns: Record<string, ColumnType>;
  /** Columns filled from a sequence; their sequences are moved past restored values. */
  serialColumns: string[];
}

export type ColumnType = 'json' | 'bytes' | 'other';

export interface TenantSchema {
  /** Parents before children: the order to insert in; delete in the reverse. */
  tables: TenantTable[];
}

interface ForeignKey {
  table: string;
  column: string;
  parent: string;
  parentColumn: string;
}

/** The tables of the public schema and how each belongs to a tenant, read from the catalog. */
export async function readTenantSchema(db: Knex): Promise<TenantSchema> {
  const columns = await columnsByTable(db);
  const keys = await foreignKeys(db);
  const unclassified = classify(columns, keys).unclassified;
  if (unclassified.length > 0) throw new UnclassifiedTableError(unclassified);
  const { tenantTables } = classify(columns, keys);
  return { tables: parentsFirst(tenantTables, keys) };
}

/** Tables that neither belong to a tenant nor appear in `specialTables`. */
export async function unclassifiedTables(db: Knex): Promise<string[]> {
  return classify(await columnsByTable(db), await foreignKeys(db)).unclassified;
}

export class UnclassifiedTableError extends Error {
  readonly tables: string[];

  constructor(tables: string[]) {
    super(
      `Table(s) ${tables.join(', ')} have no tenant_id column, no foreign key to a tenant's ` +
        'table, and no entry in lifecycle/tenant-tables.ts: say how backup and termination ' +
        'treat them before backing up.',
    );
    this.name = 'UnclassifiedTableError';
    this.tables = tables;
  }
}

type Columns = Map<string, Map<string, { type: ColumnType; serial: boolean }>>;

function classify(columns: Columns, keys: ForeignKey[]) {
  const tenantTables = new Map<string, TenantTable>();
  const describe = (name: string, scope: TenantTable['scope']): TenantTable => {
    const own = columns.get(name) ?? new Map();
    return {
      name,
      scope,
      columns: Object.fromEntries([...own].map(([column, info]) => [column, info.type])),
      serialColumns: [...own].filter(([, info]) => info.serial).map(([column]) => column),
    };
  };

  for (const [name, own] of columns) {
    if (name === 'tenants' || specialTables[name]) continue;
    if (own.has('tenant_id')) tenantTables.set(name, describe(name, { kind: 'column' }));
  }
  // Children without a tenant_id of their own, through as many parents as it takes.
  for (let grew = true; grew;) {
    grew = false;
    for (const name of columns.keys()) {
      if (name === 'tenants' || specialTables[name] || tenantTables.has(name)) continue;
      const key = keys.find((k) => k.table === name && tenantTables.has(k.parent));
      if (!key) continue;
      tenantTables.set(name, describe(name, { kind: 'parent', ...key }));
      grew = true;
    }
  }
  tenantTables.set('tenants', describe('tenants', { kind: 'column' }));

  const unclassified = [...columns.keys()]
    .filter((name) => !tenantTables.has(name) && !specialTables[name])
    .sort();
  return { tenantTables, unclassified };
}

/** Topological order along foreign keys; `tenants` comes first. */
function parentsFirst(tables: Map<string, TenantTable>, keys: ForeignKey[]): TenantTable[] {
  const ordered: TenantTable[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const key of keys) {
      if (key.table === name && key.parent !== name && tables.has(key.parent)) place(key.parent);
    }
    visiting.delete(name);
    placed.add(name);
    ordered.push(tables.get(name) as TenantTable);
  };
  place('tenants');
  for (const name of [...tables.keys()].sort()) place(name);
  return ordered;
}

async function columnsByTable(db: Knex): Promise<Columns> {
  const result = await db.raw(`
    select c.table_name, c.column_name, c.data_type, c.column_default
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
     order by c.table_name, c.ordinal_position`);
  const tables: Columns = new Map();
  for (const row of result.rows as {
    table_name: string;
    column_name: string;
    data_type: string;
    column_default: string | null;
  }[]) {
    const type: ColumnType =
      row.data_type === 'jsonb' || row.data_type === 'json'
        ? 'json'
        : row.data_type === 'bytea'
          ? 'bytes'
          : 'other';
    const serial = row.column_default?.startsWith('nextval(') ?? false;
    if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
    tables.get(row.table_name)?.set(row.column_name, { type, serial });
  }
  return tables;
}

async function foreignKeys(db: Knex): Promise<ForeignKey[]> {
  // Single-column keys only; Lectern's schema has no composite foreign key.
  const result = await db.raw(`
    select cl.relname as "table", a.attname as "column",
           pcl.relname as "parent", pa.attname as "parentColumn"
      from pg_constraint co
      join pg_class cl on cl.oid = co.conrelid
      join pg_namespace n on n.oid = cl.relnamespace
      join pg_class pcl on pcl.oid = co.confrelid
      join pg_attribute a on a.attrelid = co.conrelid and a.attnum = co.conkey[1]
      join pg_attribute pa on pa.attrelid = co.confrelid and pa.attnum = co.confkey[1]
     where co.contype = 'f' and n.nspname = current_schema()
     order by 1, 2`);
  return result.rows as ForeignKey[];
}

/**
 * The rows of one tenant in a table, as a query to select or delete from. A child table is
 * reached through its parent's rows, as deep as the chain of parents goes.
 */
export function tenantRows(
  db: Knex,
  schema: TenantSchema,
  table: TenantTable,
  tenantId: string,
): Knex.QueryBuilder {
  return db(table.name).whereIn(scopeColumn(table), scopeIds(db, schema, table, tenantId));
}

function scopeColumn(table: TenantTable): string {
  if (table.name === 'tenants') return 'id';
  return table.scope.kind === 'column' ? 'tenant_id' : table.scope.column;
}

function scopeIds(
  db: Knex,
  schema: TenantSchema,
  table: TenantTable,
  tenantId: string,
): string[] | Knex.QueryBuilder {
  if (table.scope.kind === 'column') return [tenantId];
  const parent = schema.tables.find((t) => t.name === (table.scope as { parent: string }).parent);
  if (!parent) throw new Error(`The parent of ${table.name} is not a tenant table.`);
  return tenantRows(db, schema, parent, tenantId).select(table.scope.parentColumn);
}

/**
 * How many rows a delete or update touched: knex answers a number on PostgreSQL, while
 * knex-pglite answers the driver's result, which carries the count as `rowCount`.
 */
export function touchedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  return Number((result as { rowCount?: number } | null)?.rowCount ?? 0);
}
