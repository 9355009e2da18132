import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertValidKey,
  assertValidPrefix,
  isValidKey,
  maxKeyLength,
} from '../../../src/media/storage/keys.ts';
import { isStorageError } from '../../../src/media/storage/storage-error.ts';
import { invalidKeys, invalidPrefixes } from './storage-contract.ts';

describe('object keys', () => {
  it('accept lowercase paths of ids and file names', () => {
    for (const key of [
      'tenants/0b6f2c1e-7a7d-4c1a-9f55-0e1c2d3b4a59/videos/v1/original',
      'tenants/t1/uploads/u1/part-0000000001',
      'a',
      'a/b_c.d-e/f.enc',
      `${'x'.repeat(255)}/${'y'.repeat(maxKeyLength - 256)}`,
    ]) {
      assert.ok(isValidKey(key), key);
    }
  });

  it('refuse anything that could leave its folder or mean two things', () => {
    for (const key of [
      ...invalidKeys,
      './a',
      'a/./b',
      'a/.hidden',
      '.incoming/x',
      'a\\b',
      'a b',
      'a/b\u0000',
      'ä',
      'a..b',
      'x'.repeat(maxKeyLength + 1),
      `a/${'x'.repeat(256)}`,
    ]) {
      assert.throws(() => assertValidKey(key), isStorageError, JSON.stringify(key));
    }
  });

  it('refuse what is not a string, with the same typed error', () => {
    for (const key of [undefined, null, 42, ['a']]) {
      assert.throws(
        () => assertValidKey(key),
        (error) => isStorageError(error, 'storage.invalid_key'),
      );
    }
  });

  it('say what a valid key looks like and echo only a short part of a long one', () => {
    assert.throws(
      () => assertValidKey('y'.repeat(5000)),
      (error: Error) =>
        /lowercase paths/.test(error.message) && error.message.includes('5000 characters'),
    );
  });
});

describe('prefixes', () => {
  it('are valid keys followed by a slash', () => {
    for (const prefix of ['tenants/', 'tenants/t1/', 'tenants/t1/videos/v1/']) {
      assert.doesNotThrow(() => assertValidPrefix(prefix), prefix);
    }
  });

  it('refuse a prefix without its slash, which would reach sibling folders', () => {
    for (const prefix of [...invalidPrefixes, 'tenants/t1', 'tenants/t1//']) {
      assert.throws(
        () => assertValidPrefix(prefix),
        (error) => isStorageError(error, 'storage.invalid_key'),
        prefix,
      );
    }
  });
});
