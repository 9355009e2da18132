import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { IntegrityError } from './errors.ts';
import { associatedData, keyLength, unwrapKey, wrapKey } from './key-wrap.ts';
import {
  decodeHeader,
  encodeHeader,
  encodeHeaderFields,
  noncePrefixLength,
  type ObjectHeader,
} from './object-layout.ts';
import type { TenantKey } from './tenant-keys.ts';

/** An object's header and the data key it carries, unwrapped. */
export interface OpenedHeader {
  header: ObjectHeader;
  dataKey: KeyObject;
}

/**
 * Binds a wrapped data key to its tenant, the tenant key that wraps it, its object, and the
 * header fields before it (version, chunk size, nonce prefix): its tag authenticates the header.
 */
function dataKeyData(tenantKey: TenantKey, objectId: string, headerFields: Buffer): Buffer {
  if (objectId === '') throw new TypeError('An object id is required to seal or open an object.');
  const identity = associatedData(
    'lectern data key v1',
    tenantKey.tenantId,
    tenantKey.id,
    objectId,
  );
  return Buffer.concat([identity, headerFields]);
}

/** A new object's header: a fresh random data key, wrapped by the tenant key, and nonce prefix. */
export function sealHeader(
  tenantKey: TenantKey,
  objectId: string,
  chunkSize: number,
): OpenedHeader {
  const fields = {
    chunkSize,
    tenantKeyId: tenantKey.id,
    noncePrefix: randomBytes(noncePrefixLength),
  };
  const headerFields = encodeHeaderFields(fields);
  const bytes = randomBytes(keyLength);
  const wrapped = wrapKey(tenantKey.key, bytes, dataKeyData(tenantKey, objectId, headerFields));
  const dataKey = createSecretKey(bytes);
  bytes.fill(0);
  return { header: encodeHeader(fields, wrapped), dataKey };
}

/**
 * Reads a header and unwraps its data key. Fails when the header names another tenant key
 * (`wrong_key`), or when it was changed or belongs to another object (`tampered`).
 */
export function openHeader(tenantKey: TenantKey, objectId: string, bytes: Buffer): OpenedHeader {
  const header = decodeHeader(bytes);
  if (header.tenantKeyId !== tenantKey.id) {
    throw new IntegrityError(
      'wrong_key',
      `The object was sealed under tenant key ${header.tenantKeyId}, not ${tenantKey.id}.`,
    );
  }
  const key = unwrapKey(
    tenantKey.key,
    header.wrappedDataKey,
    dataKeyData(tenantKey, objectId, header.fieldBytes),
  );
  if (!key) {
    throw new IntegrityError(
      'tampered',
      "The object's header was changed, or it belongs to another object.",
    );
  }
  const dataKey = createSecretKey(key);
  key.fill(0);
  return { header, dataKey };
}
