/**
 * @module http/routes/storage-paths: the storage paths admin page (list with repository sizes, add, delete,
 * Verify and Garbage collect). A refused path (InvalidInputError: name taken, directory not writable, wrong
 * passphrase, confirmation different) shows the form again with its field messages. Creating an encrypted
 * path answers the page itself with the master key, once (no redirect, nothing stored in clear, no cache).
 */
import { type Context, Hono } from 'hono';
import { StoragePathsPage } from '../../../views/storage/list.js';
import {
  deleteStoragePath,
  getStoragePath,
  insertStoragePath,
  listStoragePaths,
} from '../../db/storage-paths.js';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { type RepositoryJobType, startRepositoryJob } from '../../repository-jobs/index.js';
import {
  checkStoragePath,
  prepareRepository,
  storagePathColumns,
  storagePathFormSchema,
} from '../../storage/storage-paths.js';
import { idParam } from '../api/ids.js';
import { storagePathsJson } from '../api/storage-paths-json.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { hxTriggerValue } from '../hx-trigger.js';
import { requireRole } from '../middleware/auth.js';
import { isHtmx, render } from '../render.js';
import { parseForm, renderFields } from '../validation.js';

/** The page with every storage path. */
async function page(
  c: Context<AppEnv>,
  extra: Omit<Parameters<typeof StoragePathsPage>[0], 'paths'>,
  status = 200,
) {
  const { db } = c.get('deps');
  const paths = await storagePathsJson(db, await listStoragePaths(db));
  return render(c, <StoragePathsPage paths={paths} {...extra} />, status as 200);
}

/** Queues a verify or a GC: a toast and the operations widget (htmx), or a redirect with a flash. */
async function start(c: Context<AppEnv>, type: RepositoryJobType) {
  const deps = c.get('deps');
  const storage = await getStoragePath(deps.db, idParam(c));
  if (!storage) throw new NotFoundError();
  await startRepositoryJob(deps, storage, type, c.get('user')?.id ?? null);
  const message = c.get('t').message(msg('storage.job_started', { type: msg(`operations.type.${type}`) }));
  if (!isHtmx(c)) return redirectWithFlash(c, '/storage-paths/', 'success', message);
  c.header(
    'HX-Trigger',
    hxTriggerValue({ 'operations-changed': true, toast: { level: 'success', message } }),
  );
  return c.body(null, 204);
}

export const storagePathRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', (c) => page(c, {}))
  .post('/', async (c) => {
    const deps = c.get('deps');
    const form = await parseForm(c, storagePathFormSchema);
    if (!form.ok) return page(c, { values: form.values, errors: form.errors }, 400);
    const { passphrase, passphrase_confirm, ...shown } = form.data;
    const values = { ...shown, encrypted: shown.encrypted ? 'on' : '' } as unknown as Record<string, string>;
    try {
      if (form.data.encrypted && passphrase !== undefined && passphrase !== (passphrase_confirm ?? '')) {
        throw new InvalidInputError({ passphrase_confirm: [msg('storage.error.passphrase_mismatch')] });
      }
      await checkStoragePath(deps.db, form.data);
      const prepared = await prepareRepository(deps, form.data);
      await insertStoragePath(deps.db, { ...storagePathColumns(form.data), ...prepared.columns });
      if (prepared.masterKeyHex) {
        c.header('Cache-Control', 'no-store');
        return page(c, { created: { name: form.data.name, keyHex: prepared.masterKeyHex } });
      }
    } catch (err) {
      if (err instanceof InvalidInputError)
        return page(c, { values, errors: renderFields(c.get('t'), err.fields ?? {}) }, 400);
      throw err;
    }
    return redirectWithFlash(c, '/storage-paths/', 'success', c.get('t')('common.saved'));
  })
  .post('/:id/delete', async (c) => {
    await deleteStoragePath(c.get('deps').db, idParam(c));
    return redirectWithFlash(c, '/storage-paths/', 'success', c.get('t')('common.deleted'));
  })
  .post('/:id/verify', (c) => start(c, 'repository_verify'))
  .post('/:id/garbage_collect', (c) => start(c, 'repository_gc'));
