import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

const nonceLength = 12;
const tagLength = 16;

/** Every key in the hierarchy (master, tenant, data) is 32 bytes: AES-256. */
export const keyLength = 32;

/** A wrapped 32-byte key: random nonce, ciphertext, tag. */
export const wrappedKeyLength = nonceLength + keyLength + tagLength;

/**
 * Encrypts one key under another with AES-256-GCM. The associated data names what the key
 * belongs to, so a wrapped key copied to another place no longer unwraps.
 */
export function wrapKey(wrappingKey: KeyObject, key: Buffer, associatedData: Buffer): Buffer {
  // Random nonces are safe here: each wrapping key wraps far fewer than 2^32 keys.
  const nonce = randomBytes(nonceLength);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, nonce, { authTagLength: tagLength });
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
}

/** The key inside `wrapped`, or undefined when it does not authenticate for this key and data. */
export function unwrapKey(
  wrappingKey: KeyObject,
  wrapped: Uint8Array,
  associatedData: Buffer,
): Buffer | undefined {
  if (wrapped.length !== wrappedKeyLength) return undefined;
  const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, bytes.subarray(0, nonceLength), {
    authTagLength: tagLength,
  });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(bytes.subarray(nonceLength + keyLength));
  const key = decipher.update(bytes.subarray(nonceLength, nonceLength + keyLength));
  try {
    decipher.final();
    return key;
  } catch {
    key.fill(0);
    return undefined;
  }
}

/**
 * Associated data from a purpose label and the identities a key is bound to. Each part is
 * length-prefixed, so no two different lists of parts encode alike.
 */
export function associatedData(label: string, ...parts: string[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of [label, ...parts]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    pieces.push(length, bytes);
  }
  return Buffer.concat(pieces);
}
