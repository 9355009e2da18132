import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** A record as ltijs hands it over and gets it back: a plain object of its fields. */
export type LtijsItem = Record<string, unknown>;

/** Top-level fields a record must equal, as in MongoDB: `{ platformUrl, clientId }`. */
export type LtijsQuery = Record<string, unknown>;

/** ltijs' secret when a record is to be sealed, false when it is kept as it is. */
export type LtijsSecret = string | false;

/**
 * The database ltijs keeps its state in, with the methods (and the capitalised names) of its
 * own MongoDB class, `ltijs/dist/Utils/Database.js`. Every method answers true or throws.
 */
export interface LtijsDatabasePlugin {
  /** Called by ltijs' `deploy()`: nothing to open, the knex pool is Lectern's. */
  setup(): Promise<true>;
  /** Called by ltijs' `close()`: leaves Lectern's knex pool open. */
  Close(): Promise<true>;
  /** The live matches (every live record without a query), or false when there is none. */
  Get(secret: LtijsSecret, collection: string, query?: LtijsQuery): Promise<LtijsItem[] | false>;
  /** Adds a record; throws while a live one of the same identity exists (a replayed nonce). */
  Insert(
    secret: LtijsSecret,
    collection: string,
    item: LtijsItem,
    index?: LtijsQuery,
  ): Promise<true>;
  /** Puts the item in place of the first live match, or adds it. */
  Replace(
    secret: LtijsSecret,
    collection: string,
    query: LtijsQuery,
    item: LtijsItem,
    index?: LtijsQuery,
  ): Promise<true>;
  /** Sets the given fields of the first live match; the others stay as they were. */
  Modify(
    secret: LtijsSecret,
    collection: string,
    query: LtijsQuery,
    modification: LtijsItem,
  ): Promise<true>;
  /** Removes every match. */
  Delete(collection: string, query: LtijsQuery): Promise<true>;
  /** AES-256-GCM under a key derived from the secret; `context` is bound as associated data. */
  Encrypt(data: string, secret: string, context?: string): Promise<{ iv: string; data: string }>;
  /** Opens what Encrypt sealed with the same secret and context, or throws. */
  Decrypt(data: string, iv: string, secret: string, context?: string): Promise<string>;
  /** Deletes the records whose lifetime is over (Get never shows them); answers how many. */
  purgeExpired(): Promise<number>;
}

interface Collection {
  /** The fields that identify a record: one record per value of them. */
  identity: readonly string[];
  /** Seconds a record lives, as ltijs' MongoDB TTL indexes have it; forever without one. */
  lifetime?: number;
}

const day = 24 * 3600;

// The identities follow ltijs' unique indexes, or else the query its Replace upserts by.
const collections = new Map<string, Collection>([
  ['platform', { identity: ['platformUrl', 'clientId'] }],
  ['platformStatus', { identity: ['id'] }],
  ['publickey', { identity: ['kid'] }],
  ['privatekey', { identity: ['kid'] }],
  ['accesstoken', { identity: ['platformUrl', 'clientId', 'scopes'], lifetime: 3600 }],
  ['idtoken', { identity: ['iss', 'clientId', 'deploymentId', 'user'], lifetime: day }],
  ['contexttoken', { identity: ['contextId', 'user'], lifetime: day }],
  // Unique, unlike ltijs' own nonce index: ltijs Gets a nonce and then Inserts it, so two
  // replays of one id_token arriving together both pass the Get; the second Insert now fails
  // on the primary key, and ltijs refuses that launch.
  ['nonce', { identity: ['nonce'], lifetime: 10 }],
  ['state', { identity: ['state'], lifetime: 600 }],
]);

const table = 'lti_store';
const keyInfo = 'lectern ltijs store v1';
const nonceLength = 12;
const tagLength = 16;

interface Row {
  record_key: string;
  document: LtijsItem;
  sealed: Uint8Array | null;
  created_at: Date;
}

