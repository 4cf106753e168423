/**
 * @module crypto/secret-box: encrypts secrets at rest (ESXi passwords) with AES-256-GCM under a key derived
 * from APP_SECRET by HKDF-SHA256. Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { msg } from '../i18n/message.js';

/** A sealed value that this key cannot open (500, code `secret_unreadable`: the app's own state is at fault). */
const unreadable = () => new AppError(500, 'secret_unreadable', msg('error.secret_unreadable'));

export interface SecretBox {
  seal(plaintext: string): string;
  /** @throws AppError `secret_unreadable` when the value was not sealed with this key or was altered. */
  open(sealed: string): string;
}

/**
 * Creates a sealer bound to one purpose, so keys differ per use of APP_SECRET.
 * @param appSecret APP_SECRET (at least 32 characters).
 * @param purpose a fixed label such as `esxi-credentials`.
 */
export function createSecretBox(appSecret: string, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', appSecret, 'esxi-backup-manager', purpose, 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw unreadable();
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw unreadable();
      }
    },
  };
}
