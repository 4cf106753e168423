/**
 * @module test/support/guest-disk — a simulated guest's disk I/O: the launcher's test-only `/ebm-guest/` endpoint
 * (test/simulator/guest_io.go), which writes into the disk's current link as a running guest does (tracked by
 * CBT) and reads the disk as the guest sees it. No vSphere API: a real host's guest writes on its own.
 */
import http from 'node:http';
import https from 'node:https';
import type { Simulator } from './simulator.js';

/** Sends one request to the endpoint. @returns the status and body. */
function request(sim: Simulator, path: string, method: string, body?: Buffer) {
  const lib = sim.protocol === 'https' ? https : http;
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const req = lib.request(
      { host: sim.hostname, port: sim.port, path, method, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `data` at byte `offset` of disk `deviceKey` of VM `vm` (MoRef value), as its running guest would. */
export async function guestWrite(
  sim: Simulator,
  vm: string,
  deviceKey: number,
  offset: number,
  data: Buffer,
) {
  const res = await request(
    sim,
    `/ebm-guest/write?vm=${vm}&disk=${deviceKey}&offset=${offset}`,
    'POST',
    data,
  );
  if (res.status !== 204) throw new Error(`guest write: HTTP ${res.status} ${res.body.toString()}`);
}

/** Reads `length` bytes at `offset` of the disk as the guest sees it now. */
export async function guestRead(
  sim: Simulator,
  vm: string,
  deviceKey: number,
  offset: number,
  length: number,
) {
  const path = `/ebm-guest/read?vm=${vm}&disk=${deviceKey}&offset=${offset}&length=${length}`;
  const res = await request(sim, path, 'GET');
  if (res.status !== 200) throw new Error(`guest read: HTTP ${res.status} ${res.body.toString()}`);
  return res.body;
}
