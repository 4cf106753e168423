/**
 * @module http/openapi/paths/snapshots: a VM's snapshots (`/api/virtual-machines/{id}/snapshots/`) and
 * `/api/snapshot-schedules/`.
 */
import { createSnapshotSchema } from '../../../snapshots/index.js';
import { snapshotScheduleFilters } from '../../api/snapshot-schedules.js';
import {
  createSnapshotScheduleSchema,
  updateSnapshotScheduleSchema,
} from '../../api/snapshot-schedules-json.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { operationSchema } from '../schemas/operations.js';
import { snapshotScheduleSchema, snapshotTreeSchema } from '../schemas/snapshots.js';

const tag = 'snapshots';
const snapshotParam = {
  snapshot: {
    description: 'The snapshot’s MoRef value; malformed: 400, not on the VM now: 404.',
    schema: { type: 'string', minLength: 1, maxLength: 80 },
  },
};

/** Adds the snapshot endpoints. */
export function snapshotPaths(doc: DocumentBuilder): void {
  const operation = doc.response('Operation', operationSchema);
  const tree = '/api/virtual-machines/{id}/snapshots/';
  endpoint(doc, {
    method: 'get',
    path: tree,
    tag,
    summary: 'The snapshot tree of a VM, as its host reports it now',
    description: 'Read from the host at each call (409 `vm_gone`, 502 when the host cannot be read).',
    errors: [409, 502],
    ok: {
      200: {
        description: 'The tree, parents before children.',
        schema: doc.response('SnapshotTree', snapshotTreeSchema),
      },
    },
  });
  endpoint(doc, {
    method: 'post',
    path: tree,
    tag,
    summary: 'Take a snapshot of a VM',
    description:
      'Queues a `snapshot_create` operation (CreateSnapshot_Task; cancellable while the host task runs). `memory` includes the RAM (the snapshot then restores a running VM); `quiesce` asks VMware Tools to quiesce the guest.',
    role: 'operator',
    body: doc.request('SnapshotCreate', createSnapshotSchema),
    errors: [409],
    ok: { 202: { description: 'The queued operation.', schema: operation } },
  });
  endpoint(doc, {
    method: 'post',
    path: `${tree}{snapshot}/revert/`,
    tag,
    summary: 'Revert a VM to a snapshot',
    description:
      'Queues a `snapshot_revert` operation (RevertToSnapshot_Task). What was written since the snapshot is lost, and the VM takes the snapshot’s power state: a running VM reverted to a snapshot taken without memory ends powered off.',
    role: 'operator',
    pathParams: snapshotParam,
    errors: [400, 409, 502],
    ok: { 202: { description: 'The queued operation.', schema: operation } },
  });
  endpoint(doc, {
    method: 'delete',
    path: `${tree}{snapshot}/`,
    tag,
    summary: 'Delete a snapshot',
    description:
      'Queues a `snapshot_remove` operation (RemoveSnapshot_Task, children kept, disks consolidated).',
    role: 'operator',
    pathParams: snapshotParam,
    errors: [400, 409, 502],
    ok: { 202: { description: 'The queued operation.', schema: operation } },
  });

  const schedule = doc.response('SnapshotSchedule', snapshotScheduleSchema);
  const base = '/api/snapshot-schedules/';
  const detail = `${base}{id}/`;
  list(
    doc,
    {
      path: base,
      tag,
      summary: 'List the snapshot schedules',
      description: 'By name.',
      name: 'SnapshotSchedule',
      item: schedule,
    },
    snapshotScheduleFilters,
  );
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Create a snapshot schedule',
    description:
      'Each slot takes a snapshot named `<name> YYYY-MM-DD HH:MM` (in the schedule’s time zone), then removes the schedule’s own oldest snapshots beyond `keep_last` (1 to 1000); never any other snapshot. A bad schedule is a 400 naming the field.',
    role: 'operator',
    body: doc.request('SnapshotScheduleCreate', createSnapshotScheduleSchema),
    ok: { 201: { description: 'The schedule.', schema: schedule } },
  });
  endpoint(doc, {
    method: 'get',
    path: detail,
    tag,
    summary: 'One snapshot schedule',
    ok: { 200: { description: 'The schedule.', schema: schedule } },
  });
  const update = doc.request('SnapshotScheduleUpdate', updateSnapshotScheduleSchema);
  for (const method of ['put', 'patch'] as const) {
    endpoint(doc, {
      method,
      path: detail,
      tag,
      summary: 'Change a snapshot schedule',
      description:
        'Any of the fields; a new schedule (or one made active again) gets its next slot after now.',
      role: 'operator',
      body: update,
      ok: { 200: { description: 'The schedule.', schema: schedule } },
    });
  }
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a snapshot schedule',
    description: 'Its snapshots stay on the host.',
    role: 'operator',
    ok: { 204: { description: 'Deleted.', schema: null } },
  });
}
