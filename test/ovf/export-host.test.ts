/**
 * OVF export of a powered-off VM straight from its host (ExportVm and its HttpNfcLease), on a simulator whose
 * leases time out after 2 s and whose device URLs send 6 MiB/s, so each download outlasts the lease timeout:
 * an export only completes because the app renews its lease.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../src/db/ovf-exports.js';
import { virtual_machines } from '../../src/db/schema.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { ovfExportJob } from '../../src/ovf/export-job.js';
import { partialDir } from '../../src/ovf/package-dir.js';
import { exportVm, openUrlRead, powerOff, vmRef, waitForLeaseReady } from '../../src/vsphere/index.js';
import {
  addServer,
  addStoragePath,
  connect,
  putFile,
  removeStorageDirs,
  runJob,
  sha256,
} from '../backup/support.js';
import { adminHeaders, apiClient } from '../support/api-client.js';
import { type NfcLease, nfcLeases } from '../support/nfc-leases.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MiB = 1024 * 1024;
const OFF = 'ha-host_VM0';
const ON = 'ha-host_VM1';
const LEASE_TIMEOUT = 2;

/** A 64 MiB disk: random 4 MiB runs between zero runs, text in between. */
function randomishDisk(): Buffer {
  const disk = Buffer.alloc(64 * MiB);
  for (let at = 0; at < disk.length; at += 12 * MiB) randomBytes(4 * MiB).copy(disk, at);
  Buffer.alloc(2 * MiB, 'ESXi Backup Manager ').copy(disk, 5 * MiB);
  return disk;
}

