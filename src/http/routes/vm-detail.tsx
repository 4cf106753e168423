/**
 * @module http/routes/vm-detail: a VM's page (`/virtual-machines/:id`) and its sections as htmx fragments:
 * Changed Block Tracking on or off (`POST …/change-tracking/enable|disable`, the host's refusal shown in
 * place), and the retention policy: save it (`POST …/retention`, field errors in place with a 400), back to
 * the default (`POST …/retention/reset`). Operators change them; every role sees them.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { CbtSection } from '../../../views/inventory/vm-cbt.js';
import { VmDetailPage } from '../../../views/inventory/vm-detail.js';
import { RetentionSection, type RetentionSectionProps } from '../../../views/inventory/vm-retention.js';
import { planRetention } from '../../backup/index.js';
import { getVirtualMachine } from '../../db/inventory.js';
import { vmExportOffer } from '../../db/ovf-export-source.js';
import { setVmRetention } from '../../db/retention.js';
import type { RetentionPolicy } from '../../db/schema.js';
import { listSnapshotSchedules } from '../../db/snapshot-schedules.js';
import { AppError, NotFoundError } from '../../errors.js';
import { changeTracking } from '../../inventory/change-tracking.js';
import { idParam } from '../api/ids.js';
import { retentionFormSchema, toPolicy } from '../api/vm-retention.js';
import type { AppEnv } from '../context.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm } from '../validation.js';

/** The `:id` VM with its server's name. @throws NotFoundError. */
async function vmOf(c: Context<AppEnv>) {
  const row = await getVirtualMachine(c.get('deps').db, idParam(c));
  if (!row) throw new NotFoundError();
  return row;
}

/** The retention section's props for VM `vmId`: the plan as the policy stands now. */
async function sectionProps(
  c: Context<AppEnv>,
  vmId: number,
  extra: Partial<RetentionSectionProps> = {},
): Promise<RetentionSectionProps> {
  const { db, config } = c.get('deps');
  const plan = await planRetention(db, { virtualMachineId: vmId, keep: config.backupRetentionCount });
  return { vmId, plan, canEdit: hasRole(c, 'operator'), ...extra };
}

/** Stores the policy (null: the default) and answers the section with a confirmation. */
async function saved(c: Context<AppEnv>, vmId: number, policy: RetentionPolicy | null) {
  await setVmRetention(c.get('deps').db, vmId, policy);
  const notice = c.get('t')(policy ? 'retention.saved' : 'retention.reset_done');
  return render(c, <RetentionSection {...(await sectionProps(c, vmId, { notice }))} />);
}

/** Turns CBT on or off and answers the section: confirmed, or with the host's refusal. */
async function toggleCbt(c: Context<AppEnv>, enabled: boolean) {
  const { vm } = await vmOf(c);
  const t = c.get('t');
  const canEdit = true;
  try {
    const now = await changeTracking(c.get('deps'), vm.id, enabled);
    const notice = t(now ? 'cbt.enabled_done' : 'cbt.disabled_done');
    return render(c, <CbtSection vmId={vm.id} enabled={now} canEdit={canEdit} notice={notice} />);
  } catch (err) {
    if (!(err instanceof AppError) || err.status === 404) throw err;
    const error = t.message(err.detail);
    return render(
      c,
      <CbtSection vmId={vm.id} enabled={vm.change_tracking_enabled} canEdit={canEdit} error={error} />,
    );
  }
}

export const vmDetailRoutes = new Hono<AppEnv>()
  .get('/:id', async (c) => {
    const { vm, server_name } = await vmOf(c);
    const cbt = { vmId: vm.id, enabled: vm.change_tracking_enabled, canEdit: hasRole(c, 'operator') };
    const schedules = {
      vmId: vm.id,
      rows: await listSnapshotSchedules(c.get('deps').db, vm.id),
      canEdit: hasRole(c, 'operator'),
    };
    const retention = await sectionProps(c, vm.id);
    const exportOffer = await vmExportOffer(c.get('deps').db, vm);
    return render(
      c,
      <VmDetailPage
        vm={vm}
        serverName={server_name}
        cbt={cbt}
        retention={retention}
        schedules={schedules}
        exportOffer={exportOffer}
      />,
    );
  })
  .post('/:id/change-tracking/enable', requireRole('operator'), async (c) => toggleCbt(c, true))
  .post('/:id/change-tracking/disable', requireRole('operator'), async (c) => toggleCbt(c, false))
  .post('/:id/retention', requireRole('operator'), async (c) => {
    const { vm } = await vmOf(c);
    const form = await parseForm(c, retentionFormSchema);
    if (!form.ok) {
      const props = await sectionProps(c, vm.id, { values: form.values, errors: form.errors });
      return render(c, <RetentionSection {...props} />, 400);
    }
    return saved(c, vm.id, toPolicy(form.data));
  })
  .post('/:id/retention/reset', requireRole('operator'), async (c) => saved(c, (await vmOf(c)).vm.id, null));
