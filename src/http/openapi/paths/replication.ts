/**
 * @module http/openapi/paths/replication: `/api/vm-replications/` with its actions and a run's progress, and
 * `/api/failover-events/` (seed section 2).
 */
import { replicationJson as replicationInput } from '../../../replication/settings.js';
import { failoverEventFilters } from '../../api/failover-events.js';
import {
  deleteReplicationQuery,
  failoverSchema,
  resumeSchema,
  startSchema,
} from '../../api/vm-replications.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import {
  failoverEventSchema,
  replicaCheckSchema,
  replicationConflictSchema,
  replicationSchema,
  runProgressSchema,
  startResultSchema,
} from '../schemas/replication.js';

const tag = 'replication';
const base = '/api/vm-replications/';
const detail = `${base}{id}/`;
const rules =
  'The VM and the servers must exist, the source is the VM’s host, the destination differs and has the datastore (400 naming the field otherwise); one replication per VM and destination (409).';

/** Adds the replication and failover endpoints. */
export function replicationPaths(doc: DocumentBuilder): void {
  const replication = doc.response('VmReplication', replicationSchema);
  const progress = doc.response('ReplicationRunProgress', runProgressSchema);
  const event = doc.response('FailoverEvent', failoverEventSchema);
  const one = { 200: { description: 'The replication.', schema: replication } };
  const input = doc.request('VmReplicationInput', replicationInput);
  const runParam = { run_id: 'The run id (`replication_id` of start_replication/).' };
  list(doc, { path: base, tag, summary: 'List the replications', name: 'VmReplication', item: replication });
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Create a replication',
    description: rules,
    role: 'operator',
    body: input,
    ok: { 201: { description: 'The new replication.', schema: replication } },
    errors: [409],
  });
  endpoint(doc, { method: 'get', path: detail, tag, summary: 'One replication', ok: one });
  endpoint(doc, {
    method: 'put',
    path: detail,
    tag,
    summary: 'Replace a replication’s settings',
    description: `${rules} Once the replica exists, the VM, destination and datastore cannot change (409).`,
    role: 'operator',
    body: input,
    ok: one,
    errors: [409],
  });
  endpoint(doc, {
    method: 'patch',
    path: detail,
    tag,
    summary: 'Change some settings of a replication',
    description: 'Any subset of the fields, merged into the current ones, then checked as PUT.',
    role: 'operator',
    body: doc.request('VmReplicationPatch', replicationInput.partial()),
    ok: one,
    errors: [409],
  });
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a replication and its replica VM',
    description: 'The replica on the destination is deleted too, unless `keep_replica=true`. Busy: 409.',
    role: 'operator',
    query: deleteReplicationQuery,
    ok: { 204: { description: 'Deleted.', schema: null } },
    errors: [409, 502],
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}start_replication/`,
    tag,
    summary: 'Start a replication run now',
    description:
      'The body is optional. With a replica already on the destination and no `existing_replica`, the answer is a 409 with `replica_exists: true` and `replica_name`; send `existing_replica: "delete"` (fresh copy) or `"refresh"` to go on. Paused or busy: 409.',
    role: 'operator',
    body: doc.request('StartReplication', startSchema),
    bodyRequired: false,
    ok: {
      200: {
        description: 'The run is queued.',
        schema: doc.response('ReplicationStarted', startResultSchema),
      },
    },
    errors: [502],
    otherResponses: {
      409: {
        description: 'Busy, paused, or a replica already exists (`replica_exists`, `replica_name`).',
        schema: doc.response('ReplicationConflict', replicationConflictSchema),
      },
    },
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}pause/`,
    tag,
    summary: 'Pause a replication (no scheduled run, no automatic failover)',
    role: 'operator',
    ok: one,
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}resume/`,
    tag,
    summary: 'Resume a replication',
    description:
      'The body is optional. After a completed manual or automatic failover that no cycle has followed, the replica serves in production and the next cycle would power it off and overwrite it: the answer is then a 409 with `replica_in_service: true` and the `failover_event` id, until the request says `overwrite_replica: true`.',
    role: 'operator',
    body: doc.request('ResumeReplication', resumeSchema),
    bodyRequired: false,
    ok: one,
    otherResponses: {
      409: {
        description: 'The replica is in service after a failover (`replica_in_service`, `failover_event`).',
        schema: doc.response('ReplicationConflict', replicationConflictSchema),
      },
    },
  });
  endpoint(doc, {
    method: 'get',
    path: `${detail}check_replica_exists/`,
    tag,
    summary: 'Whether the replica VM exists on the destination',
    ok: {
      200: {
        description: 'The answer of the destination host.',
        schema: doc.response('ReplicaCheck', replicaCheckSchema),
      },
    },
    errors: [502],
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}trigger_failover/`,
    tag,
    summary: 'Fail over to the replica (or test it)',
    description:
      '`test_mode: true`: the replica boots on an isolated network and the source keeps running. Busy: 409.',
    role: 'operator',
    body: doc.request('TriggerFailover', failoverSchema),
    ok: { 201: { description: 'The failover event (it runs as an operation).', schema: event } },
    errors: [409, 502],
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}runs/{run_id}/progress/`,
    tag,
    summary: 'Progress of a replication run',
    pathParams: runParam,
    ok: { 200: { description: 'The run.', schema: progress } },
  });
  endpoint(doc, {
    method: 'post',
    path: `${base}runs/{run_id}/cancel/`,
    tag,
    summary: 'Cancel a replication run',
    role: 'operator',
    pathParams: runParam,
    ok: { 200: { description: 'The run after the request.', schema: progress } },
  });
  list(
    doc,
    {
      path: '/api/failover-events/',
      tag,
      summary: 'List the failover events, newest first',
      name: 'FailoverEvent',
      item: event,
    },
    failoverEventFilters,
  );
  endpoint(doc, {
    method: 'get',
    path: '/api/failover-events/{id}/',
    tag,
    summary: 'One failover event, with its step log',
    ok: { 200: { description: 'The event.', schema: event } },
  });
}
