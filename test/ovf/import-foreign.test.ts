import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPackage } from '../../src/ovf/import-package.js';
import { openDatastoreRead, retrieveOne, type VSphereClient } from '../../src/vsphere/index.js';
import { asArray, asRecord, asString } from '../../src/vsphere/normalize.js';
import { connect, sha256 } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/ovftool-web01.ovf');
const MiB = 1024 * 1024;

/** An ovftool-style package folder: the fixture's .ovf, a streamOptimized VMDK made by qemu-img, the .mf. */
function ovftoolPackage(dir: string, raw: Buffer, edit: (ovf: string) => string = (o) => o): string {
  writeFileSync(path.join(dir, 'disk.raw'), raw);
  const vmdk = path.join(dir, 'web01-disk1.vmdk');
  execFileSync('qemu-img', [
    'convert',
    '-f',
    'raw',
    '-O',
    'vmdk',
    '-o',
    'subformat=streamOptimized',
    path.join(dir, 'disk.raw'),
    vmdk,
  ]);
  rmSync(path.join(dir, 'disk.raw'));
  const ovf = edit(readFileSync(FIXTURE, 'utf8')).replace(
    'ovf:size="68096"',
    `ovf:size="${readFileSync(vmdk).length}"`,
  );
  writeFileSync(path.join(dir, 'web01.ovf'), ovf);
  const sha = (name: string) =>
    createHash('sha256')
      .update(readFileSync(path.join(dir, name)))
      .digest('hex');
  writeFileSync(
    path.join(dir, 'web01.mf'),
    `SHA256(web01.ovf)= ${sha('web01.ovf')}\nSHA256(web01-disk1.vmdk)= ${sha('web01-disk1.vmdk')}\n`,
  );
  return path.join(dir, 'web01.ovf');
}

describe('import of an ovftool-style package', () => {
  let sim: Simulator;
  let client: VSphereClient;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ tls: true });
    client = await connect(sim);
    dir = mkdtempSync(path.join(tmpdir(), 'ebm-ovftool-'));
  });
  afterAll(async () => {
    await client?.logout();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the VM the descriptor describes, with its extra configuration and the disk bytes', async () => {
    const raw = Buffer.alloc(2 * MiB);
    randomBytes(MiB).copy(raw, 512 * 1024);
    const vm = await importPackage(client, {
      packagePath: ovftoolPackage(dir, raw),
      datastore: sim.datastores[0]?.name ?? '',
      vmName: 'web01-copy',
      hostName: 'sim',
      signal: new AbortController().signal,
      progress: { from: 0, to: 100, report: () => undefined },
    });
    const props = await retrieveOne(client, vm, [
      'name',
      'config.hardware',
      'config.guestId',
      'config.extraConfig',
    ]);
    const hw = asRecord(props['config.hardware']);
    const devices = asArray<Record<string, unknown>>(hw.device);
    const disk = devices.find((d) => d._type === 'VirtualDisk');
    expect([props.name, props['config.guestId'], Number(hw.numCPU), Number(hw.memoryMB)]).toEqual([
      'web01-copy',
      'otherLinux64Guest',
      2,
      1024,
    ]);
    expect(Number(disk?.capacityInKB) * 1024).toBe(2 * MiB);
    expect(
      devices.filter((d) => d._type === 'VirtualVmxnet3').map((d) => asRecord(d.backing).deviceName),
    ).toEqual(['VM Network']);
    expect(
      asArray<Record<string, unknown>>(props['config.extraConfig']).map((o) => [o.key, o.value]),
    ).toContainEqual(['svga.autodetect', 'TRUE']);
    const [, datastore, file] = /^\[(.+)\] (.+)$/.exec(asString(asRecord(disk?.backing).fileName)) ?? [];
    const { stream } = await openDatastoreRead(client, {
      datacenter: sim.datacenter,
      datastore: datastore as string,
      path: (file as string).replace(/\.vmdk$/, '-flat.vmdk'),
    });
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    expect(sha256(Buffer.concat(parts))).toBe(sha256(raw));
  }, 60_000);

  it('reads a disk capacity without allocation units as bytes (the OVF default)', async () => {
    const sub = mkdtempSync(path.join(dir, 'bytes-'));
    const packagePath = ovftoolPackage(sub, Buffer.alloc(2 * MiB, 1), (ovf) =>
      ovf.replace('ovf:capacity="2" ovf:capacityAllocationUnits="byte * 2^20"', `ovf:capacity="${2 * MiB}"`),
    );
    const vm = await importPackage(client, {
      packagePath,
      datastore: sim.datastores[0]?.name ?? '',
      vmName: 'web01-bytes',
      hostName: 'sim',
      signal: new AbortController().signal,
      progress: { from: 0, to: 100, report: () => undefined },
    });
    const hw = asRecord((await retrieveOne(client, vm, ['config.hardware']))['config.hardware']);
    const disk = asArray<Record<string, unknown>>(hw.device).find((d) => d._type === 'VirtualDisk');
    expect(Number(disk?.capacityInKB) * 1024).toBe(2 * MiB);
  }, 60_000);
});
