/**
 * @module http/api/ovf-exports: `/api/ovf-exports/` (list with `?status=`, `?virtual_machine=`; create
 * `{virtual_machine}` or `{vm_backup}`, `storage_path?`, `format`), detail, `progress/`, `cancel/`, and
 * `download/` (admins: the `.ova`, or the `.ovf`, or `?file=` one file of the package).
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { z } from 'zod';
import { requestCancel } from '../../db/jobs.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../db/ovf-exports.js';
import { JOB_STATUSES, OVF_FORMATS } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { OvfError } from '../../ovf/errors.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { ovfExportJson, ovfProgressJson } from './ovf-exports-json.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { emptyAsMissing, enumFilter, idFilter, parseQuery } from './query.js';

const bodyId = z.number().int().positive().max(2_147_483_647);

/** Body of `POST /api/ovf-exports/`: exactly one of `virtual_machine` (from its host) and `vm_backup`. */
export const ovfExportCreateSchema = z
  .object({
    virtual_machine: bodyId
      .optional()
      .describe(
        'Export this powered-off VM straight from its host (ExportVm); a VM not powered off is refused.',
      ),
    vm_backup: bodyId.optional().describe('Export this restore point.'),
    storage_path: bodyId.nullish().describe('Where to write it; default: the restore point’s storage path.'),
    format: z.enum(OVF_FORMATS).default('ovf').describe('`ovf`: a folder of files; `ova`: one tar archive.'),
  })
  .refine((b) => !b.virtual_machine !== !b.vm_backup, { error: 'ovf.request.one_source', path: ['_'] });

/** Filters of `GET /api/ovf-exports/`. */
export const ovfExportFilters = z.object({
  status: enumFilter(JOB_STATUSES, 'Only the exports whose job has this status.'),
  virtual_machine: idFilter('Only the exports of this VM (id).'),
});

/** Query of `GET /api/ovf-exports/{id}/download/`. */
export const ovfDownloadQuery = z.object({
  file: emptyAsMissing(z.string().min(1).max(255).optional()).describe(
    'One file of the package by name (`files[].name`); default: the package file (`.ova` or `.ovf`).',
  ),
});

export const ovfExportsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, ovfExportFilters);
    const request = pageRequest(c);
    const { rows, count } = await listOvfExports(c.get('deps').db, filters, request);
    const t = c.get('t');
    return c.json(pageAnswer(c, request, { rows: rows.map((e) => ovfExportJson(t, e)), count }));
  })
  .post('/', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, ovfExportCreateSchema);
    const row = await createOvfExport(deps.db, {
      virtual_machine_id: body.virtual_machine,
      vm_backup_id: body.vm_backup,
      storage_path_id: body.storage_path,
      format: body.format,
      created_by: c.get('user')?.id,
    });
    deps.jobs?.wake();
    return c.json(ovfExportJson(c.get('t'), await getOvfExport(deps.db, row.id)), 201);
  })
  .get('/:id', async (c) =>
    c.json(ovfExportJson(c.get('t'), await getOvfExport(c.get('deps').db, idParam(c)))),
  )
  .get('/:id/progress', async (c) =>
    c.json(ovfProgressJson(c.get('t'), await getOvfExport(c.get('deps').db, idParam(c)))),
  )
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const row = await getOvfExport(deps.db, idParam(c));
    const result = await requestCancel(deps.db, row.job_id);
    if (result?.outcome === 'requested') deps.jobs?.cancelled(row.job_id);
    return c.json(ovfExportJson(c.get('t'), await getOvfExport(deps.db, row.id)));
  })
  .get('/:id/download', requireRole('admin'), async (c) => {
    const row = await getOvfExport(c.get('deps').db, idParam(c));
    const { file } = parseQuery(c, ovfDownloadQuery);
    if (row.status !== 'COMPLETED' || !row.package_path)
      throw new OvfError('not_complete', 'ovf.error.not_complete', { id: row.id });
    const name = file ?? path.basename(row.package_path);
    const entry = row.files.find((f) => f.name === name);
    if (!entry) throw new NotFoundError(msg('ovf.error.no_file', { file: name }));
    const stream = Readable.toWeb(createReadStream(path.join(row.export_dir, entry.name)));
    return c.body(stream as ReadableStream, 200, {
      'content-type': name.endsWith('.ovf') ? 'application/xml' : 'application/octet-stream',
      'content-length': String(entry.size_bytes),
      'content-disposition': `attachment; filename="${entry.name.replace(/"/g, '')}"`,
    });
  });
