import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';

const SECRET = 'a'.repeat(40);

describe('secret box (AES-256-GCM)', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const box = createSecretBox(SECRET, 'esxi-credentials');
    const a = box.seal('VMware1!');
    expect(a).not.toContain('VMware1!');
    expect(a).not.toBe(box.seal('VMware1!'));
    expect(box.open(a)).toBe('VMware1!');
  });

  it('refuses an altered value, another key or another purpose', () => {
    const sealed = createSecretBox(SECRET, 'esxi-credentials').seal('VMware1!');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${v}.${iv}.${tag}.${(body as string).startsWith('A') ? 'B' : 'A'}${(body as string).slice(1)}`;
    expect(() => createSecretBox(SECRET, 'esxi-credentials').open(flipped)).toThrow(/cannot be decrypted/);
    expect(() => createSecretBox('b'.repeat(40), 'esxi-credentials').open(sealed)).toThrow(
      /APP_SECRET changed/,
    );
    expect(() => createSecretBox(SECRET, 'other').open(sealed)).toThrow();
    expect(() => createSecretBox(SECRET, 'esxi-credentials').open('plain')).toThrow(/cannot be decrypted/);
  });
});
