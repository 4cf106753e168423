/**
 * @module http/routes/storage-paths: the storage paths admin page (list, add, delete). A refused path
 * (InvalidInputError: name taken, directory not writable) shows the form again with its field messages.
 */
import { Hono } from 'hono';
import { StoragePathsPage } from '../../../views/storage/list.js';
import { deleteStoragePath, insertStoragePath, listStoragePaths } from '../../db/storage-paths.js';
import { InvalidInputError } from '../../errors.js';
import { checkStoragePath, storagePathSchema, withSpace } from '../../storage/storage-paths.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm, renderFields } from '../validation.js';

export const storagePathRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', async (c) => {
    const paths = await Promise.all((await listStoragePaths(c.get('deps').db)).map(withSpace));
    return render(c, <StoragePathsPage paths={paths} />);
  })
  .post('/', async (c) => {
    const { db } = c.get('deps');
    const form = await parseForm(c, storagePathSchema);
    const page = async (values: Record<string, string>, errors: Record<string, string[]>) => {
      const paths = await Promise.all((await listStoragePaths(db)).map(withSpace));
      return render(c, <StoragePathsPage paths={paths} values={values} errors={errors} />, 400);
    };
    if (!form.ok) return page(form.values, form.errors);
    try {
      await checkStoragePath(db, form.data);
    } catch (err) {
      if (err instanceof InvalidInputError)
        return page(
          form.data as unknown as Record<string, string>,
          renderFields(c.get('t'), err.fields ?? {}),
        );
      throw err;
    }
    await insertStoragePath(db, form.data);
    return redirectWithFlash(c, '/storage-paths/', 'success', c.get('t')('common.saved'));
  })
  .post('/:id/delete', async (c) => {
    await deleteStoragePath(c.get('deps').db, idParam(c));
    return redirectWithFlash(c, '/storage-paths/', 'success', c.get('t')('common.deleted'));
  });
