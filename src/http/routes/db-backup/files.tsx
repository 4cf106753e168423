/**
 * @module http/routes/db-backup/files: the "Database backups" admin page (`GET /db-backups`) and the
 * streamed download of one backup (`GET /db-backups/<name>`), admins only. The name must match the backup
 * file pattern exactly and resolve inside the backup directory, so no path can reach another file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { DbBackupsPage } from '../../../../views/db-backup/page.js';
import { listBackupFiles } from '../../../db-backup/metadata.js';
import { backupPath } from '../../../db-backup/paths.js';
import { NotFoundError } from '../../../errors.js';
import type { AppEnv } from '../../context.js';
import { requireRole } from '../../middleware/auth.js';
import { render } from '../../render.js';

export const dbBackupFileRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', async (c) => {
    const { config } = c.get('deps');
    const backups = await listBackupFiles(config.dbBackupDir);
    return render(
      c,
      <DbBackupsPage backups={backups} dir={config.dbBackupDir} keep={config.dbBackupRetention} />,
    );
  })
  .get('/:name', async (c) => {
    const file = backupPath(c.get('deps').config.dbBackupDir, c.req.param('name'));
    if (!file) throw new NotFoundError();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new NotFoundError();
    const name = file.slice(file.lastIndexOf('/') + 1);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      'Content-Type': 'application/gzip',
      'Content-Length': String(info.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
  });
