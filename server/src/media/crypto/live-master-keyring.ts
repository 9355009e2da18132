import { statSync } from 'node:fs';
import { readMasterKeyFile } from './master-key-sources.ts';
import type { MasterKeyring } from './master-keyring.ts';

/**
 * Where a process's master keys come from. A file can be rewritten by a rotation (termination
 * does) and is followed by every process; keys from the environment change only when the
 * operator changes the variable and restarts.
 */
export type MasterKeySource = { kind: 'file'; file: string } | { kind: 'environment' };

/**
 * A keyring file read again whenever it is replaced (a new inode, size or time), checked at
 * each use: a rotation written by one process reaches the others at their next key lookup,
 * without a restart. If the file cannot be read, the last good keyring is kept.
 */
export function followMasterKeyFile(file: string, initial: MasterKeyring): () => MasterKeyring {
  let keyring = initial;
  let seen = fingerprint(file);
  return () => {
    const now = fingerprint(file);
    if (now !== undefined && now !== seen) {
      try {
        keyring = readMasterKeyFile(file);
        seen = now;
      } catch {
        // Half-replaced or briefly missing: writers rename into place, so the next look succeeds.
      }
    }
    return keyring;
  };
}

function fingerprint(file: string): string | undefined {
  try {
    const stats = statSync(file);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return undefined;
  }
}
