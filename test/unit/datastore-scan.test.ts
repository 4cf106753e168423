import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDatastoreFile } from '../../src/vsphere/datastore-scan.js';

/** A local HTTP server answering like a datastore would, or not: the scanner's edge cases. */
describe('datastore file scan straight off the socket', () => {
  const data = randomBytes(3 * 1024 * 1024 + 17);
  let server: http.Server;
  let base: string;
  const seen: Array<{ url: string; range?: string; cookie?: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', range: req.headers.range, cookie: req.headers.cookie });
      if (req.url?.startsWith('/folder/whole')) {
        res.writeHead(200, { 'Content-Length': data.length });
        // The head and the body arrive in several pieces.
        res.write(data.subarray(0, 5));
        setTimeout(() => res.end(data.subarray(5)), 20);
      } else if (req.url?.startsWith('/folder/range')) {
        const [, start, end] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
        const piece = data.subarray(Number(start), Number(end) + 1);
        res.writeHead(206, { 'Content-Length': piece.length }).end(piece);
      } else if (req.url?.startsWith('/folder/chunked')) {
        res.writeHead(200, { 'Transfer-Encoding': 'chunked' }).end(data.subarray(0, 1000));
      } else if (req.url?.startsWith('/folder/short')) {
        res.writeHead(200, { 'Content-Length': data.length });
        res.write(data.subarray(0, 1000), () => res.socket?.destroy());
      } else {
        res.writeHead(404, { 'Content-Length': 9 }).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/folder`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const scan = async (path: string, range?: { start: number; end: number }) => {
    const hash = createHash('sha256');
    const result = await scanDatastoreFile({
      url: `${base}/${path}?dsName=ds1`,
      cookie: 'vmware_soap_session="abc"',
      thumbprint: null,
      range,
      signal: new AbortController().signal,
      onData: (chunk) => void hash.update(chunk),
    });
    return { ...result, sha256: hash.digest('hex') };
  };
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('reads a whole file whose head and body come in pieces, sending the session cookie', async () => {
    expect(await scan('whole')).toMatchObject({
      status: 200,
      bytes: data.length,
      complete: true,
      sha256: sha256(data),
    });
    expect(seen.at(-1)).toMatchObject({
      url: '/folder/whole?dsName=ds1',
      cookie: 'vmware_soap_session="abc"',
    });
  });

  it('reads a byte range (end exclusive) as the Range header asks', async () => {
    const result = await scan('range', { start: 1000, end: 2_000_000 });
    expect(result).toMatchObject({ status: 206, bytes: 1_999_000, complete: true });
    expect(result.sha256).toBe(sha256(data.subarray(1000, 2_000_000)));
    expect(seen.at(-1)?.range).toBe('bytes=1000-1999999');
  });

  it('answers a refusal with its status and hands on nothing', async () => {
    expect(await scan('missing')).toMatchObject({ status: 404, bytes: 0, complete: false });
  });

  it('reports a chunked answer as unsupported, for the caller to read it another way', async () => {
    const result = await scan('chunked');
    expect(result).toMatchObject({ status: 200, bytes: 0, complete: false, unsupported: true });
  });

  it('reports a body cut short as incomplete', async () => {
    const result = await scan('short');
    expect(result.complete).toBe(false);
    expect(result.bytes).toBeLessThan(data.length);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      scanDatastoreFile({
        url: `${base}/whole`,
        cookie: null,
        thumbprint: null,
        signal: controller.signal,
        onData: () => true,
      }),
    ).rejects.toThrow('cancelled');
  });
});
