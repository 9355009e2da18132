import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { MasterKeyError } from './errors.ts';
import { keyLength } from './key-wrap.ts';
import {
  createMasterKeyring,
  generateMasterKey,
  masterKeyFromBytes,
  type MasterKeyring,
} from './master-keyring.ts';

/** The variables that configure the master key; at most one of them may be set. */
export interface MasterKeyEnvironment {
  /** A file of 32 raw bytes, or of base64 keys one per line (newest first; `#` starts a comment). */
  LECTERN_MASTER_KEY_FILE?: string | undefined;
  /** One or more base64 keys separated by commas or whitespace, newest first. */
  LECTERN_MASTER_KEY?: string | undefined;
}

/**
 * The master keyring the environment configures, or undefined when it configures none (the
 * embedded demo then calls `ensureLocalMasterKey`). Messages never repeat key material.
 */
export function readMasterKeyring(environment: MasterKeyEnvironment): MasterKeyring | undefined {
  const file = environment.LECTERN_MASTER_KEY_FILE || undefined;
  const inline = environment.LECTERN_MASTER_KEY || undefined;
  if (file && inline) {
    throw new MasterKeyError('Set LECTERN_MASTER_KEY_FILE or LECTERN_MASTER_KEY, not both.');
  }
  if (file) return readMasterKeyFile(file, 'LECTERN_MASTER_KEY_FILE');
  if (inline) return parseBase64Keys(inline.split(/[\s,]+/), 'LECTERN_MASTER_KEY');
  return undefined;
}

/** Reads a master key file: exactly 32 bytes are one raw key; anything else is base64 lines. */
export function readMasterKeyFile(file: string, origin: string = file): MasterKeyring {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new MasterKeyError(`${origin}: cannot read ${file} (${code}).`);
  }
  // Base64 of 32 bytes is at least 43 characters, so a 32-byte file can only be a raw key.
  if (content.length === keyLength) return createMasterKeyring([masterKeyFromBytes(content)]);
  const lines = content
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'));
  return parseBase64Keys(lines, origin);
}

const base64Key = /^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43})$/;

function parseBase64Keys(values: string[], origin: string): MasterKeyring {
  const keys = values
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value, index) => {
      if (!base64Key.test(value)) {
        throw new MasterKeyError(
          `${origin}: key ${index + 1} is not ${keyLength} bytes in base64 (try \`openssl rand -base64 32\`).`,
        );
      }
      return masterKeyFromBytes(Buffer.from(value, 'base64'));
    });
  if (keys.length === 0) throw new MasterKeyError(`${origin}: holds no key.`);
  return createMasterKeyring(keys);
}

/** The lines of a master key file for this keyring: each key's id as a comment, then its key. */
export function formatMasterKeyFile(keyring: MasterKeyring): string {
  const lines = ['# Lectern master keys, current first. Keep each until no tenant key uses it.'];
  for (const { id, key } of keyring.keys) {
    lines.push(`# ${id}${id === keyring.current.id ? ' (current)' : ''}`);
    lines.push(key.export().toString('base64'));
  }
  return `${lines.join('\n')}\n`;
}

/** Replaces a master key file in one step (a crash leaves the old file or the new, never half). */
export function writeMasterKeyFile(file: string, keyring: MasterKeyring): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, formatMasterKeyFile(keyring), { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

export interface LocalMasterKey {
  keyring: MasterKeyring;
  /** The current master key. */
  key: MasterKeyring['current'];
  file: string;
  /** True when this call made the key; the caller should say where it lives. */
  created: boolean;
}

/**
 * The embedded demo's master key: `master-key` in the data folder, made on first start and
 * readable by the owner only. Anyone holding that folder holds the key: it suits a demo or a
 * single machine, not a deployment whose backups leave the machine.
 */
export function ensureLocalMasterKey(dataDir: string): LocalMasterKey {
  const file = path.join(path.resolve(dataDir), 'master-key');
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: a process starting beside us never reads half a file.
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, formatMasterKeyFile(createMasterKeyring([generateMasterKey()])), {
      mode: 0o600,
      flag: 'wx',
    });
    try {
      linkSync(temporary, file);
      created = true;
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  const keyring = readMasterKeyFile(file);
  return { keyring, key: keyring.current, file, created };
}
