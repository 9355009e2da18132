import path from 'node:path';
import { z } from 'zod';
import type { S3StorageConfig } from './s3-storage.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

/**
 * The storage variables of the environment, to spread into the server's environment
 * schema. Problems that need two variables to see are found by `storageConfigProblems`.
 */
export const storageEnvironmentShape = {
  LECTERN_STORAGE: z.enum(['local', 's3']).default('local'),
  LECTERN_STORAGE_DIR: z.string().min(1).optional(),
  LECTERN_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  LECTERN_S3_REGION: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a region name such as eu-central-1')
    .optional(),
  LECTERN_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 characters)')
    .optional(),
  LECTERN_S3_FORCE_PATH_STYLE: flag.optional(),
  LECTERN_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  LECTERN_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  LECTERN_S3_CA_FILE: z.string().min(1).optional(),
  LECTERN_S3_SERVER_SIDE_ENCRYPTION: z.enum(['AES256', 'aws:kms']).optional(),
};

export const storageEnvironmentSchema = z.object(storageEnvironmentShape);

export type StorageEnvironment = z.infer<typeof storageEnvironmentSchema>;

export type StorageConfig = { kind: 'local'; folder: string } | ({ kind: 's3' } & S3StorageConfig);

const s3Variables = [
  'LECTERN_S3_ENDPOINT',
  'LECTERN_S3_REGION',
  'LECTERN_S3_BUCKET',
  'LECTERN_S3_FORCE_PATH_STYLE',
  'LECTERN_S3_ACCESS_KEY_ID',
  'LECTERN_S3_SECRET_ACCESS_KEY',
  'LECTERN_S3_CA_FILE',
  'LECTERN_S3_SERVER_SIDE_ENCRYPTION',
] as const;

/** What does not fit together; empty when the storage settings are usable. */
export function storageConfigProblems(env: StorageEnvironment): string[] {
  const problems: string[] = [];

  if (env.LECTERN_STORAGE === 'local') {
    // Someone who set a bucket but forgot LECTERN_STORAGE=s3 would otherwise fill the disk.
    const stray = s3Variables.filter((name) => env[name] !== undefined);
    if (stray.length > 0) {
      problems.push(`${stray.join(', ')} set, but LECTERN_STORAGE is local; set it to s3`);
    }
    return problems;
  }

  if (env.LECTERN_STORAGE_DIR !== undefined) {
    problems.push('LECTERN_STORAGE_DIR is set, but LECTERN_STORAGE is s3');
  }
  if (!env.LECTERN_S3_BUCKET) problems.push('LECTERN_S3_BUCKET is required when storage is s3');
  if (!env.LECTERN_S3_REGION) {
    problems.push(
      'LECTERN_S3_REGION is required when storage is s3 (us-east-1 where a service has none)',
    );
  }
  if (Boolean(env.LECTERN_S3_ACCESS_KEY_ID) !== Boolean(env.LECTERN_S3_SECRET_ACCESS_KEY)) {
    problems.push('LECTERN_S3_ACCESS_KEY_ID and LECTERN_S3_SECRET_ACCESS_KEY must be set together');
  }
  if (env.LECTERN_S3_ENDPOINT && new URL(env.LECTERN_S3_ENDPOINT).username) {
    problems.push('LECTERN_S3_ENDPOINT must not carry credentials; use the key variables');
  }
  if (env.LECTERN_S3_CA_FILE && env.LECTERN_S3_ENDPOINT?.startsWith('http:')) {
    problems.push('LECTERN_S3_CA_FILE is set, but LECTERN_S3_ENDPOINT is plain http');
  }
  return problems;
}

/** The storage configuration; call it once `storageConfigProblems` has found nothing. */
export function storageConfigFromEnvironment(
  env: StorageEnvironment,
  dataDir: string,
): StorageConfig {
  if (env.LECTERN_STORAGE === 'local') {
    return {
      kind: 'local',
      folder: path.resolve(env.LECTERN_STORAGE_DIR ?? path.join(dataDir, 'media')),
    };
  }

  return {
    kind: 's3',
    endpoint: env.LECTERN_S3_ENDPOINT,
    region: env.LECTERN_S3_REGION ?? '',
    bucket: env.LECTERN_S3_BUCKET ?? '',
    // Services other than AWS mostly want path-style addressing.
    forcePathStyle: env.LECTERN_S3_FORCE_PATH_STYLE ?? env.LECTERN_S3_ENDPOINT !== undefined,
    accessKeyId: env.LECTERN_S3_ACCESS_KEY_ID,
    secretAccessKey: env.LECTERN_S3_SECRET_ACCESS_KEY,
    caFile: env.LECTERN_S3_CA_FILE,
    serverSideEncryption: env.LECTERN_S3_SERVER_SIDE_ENCRYPTION,
  };
}

/** The storage configuration as it may be logged: no key, no secret. */
export function summariseStorageConfig(config: StorageConfig): Record<string, unknown> {
  if (config.kind === 'local') return { kind: 'local', folder: config.folder };

  return {
    kind: 's3',
    endpoint: config.endpoint ?? '(AWS)',
    region: config.region,
    bucket: config.bucket,
    forcePathStyle: config.forcePathStyle,
    credentials: config.accessKeyId ? 'LECTERN_S3_ACCESS_KEY_ID' : "the AWS SDK's default chain",
    caFile: config.caFile ?? '(system CAs)',
    serverSideEncryption: config.serverSideEncryption ?? 'none',
  };
}
