import { createPublicKey, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { RegisteredTool } from './state.ts';

const fetchTimeoutMs = 5_000;

/**
 * Verifies a JWT the tool signed (a client assertion, a deep-linking response) with the key
 * its JWKS names by kid, RS256 only, as Moodle does for a tool registered with a keyset URL.
 * Throws an Error saying what failed.
 */
export async function verifyToolJwt(
  tool: RegisteredTool,
  token: string,
  options: Omit<jwt.VerifyOptions, 'algorithms' | 'complete'>,
): Promise<jwt.JwtPayload> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded) throw new Error('not a JWT');
  if (decoded.header.alg !== 'RS256') throw new Error(`signed ${decoded.header.alg}, not RS256`);

  const answer = await fetch(tool.jwksUrl, { signal: AbortSignal.timeout(fetchTimeoutMs) });
  if (!answer.ok) throw new Error(`the tool's JWKS answered ${answer.status}`);
  const { keys = [] } = (await answer.json()) as { keys?: JsonWebKey[] };
  const kid = decoded.header.kid;
  const jwk =
    kid === undefined && keys.length === 1 ? keys[0] : keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`the tool's JWKS has no key ${kid ?? '(no kid)'}`);

  const payload = jwt.verify(token, createPublicKey({ key: jwk, format: 'jwk' }), {
    ...options,
    algorithms: ['RS256'],
  });
  if (typeof payload === 'string') throw new Error('the JWT carries no claims');
  return payload;
}
