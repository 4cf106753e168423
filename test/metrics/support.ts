/**
 * @module test/metrics/support: fills a database with an inventory, jobs, backups, replications, failover
 * events and verifications in bulk (tests and bench/metrics.ts), and reads Prometheus' text format back.
 */
import type { Db } from '../../src/db/client.js';
import {
  backup_verifications,
  datastores,
  esxi_servers,
  failover_events,
  JOB_TYPES,
  type JobStatus,
  jobs,
  storage_paths,
  VERIFICATION_STATUSES,
  virtual_machines,
  vm_backups,
  vm_replications,
} from '../../src/db/schema.js';

export interface Scale {
  servers: number;
  vmsPerServer: number;
  datastoresPerServer: number;
  /** Jobs in all; every fourth is a vm_backup job with its vm_backups row. */
  jobs: number;
}

const GIB = 1024 ** 3;
const STATUSES: JobStatus[] = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'FAILED',
  'PENDING',
  'IN_PROGRESS',
  'CANCELLED',
];

/** Inserts rows in chunks (PostgreSQL allows 65,535 parameters per statement). */
async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1000) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Fills an empty database. Server `esx-1` has `datastore1` of 1000 GiB, 250 GiB free (75 % used); every
 * VM has two snapshots; storage paths: one enabled, one disabled; job `i` has type JOB_TYPES-cycled only
 * for i % 4 != 0 (vm_backup otherwise) and status STATUSES[i % 7].
 * @returns the ids of the first server and first VM.
 */
export async function seedMetricsData(db: Db, scale: Scale) {
  const servers = await db
    .insert(esxi_servers)
    .values(
      Array.from({ length: scale.servers }, (_, i) => ({
        name: `esx-${i + 1}`,
        hostname: `10.0.0.${i + 1}`,
        username: 'root',
        password_encrypted: 'sealed',
        is_active: i % 5 !== 4,
      })),
    )
    .returning({ id: esxi_servers.id });
  const dsRows = servers.flatMap((s, si) =>
    Array.from({ length: scale.datastoresPerServer }, (_, d) => ({
      esxi_server_id: s.id,
      moref: `datastore-${d + 1}`,
      name: `datastore${d + 1}`,
      capacity_bytes: 1000 * GIB,
      free_bytes: (250 + ((si + d) % 3) * 100) * GIB,
    })),
  );
  await insertChunked(dsRows, (chunk) => db.insert(datastores).values(chunk));
  const snapshot = (n: number) => ({
    moref: `snapshot-${n}`,
    name: `s${n}`,
    description: '',
    created_at: '',
    parent: null,
  });
  const vmRows = servers.flatMap((s) =>
    Array.from({ length: scale.vmsPerServer }, (_, v) => ({
      esxi_server_id: s.id,
      moref: `vm-${v + 1}`,
      name: `vm-${v + 1}`,
      snapshots: [snapshot(1), snapshot(2)],
    })),
  );
  const vms: { id: number }[] = [];
  await insertChunked(vmRows, async (chunk) =>
    vms.push(...(await db.insert(virtual_machines).values(chunk).returning({ id: virtual_machines.id }))),
  );
  await db.insert(storage_paths).values([
    { name: 'local', path: '/tmp/a' },
    { name: 'old', path: '/tmp/b', is_active: false },
  ]);

  const finished = new Date(Date.now() - 3 * 86_400_000); // before the operations widget's 24 h
  const jobRows = Array.from({ length: scale.jobs }, (_, i) => {
    const status = STATUSES[i % STATUSES.length] as JobStatus;
    const done = status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
    return {
      type: i % 4 === 0 ? ('vm_backup' as const) : (JOB_TYPES[(i % 5) + 1] ?? 'restore'),
      status,
      target_label: `vm-${i}`,
      started_at: status === 'PENDING' ? null : new Date(finished.getTime() - 60_000),
      finished_at: done ? new Date(finished.getTime() + i * 1000) : null,
    };
  });
  await insertChunked(jobRows, async (chunk) => {
    const ids = await db.insert(jobs).values(chunk).returning({ id: jobs.id, type: jobs.type });
    const backups = ids
      .filter((j) => j.type === 'vm_backup')
      .map((j, k) => ({ job_id: j.id, virtual_machine_id: vms[(j.id + k) % vms.length]?.id, vm_name: 'vm' }));
    if (backups.length) await db.insert(vm_backups).values(backups);
  });
  return { serverId: servers[0]?.id as number, vmId: vms[0]?.id as number, vmIds: vms.map((v) => v.id) };
}

/** Adds replications (statuses active, paused, error, syncing), failover events and verifications. */
export async function seedReplicationData(db: Db, serverIds: [number, number], vmIds: number[]) {
  const [source, destination] = serverIds;
  const statuses = ['active', 'active', 'paused', 'error', 'syncing'] as const;
  const replications = await db
    .insert(vm_replications)
    .values(
      statuses.map((status, i) => ({
        name: `rep-${i + 1}`,
        virtual_machine_id: vmIds[i] as number,
        source_server_id: source,
        destination_server_id: destination,
        destination_datastore: 'datastore1',
        replication_interval_minutes: 15,
        status,
        last_replication_at: new Date(Date.now() - (i + 1) * 600_000),
      })),
    )
    .returning({ id: vm_replications.id });
  const first = replications[0]?.id as number;
  await db.insert(failover_events).values([
    { replication_id: first, failover_type: 'manual', status: 'completed' },
    { replication_id: first, failover_type: 'automatic', status: 'failed' },
    { replication_id: first, failover_type: 'test', status: 'completed' },
  ]);
  await db
    .insert(backup_verifications)
    .values(VERIFICATION_STATUSES.map((status) => ({ status, test_type: 'boot' as const })))
    .returning({ id: backup_verifications.id });
  await db.insert(backup_verifications).values({ status: 'passed', test_type: 'full' });
  return replications.map((r) => r.id);
}

/** Samples of a Prometheus text exposition, keyed `name{a="x",b="y"}` (labels sorted) or `name`. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparsable line: ${line}`);
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(
      (m) => `${m[1]}="${m[2]}"`,
    );
    samples.set(key(match[1] as string, labels), Number(match[3]));
  }
  return samples;
}

/** The key {@link parseMetrics} uses for a sample. */
export function sampleKey(name: string, labels: Record<string, string> = {}): string {
  return key(
    name,
    Object.entries(labels).map(([k, v]) => `${k}="${v}"`),
  );
}

function key(name: string, labels: string[]): string {
  return labels.length ? `${name}{${labels.sort().join(',')}}` : name;
}