/** ltijs' database on Lectern's own (PostgreSQL or PGlite), in the `lti_store` table. */
export function createLtijsDatabase(
  db: Knex,
  options: { now?: () => number } = {},
): LtijsDatabasePlugin {
  const clock = options.now ?? Date.now;
  const now = () => new Date(clock());

  /** Live records of the collection that match the query. */
  const matches = (knex: Knex, collection: string, query: LtijsQuery = {}) =>
    knex(table)
      .where({ collection })
      .where((live) => live.whereNull('expires_at').orWhere('expires_at', '>', now()))
      .modify(whereFields, query);

  // The collection is bound as associated data: a private key's sealed bytes copied into the
  // publickey collection would otherwise open there, and ltijs would publish them at /keys.
  const seal = async (item: LtijsItem, secret: string, collection: string) => {
    const { iv, data } = await encrypt(JSON.stringify(item), secret, collection);
    return Buffer.from(iv + data, 'hex');
  };
  const unseal = async (row: Row, secret: string, collection: string): Promise<LtijsItem> => {
    if (!row.sealed) throw new Error(`lti store: a ${collection} record is not sealed`);
    const hex = Buffer.from(row.sealed).toString('hex');
    const iv = hex.slice(0, 2 * nonceLength);
    return JSON.parse(await decrypt(hex.slice(iv.length), iv, secret, collection));
  };

  // createdAt as ltijs' own Get has it: a Date on plain records, milliseconds on opened ones
  // (platformAccessToken subtracts it from Date.now() to see whether a token is still good).
  const itemOf = async (
    row: Row,
    secret: LtijsSecret,
    collection: string,
    lifetime: number | undefined,
  ): Promise<LtijsItem> => {
    if (!secret) return lifetime ? { ...row.document, createdAt: row.created_at } : row.document;
    const item = await unseal(row, secret, collection);
    return lifetime ? { ...item, createdAt: row.created_at.getTime() } : item;
  };

  const recordOf = async (
    secret: LtijsSecret,
    collection: string,
    item: LtijsItem,
    index: LtijsQuery | undefined,
  ) => {
    const { identity, lifetime } = collectionOf(collection);
    // A sealed record shows only its index, as in ltijs' own store.
    const document = secret ? index : item;
    if (!document) throw new Error(`lti store: a sealed ${collection} record needs an index`);
    const createdAt = now();
    return {
      collection,
      record_key: identityOf(collection, identity, document),
      document: JSON.stringify(document),
      sealed: secret ? await seal(item, secret, collection) : null,
      created_at: createdAt,
      expires_at: lifetime ? new Date(createdAt.getTime() + lifetime * 1000) : null,
    };
  };

  return {
    setup: async () => true,
    Close: async () => true,

    async Get(secret, collection, query) {
      const { lifetime } = collectionOf(collection);
      const rows: Row[] = await matches(db, collection, query)
        .select('record_key', 'document', 'sealed', 'created_at')
        .orderBy(['created_at', 'record_key']);
      if (rows.length === 0) return false;

      return Promise.all(rows.map((row) => itemOf(row, secret, collection, lifetime)));
    },

    async Insert(secret, collection, item, index) {
      const record = await recordOf(secret, collection, item, index);
      // An expired record no longer holds its identity: Get has stopped showing it already.
      const taken = await db(table)
        .insert(record)
        .onConflict(['collection', 'record_key'])
        .merge()
        .where(`${table}.expires_at`, '<=', record.created_at)
        .returning('record_key');
      if (taken.length === 0) {
        throw new Error(`lti store: a live ${collection} record of this identity exists`);
      }
      return true;
    },

    async Replace(secret, collection, query, item, index) {
      const record = await recordOf(secret, collection, item, index);
      await db.transaction(async (trx) => {
        const match: Row | undefined = await matches(trx, collection, query)
          .first('record_key')
          .orderBy(['created_at', 'record_key'])
          .forUpdate();
        if (match && match.record_key !== record.record_key) {
          await trx(table).where({ collection, record_key: match.record_key }).delete();
        }
        await trx(table).insert(record).onConflict(['collection', 'record_key']).merge();
      });
      return true;
    },

    async Modify(secret, collection, query, modification) {
      const { identity } = collectionOf(collection);
      // An undefined field leaves the value as it is, as in Mongoose's updates.
      const changes = Object.fromEntries(
        Object.entries(modification).filter(([, value]) => value !== undefined),
      );

      await db.transaction(async (trx) => {
        const row: Row | undefined = await matches(trx, collection, query)
          .first('record_key', 'document', 'sealed', 'created_at')
          .orderBy(['created_at', 'record_key'])
          .forUpdate();
        if (!row) return;

        const update = trx(table).where({ collection, record_key: row.record_key });
        if (secret) {
          // ltijs' own Modify keeps only the first changed field of a sealed record; all stay here.
          const item = { ...(await unseal(row, secret, collection)), ...changes };
          await update.update({ sealed: await seal(item, secret, collection) });
        } else {
          const document = { ...row.document, ...changes };
          await update.update({
            document: JSON.stringify(document),
            record_key: identityOf(collection, identity, document),
          });
        }
      });
      return true;
    },

    async Delete(collection, query) {
      collectionOf(collection);
      await db(table).where({ collection }).modify(whereFields, query).delete();
      return true;
    },

    Encrypt: encrypt,
    Decrypt: decrypt,

    async purgeExpired() {
      // Counted from the returned rows: knex-pglite answers a delete with no row count.
      const purged = await db(table).where('expires_at', '<=', now()).delete('record_key');
      return purged.length;
    },
  };
}

