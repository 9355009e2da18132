// Media encryption: the key hierarchy (master key → tenant key → data key) and the chunked
// object format. docs/encryption.md describes both; other domains import from here only.

export { IntegrityError, KeyringError, MasterKeyError } from './errors.ts';
export type { IntegrityReason, KeyringReason } from './errors.ts';

export {
  createMasterKeyring,
  findMasterKey,
  generateMasterKey,
  masterKeyFromBytes,
} from './master-keyring.ts';
export type { MasterKey, MasterKeyring } from './master-keyring.ts';
export {
  ensureLocalMasterKey,
  formatMasterKeyFile,
  readMasterKeyFile,
  readMasterKeyring,
  writeMasterKeyFile,
} from './master-key-sources.ts';
export type { LocalMasterKey, MasterKeyEnvironment } from './master-key-sources.ts';

export {
  countTenantKeysByMasterKey,
  destroyTenantKey,
  getTenantKey,
  insertWrappedTenantKey,
  listWrappedTenantKeys,
  openWrappedTenantKey,
  rewrapAll,
} from './tenant-keys.ts';
export type { RewrapResult, TenantKey, WrappedTenantKey } from './tenant-keys.ts';

export {
  chunkCount,
  ciphertextLength,
  ciphertextOffsetOfChunk,
  defaultChunkSize,
  formatVersion,
  headerLength,
  maxChunks,
  plaintextLengthOf,
  tagLength,
} from './object-layout.ts';
export { createObjectSealer, resumeObjectSealer, sealStream } from './object-sealer.ts';
export type { ObjectSealer, SealOptions } from './object-sealer.ts';
export { openObject, openRange } from './object-opener.ts';
export type { ByteRange, OpenOptions, OpenRangeOptions, PlaintextStream } from './object-opener.ts';
export type { ByteSource } from './streams.ts';
