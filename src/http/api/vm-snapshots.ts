/**
 * @module http/api/vm-snapshots: a VM's snapshots: `GET /api/virtual-machines/{id}/snapshots/` (the tree as its
 * host reports it now), `POST` the same path (create), `POST …/snapshots/{snapshot}/revert/` and
 * `DELETE …/snapshots/{snapshot}/` (snapshot: the MoRef value). Each change answers its queued operation (202).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { JobRow } from '../../jobs/types.js';
import {
  createSnapshotSchema,
  requestCreate,
  requestOnSnapshot,
  vmSnapshots,
} from '../../snapshots/index.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { operationJson } from './operations-json.js';

/** The queued operation, 202. */
function queued(c: Context<AppEnv>, job: JobRow) {
  return c.json(operationJson(c.get('t'), job, c.get('deps').jobs?.isCancellable(job.type) ?? false), 202);
}

const user = (c: Context<AppEnv>) => c.get('user')?.id ?? null;

export const vmSnapshotsApi = new Hono<AppEnv>()
  .get('/:id/snapshots', async (c) => {
    const id = idParam(c);
    const snapshots = await vmSnapshots(c.get('deps'), id);
    const current = snapshots.find((s) => s.is_current)?.moref ?? null;
    return c.json({ virtual_machine: id, current_snapshot: current, snapshots });
  })
  .post('/:id/snapshots', requireRole('operator'), async (c) => {
    const id = idParam(c);
    const body = await parseJson(c, createSnapshotSchema);
    return queued(c, await requestCreate(c.get('deps'), id, body, user(c)));
  })
  .post('/:id/snapshots/:snapshot/revert', requireRole('operator'), async (c) => {
    const id = idParam(c);
    const job = await requestOnSnapshot(
      c.get('deps'),
      'snapshot_revert',
      id,
      c.req.param('snapshot'),
      user(c),
    );
    return queued(c, job);
  })
  .delete('/:id/snapshots/:snapshot', requireRole('operator'), async (c) => {
    const id = idParam(c);
    const job = await requestOnSnapshot(
      c.get('deps'),
      'snapshot_remove',
      id,
      c.req.param('snapshot'),
      user(c),
    );
    return queued(c, job);
  });
