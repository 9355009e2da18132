import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  storageConfigFromEnvironment,
  storageConfigProblems,
  storageEnvironmentSchema,
  summariseStorageConfig,
} from '../../../src/media/storage/storage-config.ts';

function configure(environment: Record<string, string>) {
  const env = storageEnvironmentSchema.parse(environment);
  return {
    problems: storageConfigProblems(env),
    config: storageConfigFromEnvironment(env, '/data'),
  };
}

const s3 = {
  LECTERN_STORAGE: 's3',
  LECTERN_S3_REGION: 'eu-central-1',
  LECTERN_S3_BUCKET: 'lectern-media',
};

describe('storage configuration from the environment', () => {
  it('stores media in the data folder by default', () => {
    assert.deepEqual(configure({}), {
      problems: [],
      config: { kind: 'local', folder: path.resolve('/data/media') },
    });
    assert.deepEqual(configure({ LECTERN_STORAGE_DIR: '/srv/media' }).config, {
      kind: 'local',
      folder: '/srv/media',
    });
  });

  it('reads an S3 bucket with path-style addressing for a custom endpoint', () => {
    const { problems, config } = configure({
      ...s3,
      LECTERN_S3_ENDPOINT: 'https://s3.example.eu',
      LECTERN_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      LECTERN_S3_SECRET_ACCESS_KEY: 'very-secret',
      LECTERN_S3_SERVER_SIDE_ENCRYPTION: 'AES256',
    });

    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      kind: 's3',
      endpoint: 'https://s3.example.eu',
      region: 'eu-central-1',
      bucket: 'lectern-media',
      forcePathStyle: true,
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'very-secret',
      caFile: undefined,
      serverSideEncryption: 'AES256',
    });
    assert.ok(!JSON.stringify(summariseStorageConfig(config)).includes('very-secret'));
    assert.ok(!JSON.stringify(summariseStorageConfig(config)).includes('AKIAEXAMPLE'));
  });

  it('addresses AWS itself virtual-hosted unless told otherwise', () => {
    assert.partialDeepStrictEqual(configure(s3).config, { forcePathStyle: false });
    assert.partialDeepStrictEqual(configure({ ...s3, LECTERN_S3_FORCE_PATH_STYLE: 'yes' }).config, {
      forcePathStyle: true,
    });
  });

  it('reports every setting that does not fit, at once', () => {
    assert.deepEqual(configure({ LECTERN_STORAGE: 's3', LECTERN_STORAGE_DIR: '/x' }).problems, [
      'LECTERN_STORAGE_DIR is set, but LECTERN_STORAGE is s3',
      'LECTERN_S3_BUCKET is required when storage is s3',
      'LECTERN_S3_REGION is required when storage is s3 (us-east-1 where a service has none)',
    ]);
    assert.deepEqual(
      configure({
        ...s3,
        LECTERN_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        LECTERN_S3_ENDPOINT: 'http://minio.internal:9000',
        LECTERN_S3_CA_FILE: '/etc/ca.pem',
      }).problems,
      [
        'LECTERN_S3_ACCESS_KEY_ID and LECTERN_S3_SECRET_ACCESS_KEY must be set together',
        'LECTERN_S3_CA_FILE is set, but LECTERN_S3_ENDPOINT is plain http',
      ],
    );
  });

  it('refuses S3 settings while storage is local, so that media does not land on the disk', () => {
    assert.deepEqual(configure({ LECTERN_S3_BUCKET: 'lectern-media' }).problems, [
      'LECTERN_S3_BUCKET set, but LECTERN_STORAGE is local; set it to s3',
    ]);
  });

  it('refuses malformed values', () => {
    for (const environment of [
      { LECTERN_STORAGE: 'gcs' },
      { LECTERN_S3_ENDPOINT: 'ftp://example' },
      { LECTERN_S3_BUCKET: 'Bad_Bucket' },
      { LECTERN_S3_FORCE_PATH_STYLE: 'maybe' },
      { LECTERN_S3_SERVER_SIDE_ENCRYPTION: 'rot13' },
    ]) {
      assert.equal(storageEnvironmentSchema.safeParse(environment).success, false);
    }
  });
});
