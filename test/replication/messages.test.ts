import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failover_events, vm_replications } from '../../src/db/schema.js';
import { addServer } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { eventEnded, vmId } from './support.js';

describe('replication and failover messages in the reader’s language', () => {
  let source: Simulator;
  let dest: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  let ids: { source: number; dest: number };

  beforeAll(async () => {
    [source, dest] = await Promise.all([
      startSimulator({ tls: false, vms: 5 }),
      startSimulator({ tls: false }),
    ]);
    t = await createTestApp({ FAILOVER_MONITOR_INTERVAL_SECONDS: '0' }, { runner: true });
    headers = (await t.apiUser('operator')).headers;
    ids = { source: await addServer(t.deps, source, 'source'), dest: await addServer(t.deps, dest, 'dest') };
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([source?.stop(), dest?.stop()]);
  });

  /** An API caller answering in `lang` (no Accept-Language: French, the default). */
  const api = (lang?: 'fr' | 'en') =>
    apiClient((url, init) => Promise.resolve(t.app.request(url, init)), {
      ...headers,
      ...(lang ? { 'Accept-Language': lang } : {}),
    });
  const vmNamed = (suffix: string) => source.vms.find((v) => v.endsWith(suffix)) as string;

  /** A replication of the VM `<…>VM<n>`, with a replica recorded that the destination does not have. */
  async function replicationWithoutReplica(suffix: string): Promise<number> {
    const created = await api().call('POST', '/api/vm-replications/', {
      name: `r-${suffix}`,
      virtual_machine: await vmId(api(), ids.source, vmNamed(suffix)),
      destination_server: ids.dest,
      destination_datastore: dest.datastores[0]?.name,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await t.deps.db
      .update(vm_replications)
      .set({ replica_vm_moref: 'vm-never-made' })
      .where(eq(vm_replications.id, id));
    return id;
  }

  /** A manual failover of that replication, run to its end: it fails at validation (no replica VM). */
  async function failedFailover(suffix: string): Promise<Json> {
    const id = await replicationWithoutReplica(suffix);
    const event = await api().call('POST', `/api/vm-replications/${id}/trigger_failover/`, {
      reason: 'exercice',
      test_mode: false,
    });
    expect(event.status).toBe(201);
    return api().until(`/api/failover-events/${event.body.id}/`, eventEnded);
  }

  it('answers the same failed failover in French and in English with the same error_code', async () => {
    const ended = await failedFailover('VM0');
    const replica = `${vmNamed('VM0')}_replica`;
    const url = `/api/failover-events/${ended.id}/`;
    const [fr, en] = [(await api('fr').call('GET', url)).body, (await api('en').call('GET', url)).body];
    expect(fr).toMatchObject({
      status: 'failed',
      status_display: 'échoué',
      error_code: 'no_replica',
      error_message: `Aucune réplique ${replica} sur dest : lancez d’abord la réplication.`,
      reason: 'exercice',
    });
    expect(en).toMatchObject({
      status: 'failed',
      status_display: 'failed',
      error_code: 'no_replica',
      error_message: `No replica ${replica} on dest: run the replication first.`,
    });
    const messages = (e: Json) => (e.step_log as Json[]).map((s) => s.message);
    expect(messages(fr)).toEqual([
      `Failover (Manuel) de ${vmNamed('VM0')} vers dest : exercice`,
      'Vérification des serveurs et de la réplique',
      fr.error_message,
    ]);
    expect(messages(en)).toEqual([
      `Failover (Manual) of ${vmNamed('VM0')} to dest: exercice`,
      'Checking the hosts and the replica',
      en.error_message,
    ]);
    const listed = (await api('en').call('GET', `/api/failover-events/?replication=${fr.replication}`)).body;
    expect(listed[0]).toMatchObject({ error_code: 'no_replica', error_message: en.error_message });
  });

  it('shows a failed failover on the French history page without an English sentence, and in English on request', async () => {
    const ended = await failedFailover('VM1');
    const replica = `${vmNamed('VM1')}_replica`;
    const { cookie } = await t.signIn('viewer');
    const page = async (extra = '') =>
      (await t.app.request('/failover', { headers: { Cookie: `${cookie}${extra}` } })).text();
    const french = await page();
    expect(ended.status).toBe('failed');
    expect(french).toContain(`Aucune réplique ${replica} sur dest`);
    expect(french).toContain('Vérification des serveurs et de la réplique');
    expect(french).not.toContain('run the replication first');
    expect(french).not.toContain('Checking the hosts');
    const english = await page('; lang=en');
    expect(english).toContain(`No replica ${replica} on dest: run the replication first.`);
  });

  it('answers bad input and conflicts in each language with the same code', async () => {
    const body = {
      name: 'bad',
      virtual_machine: await vmId(api(), ids.source, vmNamed('VM2')),
      destination_server: ids.source,
      destination_datastore: dest.datastores[0]?.name,
    };
    const [fr, en] = await Promise.all([
      api('fr').call('POST', '/api/vm-replications/', body),
      api('en').call('POST', '/api/vm-replications/', body),
    ]);
    expect(fr).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    expect(en).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    expect((fr.body.errors as Json).destination_server).toEqual([
      'Le serveur de destination doit être différent du serveur source.',
    ]);
    expect((en.body.errors as Json).destination_server).toEqual([
      'The destination server must differ from the source server.',
    ]);

    const good = { ...body, destination_server: ids.dest };
    expect((await api().call('POST', '/api/vm-replications/', good)).status).toBe(201);
    const [twiceFr, twiceEn] = [
      await api('fr').call('POST', '/api/vm-replications/', good),
      await api('en').call('POST', '/api/vm-replications/', good),
    ];
    expect(twiceFr).toMatchObject({
      status: 409,
      body: {
        code: 'replication_exists',
        message: `Une réplication de ${vmNamed('VM2')} vers dest existe déjà.`,
      },
    });
    expect(twiceEn).toMatchObject({
      status: 409,
      body: {
        code: 'replication_exists',
        message: `A replication of ${vmNamed('VM2')} to dest already exists.`,
      },
    });
  });

  it('answers 404, never 500, to run ids that are not ids or name no run', async () => {
    const id = await replicationWithoutReplica('VM3');
    const event = await api().call('POST', `/api/vm-replications/${id}/trigger_failover/`, {
      reason: 'ids',
      test_mode: true,
    });
    const notRuns = ['99999999999999999999', '1.5', '-1', 'abc', String(event.body.job_id)];
    for (const run of notRuns) {
      for (const [method, url] of [
        ['GET', `/api/vm-replications/runs/${run}/progress/`],
        ['POST', `/api/vm-replications/runs/${run}/cancel/`],
      ] as const) {
        const answer = await api('en').call(method, url);
        expect(answer, `${method} ${url}`).toMatchObject({ status: 404, body: { code: 'not_found' } });
      }
    }
    expect((await api().call('GET', '/api/vm-replications/1.5/')).status).toBe(404);
    expect((await api().call('GET', '/api/failover-events/99999999999999999999/')).status).toBe(404);
    const missing = await api('en').call('GET', '/api/vm-replications/2147483647/');
    expect(missing.body).toMatchObject({ code: 'not_found', message: 'Replication not found.' });
    const { cookie } = await t.signIn('viewer');
    const bar = await t.app.request('/replication/runs/1.5/bar', { headers: { Cookie: cookie } });
    expect(bar.status).toBe(404);
  });

  it('shows the sentences of a failover event written before messages were keys as stored', async () => {
    const id = await replicationWithoutReplica('VM4');
    // As an older version wrote it, without a job (the runner would run one).
    const [created] = await t.deps.db
      .insert(failover_events)
      .values({
        replication_id: id,
        failover_type: 'manual',
        status: 'failed',
        reason: 'old reason',
        error_message: 'The destination host dest is unreachable.',
        step_log: [
          {
            at: new Date().toISOString(),
            step: 'initiation',
            message: 'manual failover (old row)',
            ok: true,
          },
        ],
      })
      .returning();
    const body = (await api('fr').call('GET', `/api/failover-events/${created?.id}/`)).body;
    expect(body).toMatchObject({
      reason: 'old reason',
      error_message: 'The destination host dest is unreachable.',
      error_code: null,
    });
    expect((body.step_log as Json[])[0]?.message).toBe('manual failover (old row)');
  });
});
