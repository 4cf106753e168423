/**
 * @module http/routes/backup-jobs: the "Tâches de sauvegarde" pages: the list, the create/edit form (errors in
 * place, 400) with its selection preview fragment (`GET /backup-jobs/selection`, the form's fields as query),
 * a job's page with its runs, Run now (to the run's page; a run already running: back with the message),
 * delete, a run's page with its live fragment (`runs/{id}/live`) and Cancel.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { BackupJobPage } from '../../../views/backup-jobs/detail.js';
import { BackupJobFormPage } from '../../../views/backup-jobs/form.js';
import { BackupJobsPage } from '../../../views/backup-jobs/list.js';
import { SelectionPreview } from '../../../views/backup-jobs/preview.js';
import { RunLive, RunPage } from '../../../views/backup-jobs/run.js';
import { type JobFormValues, jobFromForm, jobToForm, NEW_JOB_FORM } from '../../backup-jobs/form.js';
import {
  backupJobInput,
  evaluateSelection,
  inputOf,
  removeBackupJob,
  saveBackupJob,
  startRun,
} from '../../backup-jobs/index.js';
import { finishRun, getRun, lastRuns, listRuns, listRunVms } from '../../db/backup-job-runs.js';
import { getBackupJob, listBackupJobs } from '../../db/backup-jobs.js';
import { listServers } from '../../db/esxi-servers.js';
import { listVirtualMachines } from '../../db/inventory.js';
import { listStoragePaths } from '../../db/storage-paths.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../../errors.js';
import { cancelJob } from '../../jobs/actions.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { type FieldErrors, renderFields, validate } from '../validation.js';

async function serverNames(c: Context<AppEnv>) {
  return new Map((await listServers(c.get('deps').db)).map((s) => [s.id, s.name]));
}

/** The form's values from a query string or a posted body (repeated fields as lists). */
function formValues(raw: Record<string, string | string[] | File | (string | File)[]>): JobFormValues {
  const values: JobFormValues = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === '_csrf') continue;
    const texts = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    values[k] = texts.length > 1 || k === 'virtual_machines' || k === 'esxi_servers' ? texts : texts[0];
  }
  return values;
}

/** The selection the form's values describe, or null while they select nothing valid. */
async function previewOf(c: Context<AppEnv>, values: JobFormValues) {
  const raw = jobFromForm(values);
  return evaluateSelection(c.get('deps').db, {
    virtual_machine_ids: (raw.virtual_machines as number[]).filter(Number.isInteger),
    esxi_server_ids: (raw.esxi_servers as number[]).filter(Number.isInteger),
    include_patterns: raw.include_patterns as string[],
    exclude_patterns: raw.exclude_patterns as string[],
    skip_powered_off: raw.skip_powered_off as boolean,
  });
}

async function formPage(c: Context<AppEnv>, values: JobFormValues, errors?: FieldErrors, id?: number) {
  const { db } = c.get('deps');
  const vms = (await listVirtualMachines(db)).rows.map((r) => ({ ...r.vm, server_name: r.server_name }));
  const choices = { vms, servers: await listServers(db), storagePaths: await listStoragePaths(db) };
  const selection = await previewOf(c, values);
  const page = (
    <BackupJobFormPage id={id} values={values} errors={errors} choices={choices} selection={selection} />
  );
  return render(c, page, errors ? 400 : 200);
}

async function save(c: Context<AppEnv>, id?: number) {
  const existing = id ? await getBackupJob(c.get('deps').db, id) : undefined;
  if (id && !existing) throw new NotFoundError();
  const values = formValues(await c.req.parseBody({ all: true }));
  const t = c.get('t');
  try {
    const input = validate(c, backupJobInput, jobFromForm(values));
    const job = await saveBackupJob(c.get('deps'), input, existing ?? undefined);
    return redirectWithFlash(
      c,
      `/backup-jobs/${job.id}`,
      'success',
      t('backup_jobs.saved', { name: job.name }),
    );
  } catch (err) {
    if (err instanceof InvalidInputError) return formPage(c, values, renderFields(t, err.fields ?? {}), id);
    if (err instanceof ConflictError) return formPage(c, values, { name: [t.message(err.detail)] }, id);
    throw err;
  }
}

