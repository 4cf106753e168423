/**
 * @module test/support/nfc-leases — the export leases of a simulated host, from the launcher's test-only
 * `GET /ebm-nfc/leases` listing (test/simulator/nfc_export.go), ended leases included: a test checks that
 * the app completed or aborted the lease it took. No vSphere API: on a real host the lease is read with the
 * property collector.
 */
import https from 'node:https';
import type { Simulator } from './simulator.js';

/** One export lease as the launcher lists it. */
export interface NfcLease {
  /** MoRef value of the HttpNfcLease. */
  lease: string;
  /** MoRef value of the exported VM. */
  entity: string;
  state: 'initializing' | 'ready' | 'done' | 'error';
  transferProgress: number;
  /** Why it is in `error` (aborted, timed out), absent otherwise. */
  error?: string;
}

/** Lists the host's export leases (HTTPS simulator only). @throws Error on a non-200 answer. */
export function nfcLeases(sim: Simulator): Promise<NfcLease[]> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: sim.hostname, port: sim.port, path: '/ebm-nfc/leases', rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`nfc leases: HTTP ${res.statusCode} ${body}`));
          else resolve(JSON.parse(body) as NfcLease[]);
        });
      },
    );
    req.on('error', reject);
  });
}
