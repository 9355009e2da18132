// Export throughput: building a tenant's export archive (open each original, zip it, seal the
// zip, store it) beside only reading and decrypting the same originals, in the same run and
// process. It prints both in MiB/s and their ratio, never a pass mark.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { integer, progress } from './cli.mjs';

const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: process.env.BENCH_VIDEOS ?? '4' },
    'video-mib': { type: 'string', default: process.env.BENCH_VIDEO_MIB ?? '64' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
  },
});
const videos = integer('--videos', values.videos, 1, 100);
const videoMiB = integer('--video-mib', values['video-mib'], 1, 4096);
const rounds = integer('--rounds', values.rounds, 1, 20);

const { migrate, openDatabase } = await import('../server/src/db/database.ts');
const { createLogger } = await import('../server/src/http/logger.ts');
const { createTenant } = await import('../server/src/identity/tenants.ts');
const { createVideo } = await import('../server/src/media/library/videos.ts');
const { createMasterKeyring, generateMasterKey, openObject, sealStream } =
  await import('../server/src/media/crypto/index.ts');
const { mediaKeys, originalObjectId, tenantKeyFor } =
  await import('../server/src/media/media-services.ts');
const { LocalStorage } = await import('../server/src/media/storage/local-storage.ts');
const { requestExport } = await import('../server/src/lifecycle/export/export-records.ts');
const { runExportJob } = await import('../server/src/lifecycle/export/build-export.ts');

const folder = mkdtempSync(path.join(tmpdir(), 'lectern-bench-export-'));
const database = openDatabase({ kind: 'pglite', dataDir: 'memory' });
try {
  await migrate(database);
  const db = database.knex;
  const log = createLogger('silent');
  const media = {
    storage: new LocalStorage(folder),
    keyring: createMasterKeyring([generateMasterKey()]),
    chunkSize: 64 * 1024,
    uploadLifetimeMs: 3600_000,
  };
  const { tenant } = await createTenant(db, { slug: 'bench-export', name: 'Bench' }, 'cli');
  const tenantKey = await tenantKeyFor(db, media, tenant.id);

  progress(
    `sealing ${videos} originals of ${videoMiB} MiB of random bytes (incompressible, like video)…`,
  );
  const originals = [];
  for (let index = 0; index < videos; index += 1) {
    const video = await createVideo(
      db,
      { tenantId: tenant.id, ownerId: null, title: `v${index}` },
      'cli',
    );
    const key = mediaKeys.original(tenant.id, video.id);
    const size = videoMiB * 1024 * 1024;
    await media.storage.put(
      key,
      sealStream(randomChunks(size), { tenantKey, objectId: originalObjectId(video.id) }),
    );
    await db('videos').where({ id: video.id }).update({
      state: 'published',
      original_key: key,
      original_size: size,
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
    originals.push({ id: video.id, key, size });
  }
  const totalBytes = originals.reduce((sum, each) => sum + each.size, 0);

  const readOnly = [];
  const exported = [];
  for (let round = 0; round < rounds; round += 1) {
    progress(`round ${round + 1} of ${rounds}: read and decrypt, then export…`);
    let started = process.hrtime.bigint();
    for (const original of originals) {
      const key = await tenantKeyFor(db, media, tenant.id);
      const plaintext = await openObject({
        tenantKey: key,
        objectId: originalObjectId(original.id),
        ciphertext: await media.storage.get(original.key),
      });
      for await (const piece of plaintext) void piece;
    }
    readOnly.push(seconds(started));

    started = process.hrtime.bigint();
    const { export: requested } = await requestExport(
      db,
      undefined,
      { tenantId: tenant.id, lifetimeSeconds: 3600 },
      'cli',
    );
    const ready = await runExportJob(db, media, log, {
      tenantId: tenant.id,
      exportId: requested.id,
    });
    exported.push(seconds(started));
    if (!ready) throw new Error('the export did not finish');
    // Each round's archive goes, so that the disk holds one at a time.
    await media.storage.deletePrefix(`tenants/${tenant.id}/exports/`);
  }

  const mibs = (list) => totalBytes / 1024 / 1024 / median(list);
  const read = mibs(readOnly);
  const archive = mibs(exported);
  console.log(
    [
      '',
      'Export throughput: building the export archive vs reading and decrypting the same originals',
      `  data      ${videos} originals × ${videoMiB} MiB (${(totalBytes / 1024 / 1024).toFixed(0)} MiB), 64 KiB chunks, local storage, PGlite`,
      `  rounds    ${rounds}; the median round of each is shown`,
      '',
      `  read + decrypt originals          ${read.toFixed(1).padStart(8)} MiB/s`,
      `  export (decrypt, zip, seal, store) ${archive.toFixed(1).padStart(7)} MiB/s`,
      `  ratio export / read               ${(archive / read).toFixed(2).padStart(8)}×`,
      '',
      `Conclusion: an export moves ${((archive / read) * 100).toFixed(0)} % of the bytes per second that reading and decrypting alone moves;` +
        ' the rest is the zip (CRC-32) and sealing and writing the archive.',
    ].join('\n'),
  );
} finally {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
}

async function* randomChunks(size) {
  for (let left = size; left > 0; left -= 1024 * 1024)
    yield randomBytes(Math.min(left, 1024 * 1024));
}

function seconds(started) {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