describe('OVF export of a powered-off VM from its host', () => {
  let sim: Simulator;
  let t: TestApp;
  let api: ReturnType<typeof apiClient>;
  const vms: Record<string, { id: number; moref: string }> = {};
  const disk = randomishDisk();

  /** The one lease the host made since `before` was listed (the listing keeps ended leases). */
  async function newLease(before: NfcLease[]): Promise<NfcLease> {
    const known = new Set(before.map((l) => l.lease));
    const made = (await nfcLeases(sim)).filter((l) => !known.has(l.lease));
    expect(made).toHaveLength(1);
    return made[0] as NfcLease;
  }

  beforeAll(async () => {
    sim = await startSimulator({ tls: true, diskMib: 64, nfcLeaseTimeout: LEASE_TIMEOUT, nfcRateMib: 6 });
    t = await createTestApp();
    const serverId = await addServer(t.deps, sim, 'source');
    for (const { vm } of (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows)
      vms[vm.name] = { id: vm.id, moref: vm.moref };
    const client = await connect(sim);
    await putFile(client, sim, `${OFF}/disk1-flat.vmdk`, disk);
    await powerOff(client, vmRef(vms[OFF]?.moref ?? ''));
    await client.logout();
    await syncInventory(t.deps, serverId);
    await addStoragePath(t.deps);
    const headers = { ...(await adminHeaders(t.deps.db)), 'Accept-Language': 'en' };
    api = apiClient((url, init) => Promise.resolve(t.app.request(url, init)), headers);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('writes an .ovf, a .mf and VMDKs that qemu-img reads back to the source disk; the lease ends done', async () => {
    const before = await nfcLeases(sim);
    const created = await api.call('POST', '/api/ovf-exports/', { virtual_machine: vms[OFF]?.id });
    expect(created.status).toBe(201);
    expect(created.body.source).toBe('host');
    const row = await getOvfExport(t.deps.db, created.body.id as number);
    const started = Date.now();
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    // Each download outlasted the lease timeout: the lease lived because the app renewed it.
    expect(Date.now() - started).toBeGreaterThan(LEASE_TIMEOUT * 1000 * 1.5);
    const lease = await newLease(before);
    expect([lease.entity, lease.state, lease.transferProgress]).toEqual([vms[OFF]?.moref, 'done', 100]);
    const operation = (await api.call('GET', `/api/operations/${row.job_id}/`)).body;
    expect([operation?.type, operation?.operation_type]).toEqual(['ovf_export', 'export']);

    const detail = (await api.call('GET', `/api/ovf-exports/${row.id}/`)).body;
    expect(detail.status).toBe('COMPLETED');
    expect(detail.package_path).toBe(path.join(row.export_dir, `${OFF}.ovf`));
    const files = detail.files as Array<{ name: string; size_bytes: number; sha256: string }>;
    expect(files.map((f) => f.name)).toEqual([`${OFF}.ovf`, `${OFF}.mf`, `${OFF}-disk1.vmdk`]);
    expect(readdirSync(row.export_dir).sort()).toEqual([`${OFF}-disk1.vmdk`, `${OFF}.mf`, `${OFF}.ovf`]);
    expect(existsSync(partialDir(row))).toBe(false);
    for (const f of files) {
      const bytes = readFileSync(path.join(row.export_dir, f.name));
      expect([f.name, bytes.length, sha256(bytes)]).toEqual([f.name, f.size_bytes, f.sha256]);
    }
    expect(detail.total_bytes).toBe(files.reduce((n, f) => n + f.size_bytes, 0));
    const mf = readFileSync(path.join(row.export_dir, `${OFF}.mf`), 'utf8')
      .trim()
      .split('\n');
    expect(mf).toHaveLength(2);
    for (const line of mf) {
      const [, name, hex] = /^SHA256\((.+)\)= ([0-9a-f]{64})$/.exec(line) ?? [];
      expect(sha256(readFileSync(path.join(row.export_dir, name as string)))).toBe(hex);
    }
    const ovf = readFileSync(path.join(row.export_dir, `${OFF}.ovf`), 'utf8');
    expect(ovf).toContain(
      `<File ovf:href="${OFF}-disk1.vmdk" ovf:id="file1" ovf:size="${files[2]?.size_bytes}"/>`,
    );
    expect(ovf).toContain(`ovf:capacity="${64 * MiB}"`);
    expect(ovf).toContain('<Network ovf:name="VM Network">');

    const vmdk = path.join(row.export_dir, `${OFF}-disk1.vmdk`);
    execFileSync('qemu-img', ['check', vmdk]);
    const raw = path.join(row.export_dir, '..', `host-${row.id}.raw`);
    execFileSync('qemu-img', ['convert', '-O', 'raw', vmdk, raw]);
    expect(sha256(readFileSync(raw))).toBe(sha256(disk));
  }, 120_000);

  it('has a lease that nobody renews time out, its device URL then refused (what the app renewal prevents)', async () => {
    const client = await connect(sim);
    try {
      const lease = await exportVm(client, vmRef(vms[OFF]?.moref ?? ''));
      const info = await waitForLeaseReady(client, lease);
      expect(info.timeoutSeconds).toBe(LEASE_TIMEOUT);
      expect(info.devices.map((d) => [d.disk, new URL(d.url).host])).toEqual([
        [true, `127.0.0.1:${sim.port}`],
      ]);
      await new Promise((resolve) => setTimeout(resolve, LEASE_TIMEOUT * 1000 + 700));
      const listed = (await nfcLeases(sim)).find((l) => l.lease === lease.value);
      expect([listed?.state, listed?.error]).toEqual(['error', expect.stringContaining('timed out')]);
      await expect(openUrlRead(client, info.devices[0]?.url ?? '', 'disk-0.vmdk')).rejects.toMatchObject({
        httpStatus: 404,
      });
    } finally {
      await client.logout();
    }
  }, 60_000);

  it('writes an .ova from the host: a tar whose first member is the .ovf', async () => {
    const row = await createOvfExport(t.deps.db, { virtual_machine_id: vms[OFF]?.id, format: 'ova' });
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id);
    expect(job.error).toBeNull();
    const done = await getOvfExport(t.deps.db, row.id);
    const ova = done.package_path as string;
    expect(ova).toBe(path.join(row.export_dir, `${OFF}.ova`));
    expect(done.files).toEqual([
      { name: `${OFF}.ova`, size_bytes: readFileSync(ova).length, sha256: sha256(readFileSync(ova)) },
    ]);
    const members = execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n');
    expect(members).toEqual([`${OFF}.ovf`, `${OFF}.mf`, `${OFF}-disk1.vmdk`]);
    const out = path.join(row.export_dir, '..', `unpacked-${row.id}`);
    mkdirSync(out);
    execFileSync('tar', ['-xf', ova, '-C', out]);
    execFileSync('sha256sum', ['--check', '--quiet'], {
      cwd: out,
      input: readFileSync(path.join(out, `${OFF}.mf`), 'utf8').replace(/^SHA256\((.+)\)= (\w+)$/gm, '$2  $1'),
    });
    execFileSync('qemu-img', ['check', path.join(out, `${OFF}-disk1.vmdk`)]);
  }, 120_000);

  it('refuses a powered-on VM at request time with a field message', async () => {
    const res = await api.call('POST', '/api/ovf-exports/', { virtual_machine: vms[ON]?.id });
    expect(res.status).toBe(400);
    const errors = res.body.errors as Record<string, string[]>;
    expect(errors.virtual_machine?.[0]).toContain(`VM ${ON} is poweredOn: only a powered-off VM is exported`);
  });

  it('fails with a clear message when the host refuses (InvalidPowerState) a VM the inventory saw off', async () => {
    const id = vms[ON]?.id ?? 0;
    await t.deps.db
      .update(virtual_machines)
      .set({ power_state: 'poweredOff' })
      .where(eq(virtual_machines.id, id));
    try {
      const row = await createOvfExport(t.deps.db, { virtual_machine_id: id, format: 'ovf' });
      const { job } = await runJob(ovfExportJob, t.deps, row.job_id);
      expect(job.status).toBe('FAILED');
      const detail = (await api.call('GET', `/api/ovf-exports/${row.id}/`)).body;
      expect(detail.error_code).toBe('vm_not_off');
      expect(detail.error).toBe(
        `The host refuses to export VM ${ON}: it is not powered off. Power it off, or export one of its restore points.`,
      );
      expect(existsSync(partialDir(row))).toBe(false);
    } finally {
      await t.deps.db
        .update(virtual_machines)
        .set({ power_state: 'poweredOn' })
        .where(eq(virtual_machines.id, id));
    }
  }, 60_000);

  it('aborts the lease and leaves no package and no partial folder when cancelled mid-export', async () => {
    const before = await nfcLeases(sim);
    const row = await createOvfExport(t.deps.db, { virtual_machine_id: vms[OFF]?.id, format: 'ovf' });
    let sawPartial = false;
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id, {
      onReport: (u, controller) => {
        if ((u.progress ?? 0) > 20 && !controller.signal.aborted) {
          sawPartial = readdirSync(partialDir(row)).includes(`${OFF}-disk1.vmdk`);
          controller.abort(new Error('cancelled'));
        }
      },
    });
    expect(sawPartial).toBe(true);
    expect(job.status).toBe('CANCELLED');
    const lease = await newLease(before);
    expect(lease.state).toBe('error');
    expect(lease.error).toContain('aborted');
    const after = await getOvfExport(t.deps.db, row.id);
    expect([after.package_path, after.files, after.nfc_lease]).toEqual([null, [], null]);
    expect(existsSync(partialDir(row))).toBe(false);
    expect(existsSync(row.export_dir)).toBe(false);
    const listed = await listOvfExports(t.deps.db, { status: 'COMPLETED' });
    expect(listed.rows.map((r) => r.id)).not.toContain(row.id);
  }, 120_000);
});
