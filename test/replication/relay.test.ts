import { randomBytes } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayFile } from '../../src/replication/relay-pool.js';
import { type FrontierMessage, verifyLanding } from '../../src/replication/relay-worker.js';
import { datastoreFileUrl, type VSphereClient } from '../../src/vsphere/index.js';
import { closeWorkerPools } from '../../src/workers/pool.js';
import { connect, putFile, sha256 } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { datastoreSha } from './support.js';

const MiB = 1024 * 1024;

describe('host-to-host file relay with the check read behind the copy', () => {
  let source: Simulator;
  let dest: Simulator;
  let plain: Simulator; // a source over plain HTTP: it reads faster than the destination's TLS PUT writes
  let src: VSphereClient;
  let dst: VSphereClient;
  // Larger than one check range plus the margin the check keeps behind the copy, so ranges are read early.
  const data = randomBytes(200 * MiB);

  const endpoint = (client: VSphereClient, sim: Simulator, path: string) => ({
    url: datastoreFileUrl(client, {
      datacenter: sim.datacenter,
      datastore: sim.datastores[0]?.name ?? '',
      path,
    }),
    cookie: client.sessionCookie,
    thumbprint: client.thumbprint,
  });

  beforeAll(async () => {
    [source, dest, plain] = await Promise.all([
      startSimulator({ tls: true }),
      startSimulator({ tls: true }),
      startSimulator({ tls: false }),
    ]);
    [src, dst] = await Promise.all([connect(source), connect(dest)]);
    await putFile(src, source, 'relay/big-flat.vmdk', data);
    const fast = await connect(plain);
    await putFile(fast, plain, 'relay/big-flat.vmdk', data);
    await fast.logout();
    await putFile(src, source, 'relay/empty.nvram', Buffer.alloc(0));
  }, 120_000);

  afterAll(async () => {
    await closeWorkerPools();
    await Promise.all([source?.stop(), dest?.stop(), plain?.stop()]);
  });

  it('copies 200 MiB byte for byte and agrees on the SHA-256 read and landed', async () => {
    const seen: number[] = [];
    const result = await relayFile(
      endpoint(src, source, 'relay/big-flat.vmdk'),
      endpoint(dst, dest, 'copy/big-flat.vmdk'),
      new AbortController().signal,
      (bytes) => seen.push(bytes),
    );
    expect(result.failed).toBeUndefined();
    expect(result.bytes).toBe(data.length);
    expect(result.sha256).toBe(sha256(data));
    expect(result.landed).toBe(result.sha256);
    expect(await datastoreSha(dst, dest, 'copy/big-flat.vmdk')).toBe(sha256(data));
    expect(seen.at(-1)).toBe(data.length);
  }, 120_000);

  it('copies byte for byte when the source outruns the destination (the reading waits for written blocks)', async () => {
    const fast = await connect(plain);
    const result = await relayFile(
      endpoint(fast, plain, 'relay/big-flat.vmdk'),
      endpoint(dst, dest, 'fast/big-flat.vmdk'),
      new AbortController().signal,
    );
    await fast.logout();
    expect(result).toMatchObject({ bytes: data.length, sha256: sha256(data), landed: sha256(data) });
    expect(await datastoreSha(dst, dest, 'fast/big-flat.vmdk')).toBe(sha256(data));
  }, 120_000);

  it('copies an empty file and checks that it landed', async () => {
    const result = await relayFile(
      endpoint(src, source, 'relay/empty.nvram'),
      endpoint(dst, dest, 'copy/empty.nvram'),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ bytes: 0, sha256: sha256(''), landed: sha256('') });
    expect(result.failed).toBeUndefined();
  }, 60_000);

  it('answers a missing source as a source failure, and the check stands down', async () => {
    const result = await relayFile(
      endpoint(src, source, 'relay/missing-flat.vmdk'),
      endpoint(dst, dest, 'copy/missing-flat.vmdk'),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ failed: 'source', status: 404 });
  }, 60_000);

  it('re-reads the finished file when the digest of ranges read early differs', async () => {
    // An old replica file is there when the check reads its first range early; the copy then rewrites it.
    const path = 'landed/big-flat.vmdk';
    await putFile(dst, dest, path, data);
    const final = Buffer.from(data);
    final[0] = (final[0] ?? 0) ^ 0xff;
    const frontier = new MessageChannel();
    const task = new MessageChannel();
    const check = verifyLanding({
      dest: endpoint(dst, dest, path),
      frontier: frontier.port2,
      port: task.port2,
    });
    const tell = (message: FrontierMessage) => frontier.port1.postMessage(message);
    tell({ sent: 96 * MiB }); // one 64 MiB range may be read while the "copy" runs
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await putFile(dst, dest, path, final);
    tell({ done: { ok: true, bytes: final.length, sha256: sha256(final) } });
    expect(await check).toBe(sha256(final));
    frontier.port1.close();
    task.port1.close();
  }, 120_000);
});
