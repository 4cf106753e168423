import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIntoSlots, UnsupportedAnswer } from '../../src/backup/read-pool.js';
import { fileHash } from '../../src/repository/blob.js';
import { giveSlot } from '../../src/repository/pool.js';
import { closeWorkerPools } from '../../src/workers/pool.js';

const SLOT = 256 * 1024;

/** A self-signed certificate for localhost (openssl), as a host's. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-cert-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'].concat([
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A local HTTPS server as a datastore: the read worker's slot hand-off, its pauses (TLS hands on records
 * already decrypted after the socket was told to pause) and its refusals.
 */
describe('datastore read into chunk slots in a worker thread', () => {
  const data = randomBytes(10 * SLOT + 12_345);
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = https.createServer(certificate(), (req, res) => {
      if (req.url?.startsWith('/folder/disk')) {
        res.writeHead(200, { 'Content-Length': data.length }).end(data);
      } else if (req.url?.startsWith('/folder/chunked')) {
        res.writeHead(200, { 'Transfer-Encoding': 'chunked' }).end(data.subarray(0, 1000));
      } else if (req.url?.startsWith('/folder/expired')) {
        res.writeHead(401, { 'Content-Length': 0 }).end();
      } else {
        res.writeHead(404, { 'Content-Length': 9 }).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/folder`;
  });
  afterAll(async () => {
    await closeWorkerPools();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const read = (name: string, digestKey: Uint8Array | null = null) =>
    readIntoSlots({
      url: `${base}/${name}?dsName=ds1`,
      cookie: null,
      thumbprint: null,
      slotBytes: SLOT,
      digestKey,
      file: `[ds1] ${name}`,
      signal: new AbortController().signal,
    });

  it('hands every byte over in full slots, in order, with the keyed digest, however slow the consumer', async () => {
    const key = randomBytes(32);
    const reading = read('disk', key);
    const parts: Buffer[] = [];
    for await (const { slot, length } of reading.slots) {
      parts.push(Buffer.from(new Uint8Array(slot, 0, length)));
      giveSlot(slot);
      // A slow consumer: the worker runs out of slots and pauses the socket mid-read.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(parts.slice(0, -1).every((p) => p.length === SLOT)).toBe(true);
    expect(createHash('sha256').update(Buffer.concat(parts)).digest('hex')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
    expect(reading.sha256()).toBe(fileHash(key).update(data).digest('hex'));
  });

  it('refuses an expired session, a missing file and an answer it does not handle, yielding nothing', async () => {
    const first = async (name: string) => {
      for await (const _ of read(name).slots) return 'a slot';
      return 'nothing';
    };
    await expect(first('expired')).rejects.toMatchObject({ code: 'NotAuthenticated' });
    await expect(first('missing')).rejects.toMatchObject({ code: 'Fault', httpStatus: 404 });
    await expect(first('chunked')).rejects.toBeInstanceOf(UnsupportedAnswer);
  });
});
