import { associatedData, unwrapKey, wrapKey } from '../crypto/key-wrap.ts';
import type { TenantKey } from '../crypto/tenant-keys.ts';

/** What a rendition's content key is bound to; a wrapped key moved elsewhere no longer opens. */
export interface ContentKeyIds {
  videoId: string;
  renditionName: string;
}

/** HLS AES-128 keys are 16 bytes; they are padded to the 32 bytes that key wrapping takes. */
const contentKeyLength = 16;

function boundTo(tenantKey: TenantKey, ids: ContentKeyIds): Buffer {
  return associatedData(
    'lectern/hls-content-key/v1',
    tenantKey.tenantId,
    ids.videoId,
    ids.renditionName,
  );
}

/** Wraps a rendition's 16-byte AES-128 key under the tenant key, bound to tenant, video and rendition. */
export function wrapContentKey(tenantKey: TenantKey, ids: ContentKeyIds, key: Buffer): Buffer {
  if (key.length !== contentKeyLength) throw new Error('an HLS content key is 16 bytes');
  const padded = Buffer.alloc(32);
  key.copy(padded);
  try {
    return wrapKey(tenantKey.key, padded, boundTo(tenantKey, ids));
  } finally {
    padded.fill(0);
  }
}

/** The 16-byte key inside `wrapped`; throws when it was not wrapped for this tenant, video and rendition. */
export function unwrapContentKey(
  tenantKey: TenantKey,
  ids: ContentKeyIds,
  wrapped: Buffer,
): Buffer {
  const padded = unwrapKey(tenantKey.key, wrapped, boundTo(tenantKey, ids));
  if (!padded) throw new Error(`content key of rendition ${ids.renditionName} does not unwrap`);
  const key = Buffer.from(padded.subarray(0, contentKeyLength));
  padded.fill(0);
  return key;
}
