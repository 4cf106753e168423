/**
 * @module http/routes/backups: the Backups page and its htmx fragments: start a backup, the live panel
 * (polled every 500 ms while it runs), cancel, the history, and the restore dialog.
 * @see ../shared/seeds/003_e1959c7fd3d0bcac.txt
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { BackupHistory } from '../../../views/backups/history.js';
import { BackupsPage } from '../../../views/backups/page.js';
import { type BackupChoices, BackupPanel } from '../../../views/backups/panel.js';
import { RestoreDatastoreSelect, RestoreDialog } from '../../../views/backups/restore-dialog.js';
import { createBackupJob, createRestoreJob, getBackup, listBackups } from '../../db/backups.js';
import { listServers } from '../../db/esxi-servers.js';
import { listDatastores, listVirtualMachines } from '../../db/inventory.js';
import { requestCancel } from '../../db/jobs.js';
import { listStoragePaths } from '../../db/storage-paths.js';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import { asId, idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm, renderFields } from '../validation.js';
import { triggerOperationsChanged } from './operations.js';

const checkbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
/** A row id from a form (a Postgres `integer`). */
const formId = z.coerce.number().int().positive().max(2_147_483_647);
const startForm = z.object({
  virtual_machine: formId,
  storage_path: formId.optional(),
  quiesce: checkbox,
});
const restoreForm = z.object({
  esxi_server: formId,
  datastore: z.string().trim().min(1),
  vm_name: z.string().trim().min(1).max(80),
  power_on: checkbox,
});

async function choices(c: Context<AppEnv>): Promise<BackupChoices> {
  const { db } = c.get('deps');
  const [vms, paths] = await Promise.all([listVirtualMachines(db), listStoragePaths(db)]);
  return {
    vms: vms.rows.map(({ vm, server_name }) => ({ id: vm.id, name: vm.name, server_name })),
    storagePaths: paths.filter((p) => p.is_active).map((p) => ({ id: p.id, name: p.name })),
  };
}

/** The `:id` backup with its job's state. @throws NotFoundError. */
async function backupOf(c: Context<AppEnv>) {
  const backup = await getBackup(c.get('deps').db, idParam(c));
  if (!backup) throw new NotFoundError();
  return backup;
}

/** Tells the widget and the history that a job started or ended. */
function announce(c: Context<AppEnv>) {
  c.header('HX-Trigger', 'operations-changed, backups-changed');
}

async function restoreChoices(c: Context<AppEnv>, serverId?: number) {
  const { db } = c.get('deps');
  const servers = (await listServers(db)).filter((s) => s.is_active);
  const chosen = serverId ?? servers[0]?.id;
  const datastores = chosen ? await listDatastores(db, chosen) : [];
  return {
    servers: servers.map((s) => ({ id: s.id, name: s.name })),
    datastores: datastores.map(({ datastore }) => ({
      name: datastore.name,
      free_bytes: datastore.free_bytes,
    })),
  };
}

export const backupRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const { rows: backups } = await listBackups(db);
    // The running backup, else one that ended in the last two minutes, so its outcome is still shown.
    const recent = (b: (typeof backups)[number]) =>
      !!b.finished_at && Date.now() - b.finished_at.getTime() < 120_000;
    const current =
      backups.find((b) => b.status === 'IN_PROGRESS' || b.status === 'PENDING') ??
      backups.find(recent) ??
      null;
    return render(
      c,
      <BackupsPage
        choices={await choices(c)}
        current={current}
        backups={backups}
        canRun={hasRole(c, 'operator')}
      />,
    );
  })
  .get('/history', async (c) =>
    render(
      c,
      <BackupHistory
        backups={(await listBackups(c.get('deps').db)).rows}
        canRestore={hasRole(c, 'operator')}
      />,
    ),
  )
  .post('/start', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const form = await parseForm(c, startForm);
    if (!form.ok) throw new InvalidInputError(form.errors);
    // A refused request (unknown VM, no active storage path) is an InvalidInputError: a toast says why.
    const backup = await createBackupJob(deps.db, {
      virtual_machine_id: form.data.virtual_machine,
      storage_path_id: form.data.storage_path,
      quiesce: form.data.quiesce,
      created_by: c.get('user')?.id,
    });
    deps.jobs?.wake();
    announce(c);
    return render(
      c,
      <BackupPanel choices={await choices(c)} backup={await getBackup(deps.db, backup.id)} canRun />,
    );
  })
  .get('/:id/panel', async (c) => {
    const backup = await backupOf(c);
    if (backup.status !== 'IN_PROGRESS' && backup.status !== 'PENDING') announce(c);
    return render(
      c,
      <BackupPanel choices={await choices(c)} backup={backup} canRun={hasRole(c, 'operator')} />,
    );
  })
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const backup = await backupOf(c);
    const result = await requestCancel(deps.db, backup.job_id);
    if (result?.outcome === 'requested') deps.jobs?.cancelled(backup.job_id);
    return render(
      c,
      <BackupPanel choices={await choices(c)} backup={await getBackup(deps.db, backup.id)} canRun />,
    );
  })
  .get('/restore-datastores', requireRole('operator'), async (c) => {
    const { datastores } = await restoreChoices(c, asId(c.req.query('esxi_server')));
    return render(c, <RestoreDatastoreSelect datastores={datastores} />);
  })
  .get('/:id/restore', requireRole('operator'), async (c) => {
    const backup = await backupOf(c);
    const values = { vm_name: `${backup.vm_name}-restored`, power_on: false };
    return render(
      c,
      <RestoreDialog
        backupId={backup.id}
        vmName={backup.vm_name}
        choices={await restoreChoices(c)}
        values={values}
      />,
    );
  })
  .post('/:id/restore', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const backup = await backupOf(c);
    const form = await parseForm(c, restoreForm);
    const again = async (values: Record<string, unknown>, errors: Record<string, string[]>) => {
      const serverId = asId(String(values.esxi_server ?? ''));
      const dialog = (
        <RestoreDialog
          backupId={backup.id}
          vmName={backup.vm_name}
          choices={await restoreChoices(c, serverId)}
          values={values}
          errors={errors}
        />
      );
      return render(c, dialog, 400);
    };
    if (!form.ok) return again(form.values, form.errors);
    try {
      await createRestoreJob(deps.db, {
        vm_backup_id: backup.id,
        ...form.data,
        esxi_server_id: form.data.esxi_server,
        created_by: c.get('user')?.id,
      });
    } catch (err) {
      if (err instanceof InvalidInputError)
        return again(form.data, renderFields(c.get('t'), err.fields ?? {}));
      throw err;
    }
    deps.jobs?.wake();
    triggerOperationsChanged(c, {
      level: 'success',
      message: c.get('t')('backups.restore_started', { name: form.data.vm_name }),
    });
    return c.html('');
  });
