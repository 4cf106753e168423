/** @module crypto/tokens: random tokens (session ids, API keys, CSRF tokens) and their stored SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** A random 32-byte token, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, hex: what the database keeps instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
