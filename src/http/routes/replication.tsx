/**
 * @module http/routes/replication: the Replication page and its htmx fragments: the list (refreshed on
 * `replications-changed`), the create/edit form (errors in place), start (the replica-exists modal of seed
 * 000 when the replica is already there), pause, resume, delete, the live run bar (polled every 500 ms) and
 * its cancel, and the failover dialog.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  FailoverDialog,
  ReplicaExistsDialog,
  ResumeOverwriteDialog,
} from '../../../views/replication/dialogs.js';
import { type FormValues, ReplicationForm } from '../../../views/replication/form.js';
import { ReplicationList } from '../../../views/replication/list.js';
import { ReplicationPage } from '../../../views/replication/page.js';
import { RunBar, runActive } from '../../../views/replication/run-bar.js';
import { getJob } from '../../db/jobs.js';
import { getReplication } from '../../db/replications.js';
import { cancelJob } from '../../jobs/actions.js';
import {
  DestinationUnreachableError,
  deleteReplication,
  ReplicaExistsError,
  ReplicaInServiceError,
  setPaused,
  startReplication,
  triggerFailover,
} from '../../replication/actions.js';
import { replicationChoices, replicationRows } from '../../replication/page-data.js';
import {
  inputOf,
  ReplicationConflictError,
  replicationForm,
  saveReplication,
} from '../../replication/settings.js';
import { VSphereError } from '../../vsphere/index.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hxTriggerValue } from '../hx-trigger.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { fieldErrors, ValidationError } from '../validation.js';

/** Refreshes the list (and the operations widget), with an optional toast. */
function changed(c: Context<AppEnv>, message?: string, level: 'success' | 'error' = 'success') {
  const events = {
    'replications-changed': true,
    'operations-changed': true,
    ...(message ? { toast: { level, message } } : {}),
  };
  c.header('HX-Trigger', hxTriggerValue(events));
}

async function found(c: Context<AppEnv>) {
  const r = await getReplication(c.get('deps').db, idParam(c));
  if (!r) throw new HTTPException(404, { message: c.get('t')('error.not_found') });
  return r;
}

async function form(c: Context<AppEnv>, values: FormValues, errors?: Record<string, string[]>, id?: number) {
  const choices = await replicationChoices(c.get('deps').db);
  return render(c, <ReplicationForm id={id} choices={choices} values={values} errors={errors} />);
}

/** Maps the action errors to the error toast (409 conflicts, 502 for an unreachable or failing host). */
function failed(err: unknown): never {
  if (err instanceof ReplicationConflictError) throw new HTTPException(409, { message: err.message });
  if (err instanceof DestinationUnreachableError || err instanceof VSphereError)
    throw new HTTPException(502, { message: err.message });
  throw err;
}

async function save(c: Context<AppEnv>, id?: number) {
  const existing = id ? await found(c) : undefined;
  const body = await c.req.parseBody();
  const raw = Object.fromEntries(
    Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string'),
  ) as Record<string, string>;
  const parsed = replicationForm.safeParse({ is_active: raw.is_active ?? 'false', ...raw });
  if (!parsed.success) return form(c, raw, fieldErrors(parsed.error), id);
  try {
    const row = await saveReplication(c.get('deps'), c.get('t'), parsed.data, existing);
    changed(c, c.get('t')(id ? 'replication.updated' : 'replication.created', { name: row.name }));
    return c.html('');
  } catch (err) {
    if (err instanceof ValidationError) return form(c, raw, err.errors, id);
    if (err instanceof ReplicationConflictError) return form(c, raw, { _: [err.message] }, id);
    throw err;
  }
}

