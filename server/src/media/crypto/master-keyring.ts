import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { MasterKeyError } from './errors.ts';
import { keyLength } from './key-wrap.ts';

/** A master key and its id; the id is recorded beside every tenant key it wraps. */
export interface MasterKey {
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * The master keys a process knows: `current` wraps new tenant keys; the others only unwrap
 * tenant keys that `rewrapAll` has not yet moved to the current one.
 */
export interface MasterKeyring {
  readonly current: MasterKey;
  readonly keys: readonly MasterKey[];
}

/**
 * A master key from its 32 bytes. Its id is derived from the key itself (a truncated HMAC under
 * the key), so an id can never be attached to the wrong key and reveals nothing about it.
 */
export function masterKeyFromBytes(bytes: Buffer): MasterKey {
  if (bytes.length !== keyLength) {
    throw new MasterKeyError(`A master key must be ${keyLength} bytes, not ${bytes.length}.`);
  }
  const fingerprint = createHmac('sha256', bytes).update('lectern master key id').digest();
  return { id: `mk_${fingerprint.subarray(0, 8).toString('hex')}`, key: createSecretKey(bytes) };
}

/** A new random master key, for the embedded demo and for rotation at termination. */
export function generateMasterKey(): MasterKey {
  return masterKeyFromBytes(randomBytes(keyLength));
}

/** A keyring whose first key is the current one; a key listed twice is kept once. */
export function createMasterKeyring(keys: readonly MasterKey[]): MasterKeyring {
  const [current] = keys;
  if (!current) throw new MasterKeyError('A master keyring needs at least one key.');
  const unique = keys.filter((key, index) => keys.findIndex((k) => k.id === key.id) === index);
  return { current, keys: unique };
}

/** The keyring's key with this id, if it still holds it. */
export function findMasterKey(keyring: MasterKeyring, id: string): MasterKey | undefined {
  return keyring.keys.find((key) => key.id === id);
}
