import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'ebm-config-'));

describe('loadConfig', () => {
  it('defaults to the embedded database, port 8000 and backups under DATA_DIR', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(8000);
    expect(config.backupDir).toBe(path.join(dir, 'backups'));
  });

  it('generates APP_SECRET once into DATA_DIR, readable by the owner only, and keeps it', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).appSecret;
    expect(first).toHaveLength(64);
    expect(loadConfig({ DATA_DIR: dir }).appSecret).toBe(first);
    expect(readFileSync(path.join(dir, 'app-secret'), 'utf8')).toBe(first);
    expect(statSync(path.join(dir, 'app-secret')).mode & 0o077).toBe(0);
  });

  it.each([
    [{ PORT: '70000' }, /^PORT: /],
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ APP_SECRET: 'short' }, /^APP_SECRET: must be at least 32 characters/],
    [{ ADMIN_USERNAME: 'root' }, /^ADMIN_PASSWORD: required with ADMIN_USERNAME/],
  ])('refuses %o with a one-line message', (env, message) => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir(), ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
