import { statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import {
  GetBucketAclCommand,
  GetBucketPolicyStatusCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Config } from '../config/config.ts';
import type { ObjectStorage } from '../media/storage/object-storage.ts';
import type { StorageConfig } from '../media/storage/storage-config.ts';
import { failed, passed, skipped, type Finding } from './security-check-findings.ts';

/** Whether browsers reach the server over TLS: directly, or through a proxy trusted for it. */
export function checkTls(config: Config): Finding {
  const check = 'config.tls';
  const publicUrl = config.publicUrl;
  if (publicUrl?.startsWith('http:') && !isLoopbackUrl(publicUrl)) {
    return failed(
      check,
      `LECTERN_PUBLIC_URL is plain http (${publicUrl}); browsers send tokens in clear`,
    );
  }
  if (config.tls) return passed(check, 'the server speaks HTTPS itself (TLS 1.2 or newer)');
  if (config.trustProxy) {
    return passed(check, 'TLS ends at a proxy trusted with LECTERN_TRUST_PROXY');
  }
  return failed(
    check,
    'neither LECTERN_TLS_CERT_FILE nor LECTERN_TRUST_PROXY is set: the server answers plain HTTP',
  );
}

/** The master key must come from the operator, not the embedded default beside the data. */
export function checkMasterKey(config: Config): Finding {
  const check = 'config.master_key';
  const keyring = config.masterKeyring;
  if (!keyring) {
    return failed(
      check,
      'the master key is the embedded default in the data folder (as for the demo); ' +
        'set LECTERN_MASTER_KEY_FILE so that it lives apart from the database and its backups',
    );
  }
  for (const master of keyring.keys) {
    const bytes = master.key.export();
    const distinct = new Set(bytes).size;
    bytes.fill(0);
    // A random 32-byte key has about 28 distinct byte values; a placeholder has few.
    if (distinct < 12) {
      return failed(check, `master key ${master.id} looks like a placeholder, not a random key`);
    }
  }
  return passed(check, `${keyring.keys.length} master key(s) from the environment`);
}

/** PostgreSQL on another machine must be reached over TLS. */
export function checkDatabaseTls(config: Config): Finding {
  const check = 'config.database_tls';
  const database = config.database;
  if (database.kind === 'pglite') return passed(check, 'embedded database (PGlite): no network');
  let host: string;
  try {
    host = new URL(database.url).hostname;
  } catch {
    host = '';
  }
  if (database.ssl !== 'disable') return passed(check, `PostgreSQL over TLS (${database.ssl})`);
  if (isLoopbackHost(host) || host === '' || host.startsWith('/')) {
    return passed(check, 'PostgreSQL on this machine, without TLS');
  }
  return failed(check, `PostgreSQL at ${host} without TLS; set DATABASE_SSL=verify-full`);
}

const lecternMagic = Buffer.from('LECTERN', 'ascii');

/**
 * Samples stored objects and checks each is in Lectern's sealed format. HLS segments are AES-128
 * ciphertext written by ffmpeg and playlists hold nothing secret, so both are left out.
 */
export async function checkStorageEncryption(
  storage: ObjectStorage,
  sample = 50,
): Promise<Finding> {
  const check = 'storage.encryption';
  let seen = 0;
  const plain: string[] = [];
  for await (const object of storage.list('tenants/')) {
    if (object.key.includes('/hls/') || object.size < lecternMagic.length) continue;
    const head = await storage.get(object.key, { start: 0, end: lecternMagic.length - 1 });
    const chunks: Buffer[] = [];
    for await (const chunk of head) chunks.push(chunk as Buffer);
    if (!Buffer.concat(chunks).equals(lecternMagic))
      plain.push(object.key.replace(/^tenants\/[^/]+\//, ''));
    seen += 1;
    if (seen >= sample) break;
  }
  if (plain.length > 0) {
    return failed(check, `${plain.length} of ${seen} sampled objects are not sealed`, {
      objects: plain.slice(0, 10),
    });
  }
  return passed(check, `every object is sealed by Lectern (${seen} sampled)`);
}

/** Media storage must not be readable by anyone but Lectern. */
export async function checkStorageExposure(config: StorageConfig): Promise<Finding> {
  const check = 'storage.not_public';
  if (config.kind === 'local') {
    try {
      const mode = statSync(config.folder).mode & 0o777;
      if (mode & 0o007) {
        return failed(
          check,
          `the storage folder is open to every local user (mode ${mode.toString(8)})`,
        );
      }
      return passed(
        check,
        `the storage folder is closed to other users (mode ${mode.toString(8)})`,
      );
    } catch {
      return skipped(check, 'skipped: the storage folder does not exist yet');
    }
  }

  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    requestHandler: config.caFile
      ? { httpsAgent: new Agent({ ca: readFileSync(config.caFile, 'utf8') }) }
      : undefined,
  });
  const reasons: string[] = [];
  try {
    try {
      const status = await client.send(new GetBucketPolicyStatusCommand({ Bucket: config.bucket }));
      if (status.PolicyStatus?.IsPublic) {
        return failed(check, `bucket ${config.bucket} has a policy that makes it public`);
      }
      return passed(check, `bucket ${config.bucket}: its policy status is not public`);
    } catch (error) {
      // No policy at all is the safe answer; anything else leaves the ACL to ask.
      if (serviceCode(error) === 'NoSuchBucketPolicy') reasons.push('no bucket policy');
      else reasons.push(`policy status not answered (${serviceCode(error) ?? 'error'})`);
    }
    try {
      const acl = await client.send(new GetBucketAclCommand({ Bucket: config.bucket }));
      const open = (acl.Grants ?? []).filter((grant) =>
        /AllUsers|AuthenticatedUsers/.test(grant.Grantee?.URI ?? ''),
      );
      if (open.length > 0) {
        return failed(
          check,
          `bucket ${config.bucket} grants ${open.map((g) => g.Permission).join(', ')} to everyone`,
        );
      }
      return passed(
        check,
        `bucket ${config.bucket}: ${[...reasons, 'its ACL grants nobody outside the owner'].join('; ')}`,
      );
    } catch (error) {
      reasons.push(`ACL not answered (${serviceCode(error) ?? 'error'})`);
    }
    return skipped(
      check,
      `skipped: this S3 service answers neither question (${reasons.join('; ')})`,
    );
  } finally {
    client.destroy();
  }
}

function serviceCode(error: unknown): string | undefined {
  if (error instanceof S3ServiceException) return error.name;
  return (error as { name?: string } | null)?.name;
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
