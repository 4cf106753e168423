/**
 * @module http/routes/vm-detail: a VM's page (`/virtual-machines/:id`) and its retention section as htmx
 * fragments: save the policy (`POST …/retention`, field errors in place with a 400), back to the default
 * (`POST …/retention/reset`). Operators change it; every role sees it and its dry-run preview.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { VmDetailPage } from '../../../views/inventory/vm-detail.js';
import { RetentionSection, type RetentionSectionProps } from '../../../views/inventory/vm-retention.js';
import { planRetention } from '../../backup/index.js';
import { getVirtualMachine } from '../../db/inventory.js';
import { setVmRetention } from '../../db/retention.js';
import type { RetentionPolicy } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
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

export const vmDetailRoutes = new Hono<AppEnv>()
  .get('/:id', async (c) => {
    const { vm, server_name } = await vmOf(c);
    return render(
      c,
      <VmDetailPage vm={vm} serverName={server_name} retention={await sectionProps(c, vm.id)} />,
    );
  })
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