export const replicationRoutes = new Hono<AppEnv>()
  .get('/', async (c) =>
    render(
      c,
      <ReplicationPage rows={await replicationRows(c.get('deps').db)} canRun={hasRole(c, 'operator')} />,
    ),
  )
  .get('/list', async (c) =>
    render(
      c,
      <ReplicationList rows={await replicationRows(c.get('deps').db)} canRun={hasRole(c, 'operator')} />,
    ),
  )
  .get('/new', requireRole('operator'), (c) => form(c, { name: '', is_active: true }))
  .get('/form-closed', (c) => c.html(''))
  .post('/', requireRole('operator'), (c) => save(c))
  .get('/runs/:runId/bar', async (c) => {
    const job = await getJob(c.get('deps').db, Number(c.req.param('runId')) || 0);
    if (job?.type !== 'replication') throw new HTTPException(404, { message: c.get('t')('error.not_found') });
    if (!runActive(job)) changed(c);
    return render(c, <RunBar job={job} canCancel={hasRole(c, 'operator')} />);
  })
  .post('/runs/:runId/cancel', requireRole('operator'), async (c) => {
    const id = Number(c.req.param('runId')) || 0;
    await cancelJob(c.get('deps'), id);
    const job = await getJob(c.get('deps').db, id);
    if (!job) throw new HTTPException(404, { message: c.get('t')('error.not_found') });
    return render(c, <RunBar job={job} canCancel />);
  })
  .get('/:id/edit', requireRole('operator'), async (c) => {
    const r = await found(c);
    return form(c, inputOf(r), undefined, r.id);
  })
  .post('/:id', requireRole('operator'), (c) => save(c, idParam(c)))
  .post('/:id/start', requireRole('operator'), async (c) => {
    const r = await found(c);
    const body = await c.req.parseBody();
    const choice = z
      .enum(['delete', 'refresh'])
      .optional()
      .catch(undefined)
      .parse(body.existing_replica || undefined);
    try {
      await startReplication(c.get('deps'), c.get('t'), r, {
        existing_replica: choice,
        userId: c.get('user')?.id ?? null,
      });
    } catch (err) {
      if (err instanceof ReplicaExistsError)
        return render(
          c,
          <ReplicaExistsDialog id={r.id} replicaName={err.replicaName} server={r.destination_server_name} />,
        );
      return failed(err);
    }
    changed(c, c.get('t')('replication.started'));
    return c.html('');
  })
  .post('/:id/pause', requireRole('operator'), async (c) => {
    await setPaused(c.get('deps'), c.get('t'), await found(c), true);
    changed(c, c.get('t')('replication.paused'));
    return c.html('');
  })
  .post('/:id/resume', requireRole('operator'), async (c) => {
    const r = await found(c);
    const body = await c.req.parseBody();
    try {
      await setPaused(c.get('deps'), c.get('t'), r, false, {
        overwriteReplica: body.overwrite_replica === 'on',
      });
    } catch (err) {
      if (err instanceof ReplicaInServiceError)
        return render(c, <ResumeOverwriteDialog id={r.id} message={err.message} />);
      return failed(err);
    }
    changed(c, c.get('t')('replication.resumed'));
    return c.html('');
  })
  .post('/:id/delete', requireRole('operator'), async (c) => {
    const r = await found(c);
    await deleteReplication(c.get('deps'), c.get('t'), r).catch((err) => failed(err));
    changed(c, c.get('t')('replication.deleted', { name: r.name }));
    return c.html('');
  })
  .get('/:id/failover', requireRole('operator'), async (c) => {
    const r = await found(c);
    return render(c, <FailoverDialog id={r.id} name={r.name} values={{}} />);
  })
  .post('/:id/failover', requireRole('operator'), async (c) => {
    const r = await found(c);
    const body = await c.req.parseBody();
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    const testMode = body.test_mode === 'on';
    if (!reason)
      return render(
        c,
        <FailoverDialog
          id={r.id}
          name={r.name}
          values={{ test_mode: testMode }}
          error={c.get('t')('replication.reason_required')}
        />,
      );
    const type = testMode ? 'test' : 'manual';
    await triggerFailover(c.get('deps'), c.get('t'), r, {
      reason,
      type,
      userId: c.get('user')?.id ?? null,
    }).catch((err) => failed(err));
    changed(c, c.get('t')('replication.failover_started', { vm: r.vm_name }));
    return c.html('');
  });
