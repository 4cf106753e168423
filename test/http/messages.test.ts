/**
 * The same refused input and the same failed backup, asked for in French and in English: each answer is in
 * the language of Accept-Language, with the same stable `code` (issue 11: messages as keys).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { updateServer } from '../../src/db/esxi-servers.js';
import { runJob } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json & Json[] };
const LANGUAGES = ['fr', 'en'] as const;

describe('messages in the language asked, with the same code', () => {
  let sim: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1 });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    t = await createTestApp();
    headers = (await t.apiUser('admin')).headers;
    dir = mkdtempSync(path.join(tmpdir(), 'ebm-messages-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Calls the API once per language. @returns the answers by language. */
  const inBoth = async (method: string, url: string, body?: Json) => {
    const answers = {} as Record<(typeof LANGUAGES)[number], Answer>;
    for (const lang of LANGUAGES) {
      const res = await t.app.request(url, {
        method,
        headers: { ...headers, 'Accept-Language': lang },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      answers[lang] = { status: res.status, body: (await res.json()) as Json & Json[] };
    }
    return answers;
  };
  const call = async (method: string, url: string, body?: Json) => (await inBoth(method, url, body)).fr.body;

  const serverBody = (overrides: Json = {}) => ({
    name: 'lab',
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: sim.password,
    ...overrides,
  });

  /** Registers the simulator and a storage path. @returns the server id and the id of its first VM. */
  const setUp = async () => {
    const server = (await call('POST', '/api/esxi-servers/', serverBody())) as Json;
    await call('POST', '/api/storage-paths/', { name: 'local', path: dir });
    const [vm] = (await call('GET', `/api/virtual-machines/?esxi_server=${server.id}`)) as Json[];
    return { serverId: server.id as number, vmId: vm?.id as number };
  };

  /** Queues a backup of `vmId` and runs it as the job runner would. @returns the backup's id. */
  const failedBackup = async (vmId: number, before: () => Promise<void>) => {
    const backup = (await call('POST', '/api/vm-backups/', { virtual_machine: vmId })) as Json;
    await before();
    const { job } = await runJob(vmBackupJob, t.deps, backup.job_id as number);
    expect(job.status).toBe('FAILED');
    return backup;
  };

  it('answers an invalid server body in French and in English with the same code: a bad port, then a wrong password', async () => {
    const badPort = await inBoth('POST', '/api/esxi-servers/', serverBody({ port: 70_000 }));
    for (const lang of LANGUAGES) {
      expect(badPort[lang].status).toBe(400);
      expect(badPort[lang].body).toMatchObject({ status: 400, code: 'invalid_input' });
      expect(Object.keys(badPort[lang].body.errors as Json)).toEqual(['port']);
    }
    expect(badPort.fr.body.message).toBe('Saisie invalide.');
    expect(badPort.en.body.message).toBe('Invalid input.');
    expect(badPort.fr.body.errors).not.toEqual(badPort.en.body.errors);

    const wrong = await inBoth('POST', '/api/esxi-servers/', serverBody({ password: 'wrong-password' }));
    const fr = 'L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.';
    const en = 'The ESXi host rejected the user name or password.';
    expect(wrong.fr).toEqual({
      status: 400,
      body: { status: 400, code: 'invalid_input', message: fr, errors: { password: [fr] } },
    });
    expect(wrong.en).toEqual({
      status: 400,
      body: { status: 400, code: 'invalid_input', message: en, errors: { password: [en] } },
    });
    expect(await call('GET', '/api/esxi-servers/')).toEqual([]);
  });

  it('shows the same invalid add-server form in French and in English', async () => {
    const { cookie, csrf } = await t.signIn('admin');
    const texts: Record<string, string | undefined> = {};
    for (const lang of LANGUAGES) {
      const res = await t.app.request('/servers/new', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Accept-Language': lang,
          Origin: 'http://localhost',
          Cookie: cookie,
        },
        body: new URLSearchParams({
          ...serverBody({ password: 'wrong-password' }),
          port: String(sim.port),
          _csrf: csrf,
        }),
      });
      expect(res.status).toBe(400);
      texts[lang] = /data-testid="error-password">([^<]+)</.exec(await res.text())?.[1];
    }
    expect(texts).toEqual({
      fr: 'L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.',
      en: 'The ESXi host rejected the user name or password.',
    });
  });

  it('fails a backup whose host is unreachable with the code Unreachable, its error in either language', async () => {
    const { serverId, vmId } = await setUp();
    const backup = await failedBackup(vmId, () => updateServer(t.deps.db, serverId, { port: 9 }));

    for (const url of [`/api/vm-backups/${backup.id}/`, `/api/operations/${backup.job_id}/`]) {
      const answers = await inBoth('GET', url);
      expect(answers.fr.body).toMatchObject({ status: 'FAILED', error_code: 'Unreachable' });
      expect(answers.en.body).toMatchObject({ status: 'FAILED', error_code: 'Unreachable' });
      expect(answers.fr.body.error).toBe(
        `Impossible de joindre l’hôte ESXi ${sim.hostname}:9 : la connexion a été refusée.`,
      );
      expect(answers.en.body.error).toBe(
        `Cannot reach the ESXi host ${sim.hostname}:9: the connection was refused.`,
      );
    }

    const sync = await inBoth('POST', `/api/esxi-servers/${serverId}/sync/`);
    expect(sync.fr).toMatchObject({ status: 502, body: { status: 502, code: 'Unreachable' } });
    expect(sync.en).toMatchObject({ status: 502, body: { status: 502, code: 'Unreachable' } });
    expect(sync.fr.body.message).toMatch(/^Impossible de joindre l’hôte ESXi/);
    expect(sync.en.body.message).toMatch(/^Cannot reach the ESXi host/);
    const server = await inBoth('GET', `/api/esxi-servers/${serverId}/`);
    expect(server.fr.body).toMatchObject({ connection_status: 'error', last_error_code: 'Unreachable' });
    expect(server.fr.body.last_error).toBe(sync.fr.body.message);
    expect(server.en.body.last_error).toBe(sync.en.body.message);
  });

  it('fails a backup whose storage path is gone with the code storage_gone, its error in either language', async () => {
    const { vmId } = await setUp();
    const backup = await failedBackup(vmId, async () => {
      const [storage] = (await call('GET', '/api/storage-paths/')) as Json[];
      await t.app.request(`/api/storage-paths/${storage?.id}/`, { method: 'DELETE', headers });
    });
    const answers = await inBoth('GET', `/api/vm-backups/${backup.id}/`);
    expect(answers.fr.body).toMatchObject({
      status: 'FAILED',
      error_code: 'storage_gone',
      error: 'Le chemin de stockage de la sauvegarde n’existe plus.',
    });
    expect(answers.en.body).toMatchObject({
      status: 'FAILED',
      error_code: 'storage_gone',
      error: 'The backup’s storage path no longer exists.',
    });
  });
});
