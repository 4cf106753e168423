/**
 * @module http/routes/replication: the Replication page and its htmx fragments: the list (refreshed on
 * `replications-changed`), the create/edit form (errors in place), start (the replica-exists modal of seed
 * 000 when the replica is already there), pause, resume, delete, the live run bar (polled every 500 ms) and
 * its cancel, and the failover dialog. Errors are the domain's (src/errors.ts): a form shows them in place,
 * the replica-exists and replica-in-service conflicts open their dialog, onError answers the others (toast).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
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
import { ConflictError, InvalidInputError } from '../../errors.js';
import { cancelJob } from '../../jobs/actions.js';
import {
  deleteReplication,
  loadReplication,
  loadRun,
  setPaused,
  startReplication,
  triggerFailover,
} from '../../replication/actions.js';
import { replicationChoices, replicationRows } from '../../replication/page-data.js';
import { inputOf, replicationForm, saveReplication } from '../../replication/settings.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hxTriggerValue } from '../hx-trigger.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { type FieldErrors, renderFields, validate } from '../validation.js';

/** Refreshes the list (and the operations widget), with an optional toast. */
function changed(c: Context<AppEnv>, message?: string, level: 'success' | 'error' = 'success') {
  const events = {
    'replications-changed': true,
    'operations-changed': true,
    ...(message ? { toast: { level, message } } : {}),
  };
  c.header('HX-Trigger', hxTriggerValue(events));
}

const replicationOf = (c: Context<AppEnv>) => loadReplication(c.get('deps').db, idParam(c));
const runOf = (c: Context<AppEnv>) => loadRun(c.get('deps').db, idParam(c, 'runId'));

async function form(c: Context<AppEnv>, values: FormValues, errors?: FieldErrors, id?: number) {
  const choices = await replicationChoices(c.get('deps').db);
  return render(c, <ReplicationForm id={id} choices={choices} values={values} errors={errors} />);
}

/** Saves the form; bad input and conflicts re-render it with their messages in place. */
async function save(c: Context<AppEnv>, id?: number) {
  const existing = id ? await replicationOf(c) : undefined;
  const body = await c.req.parseBody();
  const raw = Object.fromEntries(
    Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string'),
  ) as Record<string, string>;
  const t = c.get('t');
  try {
    const input = validate(c, replicationForm, { is_active: raw.is_active ?? 'false', ...raw });
    const row = await saveReplication(c.get('deps'), input, existing);
    changed(c, t(id ? 'replication.updated' : 'replication.created', { name: row.name }));
    return c.html('');
  } catch (err) {
    if (err instanceof InvalidInputError) return form(c, raw, renderFields(t, err.fields ?? {}), id);
    if (err instanceof ConflictError) return form(c, raw, { _: [t.message(err.detail)] }, id);
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
    const job = await runOf(c);
    if (!runActive(job)) changed(c);
    return render(c, <RunBar job={job} canCancel={hasRole(c, 'operator')} />);
  })
  .post('/runs/:runId/cancel', requireRole('operator'), async (c) => {
    const run = await runOf(c);
    await cancelJob(c.get('deps'), run.id);
    return render(c, <RunBar job={(await getJob(c.get('deps').db, run.id)) ?? run} canCancel />);
  })
  .get('/:id/edit', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    return form(c, inputOf(r), undefined, r.id);
  })
  .post('/:id', requireRole('operator'), (c) => save(c, idParam(c)))
  .post('/:id/start', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const body = await c.req.parseBody();
    const choice = z
      .enum(['delete', 'refresh'])
      .optional()
      .catch(undefined)
      .parse(body.existing_replica || undefined);
    try {
      await startReplication(c.get('deps'), r, {
        existing_replica: choice,
        userId: c.get('user')?.id ?? null,
      });
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'replica_exists')
        return render(
          c,
          <ReplicaExistsDialog
            id={r.id}
            replicaName={String(err.extra?.replica_name)}
            server={r.destination_server_name}
          />,
        );
      throw err;
    }
    changed(c, c.get('t')('replication.started'));
    return c.html('');
  })
  .post('/:id/pause', requireRole('operator'), async (c) => {
    await setPaused(c.get('deps'), await replicationOf(c), true);
    changed(c, c.get('t')('replication.paused'));
    return c.html('');
  })
  .post('/:id/resume', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const body = await c.req.parseBody();
    try {
      await setPaused(c.get('deps'), r, false, { overwriteReplica: body.overwrite_replica === 'on' });
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'replica_in_service')
        return render(c, <ResumeOverwriteDialog id={r.id} message={c.get('t').message(err.detail)} />);
      throw err;
    }
    changed(c, c.get('t')('replication.resumed'));
    return c.html('');
  })
  .post('/:id/delete', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    await deleteReplication(c.get('deps'), r);
    changed(c, c.get('t')('replication.deleted', { name: r.name }));
    return c.html('');
  })
  .get('/:id/failover', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    return render(c, <FailoverDialog id={r.id} name={r.name} values={{}} />);
  })
  .post('/:id/failover', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
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
    await triggerFailover(c.get('deps'), r, {
      reason,
      type: testMode ? 'test' : 'manual',
      userId: c.get('user')?.id ?? null,
    });
    changed(c, c.get('t')('replication.failover_started', { vm: r.vm_name }));
    return c.html('');
  });
