/**
 * @module http/routes/db-backup/flow: the one-click database backup's htmx flow (seed 004), admins only
 * (403 for anyone else): `POST /backup/start` starts the `db_backup` job (or, while one runs, shows that
 * one) and answers the progress container; `GET /backup/progress` the bar, with `HX-Trigger: done` once the
 * job has ended; `GET /backup/result` the outcome card; `GET /backup/current` the running backup's container
 * for the page-load slot (204 when none runs).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { DbBackupBar, DbBackupContainer, DbBackupResultCard } from '../../../../views/db-backup/card.js';
import { databaseOf } from '../../../db/client.js';
import {
  activeDbBackupJob,
  getDbBackupJob,
  resultOf,
  startDbBackupJob,
} from '../../../db-backup/job-store.js';
import { NotFoundError } from '../../../errors.js';
import { asId } from '../../api/ids.js';
import type { AppEnv } from '../../context.js';
import { requireRole } from '../../middleware/auth.js';
import { render } from '../../render.js';
import { triggerOperationsChanged } from '../operations.js';

/** The `db_backup` job named by `?job=`. @throws NotFoundError for another id, type or none. */
async function jobFromQuery(c: Context<AppEnv>) {
  const id = asId(c.req.query('job'));
  const job = id ? await getDbBackupJob(c.get('deps').db, id) : null;
  if (!job) throw new NotFoundError();
  c.header('Cache-Control', 'no-store');
  return job;
}

const finished = (status: string) => status !== 'PENDING' && status !== 'IN_PROGRESS';

export const dbBackupFlowRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .post('/start', async (c) => {
    const deps = c.get('deps');
    const label = databaseOf(deps.db)?.location ?? deps.databaseKind;
    const { job, created } = await startDbBackupJob(deps.db, {
      label,
      createdBy: c.get('user')?.id ?? null,
    });
    if (created) {
      deps.jobs?.wake();
      triggerOperationsChanged(c);
    }
    return render(c, <DbBackupContainer job={job} />);
  })
  .get('/progress', async (c) => {
    const job = await jobFromQuery(c);
    if (finished(job.status)) c.header('HX-Trigger', 'done');
    return render(c, <DbBackupBar job={job} />);
  })
  .get('/result', async (c) => {
    const job = await jobFromQuery(c);
    return render(c, <DbBackupResultCard job={job} result={resultOf(job)} />);
  })
  .get('/current', async (c) => {
    const job = await activeDbBackupJob(c.get('deps').db);
    c.header('Cache-Control', 'no-store');
    if (!job) return c.body(null, 204);
    return render(c, <DbBackupContainer job={job} />);
  });
