import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datastoreFileUrl,
  deleteDatastoreFile,
  fetchInventory,
  makeDatastoreDirectory,
  openDatastoreRead,
  putDatastoreFile,
  VSphereClient,
  VSphereError,
} from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Streams `data` in 64 KiB chunks so the upload is really streamed. */
const chunked = (data: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 65_536) yield data.subarray(i, i + 65_536);
    })(),
  );

describe('datastore HTTP (/folder)', () => {
  let sim: Simulator;
  let client: VSphereClient;
  let disk: { datacenter: string; datastore: string; path: string };
  const data = randomBytes(8 * 1024 * 1024);

  beforeAll(async () => {
    sim = await startSimulator({ tls: true });
    client = await VSphereClient.connect({ ...sim, thumbprint: sim.thumbprint });
    const inv = await fetchInventory(client);
    const vmDisk = inv.vms[0]?.disks[0];
    if (!vmDisk) throw new Error('simulator VM has no disk');
    // "[LocalDS_0] ha-host_VM0/disk1.vmdk" -> the flat extent next to the descriptor
    const path = vmDisk.file_name.replace(/^\[[^\]]+\] /, '').replace(/\.vmdk$/, '-flat.vmdk');
    disk = { datacenter: inv.datacenter, datastore: vmDisk.datastore, path };
    await putDatastoreFile(client, { ...disk, body: chunked(data), size: data.length });
  });
  afterAll(async () => {
    await client?.logout();
    await sim?.stop();
  });

  it('builds the /folder URL with dcPath and dsName', () => {
    const url = datastoreFileUrl(client, {
      datacenter: 'ha-datacenter',
      datastore: 'my ds',
      path: 'a b/c#.vmdk',
    });
    expect(url).toBe(
      `https://127.0.0.1:${sim.port}/folder/a%20b/c%23.vmdk?dcPath=ha-datacenter&dsName=my+ds`,
    );
  });

  it('stored the uploaded 8 MiB on the datastore', () => {
    const local = join(sim.datastores[0]?.path ?? '', disk.path);
    expect(statSync(local).size).toBe(data.length);
  });

  it('reads the whole file back as a stream with the same SHA-256', async () => {
    const { stream, size } = await openDatastoreRead(client, disk);
    expect(size).toBe(data.length);
    expect(sha256(await readAll(stream))).toBe(sha256(data));
  });

  it('reads byte ranges (bounded and open-ended) that reassemble to the same SHA-256', async () => {
    const cut = 3 * 1024 * 1024 + 17;
    const first = await openDatastoreRead(client, { ...disk, range: { start: 0, end: cut - 1 } });
    expect(first.size).toBe(cut);
    const rest = await openDatastoreRead(client, { ...disk, range: { start: cut } });
    expect(rest.size).toBe(data.length - cut);
    const joined = Buffer.concat([await readAll(first.stream), await readAll(rest.stream)]);
    expect(sha256(joined)).toBe(sha256(data));
  });

  it('reports a missing file as a Fault with status 404', async () => {
    const err = await openDatastoreRead(client, { ...disk, path: 'nope/missing.vmdk' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VSphereError);
    expect((err as VSphereError).httpStatus).toBe(404);
  });

  it('creates a directory, uploads into it and deletes it with FileManager', async () => {
    const dir = { datacenter: disk.datacenter, datastore: disk.datastore, path: 'ebm-test/nested' };
    await makeDatastoreDirectory(client, dir);
    const local = join(sim.datastores[0]?.path ?? '', 'ebm-test/nested');
    expect(existsSync(local)).toBe(true);
    const small = randomBytes(1000);
    await putDatastoreFile(client, { ...dir, path: 'ebm-test/nested/f.bin', body: Readable.from([small]) });
    expect(statSync(join(local, 'f.bin')).size).toBe(1000);
    await deleteDatastoreFile(client, { ...dir, path: 'ebm-test' });
    expect(existsSync(join(sim.datastores[0]?.path ?? '', 'ebm-test'))).toBe(false);
  });
});
