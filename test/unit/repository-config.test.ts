import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.js';
import { initRepository, openRepository, readConfig } from '../../src/repository/config.js';
import { RepositoryError } from '../../src/repository/errors.js';
import { keyCheck, subKeys } from '../../src/repository/keys.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ebm-repo-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RepositoryError);
  return (err as RepositoryError).code;
}

describe('repository config', () => {
  it('creates a plain repository.json of format ebm-repository version 1, once', async () => {
    const repo = await initRepository(dir);
    expect(repo.encrypted).toBe(false);
    expect(repo.keys).toBeNull();
    const raw = JSON.parse(await readFile(path.join(dir, 'repository.json'), 'utf8'));
    expect(raw).toMatchObject({
      format: 'ebm-repository',
      version: 1,
      chunk_size: 4194304,
      compression: 'zstd',
    });
    expect(raw.encryption).toBeNull();
    expect(raw.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readConfig(dir)).toEqual(raw);
    expect(await codeOf(initRepository(dir))).toBe('repository_exists');
    expect((await openRepository(dir)).config.id).toBe(raw.id);
  });

  it('derives the keys of an encrypted repository and refuses a wrong passphrase', async () => {
    const made = await initRepository(dir, { passphrase: 'correct horse battery staple' });
    const raw = JSON.parse(await readFile(path.join(dir, 'repository.json'), 'utf8'));
    expect(raw.encryption).toMatchObject({
      cipher: 'aes-256-gcm',
      kdf: { name: 'scrypt', N: 65536, r: 8, p: 1, key_length: 32 },
    });
    expect(raw.encryption.key_check).toBe(keyCheck(subKeys(made.keys?.master as Buffer, raw.id).id));
    const opened = await openRepository(dir, { passphrase: 'correct horse battery staple' });
    expect(opened.keys?.enc.equals(made.keys?.enc as Buffer)).toBe(true);
    const byKey = await openRepository(dir, { masterKey: made.keys?.master as Buffer });
    expect(byKey.keys?.id.equals(made.keys?.id as Buffer)).toBe(true);
    expect(await codeOf(openRepository(dir, { passphrase: 'Correct horse battery staple' }))).toBe(
      'repository_wrong_passphrase',
    );
    expect(await codeOf(openRepository(dir, { masterKey: Buffer.alloc(32, 7) }))).toBe(
      'repository_wrong_passphrase',
    );
    expect(await codeOf(openRepository(dir))).toBe('repository_passphrase_required');
  });

  it('says in French and in English what is wrong', async () => {
    await initRepository(dir, { passphrase: 'secret' });
    const err = (await openRepository(dir, { passphrase: 'nope' }).catch((e) => e)) as RepositoryError;
    expect(err.status).toBe(400);
    expect(translator('fr').message(err.detail)).toContain('Phrase secrète ou clé incorrecte');
    expect(translator('en').message(err.detail)).toContain('Wrong passphrase');
  });

  it('refuses a missing or unknown config', async () => {
    expect(await codeOf(readConfig(dir))).toBe('repository_not_found');
    await writeFile(path.join(dir, 'repository.json'), '{"format":"ebm-repository","version":2}');
    expect(await codeOf(readConfig(dir))).toBe('repository_bad_config');
    await writeFile(path.join(dir, 'repository.json'), 'not json');
    expect(await codeOf(openRepository(dir))).toBe('repository_bad_config');
  });
});
