import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque bearer tokens: `wf_<tokenId>_<secret>`. The id names the token's stream (`token-<id>`); only the
 * SHA-256 of the secret is stored, so the log never holds a usable credential.
 */
const TOKEN_PATTERN = /^wf_([a-z0-9]{20})_([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  readonly tokenId: string;
  readonly token: string;
  readonly secretHash: string;
}

export function mintToken(): MintedToken {
  const tokenId = base32(randomBytes(13)).slice(0, 20);
  const secret = randomBytes(32).toString('base64url');
  return { tokenId, token: `wf_${tokenId}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseToken(token: string): { tokenId: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { tokenId: match[1], secret: match[2] } : undefined;
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * SHA-256 of a whole token (the bootstrap admin token): digests are compared in constant time
 * (`digestEquals`) whatever the lengths of the tokens.
 */
export function tokenDigest(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/** Constant-time comparison of two digests. */
export function digestEquals(left: Buffer, right: Buffer): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}

export function tokenStream(tokenId: string): string {
  return `token-${tokenId}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
