import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalStorage } from '../../../src/media/storage/local-storage.ts';
import { describeStorageContract, rejection } from './storage-contract.ts';

async function temporaryFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'lectern-media-'));
}

/** Every file and folder under the root, relative to it. */
async function entriesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.sort();
}

describeStorageContract('local', async () => {
  const folder = await temporaryFolder();
  return {
    storage: new LocalStorage(folder),
    leftovers: () => readdir(path.join(folder, '.incoming')),
    close: () => rm(folder, { recursive: true, force: true }),
  };
});

describe('local storage on the disk', () => {
  let folder: string;
  let storage: LocalStorage;

  before(async () => {
    folder = await temporaryFolder();
    storage = new LocalStorage(path.join(folder, 'media'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('keeps objects readable by the server user only: folders 0700, files 0600', async () => {
    await storage.put('tenants/t1/videos/v1/original.enc', Buffer.from('ciphertext'));

    const root = path.join(folder, 'media');
    for (const entry of ['', 'tenants', 'tenants/t1', 'tenants/t1/videos', '.incoming']) {
      assert.equal((await stat(path.join(root, entry))).mode & 0o777, 0o700, entry || 'root');
    }
    const file = await stat(path.join(root, 'tenants/t1/videos/v1/original.enc'));
    assert.equal(file.mode & 0o777, 0o600);
  });

  it('refuses a key that is also the folder of other keys', async () => {
    await storage.put('conflict/a', Buffer.from('file'));
    await storage.put('conflict/b/c', Buffer.from('file'));

    await rejection(storage.put('conflict/a/b', Buffer.from('x')), 'storage.key_conflict');
    await rejection(storage.put('conflict/b', Buffer.from('x')), 'storage.key_conflict');
    assert.equal(await storage.head('conflict/b'), undefined);
    await storage.delete('conflict/b');
    assert.deepEqual(await storage.head('conflict/b/c'), { size: 4 });
    assert.deepEqual(await readdir(path.join(folder, 'media', '.incoming')), []);
  });

  it('leaves no empty folder behind once a prefix is deleted', async () => {
    await storage.put('gone/x/y/z', Buffer.from('1'));
    await storage.put('gone/x/w', Buffer.from('2'));
    await storage.put('stays/v', Buffer.from('3'));

    assert.equal(await storage.deletePrefix('gone/'), 2);
    const root = path.join(folder, 'media');
    assert.ok(!(await entriesUnder(root)).some((entry) => entry.startsWith('gone')));
    assert.deepEqual(await storage.head('stays/v'), { size: 1 });
  });

  it('sweeps temp files older than a day when it opens, and keeps younger ones', async () => {
    const root = await temporaryFolder();
    new LocalStorage(root);
    const stale = path.join(root, '.incoming', 'stale');
    const young = path.join(root, '.incoming', 'young');
    await writeFile(stale, 'left by a crash');
    await writeFile(young, 'being written');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);

    new LocalStorage(root);

    assert.deepEqual(await readdir(path.join(root, '.incoming')), ['young']);
    await rm(root, { recursive: true, force: true });
  });

  it('never lists the temp folder or files that are not valid keys', async () => {
    const root = await temporaryFolder();
    const local = new LocalStorage(root);
    await local.put('visible/one', Buffer.from('1'));
    await writeFile(path.join(root, 'visible', 'Upper'), 'not a key');
    await writeFile(path.join(root, 'visible', '.hidden'), 'not a key');

    const listed = [];
    for await (const { key } of local.list('visible/')) listed.push(key);
    assert.deepEqual(listed, ['visible/one']);
    await rm(root, { recursive: true, force: true });
  });

  it('describes itself by its absolute folder', () => {
    assert.deepEqual(storage.describe(), { kind: 'local', folder: path.join(folder, 'media') });
  });
});
