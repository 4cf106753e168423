/**
 * @module http/routes/vm-snapshots: the Snapshots section of a VM's page as htmx fragments: the tree
 * (`GET /virtual-machines/:id/snapshots`, read from the host), create (`POST`, field errors in place with a
 * 400), and per snapshot the revert and delete confirmations (`GET …/:snapshot/revert|delete`) and their
 * confirmed actions (`POST` the same). Operators change; every role sees the tree.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { SnapshotConfirmDialog } from '../../../views/snapshots/confirm-dialog.js';
import { SnapshotSection, type SnapshotSectionProps } from '../../../views/snapshots/vm-section.js';
import { getVirtualMachine } from '../../db/inventory.js';
import { snapshotJobActive } from '../../db/snapshot-records.js';
import { AppError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import {
  createSnapshotSchema,
  requestCreate,
  requestOnSnapshot,
  vmSnapshots,
} from '../../snapshots/index.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm } from '../validation.js';

const checkbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
const createForm = createSnapshotSchema.extend({ memory: checkbox, quiesce: checkbox }).strip();

/** The section of VM `vmId` as the host shows it now; a host that cannot be read is said in place. */
async function section(
  c: Context<AppEnv>,
  vmId: number,
  extra: Partial<SnapshotSectionProps> = {},
  status: 200 | 400 = 200,
) {
  const deps = c.get('deps');
  const props: SnapshotSectionProps = {
    vmId,
    snapshots: [],
    canEdit: hasRole(c, 'operator'),
    busy: await snapshotJobActive(deps.db, vmId),
    ...extra,
  };
  try {
    props.snapshots = await vmSnapshots(deps, vmId);
  } catch (err) {
    if (!(err instanceof AppError) || err.status === 404) throw err;
    props.error = c.get('t')('snapshots.unreadable', { error: c.get('t').message(err.detail) });
  }
  return render(c, <SnapshotSection {...props} />, status);
}

/** The section after an operation was queued, with the dialog closed (out of band). */
async function queued(c: Context<AppEnv>, vmId: number) {
  const answer = await section(c, vmId, { notice: c.get('t')('snapshots.queued'), busy: true });
  const html = await answer.text();
  return c.html(`${html}<div id="modal" hx-swap-oob="true"></div>`);
}

/** The confirmation dialog of `action` on the `:snapshot` of the `:id` VM. @throws NotFoundError. */
async function dialog(c: Context<AppEnv>, action: 'revert' | 'delete') {
  const vmId = idParam(c);
  const row = await getVirtualMachine(c.get('deps').db, vmId);
  if (!row) throw new NotFoundError();
  const moref = c.req.param('snapshot') ?? '';
  const s = (await vmSnapshots(c.get('deps'), vmId)).find((x) => x.moref === moref);
  if (!s) throw new NotFoundError(msg('snapshots.error.not_found', { snapshot: moref, vm: row.vm.name }));
  return render(c, <SnapshotConfirmDialog action={action} vmId={vmId} vmPower={row.vm.power_state} s={s} />);
}

const user = (c: Context<AppEnv>) => c.get('user')?.id ?? null;

export const vmSnapshotRoutes = new Hono<AppEnv>()
  .get('/:id/snapshots', async (c) => section(c, idParam(c)))
  .post('/:id/snapshots', requireRole('operator'), async (c) => {
    const vmId = idParam(c);
    const form = await parseForm(c, createForm);
    if (!form.ok) return section(c, vmId, { values: form.values, errors: form.errors }, 400);
    await requestCreate(c.get('deps'), vmId, form.data, user(c));
    return queued(c, vmId);
  })
  .get('/:id/snapshots/:snapshot/revert', requireRole('operator'), async (c) => dialog(c, 'revert'))
  .get('/:id/snapshots/:snapshot/delete', requireRole('operator'), async (c) => dialog(c, 'delete'))
  .post('/:id/snapshots/:snapshot/revert', requireRole('operator'), async (c) => {
    const vmId = idParam(c);
    await requestOnSnapshot(c.get('deps'), 'snapshot_revert', vmId, c.req.param('snapshot'), user(c));
    return queued(c, vmId);
  })
  .post('/:id/snapshots/:snapshot/delete', requireRole('operator'), async (c) => {
    const vmId = idParam(c);
    await requestOnSnapshot(c.get('deps'), 'snapshot_remove', vmId, c.req.param('snapshot'), user(c));
    return queued(c, vmId);
  });
