/** Why an encrypted object did not open; no plaintext is ever returned with one of these. */
export type IntegrityReason = 'tampered' | 'truncated' | 'wrong_key' | 'unsupported_version';

/**
 * An encrypted object failed authentication: its bytes were changed, cut short, moved from
 * another object, or sealed under another tenant key. It is a fault of the stored data (or of
 * the caller's choice of key), never of a client's request.
 */
export class IntegrityError extends Error {
  readonly reason: IntegrityReason;

  constructor(reason: IntegrityReason, message: string) {
    super(message);
    this.name = 'IntegrityError';
    this.reason = reason;
  }
}

/** Why a tenant key is not available. */
export type KeyringReason =
  'tenant_not_found' | 'destroyed' | 'master_key_missing' | 'unwrap_failed';

/** A tenant key cannot be given out: the tenant is gone or terminated, or the master key is wrong. */
export class KeyringError extends Error {
  readonly reason: KeyringReason;

  constructor(reason: KeyringReason, message: string) {
    super(message);
    this.name = 'KeyringError';
    this.reason = reason;
  }
}

/** The configured master key is missing, unreadable or malformed; the message says which. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}
