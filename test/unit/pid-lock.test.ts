import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquirePidLock, DatabaseLockedError } from '../../src/db/pid-lock.js';

const lockFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'ebm-lock-')), 'pg.lock');

describe('pid lock of the embedded database', () => {
  it('is taken and released', () => {
    const file = lockFile();
    const release = acquirePidLock(file);
    expect(existsSync(file)).toBe(true);
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while another live process holds it', () => {
    const file = lockFile();
    writeFileSync(file, '1');
    expect(() => acquirePidLock(file)).toThrow(DatabaseLockedError);
    expect(() => acquirePidLock(file)).toThrow(/in use by process 1/);
  });

  it('replaces the lock of a process that is gone', () => {
    const file = lockFile();
    const gone = spawnSync('true').pid as number;
    writeFileSync(file, String(gone));
    const release = acquirePidLock(file);
    release();
  });
});
