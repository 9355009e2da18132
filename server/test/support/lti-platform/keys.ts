import { createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The platform's RS256 keys: one signs, every one made so far stays in the JWKS. */
export interface KeyRing {
  jwks(): { keys: Array<Record<string, unknown>> };
  rotate(): void;
  /** The header Moodle puts on what it signs: typ, alg and the current kid. */
  header(): Record<string, unknown>;
  /** Signs with the current key whatever the header says, so a tampered header stays signed. */
  sign(claims: Record<string, unknown>, header: Record<string, unknown>): string;
  /** Verifies a JWT this platform signed (registration tokens); undefined if it did not. */
  verify(token: string): jwt.JwtPayload | undefined;
}

export function createKeyRing(): KeyRing {
  const keys: SigningKey[] = [];
  const rotate = () => keys.push(newKey(`moodle-key-${keys.length + 1}`));
  const current = () => keys[keys.length - 1] as SigningKey;
  rotate();

  return {
    jwks: () => ({ keys: keys.map(publicJwk) }),
    rotate,
    header: () => ({ typ: 'JWT', alg: 'RS256', kid: current().kid }),
    sign: (claims, header) => signRs256(claims, header, current().privateKey),
    verify(token) {
      const kid = jwt.decode(token, { complete: true })?.header.kid;
      const key = keys.find((candidate) => candidate.kid === kid);
      if (!key) return undefined;
      try {
        const payload = jwt.verify(token, key.publicKey, { algorithms: ['RS256'] });
        return typeof payload === 'string' ? undefined : payload;
      } catch {
        return undefined;
      }
    },
  };
}

function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

// Moodle's certs.php: kty, alg, kid, e, n, use.
function publicJwk(key: SigningKey): Record<string, unknown> {
  const { kty, e, n } = createPublicKey(key.privateKey).export({ format: 'jwk' });
  return { kty, alg: 'RS256', kid: key.kid, e, n, use: 'sig' };
}

function signRs256(
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const encode = (part: Record<string, unknown>) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}
