import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  createMasterKeyring,
  ensureLocalMasterKey,
  generateMasterKey,
  MasterKeyError,
  readMasterKeyring,
  writeMasterKeyFile,
} from '../../../src/media/crypto/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'lectern-master-key-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const target = path.join(folder, name);
  writeFileSync(target, content, { mode: 0o600 });
  return target;
}

const bytes = randomBytes(32);
const base64 = bytes.toString('base64');

describe('the master key from the environment', () => {
  it('LECTERN_MASTER_KEY takes a base64 key, whose id is derived from the key and stable', () => {
    const first = readMasterKeyring({ LECTERN_MASTER_KEY: base64 });
    const again = readMasterKeyring({ LECTERN_MASTER_KEY: bytes.toString('base64url') });
    assert.match(first?.current.id ?? '', /^mk_[0-9a-f]{16}$/);
    assert.equal(again?.current.id, first?.current.id);
    assert.deepEqual(first?.current.key.export(), bytes);
  });

  it('several keys make a keyring whose first key is current and whose others still unwrap', () => {
    const older = randomBytes(32).toString('base64');
    const keyring = readMasterKeyring({ LECTERN_MASTER_KEY: `${base64}, ${older}` });
    assert.equal(keyring?.keys.length, 2);
    assert.equal(keyring?.current, keyring?.keys[0]);
  });

  it('LECTERN_MASTER_KEY_FILE holds 32 raw bytes, or base64 lines with comments', () => {
    const raw = readMasterKeyring({ LECTERN_MASTER_KEY_FILE: file('raw', bytes) });
    const text = readMasterKeyring({
      LECTERN_MASTER_KEY_FILE: file('text', `# made for the test\n${base64}\n\n`),
    });
    assert.equal(raw?.current.id, text?.current.id);
  });

  it('no variable set configures none (the demo then makes its own); empty counts as unset', () => {
    assert.equal(readMasterKeyring({}), undefined);
    assert.equal(
      readMasterKeyring({ LECTERN_MASTER_KEY: '', LECTERN_MASTER_KEY_FILE: '' }),
      undefined,
    );
  });

  it('refuses both variables at once, a key of the wrong length, and an unreadable file', () => {
    const short = randomBytes(16).toString('base64');
    const cases = [
      [{ LECTERN_MASTER_KEY: base64, LECTERN_MASTER_KEY_FILE: file('both', bytes) }, /not both/],
      [{ LECTERN_MASTER_KEY: short }, /LECTERN_MASTER_KEY: key 1 is not 32 bytes/],
      [{ LECTERN_MASTER_KEY: `${base64},${base64}x` }, /key 2 is not 32 bytes/],
      [{ LECTERN_MASTER_KEY_FILE: file('empty', '# nothing\n') }, /holds no key/],
      [{ LECTERN_MASTER_KEY_FILE: path.join(folder, 'missing') }, /cannot read .* \(ENOENT\)/],
    ] as const;
    for (const [environment, message] of cases) {
      assert.throws(
        () => readMasterKeyring(environment),
        (error: unknown) => {
          assert.ok(error instanceof MasterKeyError);
          assert.match(error.message, message);
          // The message may be logged: it never repeats what was configured.
          assert.ok(!error.message.includes(short) && !error.message.includes(base64));
          return true;
        },
      );
    }
  });
});

describe('the embedded demo keeps its master key in the data folder', () => {
  it('makes one on first start, readable by its owner only, and reads the same one after', () => {
    const dataDir = path.join(folder, 'data');
    const first = ensureLocalMasterKey(dataDir);
    assert.equal(first.created, true);
    assert.equal(first.file, path.join(dataDir, 'master-key'));
    assert.equal(statSync(first.file).mode & 0o777, 0o600);

    const second = ensureLocalMasterKey(dataDir);
    assert.equal(second.created, false);
    assert.equal(second.key.id, first.key.id);
    assert.equal(
      readMasterKeyring({ LECTERN_MASTER_KEY_FILE: first.file })?.current.id,
      first.key.id,
    );
  });

  it('a rotated keyring written back reads as the same keys, current first, ids as comments', () => {
    const dataDir = path.join(folder, 'rotated');
    const local = ensureLocalMasterKey(dataDir);
    const next = generateMasterKey();
    writeMasterKeyFile(local.file, createMasterKeyring([next, local.key]));

    const reread = ensureLocalMasterKey(dataDir);
    assert.deepEqual(
      reread.keyring.keys.map((key) => key.id),
      [next.id, local.key.id],
    );
    assert.match(readFileSync(local.file, 'utf8'), new RegExp(`# ${next.id} \\(current\\)`));
    assert.equal(statSync(local.file).mode & 0o777, 0o600);
  });
});