function collectionOf(name: string): Collection {
  const collection = collections.get(name);
  if (!collection) throw new Error(`lti store: ltijs has no collection ${JSON.stringify(name)}`);
  return collection;
}

function identityOf(collection: string, identity: readonly string[], document: LtijsItem): string {
  const values = identity.map((field) => document[field]);
  if (values.some((value) => value === undefined || value === null)) {
    throw new Error(`lti store: a ${collection} record needs ${identity.join(', ')}`);
  }
  return JSON.stringify(values);
}

/**
 * Exact equality on top-level fields through containment, which the GIN index answers. A
 * null or undefined value matches a missing field, as in MongoDB: left out of the JSON, it
 * would match every record (ltijs deletes by `{ kid: undefined }` when a key pair failed).
 */
function whereFields(builder: Knex.QueryBuilder, query: LtijsQuery): void {
  const equal: LtijsItem = {};
  for (const [field, value] of Object.entries(query)) {
    if (value === undefined || value === null) {
      builder.whereRaw(`coalesce(document -> ?, 'null'::jsonb) = 'null'::jsonb`, [field]);
    } else if (typeof value === 'object') {
      // Containment of an object or array is a subset test, not equality; ltijs never asks it.
      throw new Error(`lti store: the query on ${field} is not a plain value`);
    } else {
      equal[field] = value;
    }
  }
  builder.whereRaw('document @> ?::jsonb', [JSON.stringify(equal)]);
}

function storeKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), keyInfo, 32));
}

async function encrypt(data: string, secret: string, context = '') {
  // Random nonces are safe here: one secret seals a few records per platform.
  const iv = randomBytes(nonceLength);
  const cipher = createCipheriv('aes-256-gcm', storeKey(secret), iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(data, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('hex'), data: sealed.toString('hex') };
}

async function decrypt(data: string, iv: string, secret: string, context = '') {
  const sealed = Buffer.from(data, 'hex');
  try {
    const decipher = createDecipheriv('aes-256-gcm', storeKey(secret), Buffer.from(iv, 'hex'), {
      authTagLength: tagLength,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
    const text = decipher.update(sealed.subarray(0, sealed.length - tagLength));
    return Buffer.concat([text, decipher.final()]).toString('utf8');
  } catch {
    throw new Error('lti store: a sealed record did not open (another secret, or it was altered)');
  }
}
