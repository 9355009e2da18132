import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { chunkNonce, tagLength, type ObjectHeader } from './object-layout.ts';

/**
 * Seals one chunk: AES-256-GCM under the object's data key, with the whole header as associated
 * data, so that a changed header fails every chunk. Returns ciphertext and tag apart, so that a
 * stream can send both without copying them together.
 */
export function sealChunkParts(
  dataKey: KeyObject,
  header: ObjectHeader,
  index: number,
  last: boolean,
  plaintext: Uint8Array,
): [Buffer, Buffer] {
  const nonce = chunkNonce(header.noncePrefix, index, last);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: tagLength });
  cipher.setAAD(header.bytes);
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return [ciphertext, cipher.getAuthTag()];
}

/**
 * Opens one sealed chunk (ciphertext then tag), or returns undefined when it does not
 * authenticate at this index with this last-chunk flag. No byte is returned before the tag
 * has been checked.
 */
export function openChunk(
  dataKey: KeyObject,
  header: ObjectHeader,
  index: number,
  last: boolean,
  sealed: Buffer,
): Buffer | undefined {
  if (sealed.length < tagLength) return undefined;
  const nonce = chunkNonce(header.noncePrefix, index, last);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: tagLength });
  decipher.setAAD(header.bytes);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagLength));
  try {
    decipher.final();
    return plaintext;
  } catch {
    plaintext.fill(0);
    return undefined;
  }
}
