import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runnerOptionsFromConfig } from '../../src/jobs/definitions.js';

const load = (env: Record<string, string> = {}) =>
  loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-jobcfg-')), ...env });

describe('job settings', () => {
  it('default to 500 ms polls, 2 jobs, 1 per host, 5 s heartbeats and 30 s leases', () => {
    expect(runnerOptionsFromConfig(load(), 'postgres')).toEqual({
      pollMs: 500,
      concurrency: 2,
      perHostConcurrency: 1,
      heartbeatSeconds: 5,
      leaseSeconds: 30,
      recoverAllAtStart: false,
    });
    expect(runnerOptionsFromConfig(load(), 'pglite').recoverAllAtStart).toBe(true);
  });

  it.each([
    [{ JOB_CONCURRENCY: '0' }, /^JOB_CONCURRENCY: /],
    [{ JOB_POLL_MS: 'fast' }, /^JOB_POLL_MS: /],
    [{ JOB_HEARTBEAT_SECONDS: '10', JOB_LEASE_SECONDS: '15' }, /^JOB_LEASE_SECONDS: must be at least twice/],
  ])('refuses %o', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});
