import type { Knex } from 'knex';
import {
  countTenantKeysByMasterKey,
  createMasterKeyring,
  generateMasterKey,
  readMasterKeyFile,
  rewrapAll,
  writeMasterKeyFile,
  type MasterKeyring,
} from '../../media/crypto/index.ts';
import type { MediaServices } from '../../media/media-services.ts';

/** How a rotation ended: done, or waiting for the operator to bring a new key. */
export type RotationOutcome =
  | { state: 'rotated'; currentKeyId: string; retiredKeyIds: string[]; keptKeyIds: string[] }
  | { state: 'awaiting_master_key'; message: string };

export interface RotationProgress {
  /** The key this rotation made (file keyrings), once it is in the file. */
  newMasterKeyId: string | null;
  /** The master keys in use when the termination began: every one of them is to be retired. */
  retiring: string[];
}

// One rotation at a time across processes: each rewrites the one key file.
const rotationLock = 'select pg_advisory_xact_lock(7461726, 1)';

/**
 * Moves every live tenant key to a master key made after the termination began, then retires
 * the master keys that wrapped the terminated tenant's key, so that copies of its key in old
 * row versions, WAL and database dumps open nothing.
 *
 * A file keyring is rotated here: the new key is written into the file (in front of the old
 * ones) before any tenant key is wrapped by it, every process follows the file, and the old
 * keys leave the file only once no live tenant key needs them. A keyring from the environment
 * cannot be written: the operator adds a key in front and restarts, and a rerun goes on.
 */
export async function rotateMasterKey(
  db: Knex,
  media: MediaServices,
  progress: RotationProgress,
  recordNewKey: (trx: Knex.Transaction, masterKeyId: string) => Promise<void>,
): Promise<RotationOutcome> {
  const source = media.masterKeySource ?? { kind: 'environment' };
  if (source.kind === 'environment') return rotateFromEnvironment(db, media.keyring, progress);
  const { file } = source;

  await db.transaction(async (trx) => {
    await trx.raw(rotationLock);
    let keyring = readMasterKeyFile(file);
    // A rotation made by another termination since this one began serves as well.
    if (progress.newMasterKeyId === null && progress.retiring.includes(keyring.current.id)) {
      const fresh = generateMasterKey();
      keyring = createMasterKeyring([fresh, ...keyring.keys]);
      // Written before anything is wrapped by it: a crash now leaves an unused key, never a lost one.
      writeMasterKeyFile(file, keyring);
      await recordNewKey(trx, fresh.id);
    }
    const result = await rewrapAll(trx, keyring, keyring.current);
    if (result.failed.length > 0) {
      throw new Error(
        `${result.failed.length} tenant key(s) could not be re-wrapped (${result.failed[0]?.reason}); ` +
          'the old master keys stay until they can.',
      );
    }
  });

  // Retired only after the re-wrapping committed, and only keys no live tenant key needs.
  return db.transaction(async (trx) => {
    await trx.raw(rotationLock);
    const keyring = readMasterKeyFile(file);
    const inUse = await countTenantKeysByMasterKey(trx);
    const kept = keyring.keys.filter(
      (key) => key.id === keyring.current.id || (inUse.get(key.id) ?? 0) > 0,
    );
    const retired = keyring.keys.filter((key) => !kept.includes(key)).map((key) => key.id);
    if (retired.length > 0) writeMasterKeyFile(file, createMasterKeyring(kept));
    return {
      state: 'rotated',
      currentKeyId: keyring.current.id,
      retiredKeyIds: retired,
      keptKeyIds: kept.filter((key) => key.id !== keyring.current.id).map((key) => key.id),
    };
  });
}

async function rotateFromEnvironment(
  db: Knex,
  keyring: MasterKeyring,
  progress: RotationProgress,
): Promise<RotationOutcome> {
  if (progress.retiring.includes(keyring.current.id)) {
    return {
      state: 'awaiting_master_key',
      message:
        'LECTERN_MASTER_KEY comes from the environment, which Lectern cannot rewrite. Put a new ' +
        'key (openssl rand -base64 32) in front of the others on every process, restart them, ' +
        'and run the termination again to re-wrap every tenant key under it.',
    };
  }
  const result = await rewrapAll(db, keyring, keyring.current);
  const inUse = await countTenantKeysByMasterKey(db);
  const stillUsed = progress.retiring.filter((id) => (inUse.get(id) ?? 0) > 0);
  if (result.failed.length > 0 || stillUsed.length > 0) {
    return {
      state: 'awaiting_master_key',
      message:
        `Master key(s) ${stillUsed.join(', ') || '(none)'} still wrap tenant keys, or ` +
        `${result.failed.length} could not be re-wrapped: give every process the old keys ` +
        'after the new one and run the termination again.',
    };
  }
  return {
    state: 'rotated',
    currentKeyId: keyring.current.id,
    retiredKeyIds: progress.retiring,
    keptKeyIds: [],
  };
}
