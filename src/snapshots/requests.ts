/**
 * @module snapshots/requests: what the API and the VM page ask: the tree of a VM, and a create, revert or
 * remove queued as a durable job on the VM's host (per-host concurrency applies). A revert or removal names a
 * snapshot the host has now: anything else is a 404.
 */
import { z } from 'zod';
import { insertJob } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import type { JobRow } from '../jobs/types.js';
import type { CreatePayload } from './create-job.js';
import { MOREF_PATTERN, readVmSnapshots, type SnapshotView, vmTarget, withHost } from './host.js';
import type { SnapshotPayload } from './revert-job.js';

/** Body of a snapshot creation (API and form); field messages are catalog keys. */
export const createSnapshotSchema = z.strictObject({
  name: z
    .string({ error: 'snapshots.error.name' })
    .trim()
    .min(1, { error: 'snapshots.error.name' })
    .max(80, { error: 'snapshots.error.name' }),
  description: z
    .string({ error: 'snapshots.error.description' })
    .max(500, { error: 'snapshots.error.description' })
    .default(''),
  memory: z.boolean().default(false),
  quiesce: z.boolean().default(false),
});
export type CreateSnapshotInput = z.output<typeof createSnapshotSchema>;

/**
 * The VM's snapshot tree as its host reports it now (stored on the VM row too).
 * @throws NotFoundError; ConflictError `vm_gone`; VSphereError (host unreachable, ...).
 */
export async function vmSnapshots(deps: AppDeps, vmId: number): Promise<SnapshotView[]> {
  const { vm, server } = await vmTarget(deps, vmId);
  return withHost(deps, server, (client) => readVmSnapshots(deps, client, vm));
}

/** Queues a job on the VM's host and wakes the runner. */
async function queue(deps: AppDeps, input: Parameters<typeof insertJob>[1]): Promise<JobRow> {
  const job = await insertJob(deps.db, input);
  deps.jobs?.wake();
  return job;
}

/** Queues a `snapshot_create` of VM `vmId`. @throws NotFoundError; ConflictError `vm_gone`. */
export async function requestCreate(
  deps: AppDeps,
  vmId: number,
  input: CreateSnapshotInput,
  userId: number | null,
) {
  const { vm } = await vmTarget(deps, vmId);
  const payload: CreatePayload = { virtual_machine_id: vm.id, ...input };
  return queue(deps, {
    type: 'snapshot_create',
    target_label: `${vm.name} · ${input.name}`,
    esxi_server_id: vm.esxi_server_id,
    payload: { ...payload },
    created_by: userId,
  });
}

/**
 * Queues a revert or a removal of snapshot `moref` of VM `vmId`.
 * @throws InvalidInputError (a malformed MoRef: 400); NotFoundError (no such VM, or no such snapshot on its
 *   host now); ConflictError `vm_gone`; VSphereError (host unreachable).
 */
export async function requestOnSnapshot(
  deps: AppDeps,
  type: 'snapshot_revert' | 'snapshot_remove',
  vmId: number,
  moref: string,
  userId: number | null,
): Promise<JobRow> {
  if (!MOREF_PATTERN.test(moref))
    throw new InvalidInputError({
      snapshot: [msg('snapshots.error.bad_moref', { value: moref.slice(0, 40) })],
    });
  const { vm } = await vmTarget(deps, vmId);
  const snapshot = (await vmSnapshots(deps, vmId)).find((s) => s.moref === moref);
  if (!snapshot) throw new NotFoundError(msg('snapshots.error.not_found', { snapshot: moref, vm: vm.name }));
  const payload: SnapshotPayload = {
    virtual_machine_id: vm.id,
    snapshot_moref: moref,
    snapshot_name: snapshot.name,
  };
  return queue(deps, {
    type,
    target_label: `${vm.name} · ${snapshot.name}`,
    esxi_server_id: vm.esxi_server_id,
    payload: { ...payload },
    created_by: userId,
  });
}