async function jobOf(c: Context<AppEnv>) {
  const job = await getBackupJob(c.get('deps').db, idParam(c));
  if (!job) throw new NotFoundError();
  return job;
}

async function runOf(c: Context<AppEnv>) {
  const run = await getRun(c.get('deps').db, idParam(c));
  if (!run) throw new NotFoundError();
  return { run, lines: await listRunVms(c.get('deps').db, run.id) };
}

export const backupJobRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const jobs = await listBackupJobs(c.get('deps').db);
    const last = await lastRuns(
      c.get('deps').db,
      jobs.map((j) => j.id),
    );
    const rows = jobs.map((job) => ({ job, last: last.get(job.id) }));
    return render(
      c,
      <BackupJobsPage rows={rows} serverNames={await serverNames(c)} canRun={hasRole(c, 'operator')} />,
    );
  })
  .get('/new', requireRole('operator'), (c) => formPage(c, NEW_JOB_FORM))
  .get('/selection', async (c) => {
    const selection = await previewOf(c, formValues(c.req.queries()));
    return render(c, <SelectionPreview selection={selection} />);
  })
  .post('/', requireRole('operator'), (c) => save(c))
  .get('/runs/:id', async (c) => {
    const { run, lines } = await runOf(c);
    return render(c, <RunPage run={run} lines={lines} canCancel={hasRole(c, 'operator')} />);
  })
  .get('/runs/:id/live', async (c) => {
    const { run, lines } = await runOf(c);
    return render(c, <RunLive run={run} lines={lines} canCancel={hasRole(c, 'operator')} />);
  })
  .post('/runs/:id/cancel', requireRole('operator'), async (c) => {
    const { run } = await runOf(c);
    const deps = c.get('deps');
    const outcome = run.status === 'running' && run.job_id ? await cancelJob(deps, run.job_id) : null;
    if (run.status === 'running' && outcome?.outcome !== 'requested')
      await finishRun(deps.db, run.id, 'cancelled');
    const t = c.get('t');
    return redirectWithFlash(
      c,
      `/backup-jobs/runs/${run.id}`,
      'success',
      t('backup_jobs.run.cancel_requested'),
    );
  })
  .get('/:id', async (c) => {
    const job = await jobOf(c);
    const { rows } = await listRuns(c.get('deps').db, { backup_job: job.id }, { limit: 50, offset: 0 });
    const page = (
      <BackupJobPage
        job={job}
        runs={rows}
        serverNames={await serverNames(c)}
        canRun={hasRole(c, 'operator')}
      />
    );
    return render(c, page);
  })
  .get('/:id/edit', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    return formPage(c, jobToForm(inputOf(job)), undefined, job.id);
  })
  .post('/:id', requireRole('operator'), (c) => save(c, idParam(c)))
  .post('/:id/run', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    const t = c.get('t');
    try {
      const run = await startRun(c.get('deps'), job, 'manual', c.get('user')?.id ?? null);
      return redirectWithFlash(c, `/backup-jobs/runs/${run.id}`, 'success', t('backup_jobs.started'));
    } catch (err) {
      if (err instanceof AppError && err.code === 'backup_job_running')
        return redirectWithFlash(c, `/backup-jobs/${job.id}`, 'error', t.message(err.detail));
      throw err;
    }
  })
  .post('/:id/delete', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    const t = c.get('t');
    try {
      await removeBackupJob(c.get('deps'), job);
    } catch (err) {
      if (err instanceof AppError && err.code === 'backup_job_running')
        return redirectWithFlash(c, `/backup-jobs/${job.id}`, 'error', t.message(err.detail));
      throw err;
    }
    return redirectWithFlash(c, '/backup-jobs/', 'success', t('backup_jobs.deleted', { name: job.name }));
  });
