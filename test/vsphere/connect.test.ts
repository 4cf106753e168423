import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSnapshot,
  fetchInventory,
  fetchThumbprint,
  removeSnapshot,
  VSphereClient,
  VSphereError,
  vmRef,
} from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const login = (sim: Simulator, extra: { password?: string; thumbprint?: string | null } = {}) =>
  VSphereClient.connect({
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: extra.password ?? sim.password,
    thumbprint: extra.thumbprint ?? null,
    timeoutMs: 10_000,
  });

async function expectCode(promise: Promise<unknown>, code: string): Promise<VSphereError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VSphereError);
  expect((err as VSphereError).code).toBe(code);
  return err as VSphereError;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('vSphere client over HTTP', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tls: false });
  });
  afterAll(() => sim?.stop());

  it('logs in, reads the inventory of the simulated host, logs out', async () => {
    const client = await login(sim);
    expect(client.sessionCookie).toMatch(/^vmware_soap_session=.+/);
    expect(client.apiVersion).toBe('6.5');
    expect(client.thumbprint).toBeNull();

    const inv = await fetchInventory(client);
    expect(inv.host).toMatchObject({
      moref: 'ha-host',
      version: '6.5.0',
      build: '5969303',
      api_version: '6.5',
    });
    expect(inv.host.full_name).toBe('VMware ESXi 6.5.0 build-5969303');
    expect(inv.datacenter).toBe('ha-datacenter');
    expect(inv.vms.map((v) => v.name).sort()).toEqual([...sim.vms].sort());
    expect(inv.vms.map((v) => v.name).sort()).toEqual(['ha-host_VM0', 'ha-host_VM1']);
    expect(inv.datastores.map((d) => d.name)).toEqual(sim.datastores.map((d) => d.name));
    for (const ds of inv.datastores) {
      expect(ds.capacity_bytes).toBeGreaterThan(0);
      expect(ds.free_bytes).toBeGreaterThan(0);
      expect(ds.free_bytes).toBeLessThanOrEqual(ds.capacity_bytes);
      expect(ds.accessible).toBe(true);
    }
    expect(inv.portgroups).toContain('VM Network');

    const vm = inv.vms.find((v) => v.name === 'ha-host_VM0');
    expect(vm).toMatchObject({
      power_state: 'poweredOn',
      num_cpu: 1,
      memory_mb: 32,
      datastores: ['LocalDS_0'],
    });
    expect(vm?.vmx_path).toBe('[LocalDS_0] ha-host_VM0/ha-host_VM0.vmx');
    expect(vm?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(vm?.portgroups).toEqual(['VM Network']);
    expect(vm?.disks).toHaveLength(1);
    expect(vm?.disks[0]).toMatchObject({
      file_name: '[LocalDS_0] ha-host_VM0/disk1.vmdk',
      capacity_bytes: 1024 * 1024,
      datastore: 'LocalDS_0',
    });
    expect(vm?.files.some((f) => f.type === 'config')).toBe(true);
    expect(vm?.snapshots).toEqual([]);

    await client.logout();
    expect(client.sessionCookie).toBeNull();
  });

  it('refuses a wrong password with InvalidLogin', async () => {
    const err = await expectCode(login(sim, { password: 'not-the-password' }), 'InvalidLogin');
    expect(err.message).toMatch(/user name or password/);
  });

  it('reports a closed port as Unreachable', async () => {
    const port = await freePort();
    const err = await expectCode(
      VSphereClient.connect({
        hostname: '127.0.0.1',
        port,
        protocol: 'http',
        username: 'root',
        password: 'x',
      }),
      'Unreachable',
    );
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toMatch(/refused/);
  });

  it('re-logs in once, transparently, when the session was invalidated', async () => {
    const client = await login(sim);
    const before = client.sessionCookie;
    await client.call('Logout', { _this: client.serviceContent.sessionManager });
    // CreateSnapshot needs a session on the simulator (RetrievePropertiesEx does not).
    const vm = (await fetchInventory(client)).vms[0];
    const snap = await createSnapshot(client, vmRef(vm?.moref ?? ''), { name: 'after-relogin' });
    expect(snap.type).toBe('VirtualMachineSnapshot');
    expect(client.sessionCookie).not.toBe(before);
    expect(client.sessionCookie).toMatch(/^vmware_soap_session=/);
    await removeSnapshot(client, snap);
    await client.logout();
  });
});

describe('vSphere client over HTTPS (trust on first use)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tls: true });
  });
  afterAll(() => sim?.stop());

  it('fetches the certificate thumbprint without trusting it', async () => {
    const thumbprint = await fetchThumbprint(sim.hostname, sim.port);
    expect(thumbprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(thumbprint).toBe(sim.thumbprint);
  });

  it('connects with the stored thumbprint and reads the inventory', async () => {
    const thumbprint = await fetchThumbprint(sim.hostname, sim.port);
    const client = await login(sim, { thumbprint: thumbprint.toLowerCase() });
    expect(client.thumbprint).toBe(thumbprint);
    const inv = await fetchInventory(client);
    expect(inv.host.version).toBe('6.5.0');
    expect(inv.vms).toHaveLength(2);
    await client.logout();
  });

  it('without a stored thumbprint, accepts and reports the presented one (first use)', async () => {
    const client = await login(sim);
    expect(client.thumbprint).toBe(sim.thumbprint);
    await client.logout();
  });

  it('refuses a changed certificate with CertificateMismatch naming both fingerprints', async () => {
    const wrong = Array.from({ length: 32 }, () => 'AB').join(':');
    const err = await expectCode(login(sim, { thumbprint: wrong }), 'CertificateMismatch');
    expect(err.message).toContain(`expected fingerprint ${wrong}`);
    expect(err.message).toContain(`presented ${sim.thumbprint}`);
  });

  it('reports a closed port as Unreachable when fetching the thumbprint', async () => {
    await expectCode(fetchThumbprint('127.0.0.1', await freePort()), 'Unreachable');
  });
});

describe('host failure', () => {
  it('reports a host killed mid-session as Unreachable', async () => {
    const sim = await startSimulator({ tls: true });
    try {
      const client = await login(sim, { thumbprint: sim.thumbprint });
      await fetchInventory(client); // leaves a keep-alive socket open
      sim.kill();
      const gone = async () => {
        for (;;) {
          try {
            process.kill(sim.pid, 0);
          } catch {
            return;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await gone();
      const err = await expectCode(fetchInventory(client), 'Unreachable');
      expect(err.message).toContain(`127.0.0.1:${sim.port}`);
    } finally {
      await sim.stop();
    }
  });
});
