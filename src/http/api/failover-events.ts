/**
 * @module http/api/failover-events: `/api/failover-events/` (newest first, `?replication=` filter) and
 * `/api/failover-events/{id}/`, each event with its step log, its messages in the request's language.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (FailoverEvent), section 4 (endpoints)
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { getFailoverEvent, listFailoverEvents } from '../../db/failover-events.js';
import { NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import type { AppEnv } from '../context.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { idFilter, parseQuery } from './query.js';
import { failoverEventJson } from './vm-replications-json.js';

/** Filters of `GET /api/failover-events/`. */
export const failoverEventFilters = z.object({
  replication: idFilter('Only the events of this replication (id).'),
});

export const failoverEventsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, failoverEventFilters);
    const request = pageRequest(c);
    const { rows, count } = await listFailoverEvents(c.get('deps').db, filters, request);
    return c.json(pageAnswer(c, request, { rows: rows.map((e) => failoverEventJson(e, c.get('t'))), count }));
  })
  .get('/:id', async (c) => {
    const event = await getFailoverEvent(c.get('deps').db, idParam(c));
    if (!event) throw new NotFoundError(msg('failover.error.not_found'));
    return c.json(failoverEventJson(event, c.get('t')));
  });
